"""The organiser runs the meeting scheduler and confirms the agendas; a visitor in Berlin books a
roadshow seat and sees the meeting and the roadshow in their agenda, in Berlin time — in a real
browser against a real server."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from dualcirc.fair import domain
from dualcirc.fair.enums import MeetingStatus, Wish
from dualcirc.fair.models import Meeting, SessionRegistration
from tests.e2e.test_catalog_browser import sign_in
from tests.factories import make_product
from tests.factories.deals import make_deal_world, make_order
from tests.factories.fair import FairWorld

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_organiser_schedules_and_visitor_books_session_and_sees_agenda(
    page: Any, live_server: Any
) -> None:
    world = FairWorld()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    domain.set_meeting_wish(actor=berlin.contact, owner=berlin, other=oak, wish=Wish.MUST)
    # Berlin is free only on Monday 27th 08:00–08:30 UTC (09:00 CET, after the clocks went back).
    domain.set_availability(
        actor=berlin.contact,
        registration=berlin,
        intervals=[
            (datetime(2025, 10, 27, 8, 0, tzinfo=UTC), datetime(2025, 10, 27, 8, 30, tzinfo=UTC))
        ],
    )
    domain.create_session(
        actor=world.organiser,
        fair=world.fair,
        title_zh="莱西家具路演",
        title_en="Laixi furniture roadshow",
        starts_at=datetime(2025, 10, 24, 2, 0, tzinfo=UTC),
        ends_at=datetime(2025, 10, 24, 3, 0, tzinfo=UTC),
        capacity=50,
    )
    base = live_server.url

    sign_in(page, base, world.organiser.username)
    page.goto(f"{base}/en/fair/{world.fair.pk}/manage/")
    page.click("#run-scheduler")
    page.wait_for_load_state()
    assert "1 new meetings, 0 kept" in page.inner_text("#last-run")
    page.click("#publish-agendas")
    page.wait_for_load_state()
    assert page.inner_text("#meeting-counts") == "0 / 1 / 0"
    assert Meeting.objects.get().status == MeetingStatus.CONFIRMED
    page.context.clear_cookies()

    sign_in(page, base, berlin.contact.username)
    page.goto(f"{base}/en/fair/{world.fair.pk}/")
    page.locator("tr", has_text="Laixi furniture roadshow").locator("button").click()
    page.wait_for_load_state()
    assert SessionRegistration.objects.get().user == berlin.contact
    page.click("text=My agenda")
    page.wait_for_load_state()

    rows = page.locator("table.agenda tbody tr").all_inner_texts()
    # Times in the viewer's locale (en: "Oct 24, 2025, 4:00 AM"; babel puts a narrow no-break
    # space before AM/PM).
    when = [r.split("\t")[:2] for r in rows]
    assert when[0][0].replace("\u202f", " ") == "Oct 24, 2025, 4:00 AM–5:00 AM"
    assert when[0][1] == "Laixi furniture roadshow"
    assert when[1][0].replace("\u202f", " ") == "Oct 27, 2025, 9:00 AM–9:30 AM"
    assert when[1][1] == f"Meeting with {oak.organisation.name}"
    assert "Times are in your time zone, Europe/Berlin." in page.inner_text("main")


# --- the design check: each page at a laptop's and a phone's width -----------------------------

WIDTHS = {"1366": (1366, 900), "390": (390, 844)}


def design_shots_dir() -> Path:
    """Where the design check's screenshots go (a CI artefact): `DUALCIRC_SCREENSHOTS`/design,
    else var/screenshots/design."""
    root = Path(os.environ.get("DUALCIRC_SCREENSHOTS", Path.cwd() / "var" / "screenshots"))
    out = root / "design"
    out.mkdir(parents=True, exist_ok=True)
    return out


def _check_layout(page: Any, url: str, name: str) -> list[str]:
    """Open ``url`` at each width, keep a full-page screenshot, and return what is wrong: the
    page scrolls sideways, or an image did not load."""
    problems = []
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        if response is None or response.status != 200:
            problems.append(f"{name}@{label}: HTTP {response.status if response else '?'}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{name}@{label}: {overflow}px wider than the window")
        broken = page.evaluate(
            "Array.from(document.images).filter(i => i.complete && i.naturalWidth === 0)"
            ".map(i => i.src)"
        )
        problems += [f"{name}@{label}: image {src} did not load" for src in broken]
        page.screenshot(path=str(design_shots_dir() / f"{name}-{label}.png"), full_page=True)
    return problems


def test_fair_and_order_pages_fit_laptop_and_phone_and_picker_filters(
    page: Any, live_server: Any
) -> None:
    world = FairWorld()
    oak = world.exhibitors[0]
    for i, title in enumerate(("Solid oak dining table", "Oak chair", "Walnut sideboard")):
        product = make_product(enterprise=oak.booth.enterprise, title_en=title, sku=f"OAK-{i}")
        oak.booth.products.add(product)
    make_product(enterprise=world.exhibitors[1].booth.enterprise, title_en="Leather sofa")
    domain.update_booth(
        actor=oak.contact,
        booth=oak.booth,
        headline="Solid oak furniture since 1998",
        products=list(oak.booth.products.all()),
        live_stream_url="https://live.example.com/oak",
        video_links=["https://video.example.com/factory-tour"],
        documents=[{"title": "Catalogue 2025", "url": "https://example.com/catalogue.pdf"}],
        staff_on_duty=["Wang Li (sales)"],
    )
    domain.create_session(
        actor=world.organiser,
        fair=world.fair,
        title_zh="莱西家具路演",
        title_en="Laixi furniture roadshow",
        starts_at=datetime(2025, 10, 24, 2, 0, tzinfo=UTC),
        ends_at=datetime(2025, 10, 24, 3, 0, tzinfo=UTC),
        capacity=50,
        hall=world.hall,
    )
    oak.hall = world.hall
    oak.save(update_fields=["hall"])
    deals = make_deal_world()
    order = make_order(deals)
    base = f"{live_server.url}/en"
    problems: list[str] = []

    sign_in(page, live_server.url, world.organiser.username)
    problems += _check_layout(page, f"{base}/fair/", "fair-list")
    problems += _check_layout(page, f"{base}/fair/new/", "fair-create")
    problems += _check_layout(page, f"{base}/fair/{world.fair.pk}/manage/", "fair-manage")
    page.context.clear_cookies()

    sign_in(page, live_server.url, oak.contact.username)
    problems += _check_layout(page, f"{base}/fair/booths/{oak.booth.pk}/edit/", "booth-edit")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.fill("#product-filter", "oak table")  # every word must match
    visible = page.locator("#product-picker li:visible").all_inner_texts()
    offered = page.locator("#product-picker li").all_inner_texts()
    page.context.clear_cookies()

    sign_in(page, live_server.url, world.visitors[0].contact.username)
    problems += _check_layout(page, f"{base}/fair/{world.fair.pk}/", "fair-detail")
    problems += _check_layout(page, f"{base}/fair/{world.fair.pk}/halls/{world.hall.pk}/", "hall")
    problems += _check_layout(page, f"{base}/fair/booths/{oak.booth.pk}/", "booth-showroom")
    zh = base.replace("/en", "/zh-hans")
    problems += _check_layout(page, f"{zh}/fair/booths/{oak.booth.pk}/", "booth-showroom-zh")
    hero = page.locator(".showroom-hero").count()
    cards = page.locator(".booth-products .product-card").count()
    problems += _check_layout(page, f"{base}/fair/{world.fair.pk}/meetings/", "fair-meetings")
    page.context.clear_cookies()

    sign_in(page, live_server.url, deals.buyer.username)
    problems += _check_layout(page, f"{base}/deals/", "deals-home")
    problems += _check_layout(page, f"{base}/deals/orders/", "orders")
    problems += _check_layout(page, f"{base}/deals/orders/{order.pk}/", "order")
    problems += _check_layout(page, f"{zh}/deals/orders/{order.pk}/", "order-zh")
    problems += _check_layout(page, f"{base}/deals/requests/{order.request_id}/", "request")
    problems += _check_layout(page, f"{base}/deals/quotes/{order.quote_id}/", "negotiation")
    problems += _check_layout(page, f"{base}/deals/requests/new/", "request-new")
    problems += _check_layout(page, f"{base}/notifications/", "notifications")
    page.context.clear_cookies()
    problems += _check_layout(page, f"{base}/accounts/login/", "sign-in")

    assert problems == [], "\n".join(problems)
    assert sorted(t.strip() for t in offered) == [
        "Oak chair · OAK-1",
        "Solid oak dining table · OAK-0",
        "Walnut sideboard · OAK-2",
    ]  # only the exhibitor's own products, not the sofa of the other booth
    assert [t.strip() for t in visible] == ["Solid oak dining table · OAK-0"]
    assert (hero, cards) == (1, 3)


def test_buyer_rates_a_held_meeting_and_the_organiser_sees_the_order_in_the_funnel(
    page: Any, live_server: Any
) -> None:
    """The Done-when in a browser: Berlin's buyer opens the agenda after the fair, rates the
    meeting "order placed" with the order made through deals; the organiser's funnel shows the
    order and its value. Each page at a laptop's and a phone's width, in English and Chinese."""
    from decimal import Decimal

    from dualcirc.fair.models import MeetingOutcome
    from dualcirc.l10n.money import format_money
    from tests.factories.fair import held_meetings_world, order_between

    world, (meeting, _other) = held_meetings_world()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    order = order_between(berlin, oak, unit_price="120.00", currency="USD")
    domain.record_booth_visit(booth=oak.booth, visitor=berlin.contact)
    base = live_server.url
    problems: list[str] = []

    sign_in(page, base, berlin.contact.username)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/en/fair/{world.fair.pk}/agenda/")
    page.locator("tr", has_text=oak.organisation.name).get_by_text("Rate the meeting").click()
    page.wait_for_load_state()
    page.check("input[name=rating][value='5']")
    page.check("input[name=result][value='order_placed']")
    page.select_option("select[name=order]", str(order.pk))
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    saved = page.inner_text("main")
    outcome = MeetingOutcome.objects.get(meeting=meeting)
    problems += _check_layout(page, f"{base}/en/fair/meetings/{meeting.pk}/outcome/", "outcome")
    problems += _check_layout(
        page, f"{base}/zh-hans/fair/meetings/{meeting.pk}/outcome/", "outcome-zh"
    )
    problems += _check_layout(page, f"{base}/zh-hans/deals/orders/{order.pk}/", "order-met-zh")
    problems += _check_layout(page, f"{base}/en/deals/orders/{order.pk}/", "order-met")
    page.click("#order-meetings a")  # the order page leads back to the meeting it came of
    page.wait_for_load_state()
    back_at_meeting = page.url
    order_link = page.inner_text("#meeting-order a")
    page.context.clear_cookies()

    sign_in(page, base, oak.contact.username)
    page.goto(f"{base}/en/deals/orders/{order.pk}/")
    supplier_links = page.locator("#order-meetings a").count()  # only the buyer named it
    problems += _check_layout(page, f"{base}/en/fair/{world.fair.pk}/leads/", "leads")
    problems += _check_layout(page, f"{base}/zh-hans/fair/{world.fair.pk}/leads/", "leads-zh")
    page.context.clear_cookies()

    sign_in(page, base, world.organiser.username)
    problems += _check_layout(page, f"{base}/zh-hans/fair/{world.fair.pk}/funnel/", "funnel-zh")
    problems += _check_layout(page, f"{base}/en/fair/{world.fair.pk}/funnel/", "funnel")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/en/fair/{world.fair.pk}/funnel/")
    page.wait_for_load_state("networkidle")
    drawn = page.locator("#chart-funnel .chart-canvas svg").count()
    value = page.get_attribute("#funnel-value", "title")
    orders = page.inner_text("#funnel-orders")

    assert problems == [], "\n".join(problems)
    assert "Thank you: your rating is saved." in saved
    assert back_at_meeting == f"{base}/en/fair/meetings/{meeting.pk}/outcome/"
    assert order_link == order.number
    assert supplier_links == 0
    assert (outcome.registration_id, outcome.rating, outcome.result, outcome.order_id) == (
        berlin.pk,
        5,
        "order_placed",
        order.pk,
    )
    assert order.value_cny is not None
    assert (orders, value) == ("1", format_money(Decimal(order.value_cny), "CNY"))
    assert drawn == 1  # ECharts drew the funnel (its table stays behind "Table view")
