"""The order page names what was ordered, shows the way of the goods as a timeline and tells
its history in sentences — never the stored codes (``order.created``, ``→ confirmed``)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from dualcirc.deals.domain.orders import record_payment, transition_order, update_milestone
from dualcirc.deals.models import SupplierInvitation
from tests.factories import make_product
from tests.factories.deals import make_deal_world, make_order

pytestmark = pytest.mark.django_db

RAW_CODES = ("order.created", "order.transition", "milestone.planned", "payment.deposit")


def _page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _step_class(html: str, label: str) -> str:
    """The class of the timeline step whose label is ``label``."""
    milestones = html[html.index('<ol class="timeline milestones">') :]
    before = milestones[: milestones.index(f'<div class="what">{label}')]
    return before[before.rindex("<li") :].split('"')[1]


def test_order_page_names_product_shows_timeline_and_audit_in_words() -> None:
    world = make_deal_world()
    order = make_order(world)
    table = make_product(enterprise=world.supplier, title_en="Solid oak dining table")
    SupplierInvitation.objects.filter(request=order.request, enterprise=world.supplier).update(
        reasons=[{"kind": "products", "products": [{"id": table.pk, "title": "x"}]}]
    )
    transition_order(
        actor=world.supplier_user, order=order, to_state="in_production", note="Wood dried"
    )
    update_milestone(
        actor=world.supplier_user, order=order, kind="shipped", planned_date=date(2031, 5, 6)
    )
    record_payment(
        actor=world.buyer,
        order=order,
        kind="deposit",
        amount=Decimal("1000"),
        currency="USD",
        paid_on=date(2025, 3, 3),
    )

    html = _page(world.buyer, f"/en/deals/orders/{order.pk}/")
    text = _text(html)

    assert "Oak dining tables for Hamburg" in text and "HS 940360" in text
    assert f'href="/en/products/{table.pk}/"' in html
    assert f"Order confirmed by {world.buyer.username} (Buyer), accepting offer version 1" in text
    assert (
        f"{world.supplier_user.username} (Supplier) moved the order from “Confirmed” to "
        "“In production”" in text
    )
    assert "“Wood dried”" in text
    assert "re-planned “Shipped” from" in text and "to May 6, 2031" in text  # the site's dates
    assert "recorded a payment (Deposit) of $1,000.00 paid on Mar 3, 2025" in text
    assert not [code for code in RAW_CODES if code in html]
    assert "→ confirmed" not in text and "→ in_production" not in text
    assert _step_class(html, "Confirmed") == "done"
    assert _step_class(html, "Production started") == "done"
    assert _step_class(html, "Ready for inspection") == "current"
    assert _step_class(html, "Shipped") == "next"
    assert 'id="order-state"' in html and "tone-progress" in html


def test_order_page_in_chinese_has_no_raw_codes_and_a_cancelled_order_ends_stopped() -> None:
    world = make_deal_world()
    order = make_order(world)
    transition_order(actor=world.buyer, order=order, to_state="cancelled", note="")

    html = _page(world.buyer, f"/zh-hans/deals/orders/{order.pk}/")

    assert not [code for code in RAW_CODES if code in html]
    assert "→ cancelled" not in html
    assert '<li class="stopped">' in html
    assert "tone-stopped" in html


def _button(html: str, text: str) -> str:
    """The opening tag of the button whose text is ``text``."""
    end = html.index(text)
    return html[html.rindex("<button", 0, end) : end]


def test_a_cancel_or_decline_never_looks_like_the_next_step() -> None:
    world = make_deal_world()
    order = make_order(world)
    from tests.factories.deals import make_quote

    quote = make_quote(world)

    order_page = _page(world.supplier_user, f"/en/deals/orders/{order.pk}/")
    quote_page = _page(world.buyer, f"/en/deals/quotes/{quote.pk}/")

    assert 'class="primary"' in _button(order_page, "Start production")
    assert 'class="danger"' in _button(order_page, "Cancel the order")
    assert 'class="primary accept"' in _button(quote_page, "Accept version 1")
    assert 'class="danger"' in _button(quote_page, "Decline the quote")


def test_order_page_names_the_buyer_in_the_viewers_language_as_it_names_the_supplier() -> None:
    world = make_deal_world()
    world.buyer_org.name = "杭州优品家居贸易有限公司"
    world.buyer_org.name_en = "Hangzhou Youpin Home"
    world.buyer_org.save(update_fields=["name", "name_en"])
    order = make_order(world)

    english = _page(world.buyer, f"/en/deals/orders/{order.pk}/")
    chinese = _page(world.buyer, f"/zh-hans/deals/orders/{order.pk}/")

    assert "<dt>Buyer</dt><dd>Hangzhou Youpin Home</dd>" in english
    assert "<dd>杭州优品家居贸易有限公司</dd>" in chinese
    assert "<dd>杭州优品家居贸易有限公司</dd>" not in english


def _meetings_fact(html: str) -> str:
    """The order page's "From the fair meeting" entry ("" when it has none)."""
    found = re.search(r'<dd id="order-meetings">(.*?)</dd>', html)
    return found.group(1) if found else ""


