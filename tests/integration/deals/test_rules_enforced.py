"""Rules the deals domain knows and now enforces (issue 12, finding 9): the minimum order
quantity when an offer is accepted, sea-only Incoterms with their transport mode."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from dualcirc.core.errors import InvalidInput
from dualcirc.deals.domain import accept_offer, make_counter_offer
from dualcirc.deals.models import Order
from tests.factories.api import bearer
from tests.factories.deals import make_deal_world, make_quote, make_request

pytestmark = pytest.mark.django_db


def call(method: str, path: str, user: Any, body: Any = None) -> Any:
    response = getattr(Client(), method)(
        path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        headers={"Accept-Language": "en", **bearer(user)},
    )
    return response.status_code, response.json()


def test_accepting_an_offer_below_the_quotes_moq_is_refused_naming_quantity():
    world = make_deal_world()
    quote = make_quote(world, make_request(world), moq="500")  # request asks for fewer
    counter = make_counter_offer(
        actor=world.buyer, quote=quote, data={"quantity": "120"}, expected_offer=1
    )
    with pytest.raises(InvalidInput) as exc:
        accept_offer(actor=world.supplier_user, quote=quote, offer_number=counter.number)
    assert [e.field for e in exc.value.errors] == ["quantity"]
    assert "500" in exc.value.errors[0].message and "120" in exc.value.errors[0].message
    assert Order.objects.count() == 0


def test_accepting_at_or_above_the_moq_makes_the_order():
    world = make_deal_world()
    quote = make_quote(world, make_request(world), moq="120")
    counter = make_counter_offer(
        actor=world.buyer, quote=quote, data={"quantity": "120"}, expected_offer=1
    )
    order = accept_offer(actor=world.supplier_user, quote=quote, offer_number=counter.number)
    assert order.quantity == 120


def test_api_accept_below_moq_answers_422_naming_quantity():
    world = make_deal_world()
    quote = make_quote(world, make_request(world), moq="500")
    make_counter_offer(actor=world.buyer, quote=quote, data={"quantity": "120"}, expected_offer=1)
    status, body = call(
        "post", f"/api/deals/quotes/{quote.pk}/accept", world.supplier_user, {"offer_number": 2}
    )
    assert status == 422, body
    assert body["code"] == "invalid"
    assert [e["field"] for e in body["errors"]] == ["quantity"]
    assert Order.objects.count() == 0
