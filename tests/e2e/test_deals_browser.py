"""A buyer posts a sourcing request, a supplier quotes, the buyer counters, the supplier accepts,
and the order goes through to completed — in a real browser against a real server."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from dualcirc.deals.models import AuditEntry, Order
from tests.e2e.test_catalog_browser import sign_in
from tests.factories.deals import make_deal_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_out(page: Any) -> None:
    page.click("header form.inline button.link")
    page.wait_for_load_state()


def click_button(page: Any, text: str) -> None:
    page.get_by_role("button", name=text).click()
    page.wait_for_load_state()


def test_deal_from_request_to_completed_order_in_the_browser(page: Any, live_server: Any) -> None:
    world = make_deal_world()
    base = live_server.url

    # The buyer posts a request and invites the Laixi supplier.
    sign_in(page, base, world.buyer.username)
    page.click("text=Deals")
    page.goto(f"{base}/en/deals/requests/new/")
    page.fill("#id_title", "Oak dining tables for Hamburg")
    page.fill("#id_need", "Solid oak dining table, 6 seats, FSC")
    page.fill("#id_quantity", "200")
    page.fill("#id_unit", "pcs")
    page.select_option("#id_currency", "EUR")
    page.fill("#id_destination_country", "DE")
    page.fill("#id_destination_place", "Hamburg")
    page.select_option("#id_incoterm", "FOB")
    deadline = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#id_deadline", deadline)
    page.select_option("#id_visibility", "invited")
    page.select_option("#id_invite", str(world.supplier.pk))
    click_button(page, "Publish")
    assert "Your request was published; 1 suppliers were invited." in page.inner_text("main")
    request_url = page.url
    sign_out(page)

    # The supplier sees the invitation (and the bell) and quotes.
    sign_in(page, base, world.supplier_user.username)
    assert page.inner_text("#unread-count") == "1"
    page.goto(f"{base}/en/deals/invitations/")
    page.click("text=Oak dining tables for Hamburg")
    page.wait_for_load_state()
    page.fill("#id_unit_price", "128.50")
    page.select_option("#id_currency", "USD")
    page.select_option("#id_incoterm", "FOB")
    page.fill("#id_named_place", "Qingdao")
    page.fill("#id_lead_time_days", "30")
    page.fill("#id_valid_until", str(timezone.localdate() + timedelta(days=30)))
    click_button(page, "Send the quote")
    assert "Your quote was sent to the buyer." in page.inner_text("main")
    sign_out(page)

    # The buyer compares (in EUR, with the rate) and counters.
    sign_in(page, base, world.buyer.username)
    page.goto(request_url)
    compare = page.inner_text("table.compare")
    assert "1 USD = " in compare and "EUR (" in compare
    page.click("text=Negotiate")
    page.wait_for_load_state()
    page.click("summary")
    page.fill("#id_unit_price", "121")
    page.fill("#id_note", "121 and we have a deal")
    click_button(page, "Send the counter-offer")
    assert "Your counter-offer was sent." in page.inner_text("main")
    sign_out(page)

    # The supplier sees what changed and accepts version 2.
    sign_in(page, base, world.supplier_user.username)
    page.goto(f"{base}/en/deals/quotes/")
    page.click("text=Oak dining tables for Hamburg")
    page.wait_for_load_state()
    assert "unit price: 128.5 → 121" in page.inner_text("#offer-2")
    click_button(page, "Accept version 2")
    order = Order.objects.get()
    assert f"Offer accepted: order {order.number}." in page.inner_text("main")

    moves = {
        "Start production": "In production",
        "Ready for inspection": "Ready for inspection",
        "Mark as shipped": "Shipped",
        "Confirm delivery": "Delivered",
        "Complete the order": "Completed",
    }
    for button in ("Start production", "Ready for inspection", "Mark as shipped"):
        click_button(page, button)
        assert page.inner_text("#order-state") == moves[button]
    sign_out(page)

    sign_in(page, base, world.buyer.username)
    page.goto(f"{base}/en/deals/orders/{order.pk}/")
    for button in ("Confirm delivery", "Complete the order"):
        click_button(page, button)
        assert page.inner_text("#order-state") == moves[button]
    audit = page.inner_text("ol.audit")
    assert "moved the order from “Delivered” to “Completed”" in audit

    order.refresh_from_db()
    assert (order.state, str(order.unit_price), str(order.total_amount)) == (
        "completed",
        "121.0000",
        "24200.0000",
    )
    assert list(
        AuditEntry.objects.filter(subject_type="order").values_list("to_state", flat=True)
    ) == ["confirmed", "in_production", "ready_for_inspection", "shipped", "delivered", "completed"]
