"""The Harmonized System nomenclature shipped with dualcirc (catalog/data/hs/)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HS_DIR = Path(__file__).resolve().parent / "data" / "hs"
HS_CSV = HS_DIR / "harmonized-system.csv"


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
    """Strip dots and spaces: ``9401.61`` → ``940161``."""
    return "".join(ch for ch in str(raw) if ch.isdigit())


def is_valid_hs_code(code: str) -> bool:
    """A 6-digit subheading (or a 4-digit heading / 2-digit chapter) that exists."""
    return len(code) in (2, 4, 6) and code in load_hs()


def describe_hs(code: str) -> str:
    entry = load_hs().get(code)
    return entry.description if entry else ""


def hs_chapters() -> list[HSEntry]:
    return [e for e in load_hs().values() if e.level == 2]
