"""Why a product matched, in words people read: the matching core's reasons, presented.

The core explains every hit with :class:`~dualcirc.matching.types.Reason` objects (fields and
terms matched, the semantic score, each constraint satisfied, failed or not stated). This module
turns them into translated labels for the pages and plain values for the API; it never decides
anything about ranking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualcirc.l10n import country_name, format_quantity, language_name
from dualcirc.matching.text import has_cjk
from dualcirc.matching.types import (
    Constraint,
    ConstraintCheck,
    ConstraintKind,
    Hit,
    ReasonKind,
)
from dualcirc.matching.understanding import REGIONS

FIELD_LABELS = {
    "title": gettext_lazy("title"),
    "attributes": gettext_lazy("attributes"),
    "description": gettext_lazy("description"),
    "hs": gettext_lazy("HS description"),
    "industry": gettext_lazy("industry"),
    "enterprise": gettext_lazy("enterprise"),
}
MAX_TERMS = 8
# Market groups the query parser knows (matching.understanding.REGIONS) besides countries.
MARKET_GROUPS = {
    "EU": gettext_lazy("the EU"),
    "ASEAN": gettext_lazy("ASEAN"),
    "SOUTHEAST_ASIA": gettext_lazy("Southeast Asia"),
    "MIDDLE_EAST": gettext_lazy("the Middle East"),
    "GCC": gettext_lazy("the Gulf states"),
    "NORTH_AMERICA": gettext_lazy("North America"),
    "SOUTH_AMERICA": gettext_lazy("South America"),
    "LATIN_AMERICA": gettext_lazy("Latin America"),
    "EUROPE": gettext_lazy("Europe"),
    "AFRICA": gettext_lazy("Africa"),
    "OCEANIA": gettext_lazy("Oceania"),
    "CENTRAL_ASIA": gettext_lazy("Central Asia"),
    "SOUTH_ASIA": gettext_lazy("South Asia"),
    "EAST_ASIA": gettext_lazy("East Asia"),
    "LATAM_MERCOSUR": gettext_lazy("Mercosur"),
    "BELT_AND_ROAD": gettext_lazy("Belt and Road countries"),
}


class Status:
    MET = "met"
    FAILED = "failed"
    UNKNOWN = "unknown"


STATUS_SYMBOLS = {Status.MET: "✓", Status.FAILED: "✗", Status.UNKNOWN: "?"}


@dataclass(frozen=True)
class TermMatch:
    field: str
    label: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class ConstraintChip:
    kind: str
    label: str  # "MOQ ≤ 3,000 m", translated
    status: str  # Status.*
    detail: str  # what the core compared, e.g. "MOQ 500 m ≤ 3000 m"
    source: str  # the words of the query it was understood from ("" for a filter)
    hard: bool

    @property
    def symbol(self) -> str:
        return STATUS_SYMBOLS[self.status]

    @property
    def status_label(self) -> str:
        return {
            Status.MET: _("met"),
            Status.FAILED: _("not met"),
            Status.UNKNOWN: _("unknown"),
        }[self.status]


@dataclass(frozen=True)
class UnderstoodConstraint:
    label: str
    source: str


def understood(constraints: Iterable[Constraint]) -> list[UnderstoodConstraint]:
    """Constraints read from a query, labelled, with the words they were read from."""
    return [UnderstoodConstraint(constraint_label(c), c.source) for c in constraints]


@dataclass(frozen=True)
class Explanation:
    terms: list[TermMatch]
    semantic: float | None  # 0..1 over the candidates of this query
    constraints: list[ConstraintChip]
    # what the query names that the product states, by the product's own name for it
    # (the ranking's type agreement: "TC连体服" → 连体服)
    named: tuple[str, ...] = ()
    # words of the best matches that this product has too (the search's feedback): related to
    # the query, not written by the buyer, so shown apart and not marked in the title
    related: tuple[str, ...] = ()

    @property
    def semantic_percent(self) -> int | None:
        return None if self.semantic is None else round(self.semantic * 100)

    @cached_property  # the template asks for it once per title
    def matched_terms(self) -> list[str]:
        seen: dict[str, None] = {}
        for t in self.terms:
            seen.update(dict.fromkeys(t.terms))
        return list(seen)


def display_term(term: str) -> str:
    """Index terms join word pairs with ``_`` (``dining_table``); people read a space."""
    return term.replace("_", " ")


def _spelling(term: str) -> str:
    """A term without its spaces and hyphens: "t-shirt", "t shirt" and "tshirt" are one word
    the tokenizer spells three ways."""
    return re.sub(r"[\s\-]", "", term)


RELATED_SHOWN = 4  # related words shown with a hit: the longest (the most specific)


def _longest(terms: tuple[str, ...], n: int) -> tuple[str, ...]:
    """The ``n`` longest of ``terms`` (a Chinese character counts as two letters: 休闲椅 is
    longer than 藤编, the pieces of a longer word that a search also indexes), in their
    order."""
    if len(terms) <= n:
        return terms
    width = {t: sum(2 if has_cjk(ch) else 1 for ch in t) for t in terms}
    keep = set(sorted(terms, key=lambda t: -width[t])[:n])
    return tuple(t for t in terms if t in keep)


def _terms(terms: Iterable[str]) -> tuple[str, ...]:
    """Distinct terms for display, one spelling each (the hyphenated one first, as listings
    write it), leaving out those inside a longer one (``牛仔`` and ``仔布`` are pieces of
    ``牛仔布``; ``dining`` of ``dining table``)."""
    shown = list(dict.fromkeys(display_term(t) for t in terms))
    spelt: dict[str, str] = {}
    for t in sorted(shown, key=lambda t: ("-" not in t, " " not in t)):
        spelt.setdefault(_spelling(t), t)
    shown = [t for t in shown if spelt[_spelling(t)] == t]
    kept = [t for t in shown if not any(t != o and _spelling(t) in _spelling(o) for o in shown)]
    return tuple(kept)[:MAX_TERMS]


def _number(value: str | Decimal) -> str:
    if isinstance(value, Decimal):
        return format_quantity(value.normalize() if value == value.to_integral() else value)
    return str(value)


def market_name(code: str) -> str:
    """A country (ISO code) or a market group (``EU``, ``ASEAN``, …) by name."""
    key = code.upper()
    if key in MARKET_GROUPS:
        return str(MARKET_GROUPS[key])
    if key in REGIONS:
        return key.replace("_", " ").title()
    return country_name(code)


def constraint_label(c: Constraint) -> str:
    """A constraint as a short translated label, e.g. ``MOQ ≤ 3,000 m`` or ``FSC certified``."""
    op = "≤" if c.inclusive else "<"
    kind = ConstraintKind(c.kind)
    value = _number(c.value)
    if kind == ConstraintKind.MOQ_MAX:
        return " ".join(filter(None, [_("MOQ"), op, value, c.unit]))
    if kind == ConstraintKind.PRICE_MAX:
        return " ".join(filter(None, [_("Price"), op, value, c.currency]))
    if kind == ConstraintKind.LEAD_TIME_MAX:
        return _("Lead time %(op)s %(days)s days") % {"op": op, "days": value}
    if kind == ConstraintKind.CERTIFICATION:
        return _("%(certificate)s certified") % {"certificate": value}
    if kind == ConstraintKind.MARKET:
        return _("Exports to %(market)s") % {"market": market_name(str(c.value))}
    if kind == ConstraintKind.HS_PREFIX:
        return _("HS %(code)s") % {"code": value}
    if kind == ConstraintKind.LANGUAGE:
        return _("Listed in %(language)s") % {"language": language_name(str(c.value))}
    if kind == ConstraintKind.ATTRIBUTE_MIN:
        return " ".join(filter(None, [c.source or _("at least"), "≥", value, c.unit]))
    if kind == ConstraintKind.ATTRIBUTE_NOT:
        return _("not %(value)s") % {"value": value}
    return value  # an attribute value such as a colour or a material


def constraint_values(c: Constraint) -> dict[str, object]:
    """A constraint as plain JSON values (Decimal as a string)."""
    return {
        "kind": str(c.kind),
        "value": str(c.value),
        "unit": c.unit,
        "currency": c.currency,
        "inclusive": c.inclusive,
        "source": c.source,
        "hard": c.hard,
        "label": constraint_label(c),
    }


def chip(check: ConstraintCheck) -> ConstraintChip:
    if check.satisfied is None:
        status = Status.UNKNOWN
    else:
        status = Status.MET if check.satisfied else Status.FAILED
    c = check.constraint
    return ConstraintChip(
        kind=str(c.kind),
        label=constraint_label(c),
        status=status,
        detail=check.detail,
        source=c.source,
        hard=c.hard,
    )


def explain_hit(hit: Hit) -> Explanation:
    terms: list[TermMatch] = []
    semantic: float | None = None
    chips: list[ConstraintChip] = []
    named: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    for r in hit.reasons:
        if r.kind == ReasonKind.NAMED:
            named = r.terms
        elif r.kind == ReasonKind.RELATED:
            related = _longest(_terms(r.terms), RELATED_SHOWN)
        elif r.kind == ReasonKind.TERM and r.terms:
            label = str(FIELD_LABELS.get(r.field, r.field))
            terms.append(TermMatch(field=r.field, label=label, terms=_terms(r.terms)))
        elif r.kind == ReasonKind.SEMANTIC:
            semantic = max(0.0, min(1.0, float(r.score)))
        elif r.kind == ReasonKind.CONSTRAINT and r.check is not None:
            chips.append(chip(r.check))
    return Explanation(
        terms=terms, semantic=semantic, constraints=chips, named=named, related=related
    )


def reason_values(hit: Hit) -> list[dict[str, object]]:
    """A hit's reasons as plain JSON values for the API."""
    out: list[dict[str, object]] = []
    for r in hit.reasons:
        item: dict[str, object] = {
            "kind": str(r.kind),
            "field": r.field,
            "terms": list(_terms(r.terms)),
            "score": round(float(r.score), 4),
        }
        if r.check is not None:
            c = chip(r.check)
            item["constraint"] = constraint_values(r.check.constraint)
            item["satisfied"] = r.check.satisfied
            item["status"] = c.status
            item["detail"] = r.check.detail
        out.append(item)
    return out


def highlight(text: str, terms: Sequence[str]) -> SafeString:
    """``text`` HTML-escaped, with the matched ``terms`` wrapped in ``<mark>``.

    Latin-script terms match at the start of a word (``table`` marks "tables"); Chinese terms
    match anywhere. Overlapping or touching matches are marked as one.
    """
    spans: list[tuple[int, int]] = []
    for term in {display_term(t).strip() for t in terms if t.strip()}:
        if has_cjk(term):
            pattern = re.escape(term)
        else:
            pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, term.split()))
        spans.extend(m.span() for m in re.finditer(pattern, text, re.IGNORECASE))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[str] = []
    pos = 0
    for start, end in merged:
        out.append(escape(text[pos:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # every piece was escaped above
