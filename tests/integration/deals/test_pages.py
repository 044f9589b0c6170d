"""The deal pages: what each side sees, forms that keep what was typed on a conflict."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dualcirc.deals.domain import make_counter_offer, revise_quote, transition_order
from dualcirc.deals.models import Order, Quote, SourcingRequest
from dualcirc.notify.models import Notification
from tests.factories.deals import make_deal_world, make_order, make_quote, make_request

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_request_form_publishes_and_shows_field_errors_in_place():
    world = make_deal_world()
    client = client_for(world.buyer)
    deadline = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    bad = client.post(
        "/en/deals/requests/new/",
        {
            "title": "Tables",
            "need": "oak tables",
            "currency": "USD",
            "destination_country": "ZZ",
            "deadline": deadline,
            "max_quotes": "5",
            "visibility": "invited",
            "hs_code": "12",
        },
    )
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "is not an ISO 3166-1 alpha-2 country code" in body
    assert "oak tables</textarea>" in body
    assert SourcingRequest.objects.count() == 0
    ok = client.post(
        "/en/deals/requests/new/",
        {
            "title": "Tables",
            "need": "oak tables",
            "currency": "USD",
            "destination_country": "DE",
            "deadline": deadline,
            "max_quotes": "5",
            "visibility": "invited",
            "invite": [world.supplier.pk],
        },
    )
    rfq = SourcingRequest.objects.get()
    assert ok["Location"] == f"/en/deals/requests/{rfq.pk}/"
    assert list(rfq.invitations.values_list("enterprise", flat=True)) == [world.supplier.pk]


def test_buyer_request_page_compares_quotes_with_rate_and_date():
    world = make_deal_world()
    rfq = make_request(world, currency="EUR")
    make_quote(world, rfq, unit_price="100", currency="USD")
    page = client_for(world.buyer).get(f"/en/deals/requests/{rfq.pk}/").content.decode()
    assert "Quotes compared" in page
    assert "1 USD = 0." in page and "EUR (" in page  # the rate and its date
    assert "Laixi" in page or "莱西" in page
    assert client_for(world.supplier_user).get(f"/en/deals/requests/{rfq.pk}/").status_code == 404


def test_supplier_sees_why_matched_and_quotes_through_the_page():
    world = make_deal_world()
    rfq = make_request(world)
    client = client_for(world.supplier_user)
    page = client.get("/en/deals/invitations/").content.decode()
    assert "Oak dining tables for Hamburg" in page
    response = client.post(
        f"/en/deals/rfq/{rfq.pk}/",
        {
            "unit_price": "128.50",
            "currency": "USD",
            "incoterm": "FOB",
            "named_place": "Qingdao",
            "lead_time_days": "30",
            "valid_until": str(timezone.localdate() + timedelta(days=20)),
            "deposit_percent": "30",
            "tier_quantity": "500",
            "tier_price": "120",
        },
    )
    quote = Quote.objects.get()
    assert response["Location"] == f"/en/deals/quotes/{quote.pk}/"
    assert [(str(t.min_quantity), str(t.unit_price)) for t in quote.tiers.all()] == [
        ("500.000", "120.0000")
    ]
    assert client_for(world.stranger).get(f"/en/deals/rfq/{rfq.pk}/").status_code == 404


def test_stale_quote_revision_is_reshown_with_what_was_typed():
    world = make_deal_world()
    rfq = make_request(world)
    quote = make_quote(world, rfq)
    revise_quote(actor=world.supplier_user, quote=quote, data={"unit_price": "127"})
    response = client_for(world.supplier_user).post(
        f"/en/deals/rfq/{rfq.pk}/",
        {
            "version": "1",
            "unit_price": "99.99",
            "currency": "USD",
            "incoterm": "FOB",
            "named_place": "Qingdao",
            "lead_time_days": "30",
            "valid_until": str(timezone.localdate() + timedelta(days=20)),
            "deposit_percent": "30",
        },
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this quote" in body
    assert 'value="99.99"' in body
    quote.refresh_from_db()
    assert str(quote.unit_price) == "127.0000"


def test_stale_counter_offer_is_reshown_and_accept_makes_the_order():
    world = make_deal_world()
    quote = make_quote(world)
    make_counter_offer(actor=world.buyer, quote=quote, data={"unit_price": "120"})
    supplier = client_for(world.supplier_user)
    stale = supplier.post(
        f"/en/deals/quotes/{quote.pk}/counter/",
        {"expected_offer": "1", "unit_price": "124.5", "note": "meet halfway"},
    )
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "A newer offer (version 2)" in body and 'value="124.5"' in body
    assert "meet halfway" in body
    page = supplier.get(f"/en/deals/quotes/{quote.pk}/").content.decode()
    assert "Accept version 2" in page
    assert "unit price: <del>128.5</del> → <ins>120</ins>" in page
    accepted = supplier.post(f"/en/deals/quotes/{quote.pk}/accept/", {"offer_number": "2"})
    order = Order.objects.get()
    assert accepted["Location"] == f"/en/deals/orders/{order.pk}/"


def test_order_page_moves_state_and_refuses_a_stale_form():
    world = make_deal_world()
    order = make_order(world)
    supplier = client_for(world.supplier_user)
    page = supplier.get(f"/en/deals/orders/{order.pk}/").content.decode()
    assert "Start production" in page and order.number in page
    transition_order(actor=world.buyer, order=order, to_state="cancelled")
    stale = supplier.post(
        f"/en/deals/orders/{order.pk}/transition/",
        {"to_state": "in_production", "version": "1", "note": "starting the cut"},
    )
    assert stale.status_code == 409
    assert "Someone else changed this order" in stale.content.decode()
    assert 'value="starting the cut"' in stale.content.decode()
    assert client_for(world.other_user).get(f"/en/deals/orders/{order.pk}/").status_code == 404


def test_notification_centre_lists_and_marks_read_and_bell_counts():
    world = make_deal_world()
    make_request(world)
    client = client_for(world.supplier_user)
    page = client.get("/zh-hans/notifications/").content.decode()
    assert "Oak dining tables for Hamburg" in page
    assert 'id="unread-count">1<' in page
    client.post("/en/notifications/read/", {})
    assert Notification.objects.get(recipient=world.supplier_user).read_at is not None
    assert 'id="unread-count"' not in client.get("/en/notifications/").content.decode()


def test_dashboards_for_operator_and_enterprise():
    world = make_deal_world()
    make_order(world)
    page = client_for(world.operator).get("/en/deals/dashboard/").content.decode()
    assert 'id="funnel-orders">1<' in page and "Export" in page
    mine = client_for(world.supplier_user).get("/en/deals/dashboard/").content.decode()
    assert 'id="funnel-quotes">1<' in mine
    assert client_for(world.buyer).get("/en/deals/dashboard/").status_code == 403


def test_rates_page_is_for_the_operator_and_saves_vnd():
    world = make_deal_world()
    assert client_for(world.buyer).get("/en/deals/rates/").status_code == 403
    client = client_for(world.operator)
    client.post(
        "/en/deals/rates/", {"currency": "VND", "base": "CNY", "rate": "3450", "date": "2026-01-05"}
    )
    assert "1 CNY = 3450 VND" in client.get("/en/deals/rates/").content.decode()


def test_stale_forms_sent_again_after_review_are_accepted():
    world = make_deal_world()
    rfq = make_request(world)
    quote = make_quote(world, rfq)
    revise_quote(actor=world.supplier_user, quote=quote, data={"unit_price": "127"})
    supplier = client_for(world.supplier_user)
    terms = {
        "unit_price": "99.99",
        "currency": "USD",
        "incoterm": "FOB",
        "named_place": "Qingdao",
        "lead_time_days": "30",
        "valid_until": str(timezone.localdate() + timedelta(days=20)),
        "deposit_percent": "30",
    }
    stale = supplier.post(f"/en/deals/rfq/{rfq.pk}/", {"version": "1", **terms})
    assert stale.status_code == 409
    assert re.search(r'name="version" value="2"', stale.content.decode())  # the one now shown
    again = supplier.post(f"/en/deals/rfq/{rfq.pk}/", {"version": "2", **terms})
    assert again.status_code == 302
    quote.refresh_from_db()
    assert (str(quote.unit_price), quote.version) == ("99.9900", 3)

    make_counter_offer(actor=world.buyer, quote=quote, data={"unit_price": "90"})
    counter = {"unit_price": "95", "note": "meet halfway"}
    stale = supplier.post(
        f"/en/deals/quotes/{quote.pk}/counter/", {"expected_offer": "3", **counter}
    )
    assert stale.status_code == 409
    assert re.search(r'name="expected_offer" value="4"', stale.content.decode())
    again = supplier.post(
        f"/en/deals/quotes/{quote.pk}/counter/", {"expected_offer": "4", **counter}
    )
    assert again.status_code == 302
    assert [(o.number, str(o.unit_price)) for o in quote.negotiation.offers.all()][-1] == (
        5,
        "95.0000",
    )


def test_order_page_refuses_the_wrong_side_with_403_and_keeps_the_note():
    world = make_deal_world()
    order = make_order(world)
    response = client_for(world.buyer).post(
        f"/en/deals/orders/{order.pk}/transition/",
        {"to_state": "in_production", "version": "1", "note": "hurry"},
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "Only Supplier may move this" in body and 'value="hurry"' in body
    order.refresh_from_db()
    assert (order.state, order.version) == ("confirmed", 1)
