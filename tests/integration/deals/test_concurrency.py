"""Two people acting on the same quote or order at the same moment: exactly one wins, the other
gets a Conflict; two retries of one create at the same moment make one row. Needs PostgreSQL's
row locks (SQLite serialises whole transactions instead)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from dualcirc.core.errors import Conflict
from dualcirc.deals.domain import (
    accept_offer,
    make_counter_offer,
    publish_request,
    transition_order,
)
from dualcirc.deals.enums import OrderState
from dualcirc.deals.idempotency import run_once
from dualcirc.deals.models import AuditEntry, IdempotencyKey, Order, Quote, SourcingRequest
from tests.factories import make_user
from tests.factories.concurrency import race
from tests.factories.deals import make_deal_world, make_order, make_quote, request_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL (set DATABASE_URL)")


def test_two_buyers_accepting_the_same_offer_make_one_order():
    world = make_deal_world()
    colleague = make_user(organisation=world.buyer_org)
    quote = make_quote(world)

    results = race(
        lambda: accept_offer(
            actor=world.buyer, quote=Quote.objects.get(pk=quote.pk), offer_number=1
        ),
        lambda: accept_offer(actor=colleague, quote=Quote.objects.get(pk=quote.pk), offer_number=1),
    )

    orders = [r for r in results if isinstance(r, Order)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert (len(orders), len(conflicts)) == (1, 1), results
    assert Order.objects.count() == 1
    assert AuditEntry.objects.filter(action="order.created").count() == 1


def test_accepting_while_the_other_side_counters_lets_exactly_one_through():
    world = make_deal_world()
    quote = make_quote(world)

    results = race(
        lambda: accept_offer(
            actor=world.buyer, quote=Quote.objects.get(pk=quote.pk), offer_number=1
        ),
        lambda: make_counter_offer(
            actor=world.supplier_user,
            quote=Quote.objects.get(pk=quote.pk),
            data={"unit_price": "140"},
            expected_offer=1,
        ),
    )

    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1, results
    assert isinstance(failures[0], Conflict), results
    quote.refresh_from_db()
    if isinstance(results[0], Order):
        assert quote.negotiation.offers.count() == 1
    else:
        assert Order.objects.count() == 0 and quote.negotiation.offers.count() == 2


def test_two_people_moving_the_same_order_version_one_wins():
    world = make_deal_world()
    order = make_order(world)

    results = race(
        lambda: transition_order(
            actor=world.supplier_user,
            order=Order.objects.get(pk=order.pk),
            to_state=OrderState.IN_PRODUCTION,
            expected_version=1,
        ),
        lambda: transition_order(
            actor=world.buyer,
            order=Order.objects.get(pk=order.pk),
            to_state=OrderState.CANCELLED,
            expected_version=1,
        ),
    )

    wins = [r for r in results if isinstance(r, Order)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert (len(wins), len(conflicts)) == (1, 1), results
    final = Order.objects.get(pk=order.pk)
    assert final.version == 2
    assert final.state == wins[0].state
    assert AuditEntry.objects.filter(action="order.transition").count() == 1


def test_two_retries_with_the_same_idempotency_key_at_once_make_one_request():
    world = make_deal_world()
    body = request_data()

    def publish() -> tuple[int, dict[str, Any]]:
        def create() -> tuple[int, dict[str, Any]]:
            request = publish_request(actor=world.buyer, data=body)
            return 201, {"id": request.pk}

        return run_once(
            user=world.buyer, key="retry-1", scope="request.create", payload=body, create=create
        )

    results = race(publish, publish)

    assert all(isinstance(r, tuple) for r in results), results
    assert results[0] == results[1]  # the loser answers with the winner's stored answer
    assert SourcingRequest.objects.count() == 1
    assert results[0] == (201, {"id": SourcingRequest.objects.get().pk})
    assert IdempotencyKey.objects.count() == 1
