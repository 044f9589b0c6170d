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


def test_reporting_demo_plays_each_step_of_the_cycle_once() -> None:
    from dualcirc.bureau.demo import not_reported_yet, stage_reporting_demo
    from dualcirc.bureau.domain.reporting import collecting_month
    from dualcirc.catalog.models import Enterprise
    from tests.factories.api import make_enterprise_user, make_government_user

    regions = make_region_tree()
    ents = [make_enterprise(region=regions["laixi"], name_zh=f"演示{i}厂") for i in range(12)]
    for e in ents:
        make_enterprise_user(enterprise=e)
    make_government_user(region=regions["qingdao"])
    assert any(not_reported_yet(e) for e in ents)  # the seed leaves some out
    generate_demo_figures(months=3)
    month = collecting_month()
    missing = {e.pk for e in ents if not_reported_yet(e)}
    assert (
        set(Enterprise.objects.exclude(monthly_figures__month=month).values_list("pk", flat=True))
        == missing
    )

    played = stage_reporting_demo(enterprises=Enterprise.objects.all())
    again = stage_reporting_demo(enterprises=Enterprise.objects.all())

    assert played == {"jump": 1, "returned": 1, "accepted": 2, "late": 2}
    assert again == {"jump": 0, "returned": 0, "accepted": 0, "late": 0}
    statuses = sorted(MonthlyFigures.objects.filter(month=month).values_list("status", flat=True))
    assert statuses.count("returned") == 1 and statuses.count("accepted") == 2
    jumpy = MonthlyFigures.objects.filter(month=month).exclude(jumps=[])
    assert [(f.jumps_confirmed, bool(f.jump_explanation)) for f in jumpy] == [(True, True)]
