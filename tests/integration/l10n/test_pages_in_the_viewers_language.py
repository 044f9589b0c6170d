"""Pages show listing text in the viewer's language or the marked original, and prices with
the viewer's currency beside them, converted with the platform's own rates and dated."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from babel.dates import format_date
from django.test import Client
from django.utils import timezone

from dualcirc.core.enums import OrganisationKind
from dualcirc.deals.money import set_exchange_rate
from dualcirc.l10n.rates import ecb_rate, forget_cached_rates
from tests.factories import make_organisation, make_product, make_user

pytestmark = pytest.mark.django_db


def _page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def _chinese_only_table_in_cny() -> int:
    product = make_product(
        title_zh="实木餐桌",
        title_en="",
        price_min=Decimal("120"),
        price_max=Decimal("150"),
        currency="CNY",
    )
    return product.pk


def _usd_at(rate: str) -> date:
    """Enter "1 CNY buys ``rate`` USD" as of today; the figure's date is then the older of the
    two rates used (the ECB's last CNY day)."""
    operator = make_user(
        username="rates", organisation=make_organisation(kind=OrganisationKind.OPERATOR)
    )
    set_exchange_rate(
        actor=operator, currency="USD", base="CNY", rate=rate, on=timezone.localdate()
    )
    forget_cached_rates()
    cny = ecb_rate("CNY", timezone.localdate())
    assert cny is not None
    return cny.date


def test_english_product_page_of_a_chinese_only_listing_marks_the_original() -> None:
    pk = _chinese_only_table_in_cny()

    html = _page(f"/en/products/{pk}/")

    mark = '<small class="muted original-label" lang="en">(original)</small>'
    assert f'<h1 lang="zh">实木餐桌 {mark}</h1>' in html
    assert "<title>实木餐桌 ·" in html


def test_chinese_product_page_of_a_chinese_listing_has_no_mark() -> None:
    pk = _chinese_only_table_in_cny()

    html = _page(f"/zh-hans/products/{pk}/")

    assert '<h1 lang="zh">实木餐桌</h1>' in html
    assert "original-label" not in html


def test_english_product_page_shows_a_cny_price_in_usd_with_the_rate_date() -> None:
    pk = _chinese_only_table_in_cny()
    rate_day = _usd_at("0.14")

    html = _page(f"/en/products/{pk}/")

    shown_day = format_date(rate_day, "medium", locale="en")
    assert (
        '<dd class="price"><span class="money">CN¥120.00 – CN¥150.00</span> / pcs '
        '<span class="money-converted muted" title="1 CNY = 0.14 USD (ECB + operator)">'
        f"≈ $16.80 – $21.00 / pcs <small>(rate of {shown_day})</small></span></dd>"
    ) in html


def test_product_cards_show_the_viewers_currency_too() -> None:
    _chinese_only_table_in_cny()
    _usd_at("0.14")

    html = _page("/en/products/")

    assert "≈ $16.80 – $21.00" in html


def test_chinese_viewer_sees_a_cny_price_alone() -> None:
    pk = _chinese_only_table_in_cny()

    html = _page(f"/zh-hans/products/{pk}/")

    assert '<dd class="price">¥120.00 – ¥150.00 / pcs</dd>' in html
