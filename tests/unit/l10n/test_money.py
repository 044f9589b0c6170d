"""Money in the listing's currency with the viewer's beside it, converted with the platform's
rates (the ECB offline series and operator rates), in zh-hans, en and vi. No database: the
operator rates are given as a rate book."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dualcirc.l10n.money import ShownMoney, format_money, format_price_range, show_money
from dualcirc.l10n.rates import (
    CATALOG_CURRENCIES,
    Converter,
    OperatorRate,
    RateBook,
    RateMissing,
    ecb_rate,
    rate_table,
)

DAY = date(2024, 3, 15)  # the ECB fixed USD 1.0892, CNY 7.838 that day
VND_DAY = date(2024, 3, 14)


def _book(*rows: OperatorRate) -> RateBook:
    book = RateBook()
    for row in rows:
        book.by_currency.setdefault(row.currency, []).append(row)
    return book


VND_BOOK = _book(OperatorRate("VND", "CNY", Decimal("3400"), VND_DAY))


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        (Decimal("120.0000"), "USD", "en", "$120.00"),
        (Decimal("120.0000"), "USD", "zh-hans", "US$120.00"),
        (Decimal("120.0000"), "USD", "vi", "120,00\xa0US$"),
        (Decimal("88.5"), "CNY", "en", "CN¥88.50"),
        (Decimal("88.5"), "CNY", "zh-hans", "¥88.50"),
        (Decimal("88.5"), "cny", "vi", "88,50\xa0CN¥"),
        (Decimal("15000"), "VND", "en", "₫15,000"),
        (Decimal("15000"), "VND", "vi", "15.000\xa0₫"),
        (Decimal("0.0125"), "USD", "en", "$0.0125"),  # sub-cent prices keep their digits
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


def test_show_money_puts_the_usd_figure_beside_a_cny_price_for_an_english_viewer() -> None:
    shown = show_money(
        Decimal("100"),
        "CNY",
        high=Decimal("200"),
        language="en",
        converter=Converter(DAY, book=RateBook()),
    )

    # 1 CNY = 1.0892 / 7.838 USD, to 12 significant digits
    assert shown == ShownMoney(
        text="CN¥100.00 – CN¥200.00",
        converted_text="$13.90 – $27.79",
        currency="CNY",
        target="USD",
        rate=Decimal("0.138964021434"),
        rate_date=DAY,
        source="ecb",
    )


def test_show_money_puts_the_cny_figure_beside_a_usd_price_for_a_chinese_viewer() -> None:
    shown = show_money(
        Decimal("10"), "USD", language="zh-hans", converter=Converter(DAY, book=RateBook())
    )

    assert shown is not None
    assert (shown.text, shown.converted_text, shown.rate_date) == ("US$10.00", "¥71.96", DAY)


def test_show_money_converts_to_dong_with_the_operators_rate_for_a_vietnamese_viewer() -> None:
    shown = show_money(Decimal("10"), "CNY", language="vi", converter=Converter(DAY, book=VND_BOOK))

    assert shown is not None
    assert (shown.text, shown.converted_text) == ("10,00\xa0CN¥", "34.000\xa0₫")
    assert (shown.rate_date, shown.source) == (VND_DAY, "ecb+operator")


def test_show_money_in_the_viewers_own_currency_converts_nothing() -> None:
    shown = show_money(
        Decimal("10"), "USD", language="en", converter=Converter(DAY, book=RateBook())
    )

    assert shown == ShownMoney("$10.00", "", "USD", "USD")


def test_show_money_without_a_rate_shows_the_listing_figure_alone() -> None:
    shown = show_money(
        Decimal("10"), "CNY", language="vi", converter=Converter(DAY, book=RateBook())
    )

    assert shown is not None
    assert (shown.text, shown.converted_text, shown.converted) == ("10,00\xa0CN¥", "", False)


def test_show_money_without_an_amount_or_currency_is_none() -> None:
    assert show_money(None, "USD", language="en") is None
    assert show_money(Decimal("1"), "", language="en") is None


def test_ecb_rates_are_exact_decimal_text_and_the_latest_on_or_before() -> None:
    friday = ecb_rate("USD", DAY)
    saturday = ecb_rate("usd", date(2024, 3, 16))

    assert friday is not None and (friday.per_eur, friday.source) == (Decimal("1.0892"), "ecb")
    assert saturday is not None and saturday.date == DAY


def test_an_operator_rate_counts_only_when_newer_than_the_ecb_series() -> None:
    old = _book(OperatorRate("USD", "EUR", Decimal("2"), date(2024, 3, 1)))
    new = _book(OperatorRate("USD", "EUR", Decimal("2"), date(2024, 3, 16)))

    assert old.euro_rate("USD", date(2024, 3, 16)).per_eur == Decimal("1.0892")
    assert new.euro_rate("USD", date(2024, 3, 16)).per_eur == Decimal("2")


def test_a_currency_without_any_rate_raises_rate_missing() -> None:
    with pytest.raises(RateMissing):
        RateBook().euro_rate("VND", DAY)
    with pytest.raises(RateMissing):
        Converter(DAY, book=RateBook()).convert(Decimal("1"), "CNY", "VND")


def test_rate_table_into_cny_covers_the_catalog_currencies_it_knows() -> None:
    table = rate_table(DAY, base="CNY", book=VND_BOOK)

    assert table.rates["CNY"] == Decimal(1)
    assert table.rates["VND"] == Decimal("0.000294117647059")  # 1 / 3400, 12 digits
    assert set(table.rates) == set(CATALOG_CURRENCIES)
    assert table.as_of == VND_DAY.isoformat()


def test_catalog_currencies_match_the_catalogs_list() -> None:
    from dualcirc.catalog.enums import CURRENCIES

    assert list(CATALOG_CURRENCIES) == CURRENCIES


def test_rate_sources_in_words() -> None:
    from django.utils import translation

    from dualcirc.l10n.rates import rate_source_label

    with translation.override("en"):
        assert rate_source_label("ecb") == "ECB"
        assert rate_source_label("ecb+operator") == "ECB + operator"
        assert rate_source_label("") == ""
