"""The indicator maths against figures computed by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from dualcirc.bureau import indicators as ind
from dualcirc.bureau.indicators import MonthFacts, Reported, Thresholds


def m(year: int, month: int) -> int:
    return ind.month_index(year, month)


def test_period_months_cover_each_kind() -> None:
    assert ind.period_months("month", m(2025, 5)) == (m(2025, 5),)
    assert ind.period_months("quarter", m(2025, 5)) == (m(2025, 4), m(2025, 5))
    assert ind.period_months("ytd", m(2025, 3)) == (m(2025, 1), m(2025, 2), m(2025, 3))
    ttm = ind.period_months("ttm", m(2025, 3))
    assert (len(ttm), ind.month_label(ttm[0]), ind.month_label(ttm[-1])) == (
        12, "2024-04", "2025-03",
    )  # fmt: skip


def test_month_label_and_parts_round_trip() -> None:
    assert ind.month_label(m(2024, 12)) == "2024-12"
    assert ind.month_parts(m(2024, 12) + 1) == (2025, 1)


def test_growth_rate_and_share_round_half_up() -> None:
    assert ind.growth_rate(D(1021), D(1000)) == D("2.1")
    assert ind.growth_rate(D(80), D(100)) == D("-20.0")
    assert ind.growth_rate(D(5), D(0)) is None
    assert ind.share(D(1), D(3)) == D("33.3")
    assert ind.share(D(1), D(8)) == D("12.5")
    assert ind.share(D(1), D(0)) is None


def test_hhi_of_known_shares() -> None:
    # 50 % / 30 % / 20 %: 2500 + 900 + 400.
    assert ind.hhi({"US": D(500), "DE": D(300), "VN": D(200)}) == D(3800)
    assert ind.hhi({"US": D(7)}) == D(10000)
    assert ind.hhi({c: D(1) for c in "ABCDEFGHIJ"}) == D(1000)
    assert ind.hhi({}) is None


def test_group_share_counts_only_members() -> None:
    amounts = {"VN": D(30), "TH": D(10), "US": D(60)}
    assert ind.group_share(amounts, ["VN", "TH", "MY"]) == D("40.0")


def test_comparable_growth_leaves_out_enterprises_with_missing_months() -> None:
    # Enterprise 1: full both years (100 → 110); 2: missed a month last year (left out);
    # 3: new this year (left out); 4: full both (200 → 190).
    current = {1: Reported(D(110), 3), 2: Reported(D(50), 3), 3: Reported(D(70), 3),
               4: Reported(D(190), 3)}  # fmt: skip
    previous = {1: Reported(D(100), 3), 2: Reported(D(30), 2), 4: Reported(D(200), 3)}
    growth = ind.comparable_growth(current, previous, current_months=3, previous_months=3)
    # (110 + 190) / (100 + 200) − 1 = 0 %.
    assert (growth.rate, growth.current, growth.previous) == (D("0.0"), D(300), D(300))
    assert (growth.compared, growth.left_out) == (2, 2)


def test_comparable_growth_with_no_comparable_enterprise_is_none() -> None:
    growth = ind.comparable_growth({1: Reported(D(10), 1)}, {}, current_months=1, previous_months=1)
    assert (growth.rate, growth.compared, growth.left_out) == (None, 0, 1)


def test_above_scale_threshold_is_inclusive() -> None:
    revenue = {1: D(20_000_000), 2: D("19999999.99"), 3: D(50_000_000)}
    assert ind.above_scale(revenue, D(20_000_000)) == {1, 3}


def test_hide_small_destinations_merges_groups_under_three() -> None:
    result = ind.hide_small_destinations(
        {"US": (D(500), 5), "DE": (D(300), 3), "NO": (D(90), 2), "IS": (D(10), 1)}, 3
    )
    assert list(result.shown.items()) == [("US", D(500)), ("DE", D(300))]
    assert (result.hidden, result.hidden_count) == (D(100), 2)
    assert ind.publishable(2, 3) is False
    assert ind.publishable(3, 3) is True


def facts(
    domestic: int, export: int, od: int | None, oe: int | None, **countries: int
) -> MonthFacts:
    return MonthFacts(
        domestic_sales=D(domestic), export_sales=D(export),
        orders_domestic=None if od is None else D(od),
        orders_export=None if oe is None else D(oe),
        exports_by_country={c: D(v) for c, v in countries.items()},
    )  # fmt: skip


def test_assess_export_dependent_with_orders_down_is_red_beyond_twice_the_threshold() -> None:
    history = {
        m(2024, 6): facts(20, 80, 10, 100),
        m(2025, 6): facts(20, 80, 10, 55, US=40, DE=40),  # export share 80 %, orders −45 %
    }
    findings = ind.assess_month(
        history, month=m(2025, 6), thresholds=Thresholds(), report_overdue=True
    )
    assert [(f.reason, f.level, f.details) for f in findings] == [
        ("export_orders_drop", "red", {"export_share": "80.0", "orders_change": "-45.0"})
    ]


def test_assess_single_destination_over_sixty_percent_is_blue() -> None:
    history = {m(2025, 6): facts(50, 50, None, None, US=35, DE=15)}
    findings = ind.assess_month(
        history, month=m(2025, 6), thresholds=Thresholds(), report_overdue=False
    )
    assert [(f.reason, f.level, f.details) for f in findings] == [
        ("destination_concentration", "blue", {"country": "US", "share": "70.0"})
    ]


def test_assess_three_months_of_falling_orders_is_orange() -> None:
    history = {
        m(2025, 3): facts(1, 0, 100, 0),
        m(2025, 4): facts(1, 0, 90, 0),
        m(2025, 5): facts(1, 0, 80, 0),
        m(2025, 6): facts(1, 0, 70, 0),
    }
    findings = ind.assess_month(
        history, month=m(2025, 6), thresholds=Thresholds(), report_overdue=False
    )
    assert [(f.reason, f.level) for f in findings] == [("falling_orders", "orange")]
    history[m(2025, 5)] = facts(1, 0, 95, 0)  # one rise breaks the run
    assert (
        ind.assess_month(history, month=m(2025, 6), thresholds=Thresholds(), report_overdue=False)
        == []
    )


@pytest.mark.parametrize(
    ("history_months", "overdue", "expected"),
    [
        ([(2025, 5)], True, [("missing_report", "blue")]),
        ([], True, [("missing_report", "orange")]),
        ([(2025, 5)], False, []),
    ],
)
def test_assess_missing_report(
    history_months: list[tuple[int, int]], overdue: bool, expected: list[tuple[str, str]]
) -> None:
    history = {m(*ym): facts(1, 0, None, None) for ym in history_months}
    findings = ind.assess_month(
        history, month=m(2025, 6), thresholds=Thresholds(), report_overdue=overdue
    )
    assert [(f.reason, f.level) for f in findings] == expected


def test_highest_level_orders_colours() -> None:
    assert ind.highest_level(["blue", "red", "orange"]) == "red"
    assert ind.highest_level([]) == "green"
