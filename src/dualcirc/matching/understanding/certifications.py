"""Certification names (a general list with aliases, normalised)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from dualcirc.matching.types import Constraint, ConstraintKind
from dualcirc.matching.understanding.spans import Found, overlaps

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


def add_certifications(text: str, found: list[Found]) -> None:
    for canon, start, end in find_certifications(text):
        if overlaps(found, start, end):
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
            Found(Constraint(ConstraintKind.CERTIFICATION, canon, source=text[s:e].strip()), s, e)
        )