def test_order_page_links_the_side_that_named_it_to_the_fair_meeting_it_came_of() -> None:
    from dualcirc.core.enums import OrganisationKind
    from dualcirc.fair import domain as fair_domain
    from dualcirc.fair.enums import MeetingResult
    from tests.factories import make_organisation, make_user
    from tests.factories.fair import held_meetings_world, order_between

    world, (meeting, other_meeting) = held_meetings_world()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    order = order_between(berlin, oak)
    operator = make_user(organisation=make_organisation(kind=OrganisationKind.OPERATOR))
    url = f"/en/deals/orders/{order.pk}/"
    before = _page(berlin.contact, url)
    fair_domain.rate_meeting(
        actor=berlin.contact,
        meeting=meeting,
        rating=5,
        result=MeetingResult.ORDER_PLACED,
        order=order,
    )

    buyer, supplier = _page(berlin.contact, url), _page(oak.contact, url)
    chinese = _page(berlin.contact, f"/zh-hans/deals/orders/{order.pk}/")
    operators = _page(operator, url)
    linked = _page(berlin.contact, f"/en/fair/meetings/{meeting.pk}/outcome/")
    unlinked = _page(oak.contact, f"/en/fair/meetings/{meeting.pk}/outcome/")

    link = f'<a href="/en/fair/meetings/{meeting.pk}/outcome/">Laixi Furniture Online Fair · '
    assert _meetings_fact(before) == ""
    assert _meetings_fact(buyer).startswith(link)
    assert _meetings_fact(supplier) == ""  # the buyer's answer is the buyer's own
    assert f"/fair/meetings/{other_meeting.pk}/" not in buyer
    assert "<dt>From the fair meeting</dt>" in buyer
    assert _meetings_fact(chinese).startswith(
        f'<a href="/zh-hans/fair/meetings/{meeting.pk}/outcome/">莱西家具线上展 · '
    )
    # The operator reads the order but is neither side of the meeting (its page is a 404).
    assert _meetings_fact(operators) == ""
    # The side that named the order finds it on the meeting's outcome; the other side's
    # answer stays its own.
    assert re.search(
        rf'<p class="notice" id="meeting-order">.*<a href="/en/deals/orders/{order.pk}/">'
        rf"{order.number}</a></p>",
        linked,
    )
    assert 'id="meeting-order"' not in unlinked


def test_order_page_shows_each_side_only_the_meeting_link_its_own_answer_made() -> None:
    """A meeting outcome is given per side and the outcome page promises the other side
    does not see it: the order page links a side to the meeting only where that side itself
    named the order, and the outcome page shows a side only the order it named."""
    from dualcirc.fair import domain as fair_domain
    from dualcirc.fair.enums import MeetingResult
    from tests.factories.fair import held_meetings_world, order_between

    world, (meeting, _other) = held_meetings_world()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    order = order_between(berlin, oak)
    order_url = f"/en/deals/orders/{order.pk}/"
    outcome_url = f"/en/fair/meetings/{meeting.pk}/outcome/"
    link = f'<a href="{outcome_url}">'

    def seen() -> tuple[bool, bool, bool, bool]:
        """(buyer's order page links, supplier's links, buyer's outcome page names the
        order, supplier's names it)."""
        return (
            _meetings_fact(_page(berlin.contact, order_url)).startswith(link),
            _meetings_fact(_page(oak.contact, order_url)).startswith(link),
            'id="meeting-order"' in _page(berlin.contact, outcome_url),
            'id="meeting-order"' in _page(oak.contact, outcome_url),
        )

    def rate(side, order_named):
        fair_domain.rate_meeting(
            actor=side.contact,
            meeting=meeting,
            rating=4,
            result=MeetingResult.ORDER_PLACED,
            order=order_named,
            order_value=None if order_named else "1000",
            order_currency="" if order_named else "CNY",
        )

    # The buyer names the order; the supplier answered without naming it.
    rate(berlin, order)
    rate(oak, None)
    buyer_only = seen()
    # The reverse: the supplier names it, the buyer no longer does.
    rate(berlin, None)
    rate(oak, order)
    supplier_only = seen()

    assert buyer_only == (True, False, True, False)
    assert supplier_only == (False, True, False, True)
