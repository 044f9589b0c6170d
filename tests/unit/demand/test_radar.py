"""The radar's figures from recorded signals: volume, change, unmet, competition, the 3-buyer
rule, retention and the filters' errors (real database, signals written as the domain does)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from dualcirc.core.errors import InvalidInput
from dualcirc.demand.domain import (
    buyer_key,
    delete_expired_signals,
    month_of,
    normalise_product_type,
    rebuild_demand_months,
)
from dualcirc.demand.enums import GapReason, SignalKind
from dualcirc.demand.gap_queries import enterprise_gaps, region_gaps
from dualcirc.demand.models import DemandSignal
from dualcirc.demand.queries import (
    Asked,
    Offered,
    Radar,
    RadarFilters,
    Range,
    convert_shown,
    demand_radar,
    demand_radar_from_signals,
    parse_page,
    unmet_demand,
)
from dualcirc.l10n.rates import Converter, RateBook
from tests.factories import make_enterprise, make_product, make_region_tree

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 15)
NOV = month_of(TODAY)


def add(n_buyers: int, *, month: int = NOV, per_buyer: int = 1, **fields: Any) -> None:
    """``per_buyer`` signals from each of ``n_buyers`` distinct buyers."""
    fields.setdefault("kind", SignalKind.SEARCH)
    fields.setdefault("language", "en")
    rows = [
        DemandSignal(
            month=month,
            recorded_on=date(month // 12, month % 12 + 1, 1),
            buyer_key=buyer_key(1000 + b),
            **fields,
        )
        for b in range(n_buyers)
        for _ in range(per_buyer)
    ]
    DemandSignal.objects.bulk_create(rows)


def filters(**kw: str) -> RadarFilters:
    return RadarFilters.parse({"from": "2026-01", "to": "2026-11", **kw}, today=TODAY)


def radar_of(f: RadarFilters) -> Radar:
    """The radar from its pre-aggregated rows, checked against the plain GROUP BY."""
    rebuild_demand_months(months=set(DemandSignal.objects.values_list("month", flat=True)))
    found = demand_radar(filters=f)
    assert found == demand_radar_from_signals(filters=f)
    return found


def test_buyer_key_is_stable_per_organisation_and_not_the_id():
    assert buyer_key(7) == buyer_key(7)
    assert buyer_key(7) != buyer_key(8)
    assert len(buyer_key(7)) == 16
    assert buyer_key(7) != "7"


def test_product_type_keeps_only_normalised_words():
    assert normalise_product_type("  Nón   LÁ  ") == "nón lá"
    assert len(normalise_product_type("x" * 500)) == 80


def test_radar_counts_volume_change_unmet_and_competition():
    add(4, month=NOV - 1, hs_heading="9403", market="DE", good_matches=5)
    add(4, month=NOV, per_buyer=2, hs_heading="9403", market="DE", good_matches=5)
    add(3, month=NOV, hs_heading="9403", market="DE", good_matches=0)
    enterprise = make_enterprise()
    make_product(enterprise=enterprise, hs_code="940360")
    make_product(enterprise=enterprise, hs_code="940390")
    make_product(enterprise=enterprise, hs_code="940161")  # another heading

    radar = radar_of(filters())

    november = [r for r in radar.rows if r.month == NOV]
    assert len(november) == 1
    row = november[0]
    assert (row.subject, row.market, row.language) == ("9403", "DE", "en")
    assert row.volume == 11
    assert row.previous == 4
    assert row.change == Decimal("175.0")
    assert row.unmet == 3
    assert row.buyers == 4  # the three of the unmet searches are among the four
    assert row.listings == 2
    assert row.per_listing == Decimal("5.50")
    assert radar.trend == [(NOV - 1, 4), (NOV, 11)]


def test_radar_hides_rows_with_fewer_than_three_buyers():
    add(2, per_buyer=10, hs_heading="6505", market="VN")
    add(3, hs_heading="9403", market="VN")

    radar = radar_of(filters())

    assert [(r.subject, r.volume) for r in radar.rows] == [("9403", 3)]
    assert radar.hidden == 1


def test_anonymous_searches_add_volume_but_never_make_up_the_three_buyers():
    add(2, hs_heading="6505")
    DemandSignal.objects.bulk_create(
        [
            DemandSignal(
                kind=SignalKind.SEARCH,
                month=NOV,
                recorded_on=TODAY,
                hs_heading="6505",
                language="en",
            )
            for _ in range(20)
        ]
    )

    radar = radar_of(filters())

    assert radar.rows == []
    assert radar.hidden == 1


def test_radar_filters_by_market_language_kind_and_subject():
    add(3, hs_heading="9403", market="DE", language="en")
    add(3, product_type="nón lá", market="VN", language="vi")
    add(3, hs_heading="9403", market="VN", language="vi", kind=SignalKind.SOURCING_REQUEST)

    in_vietnam = radar_of(filters(market="vn")).rows
    assert sorted(r.subject for r in in_vietnam) == ["9403", "nón lá"]
    only_words = radar_of(filters(subject="Nón lá")).rows
    assert [(r.subject, r.market, r.language) for r in only_words] == [("nón lá", "VN", "vi")]
    requests = radar_of(filters(kind=SignalKind.SOURCING_REQUEST)).rows
    assert [(r.subject, r.market) for r in requests] == [("9403", "VN")]
    assert [r.market for r in radar_of(filters(language="en")).rows] == ["DE"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13"}, "from"),
        ({"to": "last month"}, "to"),
        ({"kind": "phone_call"}, "kind"),
        ({"market": "XX"}, "market"),  # no such country, no such market in the signals
        ({"market": "Viet Nam"}, "market"),
        ({"language": "fr"}, "language"),  # not a language queries are read in
        ({"from": "2026-10", "to": "2026-01"}, "from"),
    ],
)
def test_radar_filters_name_the_bad_parameter(params, field):
    with pytest.raises(InvalidInput) as exc:
        RadarFilters.parse(params, today=TODAY)

    assert [e.field for e in exc.value.errors] == [field]


def test_retention_deletes_only_signals_older_than_the_setting(settings):
    settings.DEMAND_RETENTION_DAYS = 30
    now = timezone.make_aware(datetime(2026, 11, 15, 12))
    for days in (0, 29, 30, 31, 400):
        day = TODAY - timedelta(days=days)
        DemandSignal.objects.create(
            kind=SignalKind.SEARCH, month=month_of(day), recorded_on=day, product_type=str(days)
        )

    deleted = delete_expired_signals(now=now)

    assert deleted == 2
    assert sorted(DemandSignal.objects.values_list("product_type", flat=True)) == [
        "0",
        "29",
        "30",
    ]
    assert delete_expired_signals(now=now) == 0


def _furniture_maker():
    enterprise = make_enterprise(export_markets=["US"], certifications=[])
    table = make_product(
        enterprise=enterprise,
        hs_code="940360",
        moq=Decimal("50"),
        unit="pcs",
        price_min=Decimal("120"),
        currency="USD",
        certifications=["FSC"],
        export_markets=["DE"],
    )
    return enterprise, table


def test_gaps_list_what_a_product_nearly_matches_with_its_buyers():
    enterprise, table = _furniture_maker()
    add(3, hs_heading="9403", quantity=Decimal("20"), unit="pcs")  # MOQ too high
    add(4, hs_heading="9403", price_max=Decimal("100"), currency="USD")  # price above
    add(3, hs_heading="9403", certifications=["CE"])  # missing certification
    add(5, hs_heading="9403", market="FR")  # market not served
    add(3, hs_heading="9403", market="US", certifications=["FSC"])  # met: no gap
    add(2, hs_heading="9403", market="JP")  # under three buyers: hidden
    # misses on three counts at once: not "nearly" matching
    add(
        3,
        hs_heading="9403",
        quantity=Decimal("1"),
        unit="pcs",
        price_max=Decimal("1"),
        currency="USD",
        market="BR",
    )
    add(3, hs_heading="6505", market="FR")  # another heading

    gaps, hidden = enterprise_gaps(enterprise=enterprise, today=TODAY)

    assert [(g.product.pk, g.reason, g.detail, g.buyers) for g in gaps] == [
        (table.pk, GapReason.MARKET, "FR", 5),
        (table.pk, GapReason.PRICE, "100.00 USD", 4),
        (table.pk, GapReason.CERTIFICATION, "CE", 3),
        (table.pk, GapReason.MOQ, "20 pcs", 3),
    ]
    assert hidden == 1


def test_gaps_convert_the_ceiling_into_the_product_currency():
    enterprise, _table = _furniture_maker()
    # 2000 CNY is well above 120 USD, 500 CNY well below
    add(3, hs_heading="9403", price_max=Decimal("2000"), currency="CNY")
    add(3, hs_heading="9403", price_max=Decimal("500"), currency="CNY")

    gaps, _hidden = enterprise_gaps(enterprise=enterprise, today=TODAY)

    assert [(g.reason, g.detail) for g in gaps] == [(GapReason.PRICE, "500.00 CNY")]


def test_convert_shown_leaves_out_an_amount_with_no_known_rate():
    no_operator_rates = Converter(TODAY, book=RateBook())  # the ECB series has no VND

    assert convert_shown(Decimal("250000"), "VND", "CNY", no_operator_rates) is None
    assert convert_shown(Decimal("10"), "usd", "USD", no_operator_rates) == Decimal("10")
    assert convert_shown(Decimal("10"), "", "USD", no_operator_rates) == Decimal("10")
    in_cny = convert_shown(Decimal("10"), "USD", "CNY", no_operator_rates)
    assert in_cny == no_operator_rates.convert(Decimal("10"), "USD", "CNY").converted
    assert in_cny is not None and in_cny.as_tuple().exponent == -2


def test_an_ask_in_a_currency_with_no_rate_is_neither_a_gap_nor_an_asked_price(settings):
    settings.DEMAND_CURRENCY = "USD"
    enterprise, _table = _furniture_maker()  # 120 USD
    add(3, hs_heading="9403", market="US", price_max=Decimal("100"), currency="VND")
    add(3, hs_heading="9403", market="US", price_max=Decimal("100"), currency="USD")

    gaps, hidden = enterprise_gaps(enterprise=enterprise, today=TODAY)
    rows = radar_of(filters()).rows

    # without a rate, 100 VND cannot be compared with 120 USD: only the USD ask is a gap
    assert [(g.reason, g.detail) for g in gaps] == [(GapReason.PRICE, "100.00 USD")]
    assert hidden == 0
    assert [(r.subject, r.market, r.asked.price) for r in rows] == [
        ("9403", "US", Range(Decimal("100.00"), Decimal("100.00"), "USD"))
    ]


def test_region_rollup_and_unmet_demand_leave_out_what_the_region_offers():
    regions = make_region_tree()
    inside, _table = _furniture_maker()
    inside.region = regions["laixi"]
    inside.save()
    add(3, hs_heading="9403", market="FR")
    add(4, hs_heading="9403", good_matches=0, market="VN")  # the region lists 9403
    add(3, hs_heading="6505", good_matches=0, market="VN")  # nobody lists 6505
    add(3, product_type="nón lá", good_matches=0, market="VN", language="vi")

    rollup = region_gaps(enterprises=[inside])
    unmet = unmet_demand(region_path=regions["shandong"].path, today=TODAY)

    # FR (3 buyers) and VN (4 buyers) are the same 4 buyers (keys 1000–1003): distinct, not 7
    assert [(r.enterprise.pk, r.by_reason) for r in rollup] == [(inside.pk, {GapReason.MARKET: 4})]
    assert [(r.subject, r.market, r.buyers) for r in unmet] == [
        ("6505", "VN", 3),
        ("nón lá", "VN", 3),
    ]


def test_asked_and_offered_stand_on_three_buyers_in_one_currency(settings):
    settings.DEMAND_CURRENCY = "USD"
    ask = {"hs_heading": "9403", "market": "DE", "unit": "pcs", "currency": "USD"}
    add(3, quantity=Decimal("20"), price_max=Decimal("100"), certifications=["FSC", "ce"], **ask)
    add(3, quantity=Decimal("500"), price_max=Decimal("150"), **ask)
    # two buyers only: a unit, a currency and a certification that are not shown
    add(2, hs_heading="9403", market="DE", quantity=Decimal("5"), unit="sets")
    add(2, hs_heading="9403", market="DE", price_max=Decimal("1"), currency="EUR")
    add(2, hs_heading="9403", market="DE", certifications=["BSCI"])
    add(3, kind=SignalKind.BOOTH_VISIT, hs_heading="9403", market="DE")  # asks for no terms
    enterprise = make_enterprise(certifications=["ISO9001"])
    make_product(
        enterprise=enterprise,
        hs_code="940360",
        moq=Decimal("50"),
        price_min=Decimal("120"),
        price_max=Decimal("150"),
        certifications=["FSC"],
    )
    make_product(
        enterprise=enterprise,
        hs_code="940390",
        moq=Decimal("10"),
        price_min=Decimal("80"),
        price_max=None,
        currency="USD",
    )
    make_product(enterprise=enterprise, hs_code="940390", moq=Decimal("1"), unit="sets")

    every_kind = radar_of(filters())
    searches = radar_of(filters(kind="search"))

    row = every_kind.rows[0]
    assert (row.subject, row.market) == ("9403", "DE")
    assert row.asked == Asked(
        quantity=Range(Decimal("20"), Decimal("500"), "pcs"),
        price=Range(Decimal("100"), Decimal("150"), "USD"),
        certifications=["CE", "FSC"],
    )
    assert str(row.asked.quantity) == "20–500 pcs"
    assert row.offered == Offered(
        listings=3,
        moq=Range(Decimal("10"), Decimal("50"), "pcs"),  # the unit most listings use
        price=Range(Decimal("80"), Decimal("150"), "USD"),
        certifications=["ISO9001", "FSC"],  # held by all three listings' enterprise first
    )
    assert searches.rows[0].asked == row.asked
    assert every_kind.currency == "USD"


def test_the_radar_pages_through_every_shown_row():
    for market in ("DE", "FR", "VN", "US", "BR"):
        add(3, hs_heading="9403", market=market)
    rebuild_demand_months(months={NOV})

    first = demand_radar(filters=filters(), limit=2)
    second = demand_radar(filters=filters(), limit=2, offset=2)
    third = demand_radar(filters=filters(), limit=2, offset=4)
    everything = demand_radar(filters=filters(), limit=None)

    assert (first.total, len(first.rows), len(second.rows), len(third.rows)) == (5, 2, 2, 1)
    assert [r.market for r in first.rows + second.rows + third.rows] == [
        r.market for r in everything.rows
    ]
    assert third.offset == 4


def test_a_page_number_is_checked():
    assert parse_page({}) == 1
    assert parse_page({"page": "3"}) == 3
    for bad in ("0", "-1", "x", "1.5"):
        with pytest.raises(InvalidInput) as caught:
            parse_page({"page": bad})
        assert [e.field for e in caught.value.errors] == ["page"]
