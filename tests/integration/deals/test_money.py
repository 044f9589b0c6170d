"""Conversions use the ECB series (exact decimal text) and operator rates (VND), and record
the rate, date and source they used."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import InvalidInput
from dualcirc.deals.domain import accept_offer
from dualcirc.deals.models import AuditEntry, ExchangeRate
from dualcirc.deals.money import (
    RateMissing,
    convert,
    ecb_rate,
    import_exchange_rates,
    rate_table,
    set_exchange_rate,
)
from dualcirc.deals.queries import compare_quotes
from tests.factories.deals import make_deal_world, make_quote, make_request

pytestmark = pytest.mark.django_db

DAY = date(2024, 3, 15)  # the ECB fixed USD 1.0892, CNY 7.838, JPY 162.03 that day


def test_ecb_rate_is_read_as_exact_decimal_text():
    rate = ecb_rate("USD", DAY)
    assert rate is not None
    assert (rate.per_eur, rate.date, rate.source) == (Decimal("1.0892"), DAY, "ecb")
    saturday = ecb_rate("USD", date(2024, 3, 16))
    assert saturday is not None and saturday.date == DAY  # the latest rate on or before


def test_convert_usd_to_cny_records_rate_and_date():
    conversion = convert(Decimal("100.00"), "USD", "CNY", on=DAY)
    assert conversion.rate == Decimal("7.19610723467")
    assert conversion.converted == Decimal("719.61")
    assert (conversion.rate_date, conversion.source) == (DAY, "ecb")
    assert conversion.as_dict()["rate"] == "7.19610723467"


def test_convert_rounds_to_the_minor_unit_of_the_target():
    assert convert(Decimal("100"), "USD", "JPY", on=DAY).converted == Decimal("14876")


def test_convert_refuses_floats():
    with pytest.raises(TypeError):
        convert(1.5, "USD", "CNY")  # type: ignore[arg-type]


def test_convert_vnd_needs_an_operator_rate():
    with pytest.raises(RateMissing) as exc:
        convert(Decimal("1000000"), "VND", "CNY", on=DAY)
    assert "VND" in str(exc.value)


def test_convert_vnd_with_an_operator_rate_records_it():
    world = make_deal_world()
    set_exchange_rate(actor=world.operator, currency="VND", base="CNY", rate="3450", on=DAY)
    conversion = convert(Decimal("3450000"), "VND", "CNY", on=DAY)
    assert conversion.converted == Decimal("1000.00")
    assert (conversion.rate_date, conversion.source) == (DAY, "ecb+operator")
    to_usd = convert(Decimal("1000.00"), "USD", "VND", on=DAY)
    assert to_usd.converted == Decimal("24826570")  # 1000 × 7.838 × 3450 / 1.0892
    entry = AuditEntry.objects.get(subject_type="rate")
    assert entry.note == "1 CNY = 3450 VND (2024-03-15)"


def test_set_exchange_rate_is_for_the_operator_and_checks_its_fields():
    world = make_deal_world()
    with pytest.raises(AccessDenied):
        set_exchange_rate(actor=world.buyer, currency="VND", rate="3450", on=DAY)
    with pytest.raises(InvalidInput) as exc:
        set_exchange_rate(actor=world.operator, currency="VND", rate="-1", on=DAY)
    assert exc.value.errors[0].field == "rate"
    with pytest.raises(InvalidInput) as exc:
        set_exchange_rate(actor=world.operator, currency="XQQ", rate="1", on=DAY)
    assert exc.value.errors[0].field == "currency"


def test_import_exchange_rates_is_all_or_nothing_naming_rows():
    world = make_deal_world()
    with pytest.raises(InvalidInput) as exc:
        import_exchange_rates(
            actor=world.operator,
            text="date,currency,base,rate\n2024-03-14,VND,CNY,3440\n2024-13-01,VND,CNY,x\n",
        )
    assert [(e.field, e.row) for e in exc.value.errors] == [("date", 3)]
    assert ExchangeRate.objects.count() == 0
    rows = import_exchange_rates(
        actor=world.operator,
        text="date,currency,base,rate\n2024-03-14,VND,CNY,3440\n2024-03-15,VND,USD,24700\n",
    )
    assert [(r.currency, r.base, r.rate) for r in rows] == [
        ("VND", "CNY", Decimal("3440.0000000000")),
        ("VND", "USD", Decimal("24700.0000000000")),
    ]
    # the newest row wins: 24700 VND per USD on the 15th
    assert convert(Decimal("1.00"), "USD", "VND", on=DAY).converted == Decimal("24700")


def test_rate_table_uses_the_same_store(django_assert_max_num_queries):
    world = make_deal_world()
    set_exchange_rate(actor=world.operator, currency="VND", base="CNY", rate="3450", on=DAY)
    # one operator-rate lookup per currency (VND's includes its base); the base's only once
    with django_assert_max_num_queries(12):
        table = rate_table(DAY)
    assert table.base == "CNY"
    assert table.as_of == "2024-03-15"
    assert table.rates["CNY"] == Decimal(1)
    assert table.rates["USD"] == Decimal("7.19610723467")
    converted = table.convert(Decimal(3450), "VND", "CNY")
    assert converted is not None and converted.quantize(Decimal("0.000001")) == Decimal(1)


def test_compare_quotes_converts_into_the_buyers_currency_with_rate_and_date():
    world = make_deal_world()
    set_exchange_rate(actor=world.operator, currency="VND", base="CNY", rate="3450", on=DAY)
    request = make_request(world, currency="CNY")
    make_quote(world, request, unit_price="100", currency="USD")
    make_quote(world, request, user=world.other_user, unit_price="2070000", currency="VND")
    rows = compare_quotes(request)
    assert [(r.quote.supplier, r.unit_price.currency) for r in rows if r.unit_price] == [
        (world.other_supplier, "VND"),
        (world.supplier, "USD"),
    ]
    vnd = rows[0].unit_price
    assert vnd is not None
    assert vnd.converted == Decimal("600.00")  # the operator's rate is the newest for VND
    assert vnd.source == "ecb+operator"
    assert rows[0].total is not None and rows[0].total.converted == Decimal("120000.00")


def test_accepted_order_records_its_cny_value_and_rate():
    world = make_deal_world()
    # An operator rate newer than the ECB series: 1 USD = 7.1 CNY today, so by hand
    # 200 × 100 USD = 20000 USD = 142000.00 CNY.
    today = timezone.localdate()
    set_exchange_rate(actor=world.operator, currency="CNY", base="USD", rate="7.1", on=today)
    quote = make_quote(world, unit_price="100", currency="USD")
    order = accept_offer(actor=world.buyer, quote=quote, offer_number=1)
    order.refresh_from_db()
    assert (order.total_amount, order.value_cny, order.cny_rate) == (
        Decimal("20000.00"),
        Decimal("142000.00"),
        Decimal("7.1"),
    )
    usd = ecb_rate("USD", today)
    assert usd is not None and order.cny_rate_date == usd.date  # the older of the two rates
    assert {k: order.terms["value_cny"][k] for k in ("converted", "source")} == {
        "converted": "142000.00",
        "source": "ecb+operator",
    }


def test_compare_quotes_prices_the_quantity_tier_the_request_reaches():
    world = make_deal_world()
    request = make_request(world, currency="USD", quantity="600")
    make_quote(
        world,
        request,
        unit_price="128.50",
        currency="USD",
        tiers=[
            {"min_quantity": "500", "unit_price": "118.00"},
            {"min_quantity": "1000", "unit_price": "110.00"},
        ],
    )
    [row] = compare_quotes(request)
    assert row.price == Decimal("118.0000")  # 600 reaches the 500 tier, not the 1000 one
    assert row.unit_price is not None and row.unit_price.converted == Decimal("118.00")
    assert row.total is not None and row.total.converted == Decimal("70800.00")  # 600 × 118
