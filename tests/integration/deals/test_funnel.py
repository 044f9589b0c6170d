"""The deal funnel, checked by hand: two requests, three quotes, two orders (one domestic in
CNY, one export in USD at an operator rate of 7.1 CNY), known response times."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from dualcirc.deals.domain import accept_offer
from dualcirc.deals.models import Quote, SupplierInvitation
from dualcirc.deals.money import set_exchange_rate
from dualcirc.deals.queries import deal_funnel
from tests.factories.deals import DealWorld, make_deal_world, make_quote, make_request

pytestmark = pytest.mark.django_db


def answer_after(world: DealWorld, quote: Quote, hours: int) -> None:
    invited = SupplierInvitation.objects.get(request=quote.request, enterprise=quote.supplier)
    Quote.objects.filter(pk=quote.pk).update(created_at=invited.created_at + timedelta(hours=hours))


def make_funnel_world() -> DealWorld:
    world = make_deal_world()
    set_exchange_rate(
        actor=world.operator, currency="CNY", base="USD", rate="7.1", on=timezone.localdate()
    )
    export = make_request(world, quantity="200", destination_country="DE")  # both invited
    domestic = make_request(
        world, invite=(world.supplier,), quantity="200", destination_country="CN", currency="CNY"
    )
    usd = make_quote(world, export, unit_price="100", currency="USD")
    losing = make_quote(world, export, user=world.other_user, unit_price="105", currency="USD")
    cny = make_quote(world, domestic, unit_price="50", currency="CNY")
    answer_after(world, usd, 2)
    answer_after(world, cny, 6)
    answer_after(world, losing, 10)
    accept_offer(actor=world.buyer, quote=usd, offer_number=1)  # 200 × 100 USD
    accept_offer(actor=world.buyer, quote=cny, offer_number=1)  # 200 × 50 CNY
    return world


def test_platform_funnel_figures_by_hand():
    make_funnel_world()
    funnel = deal_funnel()
    assert (funnel.requests, funnel.invitations, funnel.quotes, funnel.orders) == (2, 3, 3, 2)
    assert funnel.median_response_hours == Decimal("6.0")  # median of 2, 6 and 10 hours
    assert funnel.win_rate == Decimal("66.7")  # 2 orders of 3 quotes
    assert funnel.value_by_currency == {"CNY": Decimal("10000"), "USD": Decimal("20000")}
    assert funnel.orders_by_destination == {"export": 1, "domestic": 1}
    assert funnel.value_cny_by_destination == {
        "export": Decimal("142000.00"),  # 20000 USD × 7.1
        "domestic": Decimal("10000.00"),
    }


def test_enterprise_funnel_figures_by_hand_and_on_the_page():
    world = make_funnel_world()
    mine = deal_funnel(enterprise=world.supplier)
    assert (mine.requests, mine.invitations, mine.quotes, mine.orders) == (2, 2, 2, 2)
    assert (mine.median_response_hours, mine.win_rate) == (Decimal("4.0"), Decimal("100.0"))
    theirs = deal_funnel(enterprise=world.other_supplier)
    assert (theirs.requests, theirs.quotes, theirs.orders, theirs.win_rate) == (
        1,
        1,
        0,
        Decimal("0.0"),
    )
    assert (theirs.median_response_hours, theirs.value_by_currency) == (Decimal("10.0"), {})

    client = Client()
    client.force_login(world.supplier_user)
    html = client.get("/en/deals/dashboard/").content.decode()
    assert 'id="funnel-quotes">2<' in html and 'id="funnel-orders">2<' in html
    assert "4.0 hours" in html and "100.0%" in html
    assert "CN¥142,000.00" in html and "CN¥10,000.00" in html  # export, domestic
