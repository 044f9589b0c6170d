"""Negated attributes: "non-leather", "not spicy", ``不辣``, ``非真皮``, "không phải da"."""

from __future__ import annotations

import re

from dualcirc.matching.types import Constraint, ConstraintKind
from dualcirc.matching.understanding.spans import Found, overlaps
from dualcirc.matching.vocab import ATTRIBUTE_KINDS, find_readings

# "不辣", "非真皮") or right after it ("leather-free", "不要皮")
_NEG_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:non|not|no|without|other than|except|instead of|free of|anything but)"
    r"[\s-]*|(?<![\w])(?:không phải là|không phải|không có|không dùng|không chứa|không làm từ|"
    r"không|trừ)\s+|(?:不含|不要|没有|除了|非|不|无)\s*)$",
    re.I,
)
_NEG_AFTER = re.compile(r"^(?:[\s-]?free(?![a-z])|以外|除外)", re.I)


def add_negations(text: str, lang: str, found: list[Found]) -> None:
    """Negated attribute concepts become ``ATTRIBUTE_NOT`` constraints (their words leave the
    terms, so "non-leather sofa" does not match leather lexically)."""
    for m in find_readings(text, lang):
        if m.concept.kind not in ATTRIBUTE_KINDS or overlaps(found, m.start, m.end):
            continue
        before = _NEG_BEFORE.search(text[max(0, m.start - 24) : m.start])
        after = _NEG_AFTER.match(text[m.end : m.end + 8])
        if not before and not after:
            continue
        start = m.start - len(before.group()) if before else m.start
        end = m.end + after.end() if after else m.end
        found.append(
            Found(
                Constraint(
                    ConstraintKind.ATTRIBUTE_NOT, m.concept.key, source=text[start:end].strip()
                ),
                start,
                end,
            )
        )
