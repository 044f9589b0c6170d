"""Indicators of a scope over a period, computed with a handful of SQL aggregations (a number
of queries that does not depend on how many enterprises or months there are) and the pure
functions of :mod:`bureau.indicators`.

Every figure carries the SQL that computed it (``IndicatorSet.traces``) so that a report's
numbers can be traced back.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.test.utils import CaptureQueriesContext

from dualcirc.bureau import indicators as ind
from dualcirc.bureau.enums import ECOMMERCE_CHANNELS, ExportMode, SalesKind
from dualcirc.bureau.models import (
    BureauSettings,
    CountryGroup,
    MonthlyFigures,
    YearlyFigures,
    YearlySales,
    current_settings,
)
from dualcirc.bureau.scopes import Scope, enterprises_q

METRICS = ("output_value", "revenue", "domestic_sales", "export_sales")
ZERO = Decimal(0)
CENT = Decimal("0.01")


def cents(value: Decimal | None) -> Decimal:
    """A sum as the database returns it (SQLite drops trailing zeros) → two decimal places."""
    return (value or ZERO).quantize(CENT)


def month_date(index: int) -> dt.date:
    year, month = ind.month_parts(index)
    return dt.date(year, month, 1)


def dates(months: Iterable[int]) -> list[dt.date]:
    return [month_date(m) for m in months]


@dataclass
class IndicatorSet:
    scope: Scope
    period: str
    anchor: int
    months: tuple[int, ...]
    min_group_size: int
    enterprises: int = 0  # enterprises that reported in the period
    suppressed: bool = False
    totals: dict[str, Decimal] = field(default_factory=dict)
    yoy: dict[str, ind.Growth] = field(default_factory=dict)
    previous: dict[str, ind.Growth] = field(default_factory=dict)
    domestic_share: Decimal | None = None
    ecommerce_share: Decimal | None = None
    channels: list[tuple[str, Decimal]] = field(default_factory=list)
    modes: list[tuple[str, Decimal]] = field(default_factory=list)
    destinations: ind.Destinations | None = None
    hhi: Decimal | None = None
    market_groups: list[tuple[CountryGroup, Decimal | None]] = field(default_factory=list)
    new_market_share: Decimal | None = None
    above_scale: int = 0
    above_scale_output: Decimal = ZERO
    above_scale_output_yoy: ind.Growth | None = None
    above_scale_threshold: Decimal = ZERO
    new_enterprises: int = 0
    traces: dict[str, str] = field(default_factory=dict)

    @property
    def first_month(self) -> str:
        return ind.month_label(self.months[0])

    @property
    def last_month(self) -> str:
        return ind.month_label(self.months[-1])


def _months_q(months: tuple[int, ...]) -> Q:
    """``month`` within ``months``: a range when they follow each other (cheaper to test
    than a list, and every period is one), else the list."""
    if list(months) == list(range(months[0], months[-1] + 1)):
        return Q(month__gte=month_date(months[0]), month__lte=month_date(months[-1]))
    return Q(month__in=dates(months))


def _amount(number: int) -> Any:
    return Coalesce(F(f"m{number}"), Value(ZERO), output_field=DecimalField())


def _was_reported(number: int) -> Any:
    return Case(When(**{f"m{number}__isnull": False}, then=Value(1)), default=Value(0))


def _over_months(
    months: Iterable[int], metric: str, value: Callable[[int], Any], output: Any
) -> Any:
    """On a YearlyFigures row of ``metric``: the sum of ``value(month number)`` over the
    period's months of the row's year (0 on other rows)."""
    by_year: dict[int, list[int]] = {}
    for m in months:
        year, number = ind.month_parts(m)
        by_year.setdefault(year, []).append(number)
    return Case(
        *(
            When(metric=metric, year=year, then=reduce(operator.add, map(value, numbers)))
            for year, numbers in by_year.items()
        ),
        default=Value(0),
        output_field=output,
    )


def _summary(
    scope: Scope,
    periods: dict[str, tuple[int, ...]],
    threshold: Decimal,
) -> tuple[dict[str, Any], str]:
    """Every total and comparable-growth sum of the scope in one query: per enterprise (from
    its YearlyFigures rows: 4 per year), each metric's total and months reported in each
    period (``cur``, ``yoy``, ``prev``, ``ttm``); then, over those rows, the totals of the
    reporting enterprises and, per comparison, the totals and number of the comparable ones
    (reported in every month of both periods)."""
    per: dict[str, Any] = {}
    for name, months in periods.items():
        if not months:
            continue
        for metric in METRICS:
            if name == "ttm" and metric != "revenue":
                continue
            per[f"{name}_{metric}"] = Sum(_over_months(months, metric, _amount, DecimalField()))
            per[f"{name}_{metric}_n"] = Sum(
                _over_months(months, metric, _was_reported, IntegerField())
            )
    every = sorted(set().union(*periods.values()))
    grouped = (
        YearlyFigures.objects.filter(enterprises_q(scope), year__in=_years(every))
        .values("enterprise_id")
        .annotate(**per)
        .order_by()
    )
    length = {name: len(months) for name, months in periods.items()}
    any_metric = Q()
    for metric in METRICS:
        any_metric |= Q(**{f"cur_{metric}_n__gt": 0})
    big = Q(ttm_revenue__gte=threshold)
    out: dict[str, Any] = {
        "reporting": Count("enterprise_id", filter=any_metric),
        "big": Count("enterprise_id", filter=big),
    }

    def comparison(key: str, metric: str, other: str, within: Q) -> None:
        reported = within & Q(**{f"cur_{metric}_n__gt": 0})
        comparable = within & Q(
            **{f"cur_{metric}_n": length["cur"], f"{other}_{metric}_n": length[other]}
        )
        out[f"{key}_total"] = Sum(f"cur_{metric}", filter=reported)
        out[f"{key}_n"] = Count("enterprise_id", filter=reported)
        out[f"{key}_{other}_cur"] = Sum(f"cur_{metric}", filter=comparable)
        out[f"{key}_{other}_prev"] = Sum(f"{other}_{metric}", filter=comparable)
        out[f"{key}_{other}_compared"] = Count("enterprise_id", filter=comparable)

    for metric in METRICS:
        comparison(metric, metric, "yoy", Q())
        if periods["prev"]:
            comparison(metric, metric, "prev", Q())
    comparison("big_output", "output_value", "yoy", big)
    with CaptureQueriesContext(connection) as captured:
        summary = grouped.aggregate(**out)
    return summary, captured.captured_queries[-1]["sql"]


def _growth(summary: dict[str, Any], key: str, other: str) -> ind.Growth:
    compared = summary[f"{key}_{other}_compared"]
    current, previous = cents(summary[f"{key}_{other}_cur"]), cents(summary[f"{key}_{other}_prev"])
    return ind.Growth(
        rate=ind.growth_rate(current, previous) if compared else None,
        current=current,
        previous=previous,
        compared=compared,
        left_out=summary[f"{key}_n"] - compared,
    )


def _years(months: Iterable[int]) -> list[int]:
    return sorted({ind.month_parts(m)[0] for m in months})


def _period_amount(months: tuple[int, ...]) -> Any:
    """A YearlySales row's sales within ``months``: the sum of those month columns of the
    row's year (a period spans at most two years)."""
    by_year: dict[int, list[int]] = {}
    for m in months:
        year, number = ind.month_parts(m)
        by_year.setdefault(year, []).append(number)

    def columns(numbers: list[int]) -> Any:
        return reduce(operator.add, (F(f"m{n}") for n in numbers))

    if len(by_year) == 1:
        (numbers,) = by_year.values()
        return ExpressionWrapper(columns(numbers), output_field=DecimalField())
    return Case(
        *(When(year=year, then=columns(numbers)) for year, numbers in by_year.items()),
        default=Value(ZERO),
        output_field=DecimalField(),
    )


