"""Query understanding: language, constraints and product terms of a buyer's free text.

:func:`parse_query` reads English, Chinese and Vietnamese sourcing queries:

* **numbers** follow the language's conventions (``2,000`` in English, ``800.000`` and
  ``2,5`` in Vietnamese) with multipliers (``k``, ``万``, ``triệu``, ``nghìn``);
* **money** is a number with a currency sign or word (``$``, ``US$``, ``USD``, ``¥``, ``元``,
  ``块``, ``美元``, ``đ``, ``đồng``, ``VND``, ``€``) and an optional unit (``/m``, ``per kg``,
  ``每支``, ``một cái``): a price ceiling;
* **quantities** after ``MOQ``/``min order``/``起订量``/``số lượng tối thiểu`` are an MOQ
  ceiling; numbers of days (weeks) a lead-time ceiling (except next to "shelf life");
* other numbers with a unit and "at least"/``以上``/``trở lên`` are attribute minimums;
* comparators decide ``inclusive``: "under/below/less than/<"/``低于``/``dưới`` are strict,
  "up to/max/≤/or less"/``以内``/``以下``/``不超过``/``không quá``/``tối đa`` inclusive;
* **certifications** come from a general list with aliases, normalised
  (``ISO9001`` → ``ISO 9001``, ``3C`` → ``CCC``, ``Oeko-Tex 100`` → ``OEKO-TEX Standard 100``);
* **export markets**: any country (pycountry names plus babel's Chinese and Vietnamese
  territory names) or region group (EU, ASEAN/Southeast Asia, Middle East, …) after a
  market cue ("to", "export", ``出口``, ``市场``, ``xuất khẩu``, ``sang``);
* glossary concepts of attribute kinds (colour, material, pattern, feature, size) and spec
  values (``12oz``, ``1m8``, ``22mm``, ``80L``) become soft attribute constraints.

``terms`` is the query without constraint phrases (attribute words stay: they describe the
product) and without buyer filler ("where to buy", ``求购``, ``giá sỉ`` …).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from dualcirc.matching.text import has_cjk
from dualcirc.matching.types import Constraint, ConstraintKind, ParsedQuery
from dualcirc.matching.vocab import ATTRIBUTE_KINDS, find_concepts, fold

# ------------------------------------------------------------------ language
_VI_MARKS = re.compile(
    r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
    r"àáãèéìíòóõùúýĩũ]",
    re.I,
)
_VI_WORDS = frozenset(
    "mua tim gia si cua nhung duoi khong qua toi hang ao quan giay ghe nha cung cap xuong "
    "san xuat luong chiec cai vai mau tivi dep khan rem chan goi".split()
)


def detect_language(text: str) -> str:
    """``zh``, ``vi``, ``en`` or ``other`` (another script)."""
    if has_cjk(text):
        return "zh"
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(1 for ch in letters if ch.isascii()) < 0.5 * len(letters):
        latin_ext = sum(
            1 for ch in letters if "\u00c0" <= ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff"
        )
        if latin_ext < 0.3 * len(letters):
            return "other"
    if _VI_MARKS.search(text):
        return "vi"
    words = re.findall(r"[a-z]+", text.lower())
    if words and sum(1 for w in words if w in _VI_WORDS) >= max(1, len(words) // 3):
        return "vi"
    return "en"


# ------------------------------------------------------------------ numbers
_NUM = r"\d+(?:[.,]\d+)*"
_MULT = {
    "k": Decimal(1000),
    "nghìn": Decimal(1000),
    "ngàn": Decimal(1000),
    "triệu": Decimal(1_000_000),
    "tr": Decimal(1_000_000),
    "千": Decimal(1000),
    "万": Decimal(10_000),
    "w": Decimal(10_000),
}
_MULT_RE = r"(?:\s?(?P<mult>k|nghìn|ngàn|triệu|tr|千|万)(?![a-zà-ỹ克米瓦伏卡]))?"


def parse_number(raw: str, lang: str) -> Decimal | None:
    """A number as written in ``lang`` (``2,000`` en; ``800.000`` / ``2,5`` vi)."""
    raw = raw.strip()
    seps = re.findall(r"[.,]", raw)
    groups = re.split(r"[.,]", raw)
    try:
        if not seps:
            return Decimal(raw)
        if len(set(seps)) == 2:  # both: the last one is the decimal mark
            dec = seps[-1]
            thou = "," if dec == "." else "."
            return Decimal(raw.replace(thou, "").replace(dec, "."))
        sep = seps[0]
        tail_three = all(len(g) == 3 for g in groups[1:])
        if len(seps) > 1:  # 1,000,000 / 1.000.000
            return Decimal(raw.replace(sep, "")) if tail_three else None
        if lang == "vi":
            if sep == "." and tail_three:
                return Decimal(raw.replace(".", ""))
            return Decimal(raw.replace(",", "."))
        if sep == "," and tail_three:
            return Decimal(raw.replace(",", ""))
        return Decimal(raw.replace(",", "."))
    except InvalidOperation:
        return None


# ------------------------------------------------------------------ units
# unit words → canonical unit code
UNIT_WORDS: dict[str, str] = {}
for _code, _words in {
    "pcs": "pcs pc piece pieces unit units ea each item items 件 个 張 张 把 台 支 片 条 幅 只 "
    "根 块 cái chiếc",
    "sets": "set sets kit kits 套 bộ",
    "pairs": "pair pairs prs pr 双 đôi",
    "m": "m meter meters metre metres mtr mtrs 米 mét",
    "yd": "yd yds yard yards 码",
    "kg": "kg kgs kilo kilos kilogram kilograms 公斤 千克 kí ký",
    "t": "t ton tons tonne tonnes mt 吨 tấn",
    "g": "g gram grams 克",
}.items():
    for _w in _words.split():
        UNIT_WORDS[_w] = _code
_UNIT_ALT = "|".join(sorted((re.escape(w) for w in UNIT_WORDS), key=len, reverse=True))
_UNIT_RE = rf"(?P<unit>{_UNIT_ALT})(?![a-zà-ỹ])"

# attribute units (for minimums and spec values) → canonical code
ATTR_UNITS: dict[str, str] = {}
for _code, _words in {
    "inch": 'inch inches in " ″ 英寸 寸 inch',
    "l": "l liter liters litre litres 升 lít",
    "ml": "ml 毫升",
    "w": "w watt watts 瓦",
    "kw": "kw 千瓦",
    "v": "v volt volts 伏",
    "g": "gsm g/m2 g/m² g/㎡ 克 g gram grams",
    "kg": "kg kgs 公斤 千克",
    "mm": "mm 毫米 momme mommes 姆米",
    "cm": "cm 厘米",
    "m": "m 米 mét",
    "oz": "oz 盎司 安",
    "hz": "hz 赫兹",
    "mah": "mah",
    "ah": "ah",
    "btu": "btu",
    "hp": "hp 匹",
    "lm": "lumens lumen lm 流明",
    "tc": "tc|thread count",
    "%": "% percent",
    "month": "months month 个月 月 tháng",
    "pcs": "pcs pc pieces piece 件 件套 支 片",
    "sets": "sets|place settings|place setting|套",
    "seats": "seater seaters seats seat 人位 座 人 chỗ",
    "doors": "doors door 门 cánh",
    "rpm": "rpm 转",
    "s": "s 支纱",
}.items():
    for _w in _words.split("|") if "|" in _words else _words.split():
        ATTR_UNITS.setdefault(_w, _code)
ATTR_UNITS['"'] = "inch"
_ATTR_UNIT_ALT = "|".join(sorted((re.escape(w) for w in ATTR_UNITS), key=len, reverse=True))
ATTR_NUM_RE = re.compile(
    rf"(?P<num>\d+(?:[.,]\d+)?)\s?(?:-\s?)?(?P<unit>{_ATTR_UNIT_ALT})(?![a-zà-ỹ0-9])",
    re.I,
)

# ------------------------------------------------------------------ currencies
_CUR_PREFIX = {
    "us$": "USD",
    "usd": "USD",
    "$": "USD",
    "¥": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "€": "EUR",
    "eur": "EUR",
    "vnd": "VND",
    "vnđ": "VND",
}
_CUR_SUFFIX = {
    "usd": "USD",
    "us$": "USD",
    "$": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "美元": "USD",
    "美金": "USD",
    "刀": "USD",
    "đô": "USD",
    "đô la": "USD",
    "元": "CNY",
    "块": "CNY",
    "块钱": "CNY",
    "人民币": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "yuan": "CNY",
    "tệ": "CNY",
    "nhân dân tệ": "CNY",
    "đ": "VND",
    "đồng": "VND",
    "vnd": "VND",
    "vnđ": "VND",
    "dong": "VND",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "欧元": "EUR",
}


def _alt(words: dict[str, str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_PER = r"(?:\s?(?:/|per|a|an|each|một|mỗi|/\s?một|每)\s?)"
_MONEY_RE = re.compile(
    rf"(?:(?P<pre>{_alt(_CUR_PREFIX)})\s?(?P<num1>{_NUM}){_MULT_RE.replace('mult', 'mult1')}"
    rf"(?:\s?(?P<suf1>{_alt(_CUR_SUFFIX)})(?![a-zà-ỹ]))?"
    rf"|(?P<num2>{_NUM}){_MULT_RE.replace('mult', 'mult2')}\s?(?P<suf2>{_alt(_CUR_SUFFIX)})"
    r"(?![a-zà-ỹ]))"
    rf"(?:{_PER}(?P<unit>{_UNIT_ALT})(?![a-zà-ỹ]))?",
    re.I,
)
_ZH_PER_BEFORE = re.compile(rf"每\s?(?P<unit>{_UNIT_ALT})\s?$")

# ------------------------------------------------------------------ comparators
_STRICT_BEFORE = re.compile(
    r"(?:under|below|less than|lower than|cheaper than|<|dưới|thấp hơn|低于|少于|小于|不到|不足)"
    r"\s*[:：]?\s*$",
    re.I,
)
_INCL_BEFORE = re.compile(
    r"(?:up to|upto|max(?:imum)?\.?|at most|no more than|not more than|not exceeding|"
    r"not over|within|≤|<=|=<|tối đa|không quá|không vượt quá|nhiều nhất|trong vòng|"
    r"不超过|不高于|不多于|最多|最高|控制在|以内|限)\s*[:：]?\s*$",
    re.I,
)
_INCL_AFTER = re.compile(
    r"^\s*(?:or less|or below|or under|max(?:imum)?|at most|以内|以下|之内|内|及以下|"
    r"或以下|trở xuống|đổ lại|tối đa)",
    re.I,
)
_STRICT_AFTER = re.compile(r"^\s*(?:以下不含|未满)", re.I)
_MIN_BEFORE = re.compile(
    r"(?:at least|min(?:imum)?\.?|no less than|not less than|≥|>=|=>|over|above|more than|"
    r"từ|ít nhất|tối thiểu|không dưới|至少|不低于|不少于|最少|大于|超过)\s*[:：]?\s*$",
    re.I,
)
_MIN_AFTER = re.compile(
    r"^\s*(?:or more|or above|and above|and up|\+|or higher|以上|及以上|或以上|起|trở lên|"
    r"hoặc hơn)",
    re.I,
)

_MOQ_CUE = re.compile(
    r"(?:moq|min\.? order(?: quantity| qty)?|minimum order(?: quantity| qty)?|"
    r"order quantity|order qty|起订量|最低起订量?|起订|起批量?|最小起订量?|"
    r"số lượng tối thiểu|số lượng đặt hàng tối thiểu|đơn hàng tối thiểu|đơn tối thiểu|"
    r"sl tối thiểu)",
    re.I,
)
_SHELF_CUE = re.compile(r"(?:shelf life|保质期|hạn sử dụng|hạn dùng)", re.I)
_LEAD_RE = re.compile(
    r"(?P<num>\d+)\s?(?P<unit>days?|working days|weeks?|天|日|个工作日|工作日|周|星期|ngày|tuần)"
    r"(?![a-z])",
    re.I,
)


# ------------------------------------------------------------------ certifications
_CERTS: list[tuple[str, str, bool]] = [
    # (canonical, pattern, case-sensitive)
    ("ISO 9001", r"iso\s?[-:]?\s?9001", False),
    ("ISO 14001", r"iso\s?[-:]?\s?14001", False),
    ("ISO 45001", r"iso\s?[-:]?\s?45001|ohsas\s?18001", False),
    ("ISO 22000", r"iso\s?[-:]?\s?22000", False),
    ("ISO 13485", r"iso\s?[-:]?\s?13485", False),
    ("ISO 22716", r"iso\s?[-:]?\s?22716|gmpc", False),
    ("ISO 50001", r"iso\s?[-:]?\s?50001", False),
    ("EN ISO 20471", r"(?:en\s?)?(?:iso\s?)?20471", False),
    ("EN ISO 20345", r"(?:en\s?)?(?:iso\s?)?20345", False),
    ("EN ISO 11612", r"(?:en\s?)?(?:iso\s?)?11612", False),
    ("ANSI/ISEA 107", r"ansi(?:\s?/\s?isea)?\s?107", False),
    ("OEKO-TEX Standard 100", r"oeko[\s-]?tex(?:®)?(?:\s?(?:standard\s?)?100)?", False),
    ("FSC", r"fsc", False),
    ("PEFC", r"pefc", False),
    ("BSCI", r"(?:amfori\s)?bsci", False),
    ("SEDEX", r"sedex|smeta", False),
    ("SA8000", r"sa\s?8000", False),
    ("WRAP", r"WRAP", True),
    ("GOTS", r"gots", False),
    ("GRS", r"GRS", True),
    ("RCS", r"RCS", True),
    ("BCI", r"BCI", True),
    ("RDS", r"RDS", True),
    ("CE", r"CE", True),
    ("UL", r"UL", True),
    ("ETL", r"ETL", True),
    ("CB", r"CB", True),
    ("GS", r"GS", True),
    ("FCC", r"FCC", True),
    ("CCC", r"CCC|3C|中国强制性认证", True),
    ("CQC", r"CQC", True),
    ("RoHS", r"rohs", False),
    ("REACH", r"REACH", True),
    ("ERP", r"ErP|ERP", True),
    ("Energy Star", r"energy\s?star", False),
    ("CARB", r"CARB", True),
    ("LFGB", r"lfgb", False),
    ("FDA", r"fda", False),
    ("HACCP", r"haccp", False),
    ("BRCGS", r"brcgs|BRC", False),
    ("IFS", r"IFS", True),
    ("MSC", r"MSC", True),
    ("ASC", r"ASC", True),
    ("BAP", r"BAP", True),
    ("Halal", r"halal|清真", False),
    ("Kosher", r"kosher", False),
    ("SGS", r"SGS", True),
    ("BIFMA", r"bifma", False),
    ("VDE", r"VDE", True),
    ("SASO", r"saso", False),
    ("KC", r"KC", True),
    ("PSE", r"PSE", True),
    ("SAA", r"SAA", True),
    ("UKCA", r"ukca", False),
    ("EAC", r"EAC", True),
    ("BIS", r"BIS", True),
    ("INMETRO", r"inmetro", False),
    ("CPSIA", r"cpsia", False),
    ("ASTM", r"ASTM", True),
    ("EN 71", r"en\s?71", False),
]
_CERT_RES = [
    (
        canon,
        re.compile(
            rf"(?<![A-Za-z0-9]){pat}(?![A-Za-z0-9])" if cs else rf"(?<![a-z0-9]){pat}(?![a-z0-9])",
            0 if cs else re.I,
        ),
    )
    for canon, pat, cs in _CERTS
]


def find_certifications(text: str) -> list[tuple[str, int, int]]:
    """Certification names in ``text``: (canonical name, start, end)."""
    return list(_find_certifications(text))


@lru_cache(maxsize=16384)
def _find_certifications(text: str) -> tuple[tuple[str, int, int], ...]:
    out: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []
    for canon, rx in _CERT_RES:
        for m in rx.finditer(text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            out.append((canon, m.start(), m.end()))
    out.sort(key=lambda x: x[1])
    return tuple(out)


@lru_cache(maxsize=4096)
def normalise_certification(name: str) -> str:
    """Canonical spelling of a certification (unknown names are returned stripped)."""
    name = unicodedata.normalize("NFKC", name).strip()
    found = find_certifications(name)
    if found and found[0][2] - found[0][1] >= len(name) - 12:
        return found[0][0]
    return name


_CERT_CUE = re.compile(
    r"(?:(?:must have|certified|certificate|certification|with|need|需要|要求|有|通过|认证|"
    r"资质|chứng nhận|chứng chỉ|đạt chuẩn|đạt|có)\s*)+$",
    re.I,
)


# ------------------------------------------------------------------ markets
REGIONS: dict[str, frozenset[str]] = {
    "EU": frozenset(
        "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
    ),
    "ASEAN": frozenset("BN KH ID LA MY MM PH SG TH VN".split()),
    "SOUTHEAST_ASIA": frozenset("BN KH ID LA MY MM PH SG TH VN TL".split()),
    "MIDDLE_EAST": frozenset("AE BH EG IL IQ IR JO KW LB OM PS QA SA SY TR YE".split()),
    "GCC": frozenset("AE BH KW OM QA SA".split()),
    "NORTH_AMERICA": frozenset("US CA MX".split()),
    "SOUTH_AMERICA": frozenset("AR BO BR CL CO EC GY PY PE SR UY VE".split()),
    "LATIN_AMERICA": frozenset(
        "AR BO BR CL CO CR CU DO EC SV GT HN MX NI PA PY PE PR UY VE".split()
    ),
    "EUROPE": frozenset(
        "AL AD AT BY BE BA BG HR CY CZ DK EE FI FR DE GR HU IS IE IT XK LV LI LT LU MT MD MC "
        "ME NL MK NO PL PT RO RU SM RS SK SI ES SE CH UA GB VA".split()
    ),
    "AFRICA": frozenset(
        "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY "
        "MG MW ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW".split()
    ),
    "OCEANIA": frozenset("AU NZ FJ PG SB VU WS TO".split()),
    "CENTRAL_ASIA": frozenset("KZ KG TJ TM UZ".split()),
    "SOUTH_ASIA": frozenset("AF BD BT IN MV NP PK LK".split()),
    "EAST_ASIA": frozenset("JP KR MN TW HK MO".split()),
    "LATAM_MERCOSUR": frozenset("AR BR PY UY".split()),
    "BELT_AND_ROAD": frozenset(
        "KZ KG TJ TM UZ RU BY UA MN PK AF BD LK NP MV MM LA KH TH VN MY SG ID BN PH TL IR IQ "
        "SA AE OM QA KW BH YE JO LB SY IL PS EG TR GE AM AZ PL CZ SK HU RO BG RS HR SI BA ME "
        "MK AL GR EE LV LT MD KE ET DJ NG ZA MA TZ ZM".split()
    ),
}
_REGION_NAMES: dict[str, list[str]] = {
    "EU": ["eu", "european union", "the eu", "欧盟", "liên minh châu âu", "eu market"],
    "ASEAN": ["asean", "东盟", "asean countries"],
    "SOUTHEAST_ASIA": [
        "southeast asia",
        "south east asia",
        "south-east asia",
        "东南亚",
        "đông nam á",
    ],
    "MIDDLE_EAST": ["middle east", "mideast", "中东", "trung đông"],
    "GCC": ["gcc", "gulf", "gulf countries", "海湾", "海湾国家", "vùng vịnh"],
    "NORTH_AMERICA": ["north america", "北美", "bắc mỹ"],
    "SOUTH_AMERICA": ["south america", "南美", "nam mỹ"],
    "LATIN_AMERICA": ["latin america", "拉美", "拉丁美洲", "mỹ latinh", "mỹ la tinh"],
    "EUROPE": ["europe", "欧洲", "châu âu"],
    "AFRICA": ["africa", "非洲", "châu phi"],
    "OCEANIA": ["oceania", "大洋洲", "châu đại dương"],
    "CENTRAL_ASIA": ["central asia", "中亚", "trung á"],
    "SOUTH_ASIA": ["south asia", "南亚", "nam á"],
    "EAST_ASIA": ["east asia", "东亚", "đông á"],
    "LATAM_MERCOSUR": ["mercosur", "南方共同市场"],
    "BELT_AND_ROAD": [
        "belt and road",
        "belt & road",
        "one belt one road",
        "obor",
        "一带一路",
        "一带一路沿线",
        "vành đai và con đường",
        "vành đai con đường",
    ],
}
_COUNTRY_ALIASES: dict[str, list[str]] = {
    "US": [
        "usa",
        "u.s.",
        "u.s.a.",
        "us",
        "america",
        "united states",
        "the us",
        "the states",
        "美国",
        "mỹ",
        "hoa kỳ",
    ],
    "GB": ["uk", "u.k.", "britain", "great britain", "england", "英国", "anh", "vương quốc anh"],
    "AE": ["uae", "u.a.e.", "emirates", "dubai", "阿联酋", "迪拜", "các tiểu vương quốc ả rập"],
    "SA": ["saudi", "ksa", "沙特", "ả rập saudi", "ả rập xê út", "saudi ả rập"],
    "KR": ["korea", "south korea", "韩国", "南韩", "hàn quốc", "nam hàn"],
    "KP": ["north korea", "朝鲜", "triều tiên"],
    "RU": ["russia", "俄罗斯", "俄国", "nga"],
    "VN": ["vietnam", "viet nam", "越南", "việt nam"],
    "TW": ["taiwan", "台湾", "đài loan"],
    "HK": ["hong kong", "香港", "hồng kông"],
    "CZ": ["czech republic", "czechia", "捷克", "séc"],
    "IR": ["iran", "伊朗"],
    "TR": ["turkey", "türkiye", "turkiye", "土耳其", "thổ nhĩ kỳ"],
    "LA": ["laos", "老挝", "lào"],
    "SY": ["syria", "叙利亚"],
    "BO": ["bolivia"],
    "VE": ["venezuela"],
    "TZ": ["tanzania"],
    "MD": ["moldova"],
    "NL": ["holland", "the netherlands", "netherlands", "荷兰", "hà lan"],
    "DE": ["germany", "德国", "đức"],
    "FR": ["france", "法国", "pháp"],
    "JP": ["japan", "日本", "nhật", "nhật bản"],
    "CN": ["china", "中国", "trung quốc"],
    "AU": ["australia", "澳洲", "澳大利亚", "úc"],
    "NZ": ["new zealand", "新西兰"],
    "IN": ["india", "印度", "ấn độ"],
    "PH": ["philippines", "the philippines", "菲律宾", "philippin"],
    "MM": ["myanmar", "burma", "缅甸", "miến điện"],
    "CI": ["ivory coast", "côte d'ivoire", "cote d'ivoire", "科特迪瓦"],
    "CD": ["dr congo", "drc", "democratic republic of the congo"],
    "MK": ["north macedonia", "macedonia"],
}
_AMBIGUOUS_CODES = frozenset({"JE", "TD", "GE", "TK", "NU", "ME", "IM", "IO", "AS"})
_MARKET_CUE_BEFORE = re.compile(
    r"(?:export(?:s|ed|ing)?|ship(?:s|ped|ping)?|sell(?:s|ing)?|sold|deliver(?:y|ed|ing)?|"
    r"market|markets|supply|supplying|to|into|for|in|出口|出口到|出口至|销往|销售到|外销|发往|"
    r"运往|做|能做|xuat khau|xuat di|xuat sang|xuat|sang|di|thi truong|ban|giao)"
    r"(?:\s+(?:to|the|into|sang|den|toi|qua|di))?\s*[:：]?\s*(?:the\s)?$",
    re.I,
)
_MARKET_CUE_AFTER = re.compile(r"^\s*(?:market|markets|市场|经验|thi truong)", re.I)


@dataclass(frozen=True, slots=True)
class _Name:
    key: str  # ISO alpha-2 or a REGIONS key
    text: str


@lru_cache(maxsize=1)
def _market_names() -> dict[str, str]:
    """Folded name → ISO code or region key (every country in en, zh and vi)."""
    names: dict[str, str] = {}

    def add(name: str, key: str) -> None:
        n = fold(name).replace("-", " ").strip()
        n = re.sub(r"\s+", " ", n)
        if len(n) >= 2:
            names.setdefault(n, key)

    for region, ns in _REGION_NAMES.items():
        for n in ns:
            add(n, region)
    for code, ns in _COUNTRY_ALIASES.items():
        for n in ns:
            add(n, code)
    try:
        import pycountry

        for c in pycountry.countries:
            code = c.alpha_2
            if code in _AMBIGUOUS_CODES:
                continue
            for attr in ("common_name", "name", "official_name"):
                v = getattr(c, attr, None)
                if v and "," not in v:
                    add(v, code)
    except ImportError:  # pragma: no cover - pycountry is a dependency
        pass
    try:
        from babel import Locale

        for loc in ("zh", "vi", "en"):
            for code, v in Locale(loc).territories.items():
                if len(code) == 2 and code.isalpha() and code not in _AMBIGUOUS_CODES:
                    add(v, code)
    except ImportError:  # pragma: no cover - babel is a dependency
        pass
    return names


@lru_cache(maxsize=1)
def _market_regex() -> re.Pattern[str]:
    alts = sorted(_market_names(), key=len, reverse=True)
    body = "|".join(re.escape(a).replace(r"\ ", r"[\s-]") for a in alts)
    return re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")


def find_markets(text: str, *, need_cue: bool = True) -> list[tuple[str, int, int]]:
    """Countries/regions named in ``text`` as a destination: (ISO code or region, start, end)."""
    folded = fold(text)
    names = _market_names()
    out: list[tuple[str, int, int]] = []
    for m in _market_regex().finditer(folded):
        name = re.sub(r"[\s-]+", " ", m.group())
        key = names.get(name)
        if key is None:
            continue
        if need_cue:
            before = folded[max(0, m.start() - 40) : m.start()]
            after = folded[m.end() : m.end() + 12]
            cue = _MARKET_CUE_BEFORE.search(fold(before)) or _MARKET_CUE_AFTER.match(after)
            if not cue:
                continue
        out.append((key, m.start(), m.end()))
    return out


def market_members(value: str) -> frozenset[str]:
    """ISO codes a market constraint accepts (a region's members, or the country itself)."""
    v = value.upper()
    if v in REGIONS:
        return REGIONS[v]
    key = _market_names().get(fold(value).strip())
    if key in REGIONS:
        return REGIONS[key]
    if key:
        return frozenset({key})
    return frozenset({v})


# ------------------------------------------------------------------ filler
_FILLER = [
    # English
    r"where (?:can i|to|do i) (?:buy|find|source|get)",
    r"looking for",
    r"look(?:ing)? to (?:buy|source|import)",
    r"searching for",
    r"in bulk",
    r"bulk (?:order|purchase|buy)",
    r"(?:we|i) (?:need|want|are looking for|am looking for)",
    r"need(?:ed)?",
    r"wanted",
    r"want to buy",
    r"rfq",
    r"request for quotation",
    r"quote for",
    r"price for",
    r"(?:reliable |trusted |verified )?(?:suppliers?|manufacturers?|factor(?:y|ies)|vendors?|"
    r"makers?|producers?|exporters?|wholesalers?)",
    r"wholesale",
    r"must (?:have|be|ship|hold)",
    r"(?:is |be )?certified",
    r"certificat(?:e|ion)s?",
    r"registered",
    r"target price",
    r"(?:with )?(?:experience )?exporting",
    r"export(?:ed|s)?",
    r"ship(?:ping)?",
    r"delivery",
    r"lead time",
    r"ready",
    r"price",
    r"please",
    r"or less",
    r"must",
    # Chinese
    r"求购",
    r"采购",
    r"批发",
    r"找",
    r"寻找",
    r"需要",
    r"要求",
    r"厂家直销",
    r"厂家",
    r"工厂",
    r"供应商",
    r"生产商",
    r"源头",
    r"认证",
    r"资质",
    r"有出口",
    r"出口",
    r"经验",
    r"能做",
    r"市场",
    r"产品",
    r"预算",
    r"价格",
    r"单价",
    r"交期",
    r"货期",
    r"交货",
    r"哪里有",
    r"哪家",
    r"的",
    r"有",
    # Vietnamese
    r"cần tìm nhà cung cấp",
    r"tìm nhà cung cấp",
    r"nhà cung cấp",
    r"tìm xưởng sản xuất",
    r"xưởng sản xuất",
    r"nhà sản xuất",
    r"tìm xưởng",
    r"xưởng",
    r"cần tìm",
    r"cần mua",
    r"muốn mua",
    r"tìm mua",
    r"báo giá",
    r"giá sỉ",
    r"giá buôn",
    r"bán sỉ",
    r"số lượng lớn",
    r"đơn giá",
    r"giá",
    r"đạt chuẩn",
    r"chứng nhận",
    r"chứng chỉ",
    r"có xuất khẩu",
    r"đã xuất đi",
    r"xuất khẩu sang",
    r"xuất khẩu",
    r"giao hàng",
    r"thời gian sản xuất",
    r"mua",
    r"cần",
    r"tìm",
]
_FILLER_RE = re.compile(
    r"(?<![\w])(?:" + "|".join(f"(?:{f})" for f in _FILLER) + r")(?![\w])"
    r"|(?:求购|采购|批发|厂家|工厂|供应商|认证|有出口|出口|经验|能做|市场|预算|价格|单价|交期|货期|"
    r"交货|找|需要|的)",
    re.I,
)


# ------------------------------------------------------------------ parsing
@dataclass(slots=True)
class _Found:
    constraint: Constraint
    start: int
    end: int


def _comparator(text: str, start: int, end: int) -> tuple[str, bool]:
    """('max', inclusive) / ('min', True) / ('', True) from the words around a span."""
    before = text[max(0, start - 24) : start]
    after = text[end : end + 14]
    if _STRICT_BEFORE.search(before):
        return "max", False
    if _INCL_BEFORE.search(before) or _INCL_AFTER.match(after):
        return "max", True
    if _MIN_BEFORE.search(before) or _MIN_AFTER.match(after):
        return "min", True
    if _STRICT_AFTER.match(after):
        return "max", False
    return "", True


def _span_with_comparator(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a number span over its comparator words (for ``source`` and term removal)."""
    before = text[max(0, start - 24) : start]
    for rx in (_STRICT_BEFORE, _INCL_BEFORE, _MIN_BEFORE):
        m = rx.search(before)
        if m:
            start = start - (len(before) - m.start())
            break
    after = text[end : end + 14]
    for rx in (_INCL_AFTER, _MIN_AFTER, _STRICT_AFTER):
        m2 = rx.match(after)
        if m2:
            end += m2.end()
            break
    return start, end


def _overlaps(found: list[_Found], start: int, end: int) -> bool:
    return any(start < f.end and f.start < end for f in found)


def _money(text: str, lang: str, found: list[_Found]) -> None:
    for m in _MONEY_RE.finditer(text):
        if _overlaps(found, m.start(), m.end()):
            continue
        raw = m.group("num1") or m.group("num2")
        value = parse_number(raw, lang)
        if value is None:
            continue
        mult = m.group("mult1") or m.group("mult2")
        if mult:
            value *= _MULT.get(mult.lower(), Decimal(1))
        cur_word = (m.group("pre") or m.group("suf2") or m.group("suf1") or "").lower()
        currency = _CUR_PREFIX.get(cur_word) or _CUR_SUFFIX.get(cur_word, "")
        if cur_word == "$" and text[max(0, m.start() - 2) : m.start()].lower() == "us":
            currency = "USD"
        if not currency:
            continue
        unit_word = m.group("unit")
        start, end = m.start(), m.end()
        zh_per = _ZH_PER_BEFORE.search(text[max(0, start - 4) : start])
        if not unit_word and zh_per:
            unit_word = zh_per.group("unit")
            start -= len(zh_per.group())
        unit = UNIT_WORDS.get(unit_word.lower(), "") if unit_word else ""
        kind, inclusive = _comparator(text, start, end)
        if kind == "min":
            continue
        s, e = _span_with_comparator(text, start, end)
        found.append(
            _Found(
                Constraint(
                    ConstraintKind.PRICE_MAX,
                    _plain(value),
                    unit=unit,
                    currency=currency,
                    inclusive=inclusive,
                    source=text[s:e].strip(),
                ),
                s,
                e,
            )
        )


_QTY_RE = re.compile(rf"(?P<num>{_NUM}){_MULT_RE}\s?{_UNIT_RE}|(?P<bare>{_NUM})(?![\d.,])", re.I)


def _moq(text: str, lang: str, found: list[_Found]) -> None:
    for cue in _MOQ_CUE.finditer(text):
        window = text[cue.end() : cue.end() + 40]
        for q in _QTY_RE.finditer(window):
            start, end = cue.end() + q.start(), cue.end() + q.end()
            if _overlaps(found, start, end):
                break
            between = text[cue.end() : start]
            if re.search(r"[;；,，。]", between) and "≤" not in between:
                break
            raw = q.group("num") or q.group("bare")
            value = parse_number(raw, lang)
            if value is None:
                break
            mult = q.group("mult")
            if mult:
                value *= _MULT.get(mult.lower(), Decimal(1))
            unit_word = q.group("unit") or ""
            unit = UNIT_WORDS.get(unit_word.lower(), "")
            kind, inclusive = _comparator(text, start, end)
            if kind == "min":
                break
            # "最低起订300套以内": the comparator after the quantity
            _, e = _span_with_comparator(text, start, end)
            found.append(
                _Found(
                    Constraint(
                        ConstraintKind.MOQ_MAX,
                        _plain(value),
                        unit=unit,
                        inclusive=inclusive,
                        source=text[cue.start() : e].strip(),
                    ),
                    cue.start(),
                    e,
                )
            )
            break


def _lead_time(text: str, found: list[_Found]) -> None:
    for m in _LEAD_RE.finditer(text):
        if _overlaps(found, m.start(), m.end()):
            continue
        if _SHELF_CUE.search(text[max(0, m.start() - 16) : m.start()]):
            continue
        days = int(m.group("num"))
        unit = m.group("unit").lower()
        if unit.startswith(("week", "周", "星期", "tuần")):
            days *= 7
        kind, inclusive = _comparator(text, m.start(), m.end())
        if kind == "min":
            continue
        s, e = _span_with_comparator(text, m.start(), m.end())
        # "交期15天内", "35天内交货", "giao hàng trong 30 ngày", "lead time under 20 days"
        pre = re.search(
            r"(?:delivery|lead[\s-]?time|ready|ship(?:ped|ping)?|production|deliver(?:ed)?|"
            r"交期|货期|交货期?|发货|生产周期|giao hàng|thời gian sản xuất|thời gian giao hàng|"
            r"sản xuất|giao)\s*(?:time\s*)?(?:in|within|under|trong|[:：])?\s*$",
            text[max(0, s - 30) : s],
            re.I,
        )
        if pre:
            s = s - (len(text[max(0, s - 30) : s]) - pre.start())
        found.append(
            _Found(
                Constraint(
                    ConstraintKind.LEAD_TIME_MAX,
                    Decimal(days),
                    unit="days",
                    inclusive=inclusive,
                    source=text[s:e].strip(),
                ),
                s,
                e,
            )
        )


def _attribute_numbers(text: str, lang: str, found: list[_Found]) -> None:
    for m in ATTR_NUM_RE.finditer(text):
        if _overlaps(found, m.start(), m.end()):
            continue
        unit = ATTR_UNITS.get(m.group("unit").lower()) or ATTR_UNITS.get(m.group("unit"), "")
        if not unit:
            continue
        value = parse_number(m.group("num"), "en")
        if value is None:
            continue
        kind, _inclusive = _comparator(text, m.start(), m.end())
        if kind == "min":
            s, e = _span_with_comparator(text, m.start(), m.end())
            # "lông vũ từ 80% trở lên": the attribute name just before belongs to the source
            found.append(
                _Found(
                    Constraint(
                        ConstraintKind.ATTRIBUTE_MIN,
                        _plain(value),
                        unit=unit,
                        inclusive=True,
                        source=text[s:e].strip(),
                    ),
                    s,
                    e,
                )
            )
            continue
        if kind == "max":
            continue
        if unit in ("month", "%"):  # shelf life, down content: only meaningful as minimums
            continue
        found.append(
            _Found(
                Constraint(
                    ConstraintKind.ATTRIBUTE,
                    f"{_fmt(value)}{unit}",
                    unit=unit,
                    source=m.group().strip(),
                ),
                m.start(),
                m.end(),
            )
        )


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f")


def _plain(d: Decimal) -> Decimal:
    """``Decimal('4E+1')`` → ``Decimal('40')`` (no exponent, no trailing zeros)."""
    return Decimal(_fmt(d))


_SIZE_RE = re.compile(r"(?<![\d.])(\d)m(\d)(?![\d])")  # "1m8" = 1.8 m
_DIM_RE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s?[x×*]\s?\d+(?:\.\d+)?(?:\s+\d+\s?[x×*]\s?\d+)?")


def _specs(text: str, found: list[_Found]) -> None:
    for m in _SIZE_RE.finditer(text):
        if _overlaps(found, m.start(), m.end()):
            continue
        found.append(
            _Found(
                Constraint(
                    ConstraintKind.ATTRIBUTE,
                    f"{m.group(1)}.{m.group(2)}m",
                    unit="m",
                    source=m.group(),
                ),
                m.start(),
                m.end(),
            )
        )
    for m in _DIM_RE.finditer(text):
        if _overlaps(found, m.start(), m.end()):
            continue
        value = re.sub(r"\s?[x×*]\s?", "x", m.group().strip())
        found.append(
            _Found(
                Constraint(ConstraintKind.ATTRIBUTE, value, source=m.group().strip()),
                m.start(),
                m.end(),
            )
        )


def _certs(text: str, found: list[_Found]) -> None:
    for canon, start, end in find_certifications(text):
        if _overlaps(found, start, end):
            continue
        # short case-sensitive codes need a cue or an isolated position
        s = start
        cue = _CERT_CUE.search(text[max(0, start - 16) : start])
        if cue:
            s = start - (len(text[max(0, start - 16) : start]) - cue.start())
        e = end
        after = re.match(
            r"\s*(?:certified|certificate|certification|registered|compliant|认证|资质|标准)",
            text[end:],
            re.I,
        )
        if after:
            e = end + after.end()
        found.append(
            _Found(Constraint(ConstraintKind.CERTIFICATION, canon, source=text[s:e].strip()), s, e)
        )


def _markets(text: str, found: list[_Found]) -> None:
    for key, start, end in find_markets(text):
        if _overlaps(found, start, end):
            continue
        before = text[max(0, start - 40) : start]
        cue = _MARKET_CUE_BEFORE.search(fold(before))
        s = start - (len(before) - cue.start()) if cue else start
        after = _MARKET_CUE_AFTER.match(text[end:])
        e = end + after.end() if after else end
        found.append(_Found(Constraint(ConstraintKind.MARKET, key, source=text[s:e].strip()), s, e))


# negation cues right before an attribute concept ("non-leather", "not spicy", "không cay",
# "不辣", "非真皮") or right after it ("leather-free", "不要皮")
_NEG_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:non|not|no|without|other than|except|instead of|free of|anything but)"
    r"[\s-]*|(?<![\w])(?:không phải là|không phải|không có|không dùng|không chứa|không làm từ|"
    r"không|trừ)\s+|(?:不含|不要|没有|除了|非|不|无)\s*)$",
    re.I,
)
_NEG_AFTER = re.compile(r"^(?:[\s-]?free(?![a-z])|以外|除外)", re.I)


def _negations(text: str, lang: str, found: list[_Found]) -> None:
    """Negated attribute concepts become ``ATTRIBUTE_NOT`` constraints (their words leave the
    terms, so "non-leather sofa" does not match leather lexically)."""
    for m in find_concepts(text, lang):
        if m.concept.kind not in ATTRIBUTE_KINDS or _overlaps(found, m.start, m.end):
            continue
        before = _NEG_BEFORE.search(text[max(0, m.start - 24) : m.start])
        after = _NEG_AFTER.match(text[m.end : m.end + 8])
        if not before and not after:
            continue
        start = m.start - len(before.group()) if before else m.start
        end = m.end + after.end() if after else m.end
        found.append(
            _Found(
                Constraint(
                    ConstraintKind.ATTRIBUTE_NOT, m.concept.key, source=text[start:end].strip()
                ),
                start,
                end,
            )
        )


def _attributes(text: str, lang: str, found: list[_Found]) -> list[tuple[int, int]]:
    """Glossary attribute concepts; returns the spans of product-type concepts too."""
    type_spans: list[tuple[int, int]] = []
    for m in find_concepts(text, lang):
        if _overlaps(found, m.start, m.end):
            continue
        if m.concept.kind in ATTRIBUTE_KINDS:
            found.append(
                _Found(
                    Constraint(ConstraintKind.ATTRIBUTE, m.concept.key, source=m.surface),
                    m.start,
                    m.end,
                )
            )
        else:
            type_spans.append((m.start, m.end))
    return type_spans


def _clean_terms(text: str, removed: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in removed:
        for i in range(max(0, s), min(len(chars), e)):
            chars[i] = " "
    rest = "".join(chars)
    rest = _FILLER_RE.sub(" ", rest)
    rest = re.sub(r"[,;:，；：。、!?！？()（）\[\]【】|/]+", " ", rest)
    rest = re.sub(r"(?<!\w)[-–—](?!\w)", " ", rest)
    rest = re.sub(r"\s+", " ", rest).strip(" -–—.")
    return rest


def parse_query(text: str) -> ParsedQuery:
    """Language, constraints and remaining product terms of a buyer's query."""
    norm = unicodedata.normalize("NFKC", text or "").strip()
    lang = detect_language(norm)
    found: list[_Found] = []
    _certs(norm, found)
    _moq(norm, lang, found)
    _money(norm, lang, found)
    _lead_time(norm, found)
    _markets(norm, found)
    hard_spans = [(f.start, f.end) for f in found]
    # filler is removed before concepts are looked for ("số lượng lớn" is not "large")
    masked = _mask_filler(norm, hard_spans)
    _attribute_numbers(masked, lang, found)
    _specs(masked, found)
    _negations(masked, lang, found)
    _attributes(masked, lang, found)
    found.sort(key=lambda f: f.start)
    removed = [
        (f.start, f.end) for f in found if f.constraint.kind not in (ConstraintKind.ATTRIBUTE,)
    ]
    terms = _clean_terms(norm, removed)
    constraints: list[Constraint] = []
    seen: set[tuple[str, str, str]] = set()
    for f in found:
        key = (str(f.constraint.kind), str(f.constraint.value), f.constraint.unit)
        if key not in seen:
            seen.add(key)
            constraints.append(f.constraint)
    return ParsedQuery(text=text, language=lang, terms=terms, constraints=tuple(constraints))


def _mask_filler(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(max(0, s), min(len(chars), e)):
            chars[i] = " "
    masked = "".join(chars)
    return _FILLER_RE.sub(lambda m: " " * len(m.group()), masked)


__all__ = [
    "REGIONS",
    "detect_language",
    "find_certifications",
    "find_markets",
    "market_members",
    "normalise_certification",
    "parse_number",
    "parse_query",
]
