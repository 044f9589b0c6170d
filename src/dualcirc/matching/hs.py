"""Harmonized System nomenclature lookup: English descriptions as extra searchable text.

The CSV (``section,hscode,description,parent,level``, the datasets/harmonized-system
layout) is read from a path the caller gives. For a product's 6-digit code,
:meth:`HSNomenclature.describe` returns the descriptions of the subheading, its heading
(4 digits) and its chapter (2 digits): a general cross-lingual bridge, since a
Chinese-only listing with code 940161 gains "Seats; with wooden frames, upholstered".
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

_DIGITS = re.compile(r"\D")


def normalise_code(code: str) -> str:
    """Digits only: ``"9401.61"`` → ``"940161"``."""
    return _DIGITS.sub("", code or "")


@dataclass(slots=True)
class HSNomenclature:
    descriptions: dict[str, str] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_csv(cls, path: str | os.PathLike[str]) -> HSNomenclature:
        nom = cls()
        with Path(path).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                code = normalise_code(row.get("hscode", ""))
                if not code:
                    continue
                nom.descriptions[code] = (row.get("description") or "").strip()
                nom.parents[code] = normalise_code(row.get("parent", ""))
        return nom

    def __len__(self) -> int:
        return len(self.descriptions)

    def describe(self, code: str) -> list[str]:
        """Descriptions of the 6-digit subheading, the heading and the chapter (those known)."""
        code = normalise_code(code)
        out: list[str] = []
        for n in (6, 4, 2):
            if len(code) >= n:
                d = self.descriptions.get(code[:n])
                if d:
                    out.append(d)
        return out

    def text(self, code: str) -> str:
        """The descriptions joined into one searchable string ("" for an unknown code)."""
        return " | ".join(self.describe(code))


@lru_cache(maxsize=8)
def load_hs(path: str) -> HSNomenclature:
    """Cached :meth:`HSNomenclature.from_csv` (one parse per path per process)."""
    return HSNomenclature.from_csv(path)
