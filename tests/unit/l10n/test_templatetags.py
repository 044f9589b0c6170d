"""The ``dualcirc_format`` filters and tags render the l10n rules in zh-hans, en and vi, and the
older filter names keep working for templates that still use them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from dualcirc.core.enums import OrganisationKind
from dualcirc.deals.money import set_exchange_rate
from dualcirc.l10n.rates import forget_cached_rates
from tests.factories import make_organisation, make_user

CHINESE_ONLY = SimpleNamespace(
    title_zh="实木餐桌", title_en="", title_vi="", description_zh="橡木。\n\nFSC。"
)


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template("{% load dualcirc_format %}" + source).render(Context(context))


@pytest.mark.parametrize(("language", "label"), [("en", "(original)"), ("vi", "(bản gốc)")])
def test_local_title_marks_the_original_for_other_languages(language: str, label: str) -> None:
    html = render("{{ p|local_title }}", language, p=CHINESE_ONLY)

    assert html == (
        '<span lang="zh">实木餐桌</span> '
        f'<small class="muted original-label" lang="{language}">{label}</small>'
    )


def test_local_title_in_the_viewers_own_language_has_no_mark() -> None:
    assert (
        render("{{ p|local_title }}", "zh-hans", p=CHINESE_ONLY)
        == '<span lang="zh">实木餐桌</span>'
    )


def test_local_description_keeps_paragraphs_and_escapes() -> None:
    listing = SimpleNamespace(
        description_zh="", description_en="<b>Oak</b>\n\nFSC", description_vi=""
    )

    html = render("{{ p|local_description }}", "en", p=listing)

    assert html == '<div lang="en"><p>&lt;b&gt;Oak&lt;/b&gt;</p>\n\n<p>FSC</p></div>'


def test_old_filter_names_keep_working() -> None:
    product = SimpleNamespace(
        price_min=Decimal("120"), price_max=Decimal("150"), currency="USD", moq=Decimal("50.000")
    )
    source = (
        "{{ p|price_range }}|{{ p.price_min|money:'EUR' }}|{{ p.moq|quantity }}"
        "|{{ 'DE'|country_name }}|{{ 'own_brand'|business_model_name }}"
        "|{{ 'vi'|listing_language_name }}"
    )

    assert (
        render(source, "en", p=product)
        == "$120.00 – $150.00|€120.00|50|Germany|Own brand|Vietnamese"
    )
    assert render(source, "zh-hans", p=product).startswith("US$120.00 – US$150.00|€120.00|50|德国|")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "2026年12月7日|1,500.5|68.0%|泰国|绿色"),
        ("en", "Dec 7, 2026|1,500.5|68.0%|Thailand|Green"),
        ("vi", "7 thg 12, 2026|1.500,5|68,0%|Thái Lan|Xanh lá"),
    ],
)
def test_date_number_percent_country_and_label_filters(language: str, expected: str) -> None:
    source = (
        "{{ day|local_date }}|{{ n|number }}|{{ share|percent }}|{{ 'TH'|country_name }}"
        "|{{ level|choice_label:'bureau.AlertLevel' }}"
    )

    html = render(
        source, language, day=date(2026, 12, 7), n=Decimal("1500.5"), share="68.0", level="green"
    )

    assert html == expected


@pytest.mark.django_db
def test_money_tag_shows_the_viewers_currency_with_the_rate_date() -> None:
    forget_cached_rates()
    html = render("{% money amount 'CNY' %}", "en", amount=Decimal("100"))

    assert html.startswith(
        '<span class="money">CN¥100.00</span> <span class="money-converted muted"'
    )
    assert "≈ $" in html
    assert "(rate of " in html


@pytest.mark.django_db
def test_price_tag_in_vietnamese_uses_the_operators_dong_rate() -> None:
    operator = make_user(
        username="rates-operator", organisation=make_organisation(kind=OrganisationKind.OPERATOR)
    )
    set_exchange_rate(actor=operator, currency="VND", rate="3500", on=date(2026, 1, 5))
    forget_cached_rates()
    product = SimpleNamespace(price_min=Decimal("10"), price_max=Decimal("20"), currency="CNY")

    html = render("{% price p %}", "vi", p=product)

    assert "≈ 35.000\xa0₫ – 70.000\xa0₫" in html
    assert "(tỷ giá ngày 5 thg 1, 2026)" in html  # "rate of …" in Vietnamese


@pytest.mark.django_db
def test_money_tag_in_the_listings_own_currency_shows_one_figure() -> None:
    assert render("{% money amount 'CNY' %}", "zh-hans", amount=Decimal("100")) == "¥100.00"
    assert render("{% money amount '' %}", "zh-hans", amount=Decimal("100")) == ""
