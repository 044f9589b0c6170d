"""Large amounts in 万元/亿元 (Chinese) and million/billion (English, Vietnamese); growth rates
kept apart from percentage points."""

from decimal import Decimal

import pytest

from dualcirc.l10n.amounts import amount_scale, format_amount, format_growth, format_points


@pytest.mark.parametrize(
    ("amount", "language", "expected"),
    [
        ("817969149", "zh-hans", "8.18亿元"),
        ("1234567", "zh-hans", "123.46万元"),
        ("9876", "zh-hans", "9,876元"),
        ("123456789012", "zh-hans", "1,234.57亿元"),
        ("817969149", "en", "CN¥817.97 million"),
        ("1234567890", "en", "CN¥1.23 billion"),
        ("456789", "en", "CN¥456,789"),
        ("817969149", "vi", "817,97 triệu CN¥"),
        ("1234567890", "vi", "1,23 tỷ CN¥"),
    ],
)
def test_amounts_read_in_the_locales_units(amount: str, language: str, expected: str) -> None:
    assert format_amount(Decimal(amount), language=language) == expected


def test_an_amount_in_another_currency_is_not_written_in_yuan() -> None:
    assert format_amount(Decimal(2_500_000), currency="USD", language="en") == "$2.50 million"
    assert "元" not in format_amount(Decimal(2_500_000), currency="USD", language="zh-hans")


def test_no_amount_is_empty_and_floats_are_refused() -> None:
    assert format_amount(None, language="en") == ""
    with pytest.raises(TypeError):
        format_amount(1.5, language="en")  # type: ignore[arg-type]


def test_one_scale_for_a_column_follows_its_largest_amount() -> None:
    column = [Decimal(817_969_149), Decimal(52_000_000), None]
    zh = amount_scale(column, language="zh-hans")
    assert (zh.label, zh.format(Decimal(52_000_000), language="zh-hans")) == ("亿元", "0.52")
    en = amount_scale(column, language="en")
    assert (en.label, en.format(Decimal(817_969_149), language="en")) == ("CN¥ million", "817.97")
    assert en.scaled(Decimal(52_000_000)) == Decimal("52.00")
    assert amount_scale([Decimal(12_000)], language="zh-hans").label == "万元"
    assert amount_scale([Decimal(900)], language="en").label == "CN¥"
    assert amount_scale([Decimal(5_000_000)], language="vi").label == "triệu CN¥"


def test_growth_is_a_signed_percent_and_a_share_change_is_in_points() -> None:
    assert format_growth(Decimal("5.25"), language="en") == "+5.3%"
    assert format_growth(Decimal("-2"), language="vi") == "−2,0%"
    assert format_growth(None) == ""
    assert format_points(Decimal("1.25"), language="en") == "+1.3 pp"
    assert format_points(Decimal("-0.5"), language="zh-hans") == "−0.5个百分点"
    assert format_points(Decimal(0), language="vi") == "±0,0 điểm phần trăm"
