"""A buyer's path from the search box to a deal, in a real browser: the home search box ranks
with the engine and says why; a query that matches nothing offers a pre-filled sourcing
request; from a product page one click opens a thread with the supplier, two steps publish an
RFQ, and the product goes into a comparison; the supplier finds the thread on its deals home.
Screenshots are kept under DUALCIRC_SCREENSHOTS/buyer_journey (else var/screenshots/)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from dualcirc.core.enums import OrganisationKind, Role
from dualcirc.deals.models import Conversation, ConversationMessage, SourcingRequest
from dualcirc.search.service import get_service
from tests.factories import PASSWORD, make_organisation, make_user
from tests.factories.search import FAKE_EMBEDDER, make_catalog

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _search_settings(settings: Any) -> Iterator[None]:
    settings.SEARCH_EMBEDDER = FAKE_EMBEDDER
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    get_service().reset()
    yield
    get_service().reset()


def shots_dir() -> Path:
    root = Path(os.environ.get("DUALCIRC_SCREENSHOTS", Path.cwd() / "var" / "screenshots"))
    out = root / "buyer_journey"
    out.mkdir(parents=True, exist_ok=True)
    return out


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(shots_dir() / f"{name}.png"), full_page=True)


def no_sideways_scroll(page: Any) -> int:
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def test_buyer_goes_from_the_search_box_to_a_thread_an_rfq_and_a_comparison(
    page: Any, live_server: Any
) -> None:
    catalog = make_catalog()
    buyer_org = make_organisation(kind=OrganisationKind.BUYER, name="Hamburg Import", country="DE")
    buyer = make_user(username="hamburg", organisation=buyer_org, role=Role.ADMIN)
    maker = make_user(username="laixi", organisation=catalog.laixi.organisation)
    base = live_server.url

    # The home page's search box goes through the engine: ranked, with reasons.
    page.goto(f"{base}/en/")
    page.fill("#home-q", "实木餐桌 FSC")
    page.press("#home-q", "Enter")
    page.wait_for_load_state()
    assert "/en/search/?q=" in page.url
    first = page.locator(".hit").first
    expect(first.locator(".hit-title")).to_contain_text("Solid oak dining table")
    expect(first.locator(".reasons")).to_contain_text("Why it matched:")
    shot(page, "1-search-results")
    # The comparison starts from the results, without leaving them (htmx).
    first.locator(".compare-add").click()
    expect(first.locator(".compare-added")).to_contain_text("Comparing 1 product")

    # Nothing matches "laptop": the page offers a sourcing request instead of unrelated products.
    page.fill("#header-q", "laptop MOQ 200 pcs to Germany")
    page.press("#header-q", "Enter")
    page.wait_for_load_state()
    expect(page.locator("#no-good-match")).to_contain_text("No good match")
    assert page.locator(".hit").count() == 0
    shot(page, "2-no-good-match")
    page.click("#post-sourcing-request")
    page.wait_for_load_state()
    # (signing in on the way keeps the pre-filled form)
    page.fill("#id_username", buyer.username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()
    assert "/en/deals/requests/new/" in page.url
    assert page.input_value("#id_need") == "laptop MOQ 200 pcs to Germany"
    assert page.input_value("#id_quantity") == "200"
    assert page.input_value("#id_destination_country") == "DE"

    # From the product page, one click opens the thread with the supplier.
    page.goto(f"{base}/en/products/{catalog.table.pk}/")
    page.click("#contact-supplier")
    page.wait_for_load_state()
    thread = Conversation.objects.get()
    assert page.url == f"{base}/en/deals/conversations/{thread.pk}/"
    page.fill("#id_body", "Could you make these in walnut for 120 tables?")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#conversation-messages")).to_contain_text("walnut for 120 tables")
    assert ConversationMessage.objects.filter(conversation=thread).count() == 1
    shot(page, "3-thread")

    # Request a quotation: the short form on the product page, then Publish (two steps).
    page.goto(f"{base}/en/products/{catalog.table.pk}/")
    shot(page, "4-product-actions")
    page.fill("#rfq-quantity", "120")
    page.fill("#rfq-price", "110")
    page.click("#request-quotation")  # step 1
    page.wait_for_load_state()
    assert page.input_value("#id_title") == "Solid oak dining table, 6 seats"
    shot(page, "5-rfq-prefilled")
    page.get_by_role("button", name="Publish").click()  # step 2
    page.wait_for_load_state()
    assert "Your request was published; 1 suppliers were invited." in page.inner_text("main")
    rfq = SourcingRequest.objects.get()
    assert (str(rfq.quantity), rfq.destination_country) == ("120.000", "DE")
    assert list(rfq.invitations.values_list("enterprise_id", flat=True)) == [catalog.laixi.pk]

    # Compare: a second product joins from its page; prices in the viewer's currency.
    page.goto(f"{base}/en/products/{catalog.sofa.pk}/")
    page.click("#add-to-compare")
    page.wait_for_load_state()
    expect(page.locator("#compare-table thead")).to_contain_text("Three seat fabric sofa")
    expect(page.locator("#compare-table thead")).to_contain_text("Solid oak dining table")
    expect(page.locator("#compare-table")).to_contain_text("Price in USD")
    page.select_option("#compare-currency", "EUR")
    page.wait_for_load_state()
    expect(page.locator("#compare-table")).to_contain_text("Price in EUR")
    shot(page, "6-compare")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/en/search/?q=oak+dining+table")
    assert no_sideways_scroll(page) == 0
    shot(page, "7-search-phone")
    page.set_viewport_size({"width": 1366, "height": 900})

    # The supplier finds the thread on its deals home and answers.
    page.context.clear_cookies()
    page.goto(f"{base}/en/accounts/login/")
    page.fill("#id_username", maker.username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()
    page.goto(f"{base}/en/deals/")
    page.click(f'#home-conversations a[href="/en/deals/conversations/{thread.pk}/"] >> nth=0')
    page.wait_for_load_state()
    expect(page.locator("#conversation-messages")).to_contain_text("walnut for 120 tables")
    page.fill("#id_body", "Yes: walnut adds 15 USD per table.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#conversation-messages")).to_contain_text("walnut adds 15 USD")
