"""Query understanding, kept importable under its old name: the code lives in the
:mod:`dualcirc.matching.understanding` package, one module per kind of phrase."""

from dualcirc.matching.understanding import (
    ATTR_NUM_RE,
    ATTR_UNITS,
    REGIONS,
    UNIT_WORDS,
    detect_language,
    find_certifications,
    find_markets,
    market_members,
    normalise_certification,
    parse_number,
    parse_query,
)

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
