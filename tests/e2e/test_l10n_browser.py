"""Formats in a real browser, in each interface language: a Chinese-only listing priced in yuan
shows its title marked "(original)" to English and Vietnamese viewers and its price with the
viewer's currency beside it (the platform's rate, dated), without overflowing a phone screen.
Screenshots are kept under DUALCIRC_SCREENSHOTS/l10n (else var/screenshots/)."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dualcirc.core.enums import OrganisationKind
from dualcirc.deals.money import set_exchange_rate
from dualcirc.l10n.rates import forget_cached_rates
from tests.factories import make_organisation, make_product, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def shot(page: Any, name: str) -> None:
    root = Path(os.environ.get("DUALCIRC_SCREENSHOTS", Path.cwd() / "var" / "screenshots"))
    out = root / "l10n"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(
    ("language", "mark", "converted"),
    [
        ("en", "(original)", "≈ $16.80 – $21.00"),
        ("vi", "(bản gốc)", "≈ 420.000\xa0₫ – 525.000\xa0₫"),
        ("zh-hans", "", ""),
    ],
)
def test_product_page_marks_the_original_and_converts_the_price(
    page: Any, live_server: Any, language: str, mark: str, converted: str
) -> None:
    operator = make_user(
        username="rates", organisation=make_organisation(kind=OrganisationKind.OPERATOR)
    )
    today = timezone.localdate()  # newer than the ECB series, so the operator's USD rate counts
    for currency, rate in (("USD", "0.14"), ("VND", "3500")):
        set_exchange_rate(actor=operator, currency=currency, base="CNY", rate=rate, on=today)
    forget_cached_rates()
    product = make_product(
        title_zh="实木橡木餐桌 六人位",
        title_en="",
        price_min=Decimal("120"),
        price_max=Decimal("150"),
        currency="CNY",
    )

    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/{language}/products/{product.pk}/")

        title = page.locator("h1")
        expect(title).to_contain_text("实木橡木餐桌 六人位")
        if mark:
            expect(title.locator(".original-label")).to_have_text(mark)
            expect(page.locator("dd.price .money-converted")).to_contain_text(converted)
        else:
            expect(title.locator(".original-label")).to_have_count(0)
            expect(page.locator("dd.price")).to_have_text("¥120.00 – ¥150.00 / pcs")
        for part in ("h1", "dd.price"):  # the title with its mark, the price with its figure
            box = page.locator(part).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        shot(page, f"product-{language}-{width}")

        page.goto(f"{live_server.url}/{language}/products/")
        card = page.locator(".product-card").first
        expect(card.locator(".card-title .original-label")).to_have_count(1 if mark else 0)
        expect(card.locator(".card-price")).to_contain_text(converted or "¥120.00 – ¥150.00")
        box = card.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        shot(page, f"products-{language}-{width}")
