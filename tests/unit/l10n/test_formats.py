"""Dates, numbers, percentages, countries and enum labels in zh-hans, en and vi (babel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from dualcirc.bureau.enums import AlertLevel
from dualcirc.l10n.formats import (
    choice_label,
    country_name,
    format_date,
    format_datetime,
    format_month,
    format_number,
    format_percent,
    format_quantity,
)
from dualcirc.l10n.languages import language_family, viewer_currency

DAY = dt.date(2026, 12, 7)
# 06:05 UTC is 14:05 in Shanghai, the site's time zone.
MOMENT = dt.datetime(2026, 12, 7, 6, 5, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("language", "date", "datetime", "month"),
    [
        ("zh-hans", "2026年12月7日", "2026年12月7日 14:05", "2026年11月"),
        ("en", "Dec 7, 2026", "Dec 7, 2026, 2:05\u202fPM", "Nov 2026"),
        ("vi", "7 thg 12, 2026", "14:05 7 thg 12, 2026", "thg 11 2026"),
    ],
)
def test_dates_in_one_style_per_locale(language: str, date: str, datetime: str, month: str) -> None:
    with timezone.override("Asia/Shanghai"):
        assert format_date(DAY, language=language) == date
        assert format_date(MOMENT, language=language) == date
        assert format_datetime(MOMENT, language=language) == datetime
    assert format_month("2026-11", language=language) == month
    assert format_month(dt.date(2026, 11, 30), language=language) == month


def test_datetime_is_shown_in_the_current_time_zone() -> None:
    with timezone.override("Asia/Ho_Chi_Minh"):
        assert format_datetime(MOMENT, language="vi") == "13:05 7 thg 12, 2026"


def test_no_value_formats_as_nothing() -> None:
    assert [format_date(None), format_datetime(None), format_month(None)] == ["", "", ""]
    assert [format_number(None), format_percent(None), format_quantity(None)] == ["", "", ""]


@pytest.mark.parametrize(
    ("language", "plain", "two_digits", "share"),
    [
        ("zh-hans", "1,500.5", "1,500.50", "68.0%"),
        ("en", "1,500.5", "1,500.50", "68.0%"),
        ("vi", "1.500,5", "1.500,50", "68,0%"),
    ],
)
def test_numbers_and_percentages_per_locale(
    language: str, plain: str, two_digits: str, share: str
) -> None:
    assert format_number(Decimal("1500.500"), language=language) == plain
    assert format_number(Decimal("1500.5"), digits=2, language=language) == two_digits
    assert format_percent("68.0", language=language) == share
    assert format_percent(Decimal("68"), language=language) == share


def test_quantity_drops_trailing_zeros() -> None:
    assert format_quantity(Decimal("50.000"), language="zh-hans") == "50"


@pytest.mark.parametrize(
    ("language", "thailand", "us", "vn"),
    [
        ("zh-hans", "泰国", "美国", "越南"),
        ("en", "Thailand", "United States", "Vietnam"),
        ("vi", "Thái Lan", "Hoa Kỳ", "Việt Nam"),
    ],
)
def test_country_names_never_codes(language: str, thailand: str, us: str, vn: str) -> None:
    assert country_name("TH", language=language) == thailand
    assert country_name("us", language=language) == us
    assert country_name(" VN ", language=language) == vn


def test_country_name_of_an_unknown_code_is_what_was_given() -> None:
    assert country_name("XX", language="en") == "XX"
    assert country_name("", language="en") == ""


@pytest.mark.parametrize(
    ("language", "green", "red"),
    [("en", "Green", "Red"), ("zh-hans", "绿色", "红色"), ("vi", "Xanh lá", "Đỏ")],
)
def test_choice_label_translates_enum_codes(language: str, green: str, red: str) -> None:
    from django.utils import translation

    with translation.override(language):
        assert choice_label(AlertLevel, "green") == green
        assert choice_label(AlertLevel, AlertLevel.RED) == red
    assert choice_label(AlertLevel, "") == ""
    assert choice_label([("a", "Alpha")], "b") == "b"


@pytest.mark.parametrize(
    ("language", "family", "currency"),
    [("zh-hans", "zh", "CNY"), ("en", "en", "USD"), ("vi", "vi", "VND"), ("de", "en", "USD")],
)
def test_viewer_currency_by_language(language: str, family: str, currency: str) -> None:
    assert language_family(language) == family
    assert viewer_currency(language) == currency


def test_viewer_currency_follows_a_users_own_setting() -> None:
    from types import SimpleNamespace

    assert viewer_currency("en", user=SimpleNamespace(preferred_currency="eur")) == "EUR"
    assert viewer_currency("en", user=SimpleNamespace()) == "USD"


def test_datetime_in_a_named_zone_for_mails_outside_a_request() -> None:
    from dualcirc.l10n.formats import format_time

    assert format_datetime(MOMENT, zone="Europe/Berlin", language="en") == (
        "Dec 7, 2026, 7:05\u202fAM"
    )
    assert format_time(MOMENT, zone="America/New_York", language="zh-hans") == "01:05"
