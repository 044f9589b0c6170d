"""China's administrative divisions (GB/T 2260) and where an enterprise is from its papers.

The table ``catalog/data/gbt2260/divisions.tsv`` (source and licence in the README beside it)
holds provinces (2 digits), prefecture-level cities (4) and county-level divisions (6). Two
readings use it, both pure (no database):

- :func:`parse_credit_code`: the unified social credit code (GB 32100-2015) — 18 characters,
  the check character verified; characters 3–8 are the registering authority's division code.
- :func:`infer_division_from_name`: the place name that opens a registered name (青岛…,
  莱西市…, 山东…), with or without its 省/市/县/区 suffix where that is unambiguous.

:func:`division_of_credit_code` reads a division code at the finest level the table knows: a
county code no longer in the table (a county since merged) gives its city, then its province.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dualcirc.catalog.validators import validate_credit_code
from dualcirc.core.enums import RegionLevel

TABLE_PATH = Path(__file__).parent / "data" / "gbt2260" / "divisions.tsv"
# Names the table gives to a grouping level that is no division of its own.
PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
# Suffixes dropped for the short form of a name (莱西市 → 莱西), longest first.
SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "地区",
    "省",
    "市",
    "县",
    "区",
    "盟",
    "旗",
)
MIN_SHORT_NAME = 2  # a one-character short name (沛县 → 沛) opens too many company names


@dataclass(frozen=True)
class Division:
    code: str  # 2, 4 or 6 digits
    name: str

    @property
    def level(self) -> RegionLevel:
        return {2: RegionLevel.PROVINCE, 4: RegionLevel.CITY}.get(
            len(self.code), RegionLevel.COUNTY
        )

    @property
    def six_digits(self) -> str:
        return self.code.ljust(6, "0")


@dataclass(frozen=True)
class NameInference:
    """What a registered name says: the division, or the candidates it could be."""

    division: Division | None
    candidates: tuple[Division, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.division is None and len(self.candidates) > 1


class DivisionTable:
    """The GB/T 2260 table, indexed by code and by the names a registered name may open with."""

    def __init__(self, entries: list[tuple[str, str]]) -> None:
        self.by_code = {code: Division(code, name) for code, name in entries}
        self._names: dict[str, set[str]] = defaultdict(set)  # name or short name → codes
        for code, name in entries:
            if name in PLACEHOLDERS:
                continue
            self._names[name].add(code)
            short = short_name(name)
            if short != name and len(short) >= MIN_SHORT_NAME:
                self._names[short].add(code)
        self._longest = max((len(n) for n in self._names), default=0)

    def real(self, code: str) -> Division | None:
        found = self.by_code.get(code)
        return found if found is not None and found.name not in PLACEHOLDERS else None

    def chain(self, division: Division) -> list[Division]:
        """Province first, down to ``division``; grouping levels (市辖区) left out."""
        codes = [division.code[:n] for n in (2, 4, 6) if n <= len(division.code)]
        return [d for d in (self.real(c) for c in codes) if d is not None]

    def full_name(self, division: Division) -> str:
        """``山东省 青岛市 莱西市``."""
        return " ".join(d.name for d in self.chain(division))

    def at_code(self, six: str) -> Division | None:
        """The division a 6-digit code names, at the finest level the table knows."""
        if len(six) != 6 or not six.isdigit():
            return None
        codes = [six] if six[4:] != "00" else []
        if six[2:4] != "00":
            codes.append(six[:4])
        codes.append(six[:2])
        for code in codes:
            found = self.real(code)
            if found is not None:
                return found
        return None

    def _within(self, parent: Division | None, codes: set[str]) -> set[str]:
        if parent is None:
            return codes
        return {c for c in codes if c.startswith(parent.code) and c != parent.code}

    def _match(self, text: str, parent: Division | None) -> tuple[set[str], int]:
        """The codes of the longest name (within ``parent``) that opens ``text``."""
        for length in range(min(self._longest, len(text)), 0, -1):
            codes = self._within(parent, self._names.get(text[:length], set()))
            if codes:
                return codes, length
        return set(), 0

    def infer(self, name: str) -> NameInference:
        """The division a registered name opens with, descending as far as the name goes
        (青岛莱西… → 莱西市). Several divisions of that name → the one that contains all the
        others (吉林 → 吉林省), else none, with the candidates."""
        text = unicodedata.normalize("NFKC", name).strip()
        found: Division | None = None
        while text:
            codes, length = self._match(text, found)
            if not codes:
                break
            ordered = sorted(codes, key=lambda c: (len(c), c))
            top = ordered[0]
            if any(not c.startswith(top) for c in ordered[1:]):
                if found is None:
                    return NameInference(None, tuple(self.by_code[c] for c in ordered))
                break  # ambiguous below a known division: keep the known one
            found = self.by_code[top]
            text = text[length:]
        return NameInference(found)


def short_name(name: str) -> str:
    """``莱西市`` → ``莱西``, ``广西壮族自治区`` → ``广西``; a name that is only a suffix stays."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


@cache
def division_table() -> DivisionTable:
    entries: list[tuple[str, str]] = []
    for line in TABLE_PATH.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, name = line.split("\t")
        entries.append((code, name))
    return DivisionTable(entries)


@dataclass(frozen=True)
class CreditCode:
    """A unified social credit code, read by position (GB 32100-2015)."""

    code: str
    authority: str  # 1: the registering authority's kind (9 = market regulation)
    entity_kind: str  # 2: enterprise, individual business …
    division_code: str  # 3–8: GB/T 2260 code of the registering authority
    organisation_code: str  # 9–17: the organisation code (GB 11714)
    check: str  # 18


def parse_credit_code(text: str) -> CreditCode:
    """Read a credit code (full-width characters and lower case accepted). Raises
    ``ValidationError`` with the validator's message (length, character, check character)."""
    code = unicodedata.normalize("NFKC", text or "").strip().upper()
    validate_credit_code(code)
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3–8 of a unified social credit code are a division code (digits)."),
            code="credit_code_division",
        )
    return CreditCode(
        code=code,
        authority=code[0],
        entity_kind=code[1],
        division_code=code[2:8],
        organisation_code=code[8:17],
        check=code[17],
    )


def division_of_credit_code(text: str) -> Division | None:
    """The division a valid credit code was registered in; None for an invalid code or one
    whose division the table does not know."""
    try:
        parsed = parse_credit_code(text)
    except ValidationError:
        return None
    return division_table().at_code(parsed.division_code)


@cache
def division_choices() -> list[str]:
    """Every division as ``370285 山东省 青岛市 莱西市``, for a region picker."""
    table = division_table()
    return [
        f"{d.code} {table.full_name(d)}"
        for d in table.by_code.values()
        if d.name not in PLACEHOLDERS
    ]


def infer_division_from_name(name: str) -> NameInference:
    return division_table().infer(name)
