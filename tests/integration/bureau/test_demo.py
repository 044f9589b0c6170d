"""The demo figures are deterministic and feed the indicators."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from dualcirc.bureau.demo import generate_demo_figures
from dualcirc.bureau.models import ExportSalesLine, MonthlyFigures
from tests.factories import make_enterprise, make_region_tree, valid_credit_code

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


def _demo_credit_codes(*, missing: int, reporting: int) -> tuple[list[str], list[str]]:
    """Credit codes the demo counts as not reported yet (``missing`` of them) and as reported
    (``reporting``). The demo's seed hashes the credit code, and the factories number their
    codes with a counter shared by every test, so the codes are taken from a fixed range of
    their own: which enterprises miss the month must not depend on the tests run before."""
    from dualcirc.bureau.demo import not_reported_yet
    from dualcirc.catalog.models import Enterprise

    out: list[str] = []
    kept: list[str] = []
    for n in itertools.count(100_000):
        code = valid_credit_code(n)
        pile = out if not_reported_yet(Enterprise(credit_code=code)) else kept
        pile.append(code)
        if len(out) >= missing and len(kept) >= reporting:
            return out[:missing], kept[:reporting]
    raise AssertionError("unreachable")  # pragma: no cover - itertools.count never ends


def test_reporting_demo_plays_each_step_of_the_cycle_once() -> None:
    from dualcirc.bureau.demo import stage_reporting_demo
    from dualcirc.bureau.domain.reporting import collecting_month
    from dualcirc.catalog.models import Enterprise
    from tests.factories.api import make_enterprise_user, make_government_user

    regions = make_region_tree()
    out_codes, in_codes = _demo_credit_codes(missing=3, reporting=9)
    # Interleaved, so that the missing ones are neither the first nor the last by pk.
    codes = in_codes[:4] + out_codes[:2] + in_codes[4:7] + out_codes[2:] + in_codes[7:]
    ents = [
        make_enterprise(region=regions["laixi"], name_zh=f"演示{i}厂", credit_code=code)
        for i, code in enumerate(codes)
    ]
    missing = [e for e in ents if e.credit_code in out_codes]
    for e in ents:
        make_enterprise_user(enterprise=e)
    make_government_user(region=regions["qingdao"])

    assert generate_demo_figures(months=3) == 12 * 3 - 3
    month = collecting_month()
    not_sent = Enterprise.objects.exclude(monthly_figures__month=month)
    assert set(not_sent.values_list("pk", flat=True)) == {e.pk for e in missing}

    played = stage_reporting_demo(enterprises=Enterprise.objects.all())
    again = stage_reporting_demo(enterprises=Enterprise.objects.all())

    assert played == {"jump": 1, "returned": 1, "accepted": 2, "late": 2}
    assert again == {"jump": 0, "returned": 0, "accepted": 0, "late": 0}
    assert set(not_sent.values_list("pk", flat=True)) == {missing[1].pk, missing[2].pk}
    statuses = sorted(MonthlyFigures.objects.filter(month=month).values_list("status", flat=True))
    assert statuses.count("returned") == 1 and statuses.count("accepted") == 2
    jumpy = MonthlyFigures.objects.filter(month=month).exclude(jumps=[])
    assert [(f.enterprise_id, f.jumps_confirmed, bool(f.jump_explanation)) for f in jumpy] == [
        (missing[0].pk, True, True)
    ]
