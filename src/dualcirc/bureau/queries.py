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
    Sum,
    Value,
    When,
)
from django.utils import timezone

from dualcirc.bureau import indicators as ind
from dualcirc.bureau.enums import ECOMMERCE_CHANNELS, ExportMode, SalesKind
from dualcirc.bureau.models import (
    BureauSettings,
    CountryGroup,
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


def _in_period(months: Iterable[int], metric: str, month_value: Callable[[int], str]) -> str:
    """SQL, on a YearlyFigures row of ``metric``: the sum of ``month_value(n)`` over the
    period's months of the row's year; 0 on other rows. Only constants are written in
    (metric names and years are ours, not user input)."""
    by_year: dict[int, list[int]] = {}
    for m in months:
        year, number = ind.month_parts(m)
        by_year.setdefault(year, []).append(number)
    cases = " ".join(
        f"WHEN metric = '{metric}' AND year = {int(year)} THEN "
        + " + ".join(month_value(n) for n in numbers)
        for year, numbers in by_year.items()
    )
    return f"CASE {cases} ELSE 0 END"


def _summary(
    scope: Scope,
    periods: dict[str, tuple[int, ...]],
    threshold: Decimal,
) -> tuple[dict[str, Any], str]:
    """Every total and comparable-growth sum of the scope in one query: per enterprise (from
    its YearlyFigures rows: 4 per year), each metric's total and months reported in each
    period (``cur``, ``yoy``, ``prev``, ``ttm``); then, over those rows, the totals of the
    reporting enterprises and, per comparison, the totals and number of the comparable ones
    (reported in every month of both periods). Written as SQL: the ORM spent longer building
    these few hundred CASE terms than the database spent running them."""
    inner = ["enterprise_id"]
    for name, months in periods.items():
        if not months:
            continue
        for metric in METRICS:
            if name == "ttm" and metric != "revenue":
                continue
            amount = _in_period(months, metric, lambda n: f"COALESCE(m{n}, 0)")
            reported = _in_period(
                months, metric, lambda n: f"(CASE WHEN m{n} IS NULL THEN 0 ELSE 1 END)"
            )
            inner.append(f"SUM({amount}) AS {name}_{metric}")
            inner.append(f"SUM({reported}) AS {name}_{metric}_n")
    length = {name: len(months) for name, months in periods.items()}
    any_metric = " OR ".join(f"cur_{metric}_n > 0" for metric in METRICS)
    outer = [
        f"SUM(CASE WHEN {any_metric} THEN 1 ELSE 0 END) AS reporting",
        # CAST: SQLite receives a Decimal parameter as text, and text compares greater than
        # every number there, so without it no enterprise was ever above designated scale.
        "SUM(CASE WHEN ttm_revenue >= CAST(%s AS NUMERIC) THEN 1 ELSE 0 END) AS big",
    ]
    params: list[Any] = [threshold]

    def comparison(key: str, metric: str, other: str, within: str) -> None:
        reported = f"{within}cur_{metric}_n > 0"
        comparable = (
            f"{within}cur_{metric}_n = {length['cur']} AND {other}_{metric}_n = {length[other]}"
        )
        outer.extend([
            f"SUM(CASE WHEN {reported} THEN cur_{metric} ELSE 0 END) AS {key}_total",
            f"SUM(CASE WHEN {reported} THEN 1 ELSE 0 END) AS {key}_n",
            f"SUM(CASE WHEN {comparable} THEN cur_{metric} ELSE 0 END) AS {key}_{other}_cur",
            f"SUM(CASE WHEN {comparable} THEN {other}_{metric} ELSE 0 END) AS {key}_{other}_prev",
            f"SUM(CASE WHEN {comparable} THEN 1 ELSE 0 END) AS {key}_{other}_compared",
        ])  # fmt: skip

    for metric in METRICS:
        comparison(metric, metric, "yoy", "")
        if periods["prev"]:
            comparison(metric, metric, "prev", "")
    comparison("big_output", "output_value", "yoy", "ttm_revenue >= CAST(%s AS NUMERIC) AND ")
    params += [threshold] * 5
    scope_sql, scope_params = scope.enterprises.order_by().values("pk").query.sql_with_params()
    years = ", ".join(str(int(y)) for y in _years(sorted(set().union(*periods.values()))))
    sql = (
        f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} "
        f"FROM {YearlyFigures._meta.db_table} WHERE year IN ({years}) "
        f"AND enterprise_id IN ({scope_sql}) GROUP BY enterprise_id) per_enterprise"
    )
    params += list(scope_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        row = cursor.fetchone()
        trace = connection.ops.last_executed_query(cursor, sql, params) or sql
    return {n: (v if v is not None else 0) for n, v in zip(names, row, strict=True)}, trace


def _decimal(value: Any) -> Decimal:
    """A sum as the database returns it (SQLite: an int or a float) → Decimal in cents."""
    return cents(value if isinstance(value, Decimal) else Decimal(str(value or 0)))


def _growth(summary: dict[str, Any], key: str, other: str) -> ind.Growth:
    compared = summary[f"{key}_{other}_compared"]
    current = _decimal(summary[f"{key}_{other}_cur"])
    previous = _decimal(summary[f"{key}_{other}_prev"])
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


def _destinations(scope: Scope, months: tuple[int, ...]) -> tuple[list[dict[str, Any]], str]:
    """One query for destinations and modes: per country, its amount in the period, the
    enterprises that sold there in the period, and its amount by mode (a fixed list). Each
    YearlySales row's period amount is computed once, in a derived table (written as SQL:
    the ORM would repeat the sum of month columns in every aggregate)."""
    by_year: dict[int, list[int]] = {}
    for m in months:
        year, number = ind.month_parts(m)
        by_year.setdefault(year, []).append(number)
    amount = (
        "CASE "
        + " ".join(
            f"WHEN year = {int(year)} THEN " + " + ".join(f"m{n}" for n in numbers)
            for year, numbers in by_year.items()
        )
        + " ELSE 0 END"
    )
    by_mode = ", ".join(
        f"SUM(CASE WHEN mode = '{m}' THEN amount ELSE 0 END) AS mode_{m}" for m in ExportMode.values
    )
    scope_sql, params = scope.enterprises.order_by().values("pk").query.sql_with_params()
    years = ", ".join(str(int(y)) for y in by_year)
    # PostgreSQL would inline the derived table and add up the months in every aggregate;
    # OFFSET 0 keeps it computed once.
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    sql = (
        "SELECT market, SUM(amount) AS amount, "
        "COUNT(DISTINCT CASE WHEN amount > 0 THEN enterprise_id END) AS n, "
        f"{by_mode} FROM (SELECT market, mode, enterprise_id, {amount} AS amount "
        f"FROM {YearlySales._meta.db_table} WHERE kind = '{SalesKind.EXPORT.value}' "
        f"AND year IN ({years}) AND enterprise_id IN ({scope_sql}){fence}) AS sales "
        "GROUP BY market HAVING SUM(amount) > 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        trace = connection.ops.last_executed_query(cursor, sql, params) or sql
    return found, trace


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


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
        result.totals[metric] = _decimal(summary[f"{metric}_total"])
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
        result.above_scale_output = _decimal(summary["big_output_total"])
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

    rows, sql = _destinations(scope, months)
    by_country = {r["market"]: (_decimal(r["amount"]), r["n"]) for r in rows}
    modes = {m: sum((_decimal(r[f"mode_{m}"]) for r in rows), ZERO) for m in ExportMode.values}
    result.modes = sorted(((m, a) for m, a in modes.items() if a), key=lambda ma: (-ma[1], ma[0]))
    result.traces["destinations"] = result.traces["modes"] = sql
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
    # Local midnights (what created_at__date means) as a range the index can use.
    new = scope.enterprises.filter(created_at__gte=_midnight(start), created_at__lt=_midnight(end))
    result.new_enterprises = new.count()
    result.traces["new_enterprises"] = str(new.values("pk").query)
    return result


def monthly_series(*, scope: Scope, anchor: int, months: int = 12) -> list[dict[str, Any]]:
    """Domestic and export sales of the scope for each of the ``months`` months ending with
    ``anchor``, with the number of reporting enterprises: one query over YearlyFigures (per
    year and metric, each month column's sum and count of reports)."""
    span = tuple(range(anchor - months + 1, anchor + 1))
    per_month = {f"s{n}": Sum(f"m{n}") for n in range(1, 13)}
    reports = {f"n{n}": Count(f"m{n}") for n in range(1, 13)}
    rows: dict[tuple[int, str], dict[str, Any]] = {
        (r["year"], r["metric"]): dict(r)
        for r in YearlyFigures.objects.filter(
            enterprises_q(scope),
            year__in=_years(span),
            metric__in=["domestic_sales", "export_sales"],
        )
        .values("year", "metric")
        .annotate(**per_month, **reports)
        .order_by()
    }
    series = []
    for m in span:
        year, number = ind.month_parts(m)
        domestic: dict[str, Any] = rows.get((year, "domestic_sales"), {})
        export: dict[str, Any] = rows.get((year, "export_sales"), {})
        series.append(
            {
                "month": ind.month_label(m),
                "domestic": cents(domestic.get(f"s{number}")),
                "export": cents(export.get(f"s{number}")),
                "enterprises": domestic.get(f"n{number}", 0),
            }
        )
    return series


def enterprise_activity(enterprise: Any) -> dict[str, Any]:
    """What an enterprise does on the platform, in counts for its one-page file (一企一档):
    products listed, sourcing invitations, quotes and orders (with their value in yuan where
    converted), fair booths and the leads they collected — counts, not the buyers' details,
    which stay between the parties. One query per kind."""
    from dualcirc.deals.models import Order, Quote, SupplierInvitation
    from dualcirc.fair.models import Booth, Lead

    orders = Order.objects.filter(supplier=enterprise).aggregate(
        n=Count("id"), cny=Sum("value_cny")
    )
    return {
        "products": enterprise.products.count(),
        "invitations": SupplierInvitation.objects.filter(enterprise=enterprise).count(),
        "quotes": Quote.objects.filter(supplier=enterprise).count(),
        "orders": orders["n"],
        "orders_cny": orders["cny"],
        "fairs": list(
            Booth.objects.filter(enterprise=enterprise)
            .values_list("registration__fair__name_zh", flat=True)
            .order_by("registration__fair__name_zh")
            .distinct()[:10]
        ),
        "leads": Lead.objects.filter(booth__enterprise=enterprise).count(),
    }
