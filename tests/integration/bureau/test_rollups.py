"""The pre-aggregated YearlySales: kept equal to the sales lines, and indicators over periods
that span two years read them right (hand-computed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from dualcirc.bureau.domain.figures import FiguresInput, submit_figures
from dualcirc.bureau.domain.rollups import rebuild_yearly_sales
from dualcirc.bureau.indicators import month_index
from dualcirc.bureau.models import YearlySales
from dualcirc.bureau.queries import compute_indicators
from dualcirc.bureau.scopes import resolve_scope
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import make_enterprise_user, make_government_user
from tests.factories.bureau import make_figures

pytestmark = pytest.mark.django_db


def rows(enterprise) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    return list(
        YearlySales.objects.filter(enterprise=enterprise)
        .order_by("year", "kind", "market", "mode")
        .values_list("year", "kind", "market", "mode", "m3", "m4")
    )


def test_yearly_sales_follow_submissions_and_corrections() -> None:
    enterprise = make_enterprise()
    member = make_enterprise_user(enterprise=enterprise)
    march = FiguresInput(
        revenue=D(100), domestic={"tmall": D(40)}, exports={("US", "general_trade"): D(60)}
    )
    submit_figures(actor=member, enterprise=enterprise, month=dt.date(2025, 3, 1), data=march)
    submit_figures(
        actor=member,
        enterprise=enterprise,
        month=dt.date(2025, 4, 1),
        data=FiguresInput(exports={("US", "general_trade"): D(5)}),
    )
    assert rows(enterprise) == [
        (2025, "domestic", "tmall", "", D("40.00"), D("0.00")),
        (2025, "export", "US", "general_trade", D("60.00"), D("5.00")),
    ]

    corrected = FiguresInput(revenue=D(100), exports={("VN", "general_trade"): D(70)})
    submit_figures(
        actor=member,
        enterprise=enterprise,
        month=dt.date(2025, 3, 1),
        data=corrected,
        expected_version=1,
        reason="wrong country",
    )

    assert rows(enterprise) == [
        (2025, "export", "US", "general_trade", D("0.00"), D("5.00")),
        (2025, "export", "VN", "general_trade", D("70.00"), D("0.00")),
    ]


def test_rebuilding_everything_gives_the_same_rows() -> None:
    enterprise = make_enterprise()
    make_figures(
        enterprise=enterprise, month="2024-12", exports={"US": 10, "JP": 5}, domestic={"jd": 7}
    )
    make_figures(enterprise=enterprise, month="2025-01", exports={"US": 20})
    before = rows(enterprise) + [tuple(r) for r in YearlySales.objects.values_list("m1", "m12")]
    rebuild_yearly_sales()
    after = rows(enterprise) + [tuple(r) for r in YearlySales.objects.values_list("m1", "m12")]
    assert before == after
    assert YearlySales.objects.count() == 4  # 2024: US, JP, jd; 2025: US


def test_trailing_twelve_months_across_two_years_match_hand_computed_values() -> None:
    regions = make_region_tree()
    a, b, c = (make_enterprise(region=regions["laixi"]) for _ in range(3))
    make_figures(enterprise=a, month="2024-06", revenue=1, exports={"US": 70})  # outside
    make_figures(
        enterprise=a,
        month="2024-12",
        revenue=1,
        domestic={"tmall": 5},
        exports={"US:cross_border_ecommerce": 30},
    )
    make_figures(enterprise=a, month="2025-06", revenue=1, exports={"US": 60, "VN": 20})
    make_figures(
        enterprise=b, month="2025-06", revenue=1, domestic={"jd": 15}, exports={"US": 40, "DE": 40}
    )
    make_figures(enterprise=c, month="2024-12", revenue=1, exports={"US": 10})
    scope = resolve_scope(
        actor=make_government_user(region=regions["laixi"]), param="region:370285"
    )

    result = compute_indicators(scope=scope, period="ttm", anchor=month_index(2025, 6))

    # July 2024 – June 2025: US 30 + 60 (a) + 40 (b) + 10 (c) = 140, by 3 enterprises.
    assert result.destinations is not None
    assert (result.destinations.shown, result.destinations.hidden) == (
        {"US": D("140.00")},
        D("60.00"),
    )
    assert result.modes == [("general_trade", D("170.00")), ("cross_border_ecommerce", D("30.00"))]
    assert result.channels == [("jd", D("15.00")), ("tmall", D("5.00"))]
    assert result.totals["export_sales"] == D("200.00")
