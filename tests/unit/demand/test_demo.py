"""The demo's year of signals: the radar, the unmet demand and a factory's gaps are not empty,
and running the demo again writes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dualcirc.demand.demo import generate_demo_signals
from dualcirc.demand.domain import month_of
from dualcirc.demand.gap_queries import enterprise_gaps
from dualcirc.demand.models import DemandSignal
from dualcirc.demand.queries import RadarFilters, demand_radar, unmet_demand
from tests.factories import make_enterprise, make_product

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 15)


def test_demo_signals_fill_the_radar_the_unmet_list_and_the_gaps():
    maker = make_enterprise(export_markets=["US"])
    for n, hs in enumerate(("940360", "940161", "630260", "611030")):
        make_product(enterprise=maker, hs_code=hs, sku=f"D-{n}", moq=Decimal("100"))

    written = generate_demo_signals(today=TODAY)
    again = generate_demo_signals(today=TODAY)

    assert written == DemandSignal.objects.count() > 500
    assert again == 0
    radar = demand_radar(
        filters=RadarFilters(month_from=month_of(TODAY) - 11, month_to=month_of(TODAY))
    )
    assert radar.total > 0
    assert [m for m, _n in radar.trend] == list(range(month_of(TODAY) - 11, month_of(TODAY) + 1))
    unmet = {(r.subject, r.market) for r in unmet_demand(today=TODAY)}
    assert {("nón lá", "VN"), ("electric bike", "TH")} <= unmet
    gaps, _hidden = enterprise_gaps(enterprise=maker, today=TODAY)
    assert {g.reason for g in gaps} >= {"moq", "market"}
