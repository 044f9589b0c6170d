"""The demo figures are deterministic and feed the indicators."""

from __future__ import annotations

import datetime as dt

import pytest

from dualcirc.bureau.demo import generate_demo_figures
from dualcirc.bureau.models import ExportSalesLine, MonthlyFigures
from tests.factories import make_enterprise, make_region_tree

pytestmark = pytest.mark.django_db


def test_generate_demo_figures_is_deterministic_and_skips_reported_months() -> None:
    regions = make_region_tree()
    ents = [make_enterprise(region=regions["laixi"]) for _ in range(2)]
    end = dt.date(2025, 6, 1)
    assert generate_demo_figures(months=24, end=end) == 48
    first = list(MonthlyFigures.objects.order_by("enterprise_id", "month")
                 .values_list("enterprise_id", "month", "revenue", "export_sales"))  # fmt: skip
    assert generate_demo_figures(months=24, end=end) == 0
    MonthlyFigures.objects.all().delete()
    generate_demo_figures(months=24, end=end, enterprises=None)
    again = list(MonthlyFigures.objects.order_by("enterprise_id", "month")
                 .values_list("enterprise_id", "month", "revenue", "export_sales"))  # fmt: skip
    assert again == first
    assert (first[0][1], first[-1][1]) == (dt.date(2023, 7, 1), dt.date(2025, 6, 1))
    f = MonthlyFigures.objects.filter(enterprise=ents[0]).first()
    assert f is not None
    lines = sum(ExportSalesLine.objects.filter(figures=f).values_list("amount", flat=True))
    assert lines == f.export_sales
