"""An enterprise member raises a furniture product from "not ready" to "ready for JD" in a real
browser: the enterprise page's "Domestic channels" link, the readiness table, the product's
checklist and the form that asks only for what is missing (with photo uploads); JD still waits
for a brand of record, so the member records the brand with its trademark on the Brands page
and moves the table from OEM to it; then downloads the JD listing file.

Screenshots are kept under DUALCIRC_SCREENSHOTS/channels (else var/screenshots/channels)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from dualcirc.core.enums import Role
from tests.factories import make_enterprise, make_product, make_region_tree, make_user
from tests.factories.files import photo_bytes

from .test_catalog_browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def screenshot_dir() -> Path:
    root = Path(os.environ.get("DUALCIRC_SCREENSHOTS", Path.cwd() / "var" / "screenshots"))
    path = root / "channels"
    path.mkdir(parents=True, exist_ok=True)
    return path


def badge(page: Any, sku: str, channel: str) -> str:
    return page.locator(f'tr[data-sku="{sku}"] td[data-channel="{channel}"]').inner_text()


def test_member_raises_a_table_to_ready_for_jd(page: Any, live_server: Any, tmp_path: Path):
    regions = make_region_tree()
    factory = make_enterprise(name_zh="莱西木匠家具有限公司", region=regions["laixi"])
    member = make_user(organisation=factory.organisation, role=Role.ADMIN)
    make_product(
        enterprise=factory,
        sku="T-1",
        title_zh="实木餐桌",
        title_en="Oak dining table",
        attributes={"wood": "oak", "style": "Nordic"},
    )
    make_product(
        enterprise=factory,
        sku="TV-1",
        title_zh="4K智能液晶电视",
        title_en="4K smart TV",
        hs_code="852872",
    )
    shots = screenshot_dir()
    photos = []
    for n in range(3):
        path = tmp_path / f"table-{n}.jpg"
        path.write_bytes(photo_bytes("JPEG", width=1000, height=1000, rgb=(120, 80 + n * 30, 40)))
        photos.append(str(path))
    base = live_server.url
    sign_in(page, base, member.username)

    page.goto(f"{base}/en/enterprises/{factory.pk}/")
    page.click("text=Domestic channels")
    page.wait_for_load_state()
    before = badge(page, "T-1", "jd")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(shots / "enterprise_before.png"), full_page=True)
    page.click('tr[data-sku="T-1"] a')
    page.wait_for_load_state()
    page.screenshot(path=str(shots / "product_before.png"), full_page=True)
    page.fill('[name="title_zh"]', "北欧实木餐桌 橡木长方形家用饭桌")
    page.fill('[name="brand"]', "莱木")
    page.fill('[name="retail_price"]', "1999")
    page.fill('[name="spec_matrix"]', "原木色, 1.4米, 1999, 10\n胡桃色, 1.6米, 2299, 5")
    page.fill('[name="wholesale_tiers"]', "10, 1500\n50, 1350")
    page.fill('[name="shipping_hours"]', "48")
    page.check('[name="seven_day_return"]')
    page.fill('[name="attr:是否可定制"]', "否")
    page.select_option('[name="evidence:formaldehyde-grade"]', "E0")
    page.set_input_files('[name="images"]', photos)
    page.click("button.primary")
    page.wait_for_load_state()
    waiting_for_brand = page.locator(
        'section[data-channel="jd"] [data-check="qualification:trademark"]'
    ).inner_text()
    page.click(".page-actions >> text=Brands")
    page.wait_for_load_state()
    page.fill('[name="name"]', "莱木")
    page.fill('[name="trademark_number"]', "51234567")
    page.fill('[name="nice_classes"]', "20")
    page.fill('[name="owner"]', "莱西木匠家具有限公司")
    page.select_option('[name="status"]', "registered")
    page.fill('[name="registered_on"]', "2021-03-14")
    page.fill('[name="expires_on"]', "2031-03-13")
    page.click("#brand-add button.primary")
    page.wait_for_load_state()
    page.check("#branding-switch >> text=T-1 · Oak dining table")
    page.select_option('#branding-switch [name="brand"]', label="莱木")
    page.click("#branding-switch button.primary")
    page.wait_for_load_state()
    sold_as = page.locator('#product-branding tr[data-sku="T-1"] td').nth(2).inner_text()
    change_log = page.locator("#branding-changes").inner_text()
    page.screenshot(path=str(shots / "brands_en_1366.png"), full_page=True)
    page.goto(page.url.replace("/en/", "/zh-hans/"))
    page.screenshot(path=str(shots / "brands_zh_1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(shots / "brands_zh_390.png"), full_page=True)
    brands_scrolls = page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    page.goto(page.url.replace("/zh-hans/", "/en/"))
    page.screenshot(path=str(shots / "brands_en_390.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/en/channels/products/{factory.products.get(sku='T-1').pk}/")
    product_page_jd = page.locator('section[data-channel="jd"] h2').inner_text()
    page.screenshot(path=str(shots / "product_after.png"), full_page=True)
    page.click("nav.breadcrumbs >> text=Domestic channels")
    page.wait_for_load_state()
    after = badge(page, "T-1", "jd")
    tv = badge(page, "TV-1", "jd")
    page.screenshot(path=str(shots / "enterprise_after.png"), full_page=True)
    with page.expect_download() as download_info:
        page.click('#listing-files a[data-channel="jd"]')
    jd_file = Path(download_info.value.path()).read_text(encoding="utf-8-sig").splitlines()
    page.set_viewport_size({"width": 390, "height": 844})
    scrolls_sideways = page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )

    assert before.startswith("Not ready")
    assert "No brand of record" in waiting_for_brand
    assert sold_as == "Own brand: 莱木"
    assert "→ 莱木" in change_log
    assert brands_scrolls is False
    assert "Ready" in product_page_jd and "Not ready" not in product_page_jd
    assert after == "Ready"
    assert tv.startswith("Not ready")  # no CCC number recorded
    assert scrolls_sideways is False
    assert [line.split(",")[0] for line in jd_file] == ["商家编码", "T-1", "T-1"]


def test_owner_revokes_a_distributors_letter_and_renews_its_brand(
    page: Any, live_server: Any
) -> None:
    """The brand owner revokes a distributor's letter on the letter page (the distributor's
    table is no longer ready for JD), then renews the trademark on the brand's edit page; the
    distributor's product page shows the comparable listings on dualcirc beside its prices."""
    from decimal import Decimal

    from dualcirc.channels.models import DomesticListing
    from tests.factories.brands import (
        make_authorisation,
        make_brand,
        make_listed_table,
        put_under_brand,
    )

    regions = make_region_tree()
    owner = make_enterprise(name_zh="青岛莱木家具有限公司", region=regions["laixi"])
    distributor = make_enterprise(name_zh="兰溪家居商贸有限公司", region=regions["lanxi"])
    owner_admin = make_user(organisation=owner.organisation, role=Role.ADMIN)
    seller = make_user(organisation=distributor.organisation, role=Role.ADMIN)
    brand = make_brand(actor=owner_admin, enterprise=owner)
    letter = make_authorisation(
        actor=owner_admin, brand=brand, distributor=distributor, channels=("jd", "tmall")
    )
    table = make_listed_table(actor=seller, enterprise=distributor)
    put_under_brand(actor=seller, products=[table], brand=brand)
    for n, price in enumerate(("1299.00", "1899.00", "2599.00")):
        other = make_product(
            enterprise=owner, sku=f"L-{n}", title_zh=f"橡木餐桌 {n}", title_en=f"Oak table {n}"
        )
        DomesticListing.objects.create(product=other, retail_price=Decimal(price))
    shots = screenshot_dir()
    base = live_server.url

    sign_in(page, base, seller.username)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/en/channels/products/{table.pk}/")
    ready_before = page.locator('section[data-channel="jd"] h2').inner_text()
    comparables = page.locator("#comparable-listings").inner_text()
    page.screenshot(path=str(shots / "comparables_en_1366.png"), full_page=True)
    page.goto(f"{base}/zh-hans/channels/products/{table.pk}/")
    page.screenshot(path=str(shots / "comparables_zh_1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(shots / "comparables_zh_390.png"), full_page=True)
    product_scrolls = page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    page.context.clear_cookies()

    sign_in(page, base, owner_admin.username)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/en/channels/enterprises/{owner.pk}/brands/")
    page.click(f'tr[data-letter="{letter.pk}"] a >> nth=0')
    page.wait_for_load_state()
    page.screenshot(path=str(shots / "letter_en_1366.png"), full_page=True)
    page.fill('#letter-revoke [name="reason"]', "经销合同终止")
    page.click("#letter-revoke button")
    page.wait_for_load_state()
    revoked_state = page.locator("#letter-heading").inner_text()
    page.goto(page.url.replace("/en/", "/zh-hans/"))
    page.screenshot(path=str(shots / "letter_zh_1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(shots / "letter_zh_390.png"), full_page=True)
    letter_scrolls = page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/en/channels/enterprises/{owner.pk}/brands/")
    page.click('tr[data-brand="莱木"] >> text=Edit, renew or revoke')
    page.wait_for_load_state()
    new_expiry = (brand.expires_on.replace(year=brand.expires_on.year + 10)).isoformat()
    page.fill('[name="expires_on"]', new_expiry)
    page.screenshot(path=str(shots / "brand_edit_en_1366.png"), full_page=True)
    page.click("#brand-edit button.primary")
    page.wait_for_load_state()
    events = page.locator("#brand-events").inner_text()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/zh-hans/channels/brands/{brand.pk}/edit/")
    page.screenshot(path=str(shots / "brand_edit_zh_390.png"), full_page=True)
    edit_scrolls = page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    page.goto(f"{base}/en/channels/brands/{brand.pk}/edit/")
    page.screenshot(path=str(shots / "brand_edit_en_390.png"), full_page=True)
    page.context.clear_cookies()

    sign_in(page, base, seller.username)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/en/channels/products/{table.pk}/")
    ready_after = page.locator('section[data-channel="jd"]').inner_text()

    assert "Ready" in ready_before and "Not ready" not in ready_before
    assert "not on Tmall, JD or the other channels" in comparables
    assert "¥1,899.00" in comparables and "Oak table 0" in comparables
    assert "Revoked" in revoked_state
    assert "Authorisation revoked" in events and "Trademark renewed" in events
    assert "Not ready" in ready_after and "was revoked on" in ready_after
    assert (product_scrolls, letter_scrolls, edit_scrolls) == (False, False, False)
