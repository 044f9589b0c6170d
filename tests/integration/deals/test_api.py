"""The deals JSON API: the flow, idempotent retries, conflicts as 409, refusals as 403."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dualcirc.deals.models import IdempotencyKey, Order, Quote, SourcingRequest
from tests.factories import make_user
from tests.factories.api import bearer
from tests.factories.deals import (
    make_deal_world,
    make_quote,
    make_request,
    quote_data,
    request_data,
)

pytestmark = pytest.mark.django_db


def call(method: str, path: str, user: Any, body: Any = None, **headers: str) -> Any:
    client = Client()
    response = getattr(client, method)(
        path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        headers={"Accept-Language": "en", **bearer(user), **headers},
    )
    return response.status_code, response.json()


def test_api_flow_request_quote_counter_accept_and_order_through_to_completed():
    world = make_deal_world()
    body = request_data(invite=[world.supplier.pk])
    status, rfq = call("post", "/api/deals/requests", world.buyer, body)
    assert status == 201, rfq
    assert [i["enterprise_id"] for i in rfq["invitations"]] == [world.supplier.pk]

    status, invitations = call("get", "/api/deals/invitations", world.supplier_user)
    assert [r["id"] for r in invitations] == [rfq["id"]]

    q = {**quote_data(), "tiers": [{"min_quantity": "500", "unit_price": "118.00"}]}
    status, quote = call("post", f"/api/deals/requests/{rfq['id']}/quotes", world.supplier_user, q)
    assert status == 201, quote
    assert (quote["unit_price"], quote["tiers"]) == (
        "128.5000",
        [{"min_quantity": "500.000", "unit_price": "118.0000"}],
    )

    status, compared = call("get", f"/api/deals/requests/{rfq['id']}/quotes", world.buyer)
    assert status == 200
    assert compared[0]["unit_price"]["target"] == "EUR"
    assert compared[0]["unit_price"]["rate_date"]

    status, thread = call(
        "post",
        f"/api/deals/quotes/{quote['id']}/offers",
        world.buyer,
        {"expected_offer": 1, "unit_price": "121.00", "note": "121?"},
    )
    assert status == 201, thread
    assert thread["offers"][1]["changes"] == [
        {"field": "unit_price", "before": "128.5000", "after": "121.0000"}
    ]
    status, order = call(
        "post", f"/api/deals/quotes/{quote['id']}/accept", world.supplier_user, {"offer_number": 2}
    )
    assert status == 201, order
    assert (order["state"], order["total_amount"], order["currency"]) == (
        "confirmed",
        "24200.0000",
        "USD",
    )

    steps = [
        (world.supplier_user, "in_production"),
        (world.supplier_user, "ready_for_inspection"),
        (world.supplier_user, "shipped"),
        (world.buyer, "delivered"),
        (world.buyer, "completed"),
    ]
    for version, (user, state) in enumerate(steps, start=1):
        status, order = call(
            "post",
            f"/api/deals/orders/{order['id']}/transition",
            user,
            {"to_state": state, "version": version},
        )
        assert status == 200, order
    assert order["state"] == "completed"
    assert [(a["party"], a["from_state"], a["to_state"]) for a in order["audit"]][-1] == (
        "buyer",
        "delivered",
        "completed",
    )


def test_api_create_request_retried_with_the_same_key_returns_the_first_answer():
    world = make_deal_world()
    body = request_data()
    first = call("post", "/api/deals/requests", world.buyer, body, **{"Idempotency-Key": "k-1"})
    again = call("post", "/api/deals/requests", world.buyer, body, **{"Idempotency-Key": "k-1"})
    assert first[0] == again[0] == 201
    assert first[1] == again[1]
    assert SourcingRequest.objects.count() == 1
    other = call(
        "post",
        "/api/deals/requests",
        world.buyer,
        {**body, "title": "Chairs"},
        **{"Idempotency-Key": "k-1"},
    )
    assert other[0] == 422
    assert "different request" in other[1]["message"]


def test_api_create_quote_and_accept_retried_make_one_row_each():
    world = make_deal_world()
    rfq = make_request(world)
    path = f"/api/deals/requests/{rfq.pk}/quotes"
    key = {"Idempotency-Key": "quote-7"}
    first = call("post", path, world.supplier_user, quote_data(), **key)
    again = call("post", path, world.supplier_user, quote_data(), **key)
    assert (first[0], again[0]) == (201, 201)
    assert first[1]["id"] == again[1]["id"]
    assert Quote.objects.count() == 1
    without_key = call("post", path, world.supplier_user, quote_data())
    assert without_key[0] == 409
    assert without_key[1]["code"] == "conflict"

    accept_path = f"/api/deals/quotes/{first[1]['id']}/accept"
    one = call("post", accept_path, world.buyer, {"offer_number": 1}, **{"Idempotency-Key": "a"})
    two = call("post", accept_path, world.buyer, {"offer_number": 1}, **{"Idempotency-Key": "a"})
    assert (one[0], two[0]) == (201, 201)
    assert one[1]["number"] == two[1]["number"]
    assert Order.objects.count() == 1
    assert IdempotencyKey.objects.count() == 2


def test_api_failed_create_is_not_stored_and_may_be_retried_with_the_key():
    world = make_deal_world()
    key = {"Idempotency-Key": "fix-me"}
    bad = call("post", "/api/deals/requests", world.buyer, request_data(currency="XXX"), **key)
    assert bad[0] == 422
    assert [e["field"] for e in bad[1]["errors"]] == ["currency"]
    assert IdempotencyKey.objects.count() == 0
    body = request_data()
    good = call("post", "/api/deals/requests", world.buyer, body, **key)
    assert good[0] == 201
    assert call("post", "/api/deals/requests", world.buyer, body, **key) == good
    assert SourcingRequest.objects.count() == 1


def test_api_stale_order_version_is_409_and_forbidden_moves_are_403_or_409():
    world = make_deal_world()
    quote = make_quote(world)
    _status, order = call(
        "post", f"/api/deals/quotes/{quote.pk}/accept", world.buyer, {"offer_number": 1}
    )
    path = f"/api/deals/orders/{order['id']}/transition"
    assert (
        call("post", path, world.supplier_user, {"to_state": "in_production", "version": 1})[0]
        == 200
    )
    stale = call("post", path, world.buyer, {"to_state": "disputed", "version": 1})
    assert (stale[0], stale[1]["code"]) == (409, "conflict")
    wrong_side = call("post", path, world.buyer, {"to_state": "ready_for_inspection"})
    assert (wrong_side[0], wrong_side[1]["code"]) == (403, "forbidden")
    no_such_move = call("post", path, world.supplier_user, {"to_state": "completed"})
    assert (no_such_move[0], no_such_move[1]["code"]) == (409, "invalid_transition")
    stranger = call("get", f"/api/deals/orders/{order['id']}", world.stranger)
    assert stranger[0] == 404


def test_api_rates_are_entered_by_the_operator_and_funnel_counts():
    world = make_deal_world()
    body = {"currency": "VND", "base": "CNY", "rate": "3450", "date": "2026-01-05"}
    assert call("post", "/api/deals/rates", world.buyer, body)[0] == 403
    status, rate = call("post", "/api/deals/rates", world.operator, body)
    assert (status, rate["rate"], rate["source"]) == (201, "3450.0000000000", "operator")
    make_quote(world)
    status, funnel = call("get", "/api/deals/funnel", world.operator)
    assert (status, funnel["requests"], funnel["invitations"], funnel["quotes"]) == (200, 1, 2, 1)
    assert call("get", "/api/deals/funnel", world.buyer)[0] == 403
    status, mine = call(
        "get", f"/api/deals/funnel?enterprise={world.supplier.pk}", world.supplier_user
    )
    assert (status, mine["invitations"], mine["quotes"], mine["win_rate"]) == (200, 1, 1, "0.0")


def test_api_notifications_list_and_mark_read():
    world = make_deal_world()
    make_request(world)
    status, items = call("get", "/api/notifications?unread=true", world.supplier_user)
    assert status == 200
    assert [n["verb"] for n in items] == ["request_invited"]
    assert "Oak dining tables for Hamburg" in items[0]["text"]
    assert call("post", "/api/notifications/read", world.supplier_user, {})[1] == {"marked": 1}
    assert call("get", "/api/notifications?unread=true", world.supplier_user)[1] == []


def test_api_deadline_in_the_past_is_refused_naming_the_field():
    world = make_deal_world()
    past = (timezone.now() - timedelta(hours=1)).isoformat()
    status, body = call("post", "/api/deals/requests", world.buyer, request_data(deadline=past))
    assert status == 422
    assert body["errors"] == [
        {"field": "deadline", "message": "The deadline must be in the future."}
    ]


def test_api_idempotency_keys_are_scoped_per_user_and_endpoint():
    world = make_deal_world()
    colleague = make_user(organisation=world.buyer_org)
    key = {"Idempotency-Key": "same-key"}
    body = request_data(invite=[world.supplier.pk])
    mine = call("post", "/api/deals/requests", world.buyer, body, **key)
    theirs = call("post", "/api/deals/requests", colleague, body, **key)
    assert (mine[0], theirs[0]) == (201, 201)
    assert mine[1]["id"] != theirs[1]["id"]  # another person's key is not mine
    assert SourcingRequest.objects.count() == 2

    # The same key on another endpoint (and on another request) is another create.
    first = call(
        "post",
        f"/api/deals/requests/{mine[1]['id']}/quotes",
        world.supplier_user,
        quote_data(),
        **key,
    )
    second = call(
        "post",
        f"/api/deals/requests/{theirs[1]['id']}/quotes",
        world.supplier_user,
        quote_data(),
        **key,
    )
    assert (first[0], second[0]) == (201, 201)
    assert first[1]["id"] != second[1]["id"]
    accepted = call(
        "post",
        f"/api/deals/quotes/{first[1]['id']}/accept",
        world.buyer,
        {"offer_number": 1},
        **key,
    )
    assert accepted[0] == 201 and accepted[1]["number"].startswith("DC-")
    assert (Quote.objects.count(), Order.objects.count()) == (2, 1)
    assert sorted(IdempotencyKey.objects.values_list("user__username", "scope")) == sorted(
        [
            (world.buyer.username, "request.create"),
            (colleague.username, "request.create"),
            (world.supplier_user.username, f"quote.create:{mine[1]['id']}"),
            (world.supplier_user.username, f"quote.create:{theirs[1]['id']}"),
            (world.buyer.username, f"order.accept:{first[1]['id']}"),
        ]
    )
