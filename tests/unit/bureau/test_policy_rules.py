"""Policy rules and the enterprise file's indicators as pure functions (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from dualcirc.bureau.domain.policies import (
    DeliveryTally,
    EnterpriseFacts,
    missing_data,
    policy_applies,
    required_data,
)
from dualcirc.bureau.enterprise_file import monthly_series, yearly_indicators
from dualcirc.bureau.models import MonthlyFigures, SupportPolicy
from dualcirc.catalog.models import Enterprise
from dualcirc.core.models import Region

QINGDAO = Region(code="3702", path="/37/3702/")
LAIXI = Region(code="370285", path="/37/3702/370285/")
LANXI = Region(code="330781", path="/33/3307/330781/")


def enterprise(**fields: object) -> Enterprise:
    return Enterprise(region=LAIXI, **fields)


def test_required_data_follows_the_criteria_set_and_the_declared_needs() -> None:
    rule = SupportPolicy(min_employees=10, min_revenue=D(1), needs_data=["tax_paid"])
    assert required_data(rule) == ["employees", "revenue_12m", "tax_paid"]
    assert missing_data(rule) == ["tax_paid"]
    assert required_data(SupportPolicy()) == []


def test_a_rule_with_missing_data_never_applies_even_when_the_rest_fits() -> None:
    rule = SupportPolicy(needs_data=["rd_spending"])
    assert policy_applies(rule, enterprise()) is False


def test_each_criterion_on_the_profile() -> None:
    e = enterprise(employees=120, export_share=D("80"), industries=["furniture"])
    assert policy_applies(SupportPolicy(min_employees=100, max_employees=200), e)
    assert not policy_applies(SupportPolicy(max_employees=50), e)
    assert not policy_applies(SupportPolicy(min_export_share=D("90")), e)
    assert not policy_applies(SupportPolicy(industries=["textiles"]), e)
    assert policy_applies(SupportPolicy(industries=["textiles", "furniture"]), e)
    assert not policy_applies(SupportPolicy(min_employees=1), enterprise())  # not given


def test_region_rules_cover_the_region_and_below() -> None:
    e = enterprise()
    assert policy_applies(SupportPolicy(region=QINGDAO), e)
    assert not policy_applies(SupportPolicy(region=LANXI), e)


def test_figures_rules_need_figures_in_the_window() -> None:
    rule = SupportPolicy(min_revenue=D("1000"), min_exports=D("500"))
    assert not policy_applies(rule, enterprise())  # no figures reported
    enough = EnterpriseFacts(revenue_12m=D("1000"), exports_12m=D("500"))
    assert policy_applies(rule, enterprise(), enough)
    short = EnterpriseFacts(revenue_12m=D("999.99"), exports_12m=D("500"))
    assert not policy_applies(rule, enterprise(), short)


def test_tally_adds_states_and_amounts_by_currency() -> None:
    t = DeliveryTally()
    t.add("notified", 2, "CNY", D(100), None)
    t.add("paid", 1, "USD", D(10), D(10))
    t.add("paid", 1, "CNY", D(50), D(50))
    assert (t.total, t.notified, t.paid) == (4, 2, 2)
    assert t.granted_items == [("CNY", D(150)), ("USD", D(10))]
    assert t.paid_items == [("CNY", D(50)), ("USD", D(10))]


def figures(month: str, domestic: int, exports: int) -> MonthlyFigures:
    year, m = (int(p) for p in month.split("-"))
    return MonthlyFigures(month=dt.date(year, m, 1), domestic_sales=D(domestic),
                          export_sales=D(exports), revenue=D(domestic + exports))  # fmt: skip


def test_monthly_series_marks_missing_months_not_shown() -> None:
    series = monthly_series([figures("2025-03", 1, 2), figures("2025-01", 3, 4)], months=4)
    assert [(s["month"], s["shown"], s["export"]) for s in series] == [
        ("2024-12", False, D(0)), ("2025-01", True, D(4)),
        ("2025-02", False, D(0)), ("2025-03", True, D(2)),
    ]  # fmt: skip
    assert monthly_series([]) == []


def test_yearly_indicators_share_and_growth_on_common_months() -> None:
    rows = yearly_indicators([figures("2025-01", 50, 150), figures("2024-01", 50, 100),
                              figures("2024-02", 0, 900)])  # fmt: skip
    assert [(r.year, r.months, r.export_share, r.exports_growth) for r in rows] == [
        (2025, 1, D("75.0"), D("50.0")),
        (2024, 2, D("95.2"), None),
    ]
