"""Answers that agree with the documents: decimals at their column's scale (docs/api.md),
409 for accepting your own offer, /health/ready re-checking the schema each time."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from dualcirc.deals.domain import make_counter_offer
from tests.factories.api import bearer
from tests.factories.deals import make_deal_world, make_quote, request_data

pytestmark = pytest.mark.django_db


def test_request_quantity_has_the_column_scale_when_created_and_when_listed(client: Client):
    world = make_deal_world()
    headers = bearer(world.buyer)
    data = request_data(quantity="500", target_price="130")
    data["invite"] = [world.supplier.pk]

    created = client.post(
        "/api/deals/requests", data, content_type="application/json", headers=headers
    )
    listed = client.get("/api/deals/requests", headers=headers)

    assert created.status_code == 201
    assert (created.json()["quantity"], created.json()["target_price"]) == ("500.000", "130.0000")
    assert [(r["quantity"], r["target_price"]) for r in listed.json()] == [("500.000", "130.0000")]


def test_quote_and_order_numbers_have_their_column_scale(client: Client):
    world = make_deal_world()
    quote = make_quote(world, unit_price="128.5", quantity="200")

    shown = client.get(f"/api/deals/quotes/{quote.pk}", headers=bearer(world.buyer)).json()
    order = client.post(
        f"/api/deals/quotes/{quote.pk}/accept",
        {"offer_number": 1},
        content_type="application/json",
        headers=bearer(world.buyer),
    ).json()

    assert (shown["quote"]["unit_price"], shown["quote"]["deposit_percent"]) == (
        "128.5000",
        "30.00",
    )
    assert (order["unit_price"], order["quantity"]) == ("128.5000", "200.000")
    assert order["total_amount"] == "25700.0000"


def test_accepting_your_own_offer_is_a_conflict(client: Client):
    world = make_deal_world()
    quote = make_quote(world)
    make_counter_offer(actor=world.buyer, quote=quote, data={"unit_price": "120"}, expected_offer=1)

    response = client.post(
        f"/api/deals/quotes/{quote.pk}/accept",
        {"offer_number": 2},
        content_type="application/json",
        headers=bearer(world.buyer),
    )

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


@pytest.mark.django_db(transaction=True)  # a failed query must not abort the test's transaction
def test_health_ready_notices_a_schema_dropped_under_a_running_server(client: Client):
    assert client.get("/health/ready").status_code == 200  # remembers: fully migrated

    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE django_migrations RENAME TO django_migrations_gone")
    try:
        gone = client.get("/health/ready")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE django_migrations_gone RENAME TO django_migrations")

    assert gone.status_code == 503
    assert gone.json()["status"] == "unavailable"
    assert client.get("/health/ready").status_code == 200
