"""Indicators of scopes computed from the database, checked against hand-computed figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dualcirc.bureau.domain.alerts import refresh_alerts
from dualcirc.bureau.indicators import month_index
from dualcirc.bureau.models import Alert, current_settings
from dualcirc.bureau.queries import compute_indicators
from dualcirc.bureau.scopes import resolve_scope
from dualcirc.core.access import AccessDenied
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import make_enterprise_user, make_government_user, make_operator
from tests.factories.bureau import make_figures

pytestmark = pytest.mark.django_db

JUNE = month_index(2025, 6)


@pytest.fixture
def laixi():  # type: ignore[no-untyped-def]
    """Three Laixi enterprises and one in Jiaozhou, June 2024 and June 2025."""
    regions = make_region_tree()
    a, b, c = (make_enterprise(region=regions["laixi"]) for _ in range(3))
    other = make_enterprise(region=regions["jiaozhou"])
    # a: 100 → 120 (exports US 60, VN 20; domestic 40)
    make_figures(
        enterprise=a,
        month="2024-06",
        revenue=100,
        output_value=100,
        domestic={"tmall": 30},
        exports={"US": 70},
    )
    make_figures(
        enterprise=a,
        month="2025-06",
        revenue=120,
        output_value=110,
        domestic={"tmall": 40},
        exports={"US": 60, "VN": 20},
    )
    # b: 200 → 180
    make_figures(
        enterprise=b,
        month="2024-06",
        revenue=200,
        output_value=200,
        domestic={"offline_wholesale": 100},
        exports={"US": 100},
    )
    make_figures(
        enterprise=b,
        month="2025-06",
        revenue=180,
        output_value=190,
        domestic={"offline_wholesale": 100},
        exports={"US": 40, "DE": 40},
    )
    # c: new this year, not comparable
    make_figures(
        enterprise=c,
        month="2025-06",
        revenue=50,
        output_value=50,
        domestic={"jd": 50},
        exports={"US": 0},
    )
    make_figures(
        enterprise=other, month="2025-06", revenue=999, output_value=999, domestic={"jd": 999}
    )
    return {"regions": regions, "a": a, "b": b, "c": c, "other": other}  # fmt: skip


def test_region_indicators_match_hand_computed_values(laixi) -> None:  # type: ignore[no-untyped-def]
    gov = make_government_user(region=laixi["regions"]["laixi"])
    scope = resolve_scope(actor=gov, param="region:370285")
    result = compute_indicators(scope=scope, period="month", anchor=JUNE)
    assert (result.enterprises, result.suppressed) == (3, False)
    assert result.totals["revenue"] == D(350)
    # Comparable: a and b. (120 + 180) / (100 + 200) − 1 = 0 %; c is left out.
    yoy = result.yoy["revenue"]
    assert (yoy.rate, yoy.compared, yoy.left_out) == (D("0.0"), 2, 1)
    # Output: (110 + 190) / (100 + 200) = 0 %; exports (80 + 80) / (70 + 100) − 1 = −5.9 %.
    assert result.yoy["export_sales"].rate == D("-5.9")
    # Domestic 190 of sales 350.
    assert result.domestic_share == D("54.3")
    # Destinations: US 100, VN 20, DE 40 → 62.5², 12.5², 25² = 3906.25 + 156.25 + 625.
    assert result.hhi == D(4688)
    # US is served by 2 enterprises, VN and DE by 1: all under 3 → merged.
    assert (result.destinations.shown, result.destinations.hidden) == ({}, D(160))
    asean = dict((g.slug, s) for g, s in result.market_groups)["asean"]
    assert asean == D("12.5")
    # E-commerce (tmall 40, jd 50) of domestic 190.
    assert result.ecommerce_share == D("47.4")
    assert result.new_enterprises == 0  # created today, outside June 2025


def test_small_groups_are_suppressed(laixi) -> None:  # type: ignore[no-untyped-def]
    gov = make_government_user(region=laixi["regions"]["qingdao"])
    scope = resolve_scope(actor=gov, param="region:370281")  # Jiaozhou: one enterprise
    result = compute_indicators(scope=scope, period="month", anchor=JUNE)
    assert (result.enterprises, result.suppressed, result.totals) == (1, True, {})


def test_enterprise_scope_is_never_suppressed_and_is_its_own(laixi) -> None:  # type: ignore[no-untyped-def]
    user = make_enterprise_user(enterprise=laixi["a"])
    scope = resolve_scope(actor=user, param=f"enterprise:{laixi['a'].pk}")
    result = compute_indicators(scope=scope, period="month", anchor=JUNE)
    assert (result.suppressed, result.totals["revenue"], result.yoy["revenue"].rate) == (
        False, D(120), D("20.0"),
    )  # fmt: skip
    with pytest.raises(AccessDenied):
        resolve_scope(actor=user, param=f"enterprise:{laixi['b'].pk}")


def test_county_bureau_cannot_see_another_county(laixi) -> None:  # type: ignore[no-untyped-def]
    gov = make_government_user(region=laixi["regions"]["jiaozhou"])
    with pytest.raises(AccessDenied):
        resolve_scope(actor=gov, param="region:370285")
    with pytest.raises(AccessDenied):
        resolve_scope(actor=gov, param=f"enterprise:{laixi['a'].pk}")
    with pytest.raises(AccessDenied):
        resolve_scope(actor=make_enterprise_user(enterprise=laixi["a"]), param="region:370285")


def test_compute_indicators_query_count_does_not_grow(laixi) -> None:  # type: ignore[no-untyped-def]
    scope = resolve_scope(actor=make_operator(), param="region:3702")
    current_settings()
    with CaptureQueriesContext(connection) as few:
        compute_indicators(scope=scope, period="ytd", anchor=JUNE)
    for _ in range(5):
        e = make_enterprise(region=laixi["regions"]["laixi"])
        make_figures(enterprise=e, month="2025-06", revenue=10, exports={"KR": 5})
    with CaptureQueriesContext(connection) as many:
        compute_indicators(scope=scope, period="ytd", anchor=JUNE)
    assert len(many) == len(few)


def test_refresh_alerts_raises_clears_and_keeps_reasons(laixi) -> None:  # type: ignore[no-untyped-def]
    count = refresh_alerts(month=JUNE, today=dt.date(2025, 7, 20))
    reasons = sorted(Alert.objects.values_list("enterprise__region__code", "reason", "level"))
    # c exports nothing to speak of; a: US 75 % of exports; b: US/DE 50/50;
    # other (Jiaozhou): no exports. Nobody misses June.
    assert reasons == [("370285", "destination_concentration", "blue")]
    assert count == 1
    assert refresh_alerts(month=JUNE + 1, today=dt.date(2025, 8, 20)) == 4  # July missing
    assert set(
        Alert.objects.filter(month=dt.date(2025, 7, 1)).values_list("reason", flat=True)
    ) == {"missing_report"}
