"""Orders: the one transition function with its table of moves, milestones and payments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.catalog.enums import CURRENCIES
from dualcirc.core.access import require
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.deals.domain.audit import record_audit
from dualcirc.deals.domain.common import (
    Fields,
    check_version,
    lock_order,
    members,
    note_text,
    order_parties,
    retry_on_lock_conflict,
    url,
)
from dualcirc.deals.domain.machines import ORDER_MOVES, allowed_targets, check_move
from dualcirc.deals.enums import MilestoneKind, OrderState, Party, PaymentKind
from dualcirc.deals.models import Milestone, Order, Payment
from dualcirc.deals.money import Conversion, RateMissing, convert, minor_digits, minor_units
from dualcirc.notify.domain import notify


def _lock(order: Order) -> Order:
    return lock_order(order)  # docs/deals.md, "Locking"


@retry_on_lock_conflict
@transaction.atomic
def transition_order(
    *,
    actor: Any,
    order: Order,
    to_state: str,
    note: str = "",
    expected_version: int | None = None,
    on: date | None = None,
) -> Order:
    """Move ``order`` to ``to_state`` if ORDER_MOVES allows it from its current state for the
    actor's side.

    Locks the row. Raises InvalidTransition (no such move from this state), AccessDenied (not
    this side's move, or a stranger), Conflict (``expected_version`` is stale: someone else
    moved it first), InvalidInput (a note over 2000 characters). Side effects: state and
    version + 1; the milestone of the new state gets its actual date (``on``, default today);
    an audit entry (who, when, from → to, note); the other side notified.
    Invariants: completed and cancelled are final; every state change has exactly one entry.
    """
    locked = _lock(order)
    parties = order_parties(actor, locked)
    require(bool(parties), _("Only the buyer, the supplier and the operator act on an order."))
    check_version(locked, expected_version, _("order"))
    party = check_move(ORDER_MOVES, locked.state, to_state, parties)
    text = note_text(note, max_length=2000)
    before = locked.state
    locked.state = to_state
    locked.version += 1
    locked.save(update_fields=["state", "version", "updated_at"])
    if to_state in MilestoneKind.values:
        Milestone.objects.filter(order=locked, kind=to_state, actual_date__isnull=True).update(
            actual_date=on or timezone.localdate()
        )
    record_audit(
        actor=actor,
        party=party,
        subject=locked,
        action="order.transition",
        from_state=before,
        to_state=to_state,
        note=text,
    )
    recipients = members(locked.buyer_id) + members(locked.supplier.organisation_id)
    notify(recipients, "order_changed", locked, url("order", locked.pk), actor=actor)
    order.state, order.version = locked.state, locked.version
    return locked


def order_moves(actor: Any, order: Order) -> list[str]:
    """The states ``actor`` may move ``order`` to now, in ORDER_MOVES' order: exactly the
    targets for which :func:`transition_order` passes its table and side checks. Reads only
    ``actor``'s memberships."""
    return allowed_targets(ORDER_MOVES, order.state, order_parties(actor, order))


@dataclass(frozen=True)
class OrderWrite:
    """Who may make one kind of write on an order besides its state moves, and in which
    states it is refused."""

    parties: frozenset[str]
    refused_in: frozenset[str] = frozenset()


OrderWriteKind = Literal["plan_milestones", "record_payment"]

# The one table of these rules: the write functions enforce it, the pages ask it through
# :func:`can_write_order` before showing a form.
ORDER_WRITES: dict[OrderWriteKind, OrderWrite] = {
    "plan_milestones": OrderWrite(parties=frozenset({Party.SUPPLIER, Party.OPERATOR})),
    "record_payment": OrderWrite(
        parties=frozenset({Party.BUYER, Party.SUPPLIER, Party.OPERATOR}),
        refused_in=frozenset({OrderState.CANCELLED}),
    ),
}


def order_write_parties(actor: Any, order: Order, write: OrderWriteKind) -> set[str]:
    """The sides ``actor`` may make ``write`` (a key of ORDER_WRITES) on ``order`` for,
    whatever its state; empty when it is not theirs to make."""
    return order_parties(actor, order) & ORDER_WRITES[write].parties


