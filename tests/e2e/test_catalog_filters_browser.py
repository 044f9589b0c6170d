"""A buyer narrows the product list with the filter sidebar: htmx swaps the results and the
facet counts in place and pushes the URL; without JavaScript the same form reloads the page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.factories import make_product
from tests.factories.pages import PagesWorld

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DENIM_VI = "Vải denim co giãn 12oz"
# An English page shows the Vietnamese-only title as it is, marked as the original.
DENIM_VI_SHOWN = f"{DENIM_VI} (original)"


def _catalog() -> PagesWorld:
    world = PagesWorld()
    mill = world.enterprise(region="lanxi", name_en="Lanxi Denim Mill", industries=["纺织"])
    make_product(enterprise=world.factory, sku="OAK", title_en="Oak table", export_markets=["US"])
    make_product(
        enterprise=mill, sku="DN", title_en="", title_vi=DENIM_VI, hs_code="520942",
        export_markets=["VN"],
    )  # fmt: skip
    return world


def _titles(page: Any) -> list[str]:
    return sorted(page.locator("#product-results .card-title").all_inner_texts())


def test_filters_update_results_in_place_and_push_the_url(page: Any, live_server: Any) -> None:
    _catalog()
    page.goto(f"{live_server.url}/en/products/")
    assert _titles(page) == sorted(["Oak table", DENIM_VI_SHOWN])
    markets = page.locator("#f-market option").all_inner_texts()
    assert markets == ["Any market", "United States (1)", "Vietnam (1)"]
    page.evaluate("window.__same_document = true")

    with page.expect_response(lambda r: "belt=lanxi-textiles" in r.url):
        page.select_option("#f-belt", "lanxi-textiles")
    # (expect() polls from Playwright's side: the site's CSP forbids the eval a
    # wait_for_function string predicate needs)
    expect(page.locator("#product-results .card-title")).to_have_count(1)

    assert _titles(page) == [DENIM_VI_SHOWN]
    assert page.url == f"{live_server.url}/en/products/?belt=lanxi-textiles"
    # Swapped, not reloaded; the market facet now counts within the belt.
    assert page.evaluate("window.__same_document") is True
    assert page.locator("#f-market option").all_inner_texts() == ["Any market", "Vietnam (1)"]

    with page.expect_response(lambda r: "keyword=oak" in r.url):
        page.fill("#f-keyword", "oak")
    expect(page.locator("#product-results .card-title")).to_have_count(0)
    assert "No product matches these filters." in page.inner_text("#product-results")


def test_filters_work_without_javascript(browser: Any, live_server: Any) -> None:
    _catalog()
    context = browser.new_context(locale="en-US", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/en/products/")
        page.select_option("#f-market", "VN")
        page.click("#product-filters button[type=submit]")
        page.wait_for_load_state()

        assert "market=VN" in page.url
        assert _titles(page) == [DENIM_VI_SHOWN]
    finally:
        context.close()
