"""Accept, withdraw and revise of one quote at once, through the API, as clients send them:
no 500, no 503 (a lock conflict is not an outage), exactly one order. Needs PostgreSQL's row
locks; production mode (DEBUG off, server errors as responses) like the field report."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client

from dualcirc.deals.domain import make_counter_offer, revise_quote, transition_quote
from dualcirc.deals.enums import QuoteState
from dualcirc.deals.models import Order, Quote, SourcingRequest
from tests.factories.api import bearer
from tests.factories.concurrency import race
from tests.factories.deals import make_deal_world, make_quote

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL (set DATABASE_URL)")


def test_twenty_racing_accept_withdraw_revise_requests_make_one_order_and_no_5xx(settings):
    settings.DEBUG = False
    world = make_deal_world()
    quote = make_quote(world)
    buyer, supplier = bearer(world.buyer), bearer(world.supplier_user)
    url = f"/api/deals/quotes/{quote.pk}"

    def accept() -> int:
        client = Client(raise_request_exception=False)
        body = {"offer_number": 1}
        return client.post(
            f"{url}/accept", body, content_type="application/json", headers=buyer
        ).status_code

    def withdraw() -> int:
        client = Client(raise_request_exception=False)
        body = {"to_state": QuoteState.WITHDRAWN}
        return client.post(
            f"{url}/state", body, content_type="application/json", headers=supplier
        ).status_code

    def revise() -> int:
        client = Client(raise_request_exception=False)
        body = {"version": 1, "unit_price": "127.00"}
        return client.patch(
            url, body, content_type="application/json", headers=supplier
        ).status_code

    moves = list(itertools.islice(itertools.cycle([accept, withdraw, revise]), 20))
    statuses = race(*moves)

    assert all(isinstance(s, int) for s in statuses), statuses
    assert [s for s in statuses if s >= 500] == []
    assert set(statuses) <= {200, 201, 409, 422}, statuses
    orders = Order.objects.filter(quote_id=quote.pk).count()
    final = Quote.objects.get(pk=quote.pk).state
    assert orders == (1 if final == QuoteState.ACCEPTED else 0)
    assert statuses.count(201) == orders
    assert orders + sum(1 for s in statuses if s == 200) >= 1  # someone won


def test_twenty_racing_accepts_make_exactly_one_order(settings):
    settings.DEBUG = False
    world = make_deal_world()
    quote = make_quote(world)
    buyer = bearer(world.buyer)

    def accept() -> int:
        client = Client(raise_request_exception=False)
        return client.post(
            f"/api/deals/quotes/{quote.pk}/accept",
            {"offer_number": 1},
            content_type="application/json",
            headers=buyer,
        ).status_code

    statuses = race(*[accept] * 20)

    assert sorted(set(statuses)) == [201, 409], statuses
    assert statuses.count(201) == 1
    assert Order.objects.filter(quote_id=quote.pk).count() == 1


def _hold_request_then_quote(quote: Quote, holding: threading.Event) -> str:
    """A transaction that follows the documented lock order (request, then quote), like
    accepting does, and keeps the request locked long enough for a racing move to arrive."""
    with transaction.atomic():
        SourcingRequest.objects.select_for_update(of=("self",)).get(pk=quote.request_id)
        holding.set()
        time.sleep(0.8)  # the racing move now waits for a row this transaction holds
        Quote.objects.select_for_update(of=("self",)).get(pk=quote.pk)
    return "done"


@pytest.mark.parametrize("move", ["revise", "withdraw", "counter"])
def test_quote_moves_lock_the_request_before_the_quote(move: str):
    world = make_deal_world()
    quote = make_quote(world)
    holding = threading.Event()

    def racing_move() -> object:
        holding.wait(5)
        fresh = Quote.objects.get(pk=quote.pk)
        if move == "revise":
            return revise_quote(
                actor=world.supplier_user, quote=fresh, data={"unit_price": "127"},
                expected_version=1,
            )  # fmt: skip
        if move == "withdraw":
            return transition_quote(
                actor=world.supplier_user, quote=fresh, to_state=QuoteState.WITHDRAWN
            )
        return make_counter_offer(
            actor=world.buyer, quote=fresh, data={"unit_price": "120"}, expected_offer=1
        )

    first, second = race(lambda: _hold_request_then_quote(quote, holding), racing_move)

    # Locking the quote (and, through a join, its request) first would deadlock here: the
    # database would abort one of the two transactions.
    assert first == "done", first
    assert not isinstance(second, Exception), second