def can_write_order(actor: Any, order: Order, write: OrderWriteKind) -> bool:
    """Whether ``actor`` may make ``write`` on ``order`` now: ORDER_WRITES gives them a side
    and does not refuse the order's state (what :func:`update_milestone` and
    :func:`record_payment` check before validating their fields)."""
    rule = ORDER_WRITES[write]
    return bool(order_write_parties(actor, order, write)) and order.state not in rule.refused_in


@retry_on_lock_conflict
@transaction.atomic
def update_milestone(
    *,
    actor: Any,
    order: Order,
    kind: str,
    planned_date: date | None = None,
    note: str | None = None,
) -> Milestone:
    """Re-plan one milestone of ``order`` (the supplier or the operator).

    Side effects: the milestone's planned date and note; an audit entry naming the change.
    """
    locked = _lock(order)
    parties = order_write_parties(actor, locked, "plan_milestones")
    require(bool(parties), _("Only the supplier and the operator plan milestones."))
    milestone = Milestone.objects.filter(order=locked, kind=kind).first()
    if milestone is None:
        raise InvalidInput(
            _("There is no such milestone."), [FieldError("kind", _("Unknown milestone."))]
        )
    before = milestone.planned_date
    if planned_date is not None:
        milestone.planned_date = planned_date
    if note is not None:
        milestone.note = note_text(note, max_length=300)
    milestone.save()
    record_audit(
        actor=actor,
        party=sorted(parties)[0],
        subject=milestone,
        action="milestone.planned",
        note=f"{kind}: {before} → {milestone.planned_date}",
    )
    return milestone


@retry_on_lock_conflict
@transaction.atomic
def record_payment(
    *,
    actor: Any,
    order: Order,
    kind: str,
    amount: Decimal | str,
    currency: str,
    paid_on: date | str,
    note: str = "",
) -> Payment:
    """Record a deposit or balance paid on ``order`` (either side or the operator).

    Raises InvalidInput naming the field (kind, amount — more decimals than the currency's
    minor unit, e.g. 0.5 JPY or 10.005 USD, is refused —, currency, paid_on, note). Not on a
    cancelled order. Side effects: a Payment row, with the amount converted into the order's
    currency at the rate of the day paid (rate, its date and source stored; left empty when no
    rate is known for the currency); an audit entry; the other side notified.
    """
    locked = _lock(order)
    parties = order_write_parties(actor, locked, "record_payment")
    require(bool(parties), _("Only the buyer, the supplier and the operator record payments."))
    f = Fields(
        {"kind": kind, "amount": amount, "currency": currency, "paid_on": paid_on, "note": note},
        model=Payment,
    )
    if kind not in PaymentKind.values:
        f.error("kind", _("Choose deposit or balance."))
    value = f.decimal("amount", required=True, positive=True)
    code = f.currency()
    if value is not None and code in CURRENCIES and value != value.quantize(minor_units(code)):
        f.error(
            "amount",
            _("%(currency)s amounts have at most %(n)d decimal places.")
            % {"currency": code, "n": minor_digits(code)},
        )
    text = f.text("note", max_length=300)
    day = f.day("paid_on", required=True)
    if day is not None and day > timezone.localdate():
        f.error("paid_on", _("A payment cannot be recorded before it is made."))
    if locked.state in ORDER_WRITES["record_payment"].refused_in:
        f.error(None, _("The order is cancelled."))
    f.check(_("The payment is not valid."))
    assert value is not None and day is not None
    try:
        conversion: Conversion | None = convert(value, code, locked.currency, on=day)
    except RateMissing:
        conversion = None  # recorded as paid; shown without a converted figure
    payment = Payment.objects.create(
        order=locked,
        kind=kind,
        amount=value,
        currency=code,
        paid_on=day,
        recorded_by=actor,
        note=text,
        amount_in_order_currency=conversion.converted if conversion else None,
        rate=conversion.rate if conversion else None,
        rate_date=conversion.rate_date if conversion else None,
        rate_source=conversion.source if conversion else "",
    )
    party = next(p for p in (Party.BUYER, Party.SUPPLIER, Party.OPERATOR) if p in parties)
    record_audit(
        actor=actor,
        party=party,
        subject=payment,
        action=f"payment.{kind}",
        note=f"{value} {code} {day.isoformat()}",
    )
    recipients = members(locked.buyer_id) + members(locked.supplier.organisation_id)
    notify(recipients, "payment_recorded", locked, url("order", locked.pk), actor=actor)
    return payment
