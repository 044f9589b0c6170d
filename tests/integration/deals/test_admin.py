"""The deals admin: the operator's superuser looks deals up; nobody edits them there."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from dualcirc.deals import domain
from tests.factories import make_user
from tests.factories.deals import make_deal_world, make_order

pytestmark = pytest.mark.django_db

PAGES = [
    ("sourcingrequest", "Oak dining tables for Hamburg"),
    ("quote", "莱西木艺家具有限公司"),
    ("offer", "莱西木艺家具有限公司"),
    ("order", "DC-"),
    ("auditentry", "order.transition"),
    ("exchangerate", "0 exchange rates"),
]


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("model", "expect"), PAGES)
def test_deals_admin_changelist_shows_rows_to_a_superuser(model: str, expect: str) -> None:
    world = make_deal_world()
    order = make_order(world)
    domain.transition_order(actor=world.supplier_user, order=order, to_state="in_production")
    admin = make_user(is_staff=True, is_superuser=True)

    response = _client(admin).get(f"/en/admin/deals/{model}/")

    assert response.status_code == 200
    assert expect in response.content.decode()


def test_deals_admin_order_page_shows_milestones_and_converted_payments_read_only() -> None:
    world = make_deal_world()
    order = make_order(world)
    domain.record_payment(
        actor=world.buyer,
        order=order,
        kind="deposit",
        amount=Decimal("1000"),
        currency="EUR",
        paid_on=date(2025, 3, 3),
    )
    admin = make_user(is_staff=True, is_superuser=True)

    page = _client(admin).get(f"/en/admin/deals/order/{order.pk}/change/").content.decode()
    add = _client(admin).get("/en/admin/deals/order/add/")

    assert order.number in page
    assert "Production done" in page or "production" in page.lower()
    assert "1000" in page and "EUR" in page
    assert 'name="_save"' not in page  # nothing to save: every write goes through deals.domain
    assert add.status_code == 403


def test_deals_admin_is_refused_to_a_normal_user() -> None:
    world = make_deal_world()

    response = _client(world.buyer).get("/en/admin/deals/order/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/admin/login/")
