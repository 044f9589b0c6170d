"""The Harmonized System nomenclature shipped with dualcirc (catalog/data/hs/)."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HS_DIR = Path(__file__).resolve().parent / "data" / "hs"
HS_CSV = HS_DIR / "harmonized-system.csv"
# UN Comtrade's statistical rows (99 / 9999 / 999999 "commodities not specified according to
# kind", and TOTAL) are reporting aggregates, not headings of the nomenclature: a product must
# be declared under a real subheading, so they are not valid codes here.
NOT_NOMENCLATURE_SECTION = "TOTAL"


@dataclass(frozen=True, slots=True)
class HSEntry:
    code: str
    description: str
    section: str
    parent: str
    level: int


@cache
def load_hs() -> dict[str, HSEntry]:
    with HS_CSV.open(encoding="utf-8-sig", newline="") as f:
        return {
            row["hscode"]: HSEntry(
                code=row["hscode"],
                description=row["description"],
                section=row["section"],
                parent=row["parent"],
                level=int(row["level"]),
            )
            for row in csv.DictReader(f)
        }


def normalise_hs_code(raw: str) -> str:
    """Drop the separators people write: ``9401.61`` / ``9401 61`` / ``９４０１.６１`` → ``940161``.

    Anything else (letters, signs) is kept, so that the code stays invalid and the error quotes
    it: ``94O161`` must not become a different, valid-looking code.
    """
    text = unicodedata.normalize("NFKC", str(raw))
    return "".join(ch for ch in text if ch not in ". -\t\n\u00a0")


def is_valid_hs_code(code: str) -> bool:
    """A 6-digit subheading (or a 4-digit heading / 2-digit chapter) of the nomenclature."""
    entry = load_hs().get(code) if len(code) in (2, 4, 6) and code.isascii() else None
    return entry is not None and entry.section != NOT_NOMENCLATURE_SECTION


def describe_hs(code: str) -> str:
    entry = load_hs().get(code)
    return entry.description if entry else ""


@cache
def hs_chapters() -> tuple[HSEntry, ...]:
    """The nomenclature's chapters; computed once (every product list page asks for them)."""
    return tuple(
        e for e in load_hs().values() if e.level == 2 and e.section != NOT_NOMENCLATURE_SECTION
    )
