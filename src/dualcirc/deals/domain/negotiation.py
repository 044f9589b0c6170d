"""Negotiation: messages, versioned counter-offers, and accepting the other side's latest offer
(which creates the order)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.core.access import AccessDenied, require
from dualcirc.core.errors import Conflict, DomainError, FieldError, InvalidInput
from dualcirc.deals.domain.audit import record_audit
from dualcirc.deals.domain.common import (
    Fields,
    lock_quote,
    members,
    quote_parties,
    retry_on_lock_conflict,
    url,
)
from dualcirc.deals.domain.quotes import (
    OPEN_QUOTE_STATES,
    check_transport_mode,
    parse_quote_terms,
    parse_tiers,
    price_for_quantity,
    transition_quote,
)
from dualcirc.deals.domain.requests import transition_request
from dualcirc.deals.enums import MilestoneKind, OrderState, Party, QuoteState, RequestState
from dualcirc.deals.models import Message, Milestone, Offer, Order, Quote, SourcingRequest
from dualcirc.deals.prefill import plain_quantity
from dualcirc.l10n import format_date
from dualcirc.notify.domain import notify

OFFER_FIELDS = (
    "quantity",
    "unit_price",
    "currency",
    "incoterm",
    "transport_mode",
    "named_place",
    "lead_time_days",
    "deposit_percent",
    "valid_until",
    "tiers",
)


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


def offer_changes(previous: Offer | None, offer: Offer) -> list[Change]:
    """What ``offer`` changed against ``previous`` (every stated term for the first one)."""
    out = []
    for name in OFFER_FIELDS:
        after = getattr(offer, name)
        before = None if previous is None else getattr(previous, name)
        if previous is None:
            if after not in (None, "", []):
                out.append(Change(name, None, after))
        elif before != after:
            out.append(Change(name, before, after))
    return out


def _side(actor: Any, quote: Quote) -> str:
    """The side ``actor`` negotiates for: buyer or supplier (never the operator)."""
    parties = quote_parties(actor, quote) & {Party.BUYER.value, Party.SUPPLIER.value}
    require(bool(parties), _("Only the buyer and the supplier negotiate."))
    if len(parties) > 1:
        raise InvalidInput(_("You belong to both sides of this deal; you cannot negotiate it."))
    return parties.pop()


def _lock(quote: Quote) -> tuple[SourcingRequest, Quote]:
    request, locked = lock_quote(quote)  # request, then quote (docs/deals.md, "Locking")
    return request, locked


def latest_offer(quote: Quote) -> Offer:
    offer = quote.negotiation.offers.order_by("-number").first()
    assert offer is not None  # version 1 is written with the quote
    return offer


def _check_latest(latest: Offer, expected: int | None) -> None:
    if expected is not None and int(expected) != latest.number:
        raise Conflict(
            _(
                "A newer offer (version %(n)d) arrived while you were writing. Review it; "
                "what you entered is kept below."
            )
            % {"n": latest.number}
        )


def negotiating_side(user: Any, quote: Quote) -> str:
    """The side ``user`` negotiates ``quote`` for ("buyer" or "supplier"), or "" when they
    may not negotiate it (the operator, a stranger, a member of both sides)."""
    parties = quote_parties(user, quote) & {Party.BUYER.value, Party.SUPPLIER.value}
    return next(iter(parties)) if len(parties) == 1 else ""


def check_can_counter(*, actor: Any, quote: Quote) -> str:
    """Raise unless ``actor`` may put a counter-offer on ``quote`` now; return their side.

    AccessDenied: not a side of the deal; InvalidInput: a member of both sides; Conflict: the
    quote is closed. No side effects; used by :func:`make_counter_offer` (on the locked row)
    and :func:`can_make_counter_offer`.
    """
    side = _side(actor, quote)
    if quote.state not in OPEN_QUOTE_STATES:
        raise Conflict(
            _("This quote is %(state)s; no more offers can be made.")
            % {"state": QuoteState(quote.state).label}
        )
    return side


def check_can_accept(
    *,
    actor: Any,
    request: SourcingRequest,
    quote: Quote,
    offer_number: int | None = None,
    latest: Offer | None = None,
) -> tuple[str, Offer]:
    """Raise unless ``actor`` may accept the latest offer on ``quote`` (of ``request``) now;
    return their side and that offer.

    ``latest`` is that offer when the caller has already read it (it is read otherwise).
    AccessDenied / InvalidInput as :func:`check_can_counter`; Conflict: the request was
    awarded or cancelled, the quote is closed, ``offer_number`` is not the latest, or the
    actor's side made the latest offer (the other side accepts it). The terms of the offer
    (validity, quantity, MOQ) are checked by :func:`accept_offer` itself. No side effects.
    """
    side = _side(actor, quote)
    if request.state not in (RequestState.OPEN, RequestState.CLOSED):
        raise Conflict(
            _("An offer on this request has already been accepted, or it was cancelled.")
        )
    if quote.state not in OPEN_QUOTE_STATES:
        raise Conflict(
            _("This quote is %(state)s and can no longer be accepted.")
            % {"state": QuoteState(quote.state).label}
        )
    offer = latest if latest is not None else latest_offer(quote)
    _check_latest(offer, offer_number)
    if offer.party == side:
        # The request is well formed; it conflicts with the negotiation's state (409).
        raise Conflict(_("You made the latest offer; the other side accepts it, or counters."))
    return side, offer


def can_make_counter_offer(user: Any, quote: Quote) -> bool:
    """``user`` may put a counter-offer on ``quote`` now (:func:`check_can_counter` passes)."""
    try:
        check_can_counter(actor=user, quote=quote)
    except (DomainError, AccessDenied):
        return False
    return True


def can_accept_offer(user: Any, quote: Quote, latest: Offer) -> bool:
    """``user`` may accept ``latest``, the latest offer on ``quote`` the caller has read,
    now (:func:`check_can_accept` passes for it); it does not read the offers again."""
    try:
        check_can_accept(actor=user, request=quote.request, quote=quote, latest=latest)
    except (DomainError, AccessDenied):
        return False
    return True


@retry_on_lock_conflict
@transaction.atomic
def make_counter_offer(
    *,
    actor: Any,
    quote: Quote,
    data: Mapping[str, Any],
    note: str = "",
    expected_offer: int | None = None,
) -> Offer:
    """Put a new version of the terms on the table: the latest offer with the fields of
    ``data`` changed (unit price, quantity, Incoterm, named place, lead time, deposit, validity,
    tiers). ``expected_offer`` is the version the actor answered; a newer one → Conflict.

    Side effects: an immutable Offer (number + 1); a submitted quote becomes "negotiating"
    (audited); the quote's version + 1; the other side notified.
    """
    _request, locked = _lock(quote)
    side = check_can_counter(actor=actor, quote=locked)
    latest = latest_offer(locked)
    _check_latest(latest, expected_offer)
    terms = parse_quote_terms(data, partial=True)
    for ignored in ("moq", "sample_terms", "notes"):
        terms.pop(ignored, None)
    tiers = latest.tiers
    if data.get("tiers") is not None:
        tiers = [[str(q), str(p)] for q, p in parse_tiers(data["tiers"])]
    values = {name: getattr(latest, name) for name in OFFER_FIELDS}
    values.update(terms)
    values["tiers"] = tiers
    values["transport_mode"] = check_transport_mode(
        incoterm=values["incoterm"], transport_mode=values["transport_mode"]
    )
    changed = any(values[name] != getattr(latest, name) for name in OFFER_FIELDS)
    if not changed:
        raise InvalidInput(
            _("A counter-offer changes at least one term."),
            [
                FieldError(
                    "unit_price", _("Nothing differs from version %(n)d.") % {"n": latest.number}
                )
            ],
        )
    offer = Offer.objects.create(
        negotiation=locked.negotiation,
        number=latest.number + 1,
        party=side,
        author=actor,
        note=Fields({"note": note}).text("note", max_length=5000),
        **values,
    )
    if locked.state == QuoteState.SUBMITTED:
        transition_quote(actor=actor, quote=locked, to_state=QuoteState.NEGOTIATING)
    else:
        Quote.objects.filter(pk=locked.pk).update(version=locked.version + 1)
    other = locked.request.buyer_id if side == Party.SUPPLIER else locked.supplier.organisation_id
    notify(
        members(other), "counter_offer", locked.request, url("negotiation", locked.pk), actor=actor
    )
    return offer


@retry_on_lock_conflict
@transaction.atomic
def post_message(*, actor: Any, quote: Quote, body: str) -> Message:
    """Write a message in the negotiation about ``quote``; notifies the other side."""
    side = _side(actor, quote)
    text = (body or "").strip()
    if not text:
        raise InvalidInput(_("The message is empty."), [FieldError("body", _("Write something."))])
    if len(text) > 5000:
        raise InvalidInput(
            _("The message is too long."), [FieldError("body", _("At most 5000 characters."))]
        )
    message = Message.objects.create(
        negotiation=quote.negotiation, party=side, author=actor, body=text
    )
    other = quote.request.buyer_id if side == Party.SUPPLIER else quote.supplier.organisation_id
    notify(members(other), "message", quote.request, url("negotiation", quote.pk), actor=actor)
    return message


def _plan_milestones(order: Order, lead_time_days: int) -> list[Milestone]:
    today = timezone.localdate()
    ready = today + timedelta(days=lead_time_days)
    shipped = ready + timedelta(days=7)
    delivered = shipped + timedelta(days=30 if order.is_export else 5)
    planned = {
        MilestoneKind.IN_PRODUCTION: today + timedelta(days=3),
        MilestoneKind.READY_FOR_INSPECTION: ready,
        MilestoneKind.SHIPPED: shipped,
        MilestoneKind.DELIVERED: delivered,
        MilestoneKind.COMPLETED: delivered + timedelta(days=7),
    }
    return [Milestone(order=order, kind=k, planned_date=d) for k, d in planned.items()]


def _snapshot(request: SourcingRequest, quote: Quote, offer: Offer) -> dict[str, Any]:
    def text(v: Any) -> Any:
        return v.isoformat() if hasattr(v, "isoformat") else (str(v) if v is not None else None)

    return {
        "request": {
            "id": request.pk,
            "title": request.title,
            "need": request.need,
            "hs_code": request.hs_code,
            "unit": request.unit,
            "destination_country": request.destination_country,
            "destination_place": request.destination_place,
            "certifications": request.certifications,
        },
        "quote": {"id": quote.pk, "moq": text(quote.moq), "sample_terms": quote.sample_terms},
        "offer": {"number": offer.number, "party": offer.party, "note": offer.note}
        | {name: text(getattr(offer, name)) for name in OFFER_FIELDS if name != "tiers"}
        | {"tiers": offer.tiers},
    }


@retry_on_lock_conflict
@transaction.atomic
def accept_offer(
    *, actor: Any, quote: Quote, offer_number: int | None = None, note: str = ""
) -> Order:
    """Accept the other side's latest offer on ``quote``: the deal is made.

    ``offer_number`` is the version the actor saw; a newer one → Conflict. Locks the request
    and the quote, so of two people accepting at once exactly one wins and the other gets a
    Conflict. Side effects: an Order (number DC-<year>-<id>, a snapshot of the terms, the unit
    price of the quantity tier the quantity reaches, the total rounded to the currency's minor
    unit, the CNY value with the rate used), its planned milestones; the quote → accepted,
    every other open quote of the request → rejected, the request → awarded (each audited);
    both sides notified.
    """
    from dualcirc.deals.money import RateMissing, convert, minor_units

    request, locked = _lock(quote)
    side, offer = check_can_accept(
        actor=actor, request=request, quote=locked, offer_number=offer_number
    )
    if offer.valid_until < timezone.localdate():
        raise InvalidInput(
            _("Version %(n)d of the offer expired on %(date)s; make a new offer.")
            % {"n": offer.number, "date": format_date(offer.valid_until)}
        )
    quantity = offer.quantity or request.quantity
    if quantity is None:
        raise InvalidInput(
            _("Neither the offer nor the request names a quantity; counter with one first."),
            [FieldError("quantity", _("A quantity is needed to make an order."))],
        )
    if locked.moq is not None and quantity < locked.moq:
        # The terms on the table break the supplier's own minimum (docs/deals.md, "Rules").
        raise InvalidInput(
            _("The quantity is below the quote's minimum order quantity; counter with more."),
            [
                FieldError(
                    "quantity",
                    _("At least %(moq)s (the minimum order quantity); the offer names %(q)s.")
                    % {"moq": plain_quantity(locked.moq), "q": plain_quantity(quantity)},
                )
            ],
        )
    unit_price = price_for_quantity(offer, quantity)  # a quantity tier's price when reached
    total = (quantity * unit_price).quantize(minor_units(offer.currency))
    order = Order(
        number=f"TMP-{locked.pk}",
        request=request,
        quote=locked,
        offer=offer,
        buyer_id=request.buyer_id,
        supplier=locked.supplier,
        quantity=quantity,
        unit=request.unit,
        unit_price=unit_price,
        currency=offer.currency,
        total_amount=total,
        incoterm=offer.incoterm,
        named_place=offer.named_place,
        destination_country=request.destination_country,
        deposit_percent=offer.deposit_percent,
        terms=_snapshot(request, locked, offer),
    )
    try:
        conversion = convert(total, offer.currency, "CNY")
    except RateMissing:
        conversion = None
    if conversion is not None:
        order.value_cny = conversion.converted
        order.cny_rate = conversion.rate
        order.cny_rate_date = conversion.rate_date
        order.terms["value_cny"] = conversion.as_dict()
    order.save()
    order.number = f"DC-{order.created_at.year}-{order.pk:06d}"
    order.save(update_fields=["number"])
    Milestone.objects.bulk_create(_plan_milestones(order, offer.lead_time_days))
    record_audit(
        actor=actor,
        party=side,
        subject=order,
        action="order.created",
        to_state=OrderState.CONFIRMED,
        note=note or f"offer v{offer.number}",
    )
    transition_quote(actor=actor, quote=locked, to_state=QuoteState.ACCEPTED, note=note)
    for other in request.quotes.filter(state__in=OPEN_QUOTE_STATES).exclude(pk=locked.pk):
        transition_quote(actor=None, quote=other, to_state=QuoteState.REJECTED)
    transition_request(actor=None, request=request, to_state=RequestState.AWARDED)
    for org_id in (request.buyer_id, locked.supplier.organisation_id):
        notify(members(org_id), "offer_accepted", order, url("order", order.pk), actor=actor)
    order.refresh_from_db()
    return order
