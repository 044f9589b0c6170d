"""Constraint spans found in a query (shared by the finders of each kind)."""

from __future__ import annotations

from dataclasses import dataclass

from dualcirc.matching.types import Constraint


# ------------------------------------------------------------------ parsing
@dataclass(slots=True)
class Found:
    constraint: Constraint
    start: int
    end: int


def overlaps(found: list[Found], start: int, end: int) -> bool:
    return any(start < f.end and f.start < end for f in found)
