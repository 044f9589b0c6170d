"""Attribute constraints: glossary attribute concepts, spec values and attribute minimums."""

from __future__ import annotations

import re
from decimal import Decimal

from dualcirc.matching.types import Constraint, ConstraintKind
from dualcirc.matching.understanding.numbers import (
    ATTR_NUM_RE,
    ATTR_UNITS,
    comparator,
    parse_number,
    span_with_comparator,
)
from dualcirc.matching.understanding.spans import Found, overlaps
from dualcirc.matching.vocab import ATTRIBUTE_KINDS, find_readings


def add_attribute_numbers(text: str, lang: str, found: list[Found]) -> None:
    for m in ATTR_NUM_RE.finditer(text):
        if overlaps(found, m.start(), m.end()):
            continue
        unit = ATTR_UNITS.get(m.group("unit").lower()) or ATTR_UNITS.get(m.group("unit"), "")
        if not unit:
            continue
        value = parse_number(m.group("num"), "en")
        if value is None:
            continue
        kind, _inclusive = comparator(text, m.start(), m.end())
        if kind == "min":
            s, e = span_with_comparator(text, m.start(), m.end())
            # "lông vũ từ 80% trở lên": the attribute name just before belongs to the source
            found.append(
                Found(
                    Constraint(
                        ConstraintKind.ATTRIBUTE_MIN,
                        plain_number(value),
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
            Found(
                Constraint(
                    ConstraintKind.ATTRIBUTE,
                    f"{fmt_number(value)}{unit}",
                    unit=unit,
                    source=m.group().strip(),
                ),
                m.start(),
                m.end(),
            )
        )


def fmt_number(d: Decimal) -> str:
    return format(d.normalize(), "f")


def plain_number(d: Decimal) -> Decimal:
    """``Decimal('4E+1')`` → ``Decimal('40')`` (no exponent, no trailing zeros)."""
    return Decimal(fmt_number(d))


_SIZE_RE = re.compile(r"(?<![\d.])(\d)m(\d)(?![\d])")  # "1m8" = 1.8 m
_DIM_RE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s?[x×*]\s?\d+(?:\.\d+)?(?:\s+\d+\s?[x×*]\s?\d+)?")


def add_specs(text: str, found: list[Found]) -> None:
    for m in _SIZE_RE.finditer(text):
        if overlaps(found, m.start(), m.end()):
            continue
        found.append(
            Found(
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
        if overlaps(found, m.start(), m.end()):
            continue
        value = re.sub(r"\s?[x×*]\s?", "x", m.group().strip())
        found.append(
            Found(
                Constraint(ConstraintKind.ATTRIBUTE, value, source=m.group().strip()),
                m.start(),
                m.end(),
            )
        )


def add_attributes(text: str, lang: str, found: list[Found]) -> list[tuple[int, int]]:
    """Glossary attribute concepts; returns the spans of product-type concepts too."""
    type_spans: list[tuple[int, int]] = []
    for m in find_readings(text, lang):
        if overlaps(found, m.start, m.end):
            continue
        if m.concept.kind in ATTRIBUTE_KINDS:
            found.append(
                Found(
                    Constraint(ConstraintKind.ATTRIBUTE, m.concept.key, source=m.surface),
                    m.start,
                    m.end,
                )
            )
        else:
            type_spans.append((m.start, m.end))
    return type_spans
