"""Query understanding: language, constraints and product terms of a buyer's free text.

:func:`parse_query` (``parse.py``) reads English, Chinese and Vietnamese sourcing queries;
each kind of phrase has its own module:

* ``language.py`` — which language the query is in;
* ``numbers.py`` — numbers follow the language's conventions (``2,000`` in English,
  ``800.000`` and ``2,5`` in Vietnamese) with multipliers (``k``, ``万``, ``triệu``,
  ``nghìn``); units; comparators decide ``inclusive`` ("under/below/less than/<"/``低于``/
  ``dưới`` are strict, "up to/max/≤/or less"/``以内``/``以下``/``不超过``/``không quá``/
  ``tối đa`` inclusive);
* ``money.py`` — a number with a currency sign or word (``$``, ``US$``, ``USD``, ``¥``,
  ``元``, ``块``, ``美元``, ``đ``, ``đồng``, ``VND``, ``€``) and an optional unit (``/m``,
  ``per kg``, ``每支``, ``một cái``): a price ceiling;
* ``orders.py`` — quantities after ``MOQ``/``min order``/``起订量``/``số lượng tối thiểu``
  are an MOQ ceiling; numbers of days (weeks) a lead-time ceiling (not next to "shelf life");
* ``certifications.py`` — a general list with aliases, normalised (``ISO9001`` →
  ``ISO 9001``, ``3C`` → ``CCC``, ``Oeko-Tex 100`` → ``OEKO-TEX Standard 100``);
* ``markets.py`` — any country (pycountry names plus babel's Chinese and Vietnamese
  territory names) or region group (EU, ASEAN/Southeast Asia, Middle East, …) after a
  market cue ("to", "export", ``出口``, ``市场``, ``xuất khẩu``, ``sang``);
* ``attributes.py`` — glossary concepts of attribute kinds (colour, material, pattern,
  feature, size), spec values (``12oz``, ``1m8``, ``22mm``, ``80L``) and numbers with a unit
  and "at least"/``以上``/``trở lên`` (attribute minimums);
* ``negation.py`` — negated attributes ("non-leather", "not spicy", ``不辣``, ``非真皮``,
  "không phải da"): they count against products stating them;
* ``filler.py`` — buyer filler ("where to buy", ``求购``, ``giá sỉ`` …) and the clean terms.

``terms`` is the query without constraint phrases (attribute words stay: they describe the
product; negated ones leave) and without filler.
"""

from dualcirc.matching.understanding.certifications import (
    find_certifications,
    normalise_certification,
)
from dualcirc.matching.understanding.language import detect_language
from dualcirc.matching.understanding.markets import REGIONS, find_markets, market_members
from dualcirc.matching.understanding.numbers import (
    ATTR_NUM_RE,
    ATTR_UNITS,
    UNIT_WORDS,
    parse_number,
)
from dualcirc.matching.understanding.parse import parse_query

__all__ = [
    "ATTR_NUM_RE",
    "ATTR_UNITS",
    "REGIONS",
    "UNIT_WORDS",
    "detect_language",
    "find_certifications",
    "find_markets",
    "market_members",
    "normalise_certification",
    "parse_number",
    "parse_query",
]
