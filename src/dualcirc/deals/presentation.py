"""Deal data put into words for the pages: invitation reasons, offer changes, party names."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualcirc.deals.domain.negotiation import OFFER_FIELDS, Change
from dualcirc.deals.models import Offer
from dualcirc.matching.types import Constraint, ConstraintKind

OFFER_FIELD_LABELS = {
    "quantity": gettext_lazy("quantity"),
    "unit_price": gettext_lazy("unit price"),
    "currency": gettext_lazy("currency"),
    "incoterm": gettext_lazy("Incoterm"),
    "named_place": gettext_lazy("named place"),
    "lead_time_days": gettext_lazy("lead time (days)"),
    "deposit_percent": gettext_lazy("deposit (%)"),
    "valid_until": gettext_lazy("valid until"),
    "tiers": gettext_lazy("quantity tiers"),
}


def reason_labels(reasons: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The stored matching reasons of an invitation as labels in the active language."""
    from dualcirc.search.explain import FIELD_LABELS, constraint_label, display_term

    out: list[dict[str, str]] = []
    for r in reasons:
        kind = r.get("kind")
        if kind == "term":
            field = str(FIELD_LABELS.get(r.get("field", ""), r.get("field", "")))
            terms = ", ".join(display_term(t) for t in r.get("terms", []))
            out.append(
                {
                    "label": _("%(field)s matches %(terms)s") % {"field": field, "terms": terms},
                    "status": "met",
                }
            )
        elif kind == "semantic":
            out.append(
                {
                    "label": _("%(n)s%% similar in meaning") % {"n": r.get("percent")},
                    "status": "met",
                }
            )
        elif kind == "constraint":
            try:
                value: str | Decimal = Decimal(r["value"])
            except (InvalidOperation, KeyError, TypeError):
                value = str(r.get("value", ""))
            try:
                constraint = Constraint(
                    kind=ConstraintKind(r.get("constraint", "")),
                    value=value,
                    unit=r.get("unit", ""),
                    currency=r.get("currency", ""),
                )
                label = constraint_label(constraint)
            except ValueError:
                label = str(r.get("value", ""))
            out.append({"label": label, "status": str(r.get("status", "unknown"))})
        elif kind == "products":
            titles = [p.get("title", "") for p in r.get("products", [])][:3]
            if titles:
                out.append(
                    {
                        "label": _("Products: %(titles)s") % {"titles": "; ".join(titles)},
                        "status": "info",
                    }
                )
    return out


def offer_rows(offers: list[Offer]) -> list[tuple[Offer, list[dict[str, Any]]]]:
    """Each offer with what it changed against the one before, labelled."""
    from dualcirc.deals.domain.negotiation import offer_changes

    rows = []
    previous: Offer | None = None
    for offer in offers:
        changes: list[Change] = offer_changes(previous, offer)
        rows.append(
            (
                offer,
                [
                    {
                        "label": str(OFFER_FIELD_LABELS.get(c.field, c.field)),
                        "before": _text(c.before),
                        "after": _text(c.after),
                    }
                    for c in changes
                    if c.field in OFFER_FIELDS
                ],
            )
        )
        previous = offer
    return rows


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "; ".join(f"≥ {q}: {p}" for q, p in value) or "—"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)
