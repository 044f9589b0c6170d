"""Deal data put into words for the pages: invitation reasons, offer changes, party names,
an order's products and timeline, the audit trail in sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualcirc.deals.domain.negotiation import OFFER_FIELDS, Change
from dualcirc.deals.enums import (
    MilestoneKind,
    OrderState,
    Party,
    PaymentKind,
    QuoteState,
    RequestState,
)
from dualcirc.deals.models import AuditEntry, Milestone, Offer, Order

if TYPE_CHECKING:
    from dualcirc.catalog.models import Product
from dualcirc.l10n import format_date
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
        if kind == "named":
            names = ", ".join(str(n) for n in r.get("names", []))
            out.append({"label": _("is what was asked for: %(names)s") % {"names": names},
                        "status": "met"})  # fmt: skip
        elif kind == "term":
            field = str(FIELD_LABELS.get(r.get("field", ""), r.get("field", "")))
            terms = ", ".join(display_term(t) for t in r.get("terms", []))
            out.append(
                {
                    "label": _("%(field)s matches %(terms)s") % {"field": field, "terms": terms},
                    "status": "met",
                }
            )
        elif kind == "related":
            terms = ", ".join(display_term(t) for t in r.get("terms", []))
            out.append({"label": _("related words: %(terms)s") % {"terms": terms}, "status": "met"})
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
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value)
    return str(value)


# --- orders: what was ordered, the way of the goods, the audit trail in words -------------------


@dataclass(frozen=True)
class TimelineStep:
    label: str
    status: str  # "done", "current", "next", "stopped"
    planned: date | None = None
    actual: date | None = None
    note: str = ""


def order_timeline(order: Order, milestones: list[Milestone]) -> list[TimelineStep]:
    """The order's way from confirmation to completion, one step per milestone in the order
    of the state machine: reached steps are "done" (with their date), the next one "current",
    the rest "next"; a cancelled or disputed order ends in a "stopped" step."""
    by_kind = {m.kind: m for m in milestones}
    steps = [
        TimelineStep(
            label=str(OrderState.CONFIRMED.label),
            status="done",
            actual=timezone.localdate(order.created_at),
        )
    ]
    reached = True
    for kind in MilestoneKind:
        m = by_kind.get(kind.value)
        done = m is not None and m.actual_date is not None
        if done:
            status = "done"
        elif reached and order.state not in STOPPED_STATES:
            status, reached = "current", False
        else:
            status, reached = "next", False
        steps.append(
            TimelineStep(
                label=str(kind.label),
                status=status,
                planned=m.planned_date if m else None,
                actual=m.actual_date if m else None,
                note=m.note if m else "",
            )
        )
    if order.state in STOPPED_STATES:
        steps.append(TimelineStep(label=str(OrderState(order.state).label), status="stopped"))
    return steps


STOPPED_STATES = {OrderState.CANCELLED.value, OrderState.DISPUTED.value}

# What the button that moves an order into a state says: the action, not the state's name (a
# button reading "Cancelled" looks like a status, not like stopping the order).
ORDER_MOVE_LABELS = {
    OrderState.IN_PRODUCTION.value: gettext_lazy("Start production"),
    OrderState.READY_FOR_INSPECTION.value: gettext_lazy("Ready for inspection"),
    OrderState.SHIPPED.value: gettext_lazy("Mark as shipped"),
    OrderState.DELIVERED.value: gettext_lazy("Confirm delivery"),
    OrderState.COMPLETED.value: gettext_lazy("Complete the order"),
    OrderState.CANCELLED.value: gettext_lazy("Cancel the order"),
    OrderState.DISPUTED.value: gettext_lazy("Open a dispute"),
}


def order_move_label(state: str) -> str:
    return str(ORDER_MOVE_LABELS.get(state, OrderState(state).label))


def order_products(order: Order, user: Any) -> list[Product]:
    """The catalog products the order is about, as far as the deal records them: the products
    named by the conversation that became the request, else those the matching engine found at
    this supplier for the request. Only products ``user`` may see."""
    from dualcirc.catalog.models import Product
    from dualcirc.core.access import visible_products

    ids: list[int] = []
    conversations = getattr(order.request, "conversations", None)
    if conversations is not None:
        ids += [
            pk
            for pk in conversations.filter(supplier_id=order.supplier_id).values_list(
                "product_id", flat=True
            )
            if pk
        ]
    if not ids:
        invitation = order.request.invitations.filter(enterprise_id=order.supplier_id).first()
        for reason in invitation.reasons if invitation else []:
            if reason.get("kind") == "products":
                ids += [int(p["id"]) for p in reason.get("products", []) if p.get("id")]
    if not ids:
        return []
    found = {
        p.pk: p
        for p in visible_products(user, Product.objects.filter(pk__in=ids)).prefetch_related(
            "images"
        )
    }
    return [found[pk] for pk in dict.fromkeys(ids) if pk in found][:4]


_VERSION = re.compile(r"^offer v(\d+)$")
_REPLAN = re.compile(r"^(\w+): (\S+) → (\S+)$")
_PAYMENT = re.compile(r"^(\S+) ([A-Z]{3}) (\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    text: str
    note: str
    tone: str


def audit_lines(entries: Any) -> list[AuditLine]:
    """The audit trail in sentences of the active language ("Order confirmed by wang
    (Buyer)"), never the stored codes. The stored machine notes (offer version, re-planned
    dates, payment amount) become part of the sentence; a person's own note stays a note."""
    return [_audit_line(e) for e in entries]


