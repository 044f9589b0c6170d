"""Indicators of a scope over a period, computed with a handful of SQL aggregations (a number
of queries that does not depend on how many enterprises or months there are) and the pure
functions of :mod:`bureau.indicators`.

Every figure carries the SQL that computed it (``IndicatorSet.traces``) so that a report's
numbers can be traced back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from dualcirc.bureau import indicators as ind
from dualcirc.bureau.enums import ECOMMERCE_CHANNELS
from dualcirc.bureau.models import (
    BureauSettings,
    CountryGroup,
    DomesticSalesLine,
    ExportSalesLine,
    MonthlyFigures,
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


def _per_enterprise(
    scope: Scope,
    current: tuple[int, ...],
    year_ago: tuple[int, ...],
    before: tuple[int, ...],
    ttm: tuple[int, ...],
) -> tuple[list[dict[str, Any]], str]:
    """One row per enterprise: each metric's total and months reported, per period."""
    periods = {"cur": current, "yoy": year_ago, "prev": before, "ttm": ttm}
    aggregates: dict[str, Any] = {}
    for name, months in periods.items():
        if not months:
            continue
        in_period = Q(month__in=dates(months))
        for metric in METRICS:
            if name == "ttm" and metric != "revenue":
                continue
            aggregates[f"{name}_{metric}"] = Sum(metric, filter=in_period)
            aggregates[f"{name}_{metric}_n"] = Count(metric, filter=in_period)
    every = sorted(set().union(*periods.values()))
    qs = (
        MonthlyFigures.objects.filter(enterprises_q(scope), month__in=dates(every))
        .values("enterprise_id")
        .annotate(**aggregates)
        .order_by()
    )
    return [dict(r) for r in qs], str(qs.query)


def _reported(rows: list[dict[str, Any]], period: str, metric: str) -> dict[int, ind.Reported]:
    return {
        r["enterprise_id"]: ind.Reported(cents(r[f"{period}_{metric}"]), r[f"{period}_{metric}_n"])
        for r in rows
        if r.get(f"{period}_{metric}_n")
    }


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
    rows, sql = _per_enterprise(scope, months, year_ago, before, ttm)
    result.traces["per_enterprise"] = sql
    reporting = [r for r in rows if any(r[f"cur_{m}_n"] for m in METRICS)]
    result.enterprises = len(reporting)
    minimum = settings.min_group_size if scope.is_aggregate else 1
    if not ind.publishable(result.enterprises, minimum):
        result.suppressed = True
        return result

    for metric in METRICS:
        current = _reported(rows, "cur", metric)
        result.totals[metric] = sum((r.total for r in current.values()), ZERO)
        result.yoy[metric] = ind.comparable_growth(
            current, _reported(rows, "yoy", metric),
            current_months=len(months), previous_months=len(months),
        )  # fmt: skip
        if before:
            result.previous[metric] = ind.comparable_growth(
                current, _reported(rows, "prev", metric),
                current_months=len(months), previous_months=len(before),
            )  # fmt: skip
    result.domestic_share = ind.share(
        result.totals["domestic_sales"],
        result.totals["domestic_sales"] + result.totals["export_sales"],
    )

    # Above designated scale: revenue over the twelve months ending with the anchor.
    revenue_12 = {r["enterprise_id"]: cents(r["ttm_revenue"]) for r in rows}
    big = ind.above_scale(revenue_12, settings.above_scale_revenue)
    result.above_scale = len(big)
    if ind.publishable(len(big), minimum):
        big_current = {e: v for e, v in _reported(rows, "cur", "output_value").items() if e in big}
        result.above_scale_output = sum((r.total for r in big_current.values()), ZERO)
        result.above_scale_output_yoy = ind.comparable_growth(
            big_current, _reported(rows, "yoy", "output_value"),
            current_months=len(months), previous_months=len(months),
        )  # fmt: skip

    in_period = dates(months)
    channels = (
        DomesticSalesLine.objects.filter(
            enterprises_q(scope, "figures__"), figures__month__in=in_period
        )
        .values("channel")
        .annotate(amount=Sum("amount"))
        .order_by("-amount", "channel")
    )
    result.channels = [(r["channel"], cents(r["amount"])) for r in channels]
    result.traces["channels"] = str(channels.query)
    online = sum((a for c, a in result.channels if c in ECOMMERCE_CHANNELS), ZERO)
    result.ecommerce_share = ind.share(online, sum((a for _c, a in result.channels), ZERO))

    exports = ExportSalesLine.objects.filter(enterprises_q(scope), month__in=in_period)
    modes = exports.values("mode").annotate(amount=Sum("amount")).order_by("-amount", "mode")
    result.modes = [(r["mode"], cents(r["amount"])) for r in modes]
    result.traces["modes"] = str(modes.query)
    countries = (
        exports.values("country")
        .annotate(amount=Sum("amount"), n=Count("enterprise_id", distinct=True))
        .order_by()
    )
    by_country = {r["country"]: (cents(r["amount"]), r["n"]) for r in countries}
    result.traces["destinations"] = str(countries.query)
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
        for r in MonthlyFigures.objects.filter(enterprises_q(scope), month__in=dates(span))
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
