"""The predicates the deal pages ask before showing a button agree with the move functions
they stand for: for every state of the request and quote and every role, the predicate says
yes exactly when the move succeeds (each move is tried, then rolled back)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import DomainError
from dualcirc.deals import domain
from dualcirc.deals.domain.negotiation import (
    can_accept_offer,
    can_make_counter_offer,
    latest_offer,
    negotiating_side,
)
from dualcirc.deals.domain.orders import can_write_order, order_moves
from dualcirc.deals.domain.quotes import can_attach_to_quote, closing_quote_moves
from dualcirc.deals.domain.requests import can_close_request
from dualcirc.deals.enums import OrderState, QuoteState, RequestState
from dualcirc.deals.models import Order, Quote, SourcingRequest
from tests.factories.deals import DealWorld, make_deal_world, make_order, make_quote

pytestmark = pytest.mark.django_db

ROLES = ("buyer", "supplier_user", "other_user", "operator", "stranger")


class _Rollback(Exception):
    pass


def _succeeds(move: Callable[[], Any]) -> bool:
    """Whether ``move`` runs without a domain error; whatever it wrote is rolled back."""
    try:
        with transaction.atomic():
            try:
                move()
            except (DomainError, AccessDenied):
                return False
            raise _Rollback
    except _Rollback:
        return True


def _submitted(world: DealWorld) -> Quote:
    return make_quote(world)


def _buyer_countered(world: DealWorld) -> Quote:
    quote = make_quote(world)
    domain.make_counter_offer(actor=world.buyer, quote=quote, data={"unit_price": "120.00"})
    return quote


def _supplier_answered(world: DealWorld) -> Quote:
    quote = _buyer_countered(world)
    domain.make_counter_offer(actor=world.supplier_user, quote=quote, data={"unit_price": "124.00"})
    return quote


def _moved(actor: str, state: str) -> Callable[[DealWorld], Quote]:
    def arrange(world: DealWorld) -> Quote:
        quote = make_quote(world)
        domain.transition_quote(actor=getattr(world, actor), quote=quote, to_state=state)
        return quote

    return arrange


def _accepted(world: DealWorld) -> Quote:
    quote = make_quote(world)
    domain.accept_offer(actor=world.buyer, quote=quote, offer_number=1)
    return quote


def _request_moved(state: str) -> Callable[[DealWorld], Quote]:
    def arrange(world: DealWorld) -> Quote:
        quote = make_quote(world)
        domain.transition_request(actor=world.buyer, request=quote.request, to_state=state)
        return quote

    return arrange


SITUATIONS = {
    "submitted": _submitted,
    "buyer countered": _buyer_countered,
    "supplier answered": _supplier_answered,
    "rejected": _moved("buyer", QuoteState.REJECTED),
    "withdrawn": _moved("supplier_user", QuoteState.WITHDRAWN),
    "accepted": _accepted,
    "request closed": _request_moved(RequestState.CLOSED),
    "request cancelled": _request_moved(RequestState.CANCELLED),
}


@pytest.fixture(params=list(SITUATIONS), ids=list(SITUATIONS))
def situation(request: pytest.FixtureRequest) -> tuple[DealWorld, Quote]:
    world = make_deal_world()
    quote = SITUATIONS[request.param](world)
    return world, Quote.objects.select_related("request", "supplier").get(pk=quote.pk)


@pytest.mark.parametrize("role", ROLES)
def test_can_accept_offer_agrees_with_accept_offer(situation, role):
    world, quote = situation
    user = getattr(world, role)

    latest = latest_offer(quote)

    shown = can_accept_offer(user, quote, latest)

    number = latest.number
    assert shown == _succeeds(
        lambda: domain.accept_offer(actor=user, quote=quote, offer_number=number)
    )


@pytest.mark.parametrize("role", ROLES)
def test_can_make_counter_offer_agrees_with_make_counter_offer(situation, role):
    world, quote = situation
    user = getattr(world, role)

    shown = can_make_counter_offer(user, quote)

    assert shown == _succeeds(
        lambda: domain.make_counter_offer(actor=user, quote=quote, data={"unit_price": "99.99"})
    )


@pytest.mark.parametrize("role", ROLES)
def test_can_attach_to_quote_agrees_with_add_quote_attachments(situation, role):
    world, quote = situation
    user = getattr(world, role)

    shown = can_attach_to_quote(user, quote)

    pdf = SimpleUploadedFile("spec.pdf", b"%PDF-1.4 spec sheet", content_type="application/pdf")
    assert shown == _succeeds(
        lambda: domain.add_quote_attachments(actor=user, quote=quote, attachments=[pdf])
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("target", [QuoteState.WITHDRAWN, QuoteState.REJECTED])
def test_closing_quote_moves_agree_with_transition_quote(situation, role, target):
    world, quote = situation
    user = getattr(world, role)

    shown = target in closing_quote_moves(user, quote)

    assert shown == _succeeds(
        lambda: domain.transition_quote(actor=user, quote=quote, to_state=target)
    )


@pytest.mark.parametrize("role", ROLES)
def test_can_close_request_agrees_with_transition_request(situation, role):
    world, quote = situation
    user = getattr(world, role)
    rfq = SourcingRequest.objects.get(pk=quote.request_id)

    shown = can_close_request(user, rfq)

    assert shown == _succeeds(
        lambda: domain.transition_request(actor=user, request=rfq, to_state=RequestState.CLOSED)
    )


def test_predicates_for_a_fresh_quote_match_the_rules_by_role():
    world = make_deal_world()
    quote = make_quote(world)

    # The supplier's version 1 is on the table: the buyer accepts or counters, the supplier
    # counters, attaches or withdraws; the operator and strangers make no move.
    assert [can_accept_offer(getattr(world, r), quote, latest_offer(quote)) for r in ROLES] == [
        True,
        False,
        False,
        False,
        False,
    ]
    assert [can_make_counter_offer(getattr(world, r), quote) for r in ROLES] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert [can_attach_to_quote(getattr(world, r), quote) for r in ROLES] == [
        False,
        True,
        False,
        False,
        False,
    ]
    assert [closing_quote_moves(getattr(world, r), quote) for r in ROLES] == [
        [QuoteState.REJECTED],
        [QuoteState.WITHDRAWN],
        [],
        [],
        [],
    ]
    assert [negotiating_side(getattr(world, r), quote) for r in ROLES] == [
        "buyer",
        "supplier",
        "",
        "",
        "",
    ]
    assert can_close_request(world.buyer, quote.request) is True
    assert can_close_request(world.operator, quote.request) is False


def test_accept_is_not_offered_once_the_request_is_cancelled():
    world = make_deal_world()
    quote = make_quote(world)
    domain.transition_request(
        actor=world.buyer, request=quote.request, to_state=RequestState.CANCELLED
    )
    quote = Quote.objects.select_related("request", "supplier").get(pk=quote.pk)

    assert quote.state == QuoteState.SUBMITTED
    assert can_accept_offer(world.buyer, quote, latest_offer(quote)) is False


# Orders: the path from confirmed, walked by whoever may make each step.
ORDER_PATHS = {
    OrderState.CONFIRMED: [],
    OrderState.IN_PRODUCTION: [("supplier_user", OrderState.IN_PRODUCTION)],
    OrderState.READY_FOR_INSPECTION: [
        ("supplier_user", OrderState.IN_PRODUCTION),
        ("supplier_user", OrderState.READY_FOR_INSPECTION),
    ],
    OrderState.SHIPPED: [
        ("supplier_user", OrderState.IN_PRODUCTION),
        ("supplier_user", OrderState.READY_FOR_INSPECTION),
        ("supplier_user", OrderState.SHIPPED),
    ],
    OrderState.DELIVERED: [
        ("supplier_user", OrderState.IN_PRODUCTION),
        ("supplier_user", OrderState.READY_FOR_INSPECTION),
        ("supplier_user", OrderState.SHIPPED),
        ("buyer", OrderState.DELIVERED),
    ],
    OrderState.DISPUTED: [
        ("supplier_user", OrderState.IN_PRODUCTION),
        ("buyer", OrderState.DISPUTED),
    ],
    OrderState.CANCELLED: [("buyer", OrderState.CANCELLED)],
}


@pytest.mark.parametrize("state", list(ORDER_PATHS))
@pytest.mark.parametrize("role", ROLES)
def test_order_moves_agree_with_transition_order(state, role):
    world = make_deal_world()
    order = make_order(world)
    for actor, target in ORDER_PATHS[state]:
        domain.transition_order(actor=getattr(world, actor), order=order, to_state=target)
    order = Order.objects.select_related("supplier").get(pk=order.pk)
    assert order.state == state
    user = getattr(world, role)

    shown = order_moves(user, order)

    tried = [
        target
        for target in OrderState.values
        if _succeeds(partial(domain.transition_order, actor=user, order=order, to_state=target))
    ]
    assert shown == tried


@pytest.mark.parametrize("state", list(ORDER_PATHS))
@pytest.mark.parametrize("role", ROLES)
def test_can_write_order_agrees_with_update_milestone_and_record_payment(state, role):
    world = make_deal_world()
    order = make_order(world)
    for actor, target in ORDER_PATHS[state]:
        domain.transition_order(actor=getattr(world, actor), order=order, to_state=target)
    order = Order.objects.select_related("supplier").get(pk=order.pk)
    user = getattr(world, role)

    plans = can_write_order(user, order, "plan_milestones")
    pays = can_write_order(user, order, "record_payment")

    assert plans == _succeeds(
        lambda: domain.update_milestone(actor=user, order=order, kind="shipped", note="booked")
    )
    assert pays == _succeeds(
        lambda: domain.record_payment(
            actor=user, order=order, kind="deposit", amount="10", currency="USD",
            paid_on=timezone.localdate(),
        )
    )  # fmt: skip


def test_can_write_order_matches_the_rules_by_role():
    world = make_deal_world()
    order = make_order(world)

    planners = [can_write_order(getattr(world, r), order, "plan_milestones") for r in ROLES]
    payers = [can_write_order(getattr(world, r), order, "record_payment") for r in ROLES]
    domain.transition_order(actor=world.buyer, order=order, to_state=OrderState.CANCELLED)
    order = Order.objects.select_related("supplier").get(pk=order.pk)
    payers_when_cancelled = [
        can_write_order(getattr(world, r), order, "record_payment") for r in ROLES
    ]
    planners_when_cancelled = [
        can_write_order(getattr(world, r), order, "plan_milestones") for r in ROLES
    ]

    # ROLES: buyer, supplier_user, other_user, operator, stranger. Milestones are the
    # supplier's and the operator's to plan (even on a cancelled order); every party records a
    # payment, except on a cancelled order.
    assert planners == [False, True, False, True, False]
    assert planners_when_cancelled == planners
    assert payers == [True, True, False, True, False]
    assert payers_when_cancelled == [False, False, False, False, False]