def compute_indicators(
    *, scope: Scope, period: str, anchor: int, settings: BureauSettings | None = None
) -> IndicatorSet:
    """Every indicator of ``scope`` for the ``period`` ending with month ``anchor``.

    Aggregates (every scope but a single enterprise) of fewer than ``min_group_size``
    reporting enterprises are suppressed, and so are destinations served by fewer.
    """
    settings = settings or current_settings()
    months = ind.period_months(period, anchor)
    shift = ind.previous_period_shift(period)
    year_ago = ind.shifted(months, 12)
    before = ind.shifted(months, shift) if shift else ()
    ttm = ind.period_months(ind.TTM, anchor)
    result = IndicatorSet(
        scope=scope, period=period, anchor=anchor, months=months,
        min_group_size=settings.min_group_size,
        above_scale_threshold=settings.above_scale_revenue,
    )  # fmt: skip
    periods = {"cur": months, "yoy": year_ago, "prev": before, "ttm": ttm}
    summary, sql = _summary(scope, periods, settings.above_scale_revenue)
    result.traces["per_enterprise"] = sql
    result.enterprises = summary["reporting"]
    minimum = settings.min_group_size if scope.is_aggregate else 1
    if not ind.publishable(result.enterprises, minimum):
        result.suppressed = True
        return result

    for metric in METRICS:
        result.totals[metric] = cents(summary[f"{metric}_total"])
        result.yoy[metric] = _growth(summary, metric, "yoy")
        if before:
            result.previous[metric] = _growth(summary, metric, "prev")
    result.domestic_share = ind.share(
        result.totals["domestic_sales"],
        result.totals["domestic_sales"] + result.totals["export_sales"],
    )

    # Above designated scale: revenue over the twelve months ending with the anchor.
    result.above_scale = summary["big"]
    if ind.publishable(result.above_scale, minimum):
        result.above_scale_output = cents(summary["big_output_total"])
        result.above_scale_output_yoy = _growth(summary, "big_output", "yoy")

    sales = YearlySales.objects.filter(enterprises_q(scope), year__in=_years(months))
    in_period = _period_amount(months)
    channels = (
        sales.filter(kind=SalesKind.DOMESTIC)
        .values("market")
        .annotate(amount=Sum(in_period))
        .order_by("-amount", "market")
    )
    result.channels = [(r["market"], cents(r["amount"])) for r in channels if r["amount"]]
    result.traces["channels"] = str(channels.query)
    online = sum((a for c, a in result.channels if c in ECOMMERCE_CHANNELS), ZERO)
    result.ecommerce_share = ind.share(online, sum((a for _c, a in result.channels), ZERO))

    # One query for destinations and modes: per country, its amount, the enterprises that
    # sold there in the period, and its amount by mode (a fixed list).
    by_mode = {m: Sum(in_period, filter=Q(mode=m)) for m in ExportMode.values}
    countries = (
        sales.filter(kind=SalesKind.EXPORT)
        .values("market")
        .annotate(
            amount=Sum(in_period),
            n=Count(Case(When(GreaterThan(in_period, 0), then="enterprise_id")), distinct=True),
            **{f"mode_{m}": agg for m, agg in by_mode.items()},
        )
        .order_by()
    )
    rows = [r for r in countries if r["amount"]]
    by_country = {r["market"]: (cents(r["amount"]), r["n"]) for r in rows}
    modes = {m: sum((cents(r[f"mode_{m}"]) for r in rows), ZERO) for m in ExportMode.values}
    result.modes = sorted(((m, a) for m, a in modes.items() if a), key=lambda ma: (-ma[1], ma[0]))
    result.traces["destinations"] = result.traces["modes"] = str(countries.query)
    amounts = {c: a for c, (a, _n) in by_country.items()}
    result.hhi = ind.hhi(amounts)
    result.destinations = ind.hide_small_destinations(by_country, minimum)
    new_markets: set[str] = set()
    for group in CountryGroup.objects.all():
        result.market_groups.append((group, ind.group_share(amounts, group.countries)))
        if group.is_new_market:
            new_markets.update(group.countries)
    result.new_market_share = ind.group_share(amounts, new_markets)

    start, end = month_date(months[0]), month_date(months[-1] + 1)
    new = scope.enterprises.filter(created_at__date__gte=start, created_at__date__lt=end)
    result.new_enterprises = new.count()
    result.traces["new_enterprises"] = str(new.values("pk").query)
    return result


def monthly_series(*, scope: Scope, anchor: int, months: int = 12) -> list[dict[str, Any]]:
    """Domestic and export sales of the scope for each of the ``months`` months ending with
    ``anchor`` (one query), with the number of reporting enterprises."""
    span = ind.period_months(ind.TTM, anchor)[-months:]
    rows: dict[Any, dict[str, Any]] = {
        r["month"]: dict(r)
        for r in MonthlyFigures.objects.filter(enterprises_q(scope), _months_q(span))
        .values("month")
        .annotate(
            dom_total=Sum("domestic_sales"), exp_total=Sum("export_sales"), n=Count("enterprise_id")
        )
        .order_by()
    }
    series = []
    for m in span:
        r: dict[str, Any] = rows.get(month_date(m), {})
        series.append(
            {
                "month": ind.month_label(m),
                "domestic": cents(r.get("dom_total")),
                "export": cents(r.get("exp_total")),
                "enterprises": r.get("n", 0),
            }
        )
    return series