def _who(entry: AuditEntry) -> str:
    if entry.actor is None or entry.party == Party.SYSTEM:
        return _("dualcirc (automatically)")
    return _("%(user)s (%(party)s)") % {
        "user": entry.actor.get_username(),
        "party": Party(entry.party).label if entry.party in Party.values else entry.party,
    }


def _state_label(value: str) -> str:
    for choices in (OrderState, QuoteState, RequestState):
        if value in choices.values:
            return str(choices(value).label)
    return value


def _day(text: str) -> str:
    """A day written in an audit note (``2031-05-06``) in the site's date style; "—" for none."""
    if not text or text == "None":
        return "—"
    try:
        return format_date(date.fromisoformat(text))
    except ValueError:
        return text


# Actions whose sentence needs only who did it.
_WHO_SENTENCES = {
    "quote.submitted": gettext_lazy("Quote submitted by %(who)s"),
    "quote.revised": gettext_lazy("Quote revised by %(who)s"),
    "quote.attachments": gettext_lazy("%(who)s attached files to the quote"),
    "request.published": gettext_lazy("Sourcing request published by %(who)s"),
}


def _audit_line(entry: AuditEntry) -> AuditLine:
    from dualcirc.l10n.money import format_money

    who, action, note = _who(entry), entry.action, entry.note
    to = _state_label(entry.to_state)
    tone = "neutral"
    text: str
    if action == "order.created":
        match = _VERSION.match(note)
        text = _("Order confirmed by %(who)s") % {"who": who}
        if match:
            text = _("Order confirmed by %(who)s, accepting offer version %(n)s") % {
                "who": who,
                "n": match.group(1),
            }
            note = ""
        tone = "success"
    elif action == "order.transition":
        text = _("%(who)s moved the order from “%(before)s” to “%(after)s”") % {
            "who": who,
            "before": _state_label(entry.from_state),
            "after": to,
        }
        tone = "danger" if entry.to_state in STOPPED_STATES else "progress"
    elif action == "milestone.planned":
        match = _REPLAN.match(note)
        text = _("%(who)s re-planned a milestone") % {"who": who}
        if match:
            kind, before, after = match.groups()
            label = MilestoneKind(kind).label if kind in MilestoneKind.values else kind
            text = _("%(who)s re-planned “%(milestone)s” from %(before)s to %(after)s") % {
                "who": who,
                "milestone": label,
                "before": _day(before),
                "after": _day(after),
            }
            note = ""
    elif action.startswith("payment."):
        kind = action.split(".", 1)[1]
        label = PaymentKind(kind).label if kind in PaymentKind.values else kind
        match = _PAYMENT.match(note)
        text = _("%(who)s recorded a payment (%(kind)s)") % {"who": who, "kind": label}
        if match:
            try:
                amount = format_money(Decimal(match.group(1)), match.group(2))
            except InvalidOperation:
                amount = f"{match.group(1)} {match.group(2)}"
            text = _("%(who)s recorded a payment (%(kind)s) of %(amount)s paid on %(day)s") % {
                "who": who,
                "kind": label,
                "amount": amount,
                "day": _day(match.group(3)),
            }
            note = ""
        tone = "success"
    elif action in _WHO_SENTENCES:
        text = str(_WHO_SENTENCES[action]) % {"who": who}
    elif action.startswith(("quote.", "request.")):
        subject = _("Quote") if action.startswith("quote.") else _("Sourcing request")
        text = _("%(subject)s now “%(state)s”, by %(who)s") % {
            "subject": subject,
            "state": to,
            "who": who,
        }
    else:
        text = _("%(who)s changed the deal") % {"who": who}
    return AuditLine(at=entry.at, text=text, note=note, tone=tone)
