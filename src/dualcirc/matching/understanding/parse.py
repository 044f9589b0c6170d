""":func:`parse_query`: language, constraints and product terms of a buyer's free text."""

from __future__ import annotations

import unicodedata

from dualcirc.matching.types import Constraint, ConstraintKind, ParsedQuery
from dualcirc.matching.understanding.attributes import (
    add_attribute_numbers,
    add_attributes,
    add_specs,
)
from dualcirc.matching.understanding.certifications import add_certifications
from dualcirc.matching.understanding.filler import clean_terms, mask_filler
from dualcirc.matching.understanding.language import detect_language
from dualcirc.matching.understanding.markets import add_markets
from dualcirc.matching.understanding.money import add_money
from dualcirc.matching.understanding.negation import add_negations
from dualcirc.matching.understanding.orders import add_lead_time, add_moq
from dualcirc.matching.understanding.spans import Found


def parse_query(text: str) -> ParsedQuery:
    """Language, constraints and remaining product terms of a buyer's query."""
    norm = unicodedata.normalize("NFKC", text or "").strip()
    lang = detect_language(norm)
    found: list[Found] = []
    add_certifications(norm, found)
    add_moq(norm, lang, found)
    add_money(norm, lang, found)
    add_lead_time(norm, found)
    add_markets(norm, found)
    hard_spans = [(f.start, f.end) for f in found]
    # filler is removed before concepts are looked for ("số lượng lớn" is not "large")
    masked = mask_filler(norm, hard_spans)
    add_attribute_numbers(masked, lang, found)
    add_specs(masked, found)
    add_negations(masked, lang, found)
    add_attributes(masked, lang, found)
    found.sort(key=lambda f: f.start)
    removed = [
        (f.start, f.end) for f in found if f.constraint.kind not in (ConstraintKind.ATTRIBUTE,)
    ]
    terms = clean_terms(norm, removed)
    constraints: list[Constraint] = []
    seen: set[tuple[str, str, str]] = set()
    for f in found:
        key = (str(f.constraint.kind), str(f.constraint.value), f.constraint.unit)
        if key not in seen:
            seen.add(key)
            constraints.append(f.constraint)
    return ParsedQuery(text=text, language=lang, terms=terms, constraints=tuple(constraints))
