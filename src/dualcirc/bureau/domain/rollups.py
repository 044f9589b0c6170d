"""Keeping the pre-aggregated YearlySales and YearlyFigures rows equal to the monthly figures
and sales lines they are made of.

Each rebuild deletes the rows of the given enterprises and years and recomputes them in the
database (``INSERT … SELECT … GROUP BY``, one statement per year and kind): no row goes
through Python, so a rebuild of every enterprise takes seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from dualcirc.bureau.enums import SalesKind
from dualcirc.bureau.models import (
    DomesticSalesLine,
    ExportSalesLine,
    MonthlyFigures,
    YearlyFigures,
    YearlySales,
)

MONTHS = tuple(range(1, 13))
FIGURES_METRICS = ("output_value", "revenue", "domestic_sales", "export_sales")
CHUNK = 500  # enterprise ids per statement (SQLite limits the parameters of one statement)


def _select(kind: str) -> str:
    """The SELECT of one year's rows; parameters: the year, its 12 month dates, its first and
    last month (then the enterprise ids, when the caller adds ``AND … IN``)."""
    months = ", ".join("SUM(CASE WHEN {month} = %s THEN {amount} ELSE 0 END)" for _m in MONTHS)
    if kind == SalesKind.EXPORT:
        return (
            f"SELECT enterprise_id, %s, '{SalesKind.EXPORT.value}', country, mode, "
            + months.format(month="month", amount="amount")
            + f" FROM {ExportSalesLine._meta.db_table} WHERE month >= %s AND month <= %s"
        )
    figures = MonthlyFigures._meta.db_table
    return (
        f"SELECT f.enterprise_id, %s, '{SalesKind.DOMESTIC.value}', d.channel, '', "
        + months.format(month="f.month", amount="d.amount")
        + f" FROM {DomesticSalesLine._meta.db_table} d JOIN {figures} f ON d.figures_id = f.id"
        + " WHERE f.month >= %s AND f.month <= %s"
    )


def rebuild_yearly_sales(
    *, enterprise_ids: Iterable[int] | None = None, years: Iterable[int] | None = None
) -> None:
    """Recompute the YearlySales and YearlyFigures rows of ``enterprise_ids`` (all by
    default) for ``years`` (every year with figures by default) from their monthly figures
    and sales lines.

    Side effects: deletes and re-inserts those rows, in one transaction. Callers that write
    lines concurrently for the same enterprise and year must hold a lock on the enterprise
    (``submit_figures`` does).
    """
    ids = None if enterprise_ids is None else sorted(set(enterprise_ids))
    if years is None:
        found = MonthlyFigures.objects.order_by().values_list("month", flat=True).distinct()
        if ids is not None:
            found = found.filter(enterprise_id__in=ids) if len(ids) <= CHUNK else found
        wanted = sorted({m.year for m in found})
    else:
        wanted = sorted(set(years))
    if ids == [] or not wanted:
        return
    columns = ", ".join(
        ["enterprise_id", "year", "kind", "market", "mode", *(f"m{n}" for n in MONTHS)]
    )
    insert = f"INSERT INTO {YearlySales._meta.db_table} ({columns}) "
    chunks: list[list[int] | None] = (
        [None] if ids is None else [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    )
    figures_columns = ", ".join(["enterprise_id", "year", "metric", *(f"m{n}" for n in MONTHS)])
    with transaction.atomic(), connection.cursor() as cursor:
        for year in wanted:
            for model in (YearlySales, YearlyFigures):
                stale = model.objects.filter(year=year)
                if ids is not None:
                    stale = stale.filter(enterprise_id__in=ids)
                stale._raw_delete(stale.db)  # derived rows: no signals, no cascades
            dates = [dt.date(year, m, 1) for m in MONTHS]
            for metric in FIGURES_METRICS:
                by_month = ", ".join(f"MAX(CASE WHEN month = %s THEN {metric} END)" for _ in MONTHS)
                sql = (
                    f"INSERT INTO {YearlyFigures._meta.db_table} ({figures_columns}) "
                    f"SELECT enterprise_id, %s, '{metric}', {by_month} "
                    f"FROM {MonthlyFigures._meta.db_table} WHERE month >= %s AND month <= %s"
                )
                _execute_per_chunk(
                    cursor,
                    sql,
                    [year, *dates, dates[0], dates[-1]],
                    chunks,
                    owner="enterprise_id",
                    group=" GROUP BY enterprise_id",
                )
            for kind, owner in ((SalesKind.EXPORT, "enterprise_id"),
                                (SalesKind.DOMESTIC, "f.enterprise_id")):  # fmt: skip
                sql = insert + _select(kind)
                group = (" GROUP BY enterprise_id, country, mode" if kind == SalesKind.EXPORT
                         else " GROUP BY f.enterprise_id, d.channel")  # fmt: skip
                _execute_per_chunk(
                    cursor,
                    sql,
                    [year, *dates, dates[0], dates[-1]],
                    chunks,
                    owner=owner,
                    group=group,
                )


def _execute_per_chunk(
    cursor: Any,
    sql: str,
    params: list[Any],
    chunks: list[list[int] | None],
    *,
    owner: str,
    group: str,
) -> None:
    """Run ``sql`` once per chunk of enterprise ids (once, unrestricted, for ``[None]``)."""
    for chunk in chunks:
        where = "" if chunk is None else f" AND {owner} IN ({', '.join(['%s'] * len(chunk))})"
        cursor.execute(sql + where + group, params + (chunk or []))
