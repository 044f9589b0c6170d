"""Rules the deals domain knows and now enforces (issue 12, finding 9): the minimum order
quantity when an offer is accepted, sea-only Incoterms with their transport mode."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from dualcirc.core.errors import InvalidInput
from dualcirc.deals.domain import accept_offer, make_counter_offer, revise_quote
from dualcirc.deals.domain.negotiation import offer_changes
from dualcirc.deals.models import Order, Quote
from tests.factories.api import bearer
from tests.factories.deals import make_deal_world, make_quote, make_request, quote_data

pytestmark = pytest.mark.django_db


def call(method: str, path: str, user: Any, body: Any = None) -> Any:
    response = getattr(Client(), method)(
        path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        headers={"Accept-Language": "en", **(bearer(user) if user else {})},
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


# b. Sea-only Incoterms and the transport mode --------------------------------------------------


@pytest.mark.parametrize("rule", ["FOB", "CFR", "CIF", "FAS"])
def test_a_sea_only_incoterm_by_air_is_refused_naming_transport_mode(rule: str):
    world = make_deal_world()
    request = make_request(world)
    with pytest.raises(InvalidInput) as exc:
        make_quote(world, request, incoterm=rule, transport_mode="air")
    assert [e.field for e in exc.value.errors] == ["transport_mode"]
    assert rule in exc.value.errors[0].message
    assert not Quote.objects.exists()


@pytest.mark.parametrize(
    ("rule", "mode", "stored"),
    [
        ("FOB", "", "sea"),  # a sea-only rule with no mode stated travels by sea
        ("CIF", "inland_waterway", "inland_waterway"),
        ("FCA", "air", "air"),
        ("DAP", "", ""),  # not stated
    ],
)
def test_transport_modes_that_suit_the_rule_are_kept(rule: str, mode: str, stored: str):
    world = make_deal_world()
    quote = make_quote(world, make_request(world), incoterm=rule, transport_mode=mode)
    assert quote.transport_mode == stored
    assert quote.negotiation.offers.get().transport_mode == stored


def test_a_counter_offer_cannot_put_fob_on_an_air_shipment_nor_air_on_fob():
    world = make_deal_world()
    air = make_quote(world, make_request(world), incoterm="FCA", transport_mode="air")
    with pytest.raises(InvalidInput) as exc:
        make_counter_offer(actor=world.buyer, quote=air, data={"incoterm": "FOB"}, expected_offer=1)
    assert [e.field for e in exc.value.errors] == ["transport_mode"]
    sea = make_quote(world, make_request(world), incoterm="FOB")
    with pytest.raises(InvalidInput) as exc:
        make_counter_offer(
            actor=world.buyer, quote=sea, data={"transport_mode": "road"}, expected_offer=1
        )
    assert [e.field for e in exc.value.errors] == ["transport_mode"]
    both = make_counter_offer(
        actor=world.buyer,
        quote=air,
        data={"incoterm": "FOB", "transport_mode": "sea"},
        expected_offer=1,
    )
    assert (both.incoterm, both.transport_mode) == ("FOB", "sea")
    assert {c.field for c in offer_changes(air.negotiation.offers.get(number=1), both)} == {
        "incoterm",
        "transport_mode",
    }


def test_revising_a_fob_quote_to_air_is_refused():
    world = make_deal_world()
    quote = make_quote(world, make_request(world), incoterm="FOB")
    with pytest.raises(InvalidInput) as exc:
        revise_quote(
            actor=world.supplier_user,
            quote=quote,
            data={"transport_mode": "air"},
            expected_version=quote.version,
        )
    assert [e.field for e in exc.value.errors] == ["transport_mode"]
    quote.refresh_from_db()
    assert quote.transport_mode == "sea"


def test_api_quote_fob_by_air_answers_422_and_the_mode_is_shown():
    world = make_deal_world()
    request = make_request(world)
    path = f"/api/deals/requests/{request.pk}/quotes"
    status, body = call("post", path, world.supplier_user, quote_data(transport_mode="air"))
    assert status == 422, body
    assert [e["field"] for e in body["errors"]] == ["transport_mode"]
    status, body = call("post", path, world.supplier_user, quote_data(transport_mode="sea"))
    assert status == 201, body
    assert body["transport_mode"] == "sea"
    status, body = call("get", f"/api/deals/quotes/{body['id']}", world.supplier_user)
    assert body["offers"][0]["transport_mode"] == "sea"


def test_the_api_schema_documents_transport_mode():
    status, schema = call("get", "/api/openapi.json", None)
    assert status == 200
    quote_in = schema["components"]["schemas"]["QuoteIn"]["properties"]["transport_mode"]
    assert "inland_waterway" in quote_in["description"]
