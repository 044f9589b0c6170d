"""Locale-aware display of money, quantities, countries and two-script names."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from dualcirc.web.formatting import (
    LocalText,
    business_model_name,
    country_name,
    format_money,
    format_price_range,
    format_quantity,
    listing_texts,
    local_name,
    preferred_text,
    secondary_text,
)


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        (Decimal("120.0000"), "USD", "en", "$120.00"),
        (Decimal("120.0000"), "USD", "zh-hans", "US$120.00"),
        (Decimal("88.5"), "CNY", "en", "CN¥88.50"),
        (Decimal("88.5"), "CNY", "zh-hans", "¥88.50"),
        (Decimal("15000"), "VND", "en", "₫15,000"),
        (Decimal("1234.5"), "EUR", "en", "€1,234.50"),
        # Sub-cent prices keep their digits.
        (Decimal("0.0125"), "USD", "en", "$0.0125"),
    ],
)
def test_format_money_follows_the_language(
    amount: Decimal, currency: str, language: str, expected: str
) -> None:
    assert format_money(amount, currency, language=language) == expected


def test_format_money_refuses_floats() -> None:
    with pytest.raises(TypeError):
        format_money(1.5, "USD", language="en")  # type: ignore[arg-type]  (the point of the test)


def test_format_price_range_shows_both_ends_or_one_price() -> None:
    low, high = Decimal("2.85"), Decimal("3.2")

    assert format_price_range(low, high, "USD", language="en") == "$2.85 – $3.20"
    assert format_price_range(low, low, "USD", language="en") == "$2.85"
    assert format_price_range(low, None, "USD", language="en") == "$2.85"
    assert format_price_range(None, high, "USD", language="en") == ""
    assert format_price_range(low, high, "", language="en") == ""


def test_format_quantity_drops_trailing_zeros_and_groups_thousands() -> None:
    assert format_quantity(Decimal("1500.500"), language="en") == "1,500.5"
    assert format_quantity(Decimal("50.000"), language="zh-hans") == "50"
    assert format_quantity(None, language="en") == ""


@pytest.mark.parametrize(
    ("code", "en", "zh"),
    [("US", "United States", "美国"), ("vn", "Vietnam", "越南"), ("KR", "South Korea", "韩国")],
)
def test_country_name_in_english_and_chinese(code: str, en: str, zh: str) -> None:
    assert country_name(code, language="en") == en
    assert country_name(code, language="zh-hans") == zh


def test_country_name_of_an_unknown_code_is_the_code() -> None:
    assert country_name("XX", language="en") == "XX"


def test_local_name_prefers_the_ui_language_and_falls_back() -> None:
    both = SimpleNamespace(name_zh="莱西市", name_en="Laixi")
    chinese_only = SimpleNamespace(name_zh="兰溪市", name_en="")

    assert local_name(both, language="zh-hans") == "莱西市"
    assert local_name(both, language="en") == "Laixi"
    assert local_name(chinese_only, language="en") == "兰溪市"


def test_preferred_text_picks_the_ui_language_then_the_next_best() -> None:
    listing = SimpleNamespace(
        title_zh="牛仔布", title_en="Denim", title_vi="Vải denim co giãn 12oz"
    )
    vietnamese_only = SimpleNamespace(title_zh="", title_en="  ", title_vi="Vải denim co giãn 12oz")

    assert preferred_text(listing, "title", language="zh-hans") == LocalText("zh", "牛仔布")
    assert preferred_text(listing, "title", language="en") == LocalText("en", "Denim")
    assert preferred_text(vietnamese_only, "title", language="en") == LocalText(
        "vi", "Vải denim co giãn 12oz"
    )
    assert [t.lang for t in listing_texts(listing, "title")] == ["zh", "en", "vi"]
    assert listing_texts(vietnamese_only, "title") == [LocalText("vi", "Vải denim co giãn 12oz")]


def test_secondary_text_is_the_next_best_language_after_the_preferred_one() -> None:
    listing = SimpleNamespace(
        title_zh="牛仔布", title_en="Denim", title_vi="Vải denim co giãn 12oz"
    )
    english_only = SimpleNamespace(title_zh="", title_en="Denim", title_vi="")

    assert secondary_text(listing, "title", language="en") == LocalText("zh", "牛仔布")
    assert secondary_text(listing, "title", language="zh-hans") == LocalText("en", "Denim")
    assert secondary_text(english_only, "title", language="zh-hans") is None


def test_business_model_name_translates_known_codes() -> None:
    assert business_model_name("own_brand") == "Own brand"
    assert business_model_name("licensing") == "licensing"


def test_template_filters_format_for_the_active_language() -> None:
    product = SimpleNamespace(
        price_min=Decimal("120"), price_max=Decimal("150"), currency="USD", moq=Decimal("50.000")
    )
    template = Template(
        "{% load dualcirc_format %}{{ product|price_range }}|{{ product.price_min|money:'EUR' }}"
        "|{{ product.moq|quantity }}|{{ 'DE'|country_name }}"
    )

    with translation.override("en"):
        english = template.render(Context({"product": product}))
    with translation.override("zh-hans"):
        chinese = template.render(Context({"product": product}))

    assert english == "$120.00 – $150.00|€120.00|50|Germany"
    assert chinese == "US$120.00 – US$150.00|€120.00|50|德国"
