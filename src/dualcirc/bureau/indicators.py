"""Indicator and early-warning maths as pure functions: no Django, no database.

Months are integers (``year * 12 + month - 1``) so that periods are ranges. Amounts are Decimal
(CNY); percentages are Decimal rounded half up to one decimal place.

How missing months are treated (stated in docs/bureau.md and on the pages):

- *Totals* add what was reported; a month an enterprise did not report adds nothing and is
  never estimated.
- *Growth* (year on year, and against the previous period) is computed on **comparable
  enterprises** only: those that reported the measure in every month of both the period and
  the period it is compared with. Their totals are compared; other enterprises are left out of
  the rate (and counted, so that the page can say how many were compared).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

Month = int
HUNDRED = Decimal(100)
ONE_PLACE = Decimal("0.1")

# Period kinds (bureau.enums.PeriodKind values).
MONTH, QUARTER, YTD, TTM = "month", "quarter", "ytd", "ttm"


# Months and periods ---------------------------------------------------------------------------


def month_index(year: int, month: int) -> Month:
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1–12")
    return year * 12 + month - 1


def month_parts(index: Month) -> tuple[int, int]:
    """``month_index(2025, 3)`` → ``(2025, 3)``."""
    return index // 12, index % 12 + 1


def month_label(index: Month) -> str:
    year, month = month_parts(index)
    return f"{year:04d}-{month:02d}"


def period_months(kind: str, anchor: Month) -> tuple[Month, ...]:
    """The months of the period ending with ``anchor``.

    ``month``: the anchor; ``quarter``: the anchor's quarter from its first month up to the
    anchor; ``ytd``: January up to the anchor; ``ttm``: the twelve months ending with it.
    """
    if kind == MONTH:
        return (anchor,)
    if kind == QUARTER:
        return tuple(range(anchor - anchor % 3, anchor + 1))
    if kind == YTD:
        return tuple(range(anchor - anchor % 12, anchor + 1))
    if kind == TTM:
        return tuple(range(anchor - 11, anchor + 1))
    raise ValueError(f"unknown period kind {kind!r}")


def shifted(months: Iterable[Month], by: int) -> tuple[Month, ...]:
    return tuple(m - by for m in months)


def previous_period_shift(kind: str) -> int | None:
    """How far back the "previous period" lies: a month (month on month), a quarter (quarter
    on quarter); None for year to date and trailing 12 months, where only year on year means
    something."""
    return {MONTH: 1, QUARTER: 3}.get(kind)


# Arithmetic -----------------------------------------------------------------------------------


def percent(value: Decimal) -> Decimal:
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def growth_rate(current: Decimal, previous: Decimal) -> Decimal | None:
    """(current − previous) / previous in percent; None when there is nothing to compare with."""
    if previous <= 0:
        return None
    return percent((current - previous) / previous * HUNDRED)


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole``; None for an empty whole."""
    if whole <= 0:
        return None
    return percent(part / whole * HUNDRED)


def hhi(amounts: Mapping[str, Decimal]) -> Decimal | None:
    """Herfindahl–Hirschman index of concentration, on the 0–10,000 scale: the sum of squared
    percentage shares (one destination: 10,000; ten equal ones: 1,000). None with no amounts."""
    total = sum((a for a in amounts.values() if a > 0), Decimal(0))
    if total <= 0:
        return None
    index = sum(((a / total * HUNDRED) ** 2 for a in amounts.values() if a > 0), Decimal(0))
    return index.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def group_share(amounts: Mapping[str, Decimal], countries: Iterable[str]) -> Decimal | None:
    """The share of ``amounts`` (by country) that goes to ``countries``."""
    members = set(countries)
    total = sum(amounts.values(), Decimal(0))
    return share(sum((a for c, a in amounts.items() if c in members), Decimal(0)), total)


# Growth on comparable enterprises -------------------------------------------------------------


@dataclass(frozen=True)
class Reported:
    """An enterprise's total of one measure over a period, and in how many months it reported
    that measure."""

    total: Decimal
    months: int


@dataclass(frozen=True)
class Growth:
    rate: Decimal | None
    current: Decimal
    previous: Decimal
    compared: int  # enterprises compared
    left_out: int  # enterprises with a figure in the period but not comparable


def comparable_growth(
    current: Mapping[int, Reported],
    previous: Mapping[int, Reported],
    *,
    current_months: int,
    previous_months: int,
) -> Growth:
    """Growth of a measure between two periods over the enterprises that reported it in every
    month of both (keys are enterprise ids)."""
    compared = [
        e
        for e, r in current.items()
        if r.months == current_months and e in previous and previous[e].months == previous_months
    ]
    cur = sum((current[e].total for e in compared), Decimal(0))
    prev = sum((previous[e].total for e in compared), Decimal(0))
    return Growth(
        rate=growth_rate(cur, prev) if compared else None,
        current=cur,
        previous=prev,
        compared=len(compared),
        left_out=len(current) - len(compared),
    )


def above_scale(annual_revenue: Mapping[int, Decimal], threshold: Decimal) -> set[int]:
    """Enterprises whose revenue over twelve months is at least ``threshold`` (20 million yuan
    by default: China's "above designated scale")."""
    return {e for e, revenue in annual_revenue.items() if revenue >= threshold}


# Small groups ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Destinations:
    """Export sales by destination, with destinations served by too few enterprises merged into
    ``hidden`` (never shown one by one)."""

    shown: dict[str, Decimal]
    hidden: Decimal
    hidden_count: int


def publishable(enterprises: int, minimum: int) -> bool:
    """Whether a group of ``enterprises`` may be published: a group of fewer than ``minimum``
    would disclose single enterprises' figures."""
    return enterprises >= minimum


def hide_small_destinations(
    by_country: Mapping[str, tuple[Decimal, int]], minimum: int
) -> Destinations:
    """``{country: (amount, enterprises exporting there)}`` → destinations with at least
    ``minimum`` enterprises, the rest merged (largest first, then by code)."""
    shown: dict[str, Decimal] = {}
    hidden = Decimal(0)
    count = 0
    for country, (amount, n) in sorted(by_country.items(), key=lambda kv: (-kv[1][0], kv[0])):
        if publishable(n, minimum):
            shown[country] = amount
        else:
            hidden += amount
            count += 1
    return Destinations(shown=shown, hidden=hidden, hidden_count=count)


# Early warning --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFacts:
    domestic_sales: Decimal = Decimal(0)
    export_sales: Decimal = Decimal(0)
    orders_domestic: Decimal | None = None
    orders_export: Decimal | None = None
    exports_by_country: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def orders(self) -> Decimal | None:
        if self.orders_domestic is None and self.orders_export is None:
            return None
        return (self.orders_domestic or Decimal(0)) + (self.orders_export or Decimal(0))


@dataclass(frozen=True)
class Thresholds:
    export_dependence_share: Decimal = Decimal(70)
    export_orders_drop: Decimal = Decimal(20)
    destination_share: Decimal = Decimal(60)
    falling_orders_months: int = 3


@dataclass(frozen=True)
class Finding:
    reason: str  # bureau.enums.AlertReason value
    level: str  # bureau.enums.AlertLevel value
    details: dict[str, str | int]


LEVELS = ("green", "blue", "orange", "red")


def highest_level(levels: Iterable[str]) -> str:
    """The most serious of ``levels``; green when there is none."""
    return max(levels, key=LEVELS.index, default="green")


def assess_month(
    history: Mapping[Month, MonthFacts],
    *,
    month: Month,
    thresholds: Thresholds,
    report_overdue: bool,
) -> list[Finding]:
    """The reasons an enterprise is at risk in ``month``, given its reported months.

    - *missing report*: no report for ``month`` once it is overdue — blue; orange when the
      month before is missing too;
    - *export orders drop*: exports above ``export_dependence_share`` of sales and export orders
      on hand down more than ``export_orders_drop`` year on year — orange; red when down more
      than twice that;
    - *destination concentration*: one country above ``destination_share`` of exports — blue;
      orange above 90 %;
    - *falling orders*: orders on hand (domestic + export) lower than the month before in each
      of the last ``falling_orders_months`` months — orange.
    """
    findings: list[Finding] = []
    facts = history.get(month)
    if facts is None:
        if report_overdue:
            level = "orange" if (month - 1) not in history else "blue"
            findings.append(Finding("missing_report", level, {"month": month_label(month)}))
        return findings

    total_sales = facts.domestic_sales + facts.export_sales
    export_share = share(facts.export_sales, total_sales)
    last_year = history.get(month - 12)
    if (
        export_share is not None
        and export_share > thresholds.export_dependence_share
        and last_year is not None
        and last_year.orders_export is not None
        and facts.orders_export is not None
    ):
        change = growth_rate(facts.orders_export, last_year.orders_export)
        if change is not None and -change > thresholds.export_orders_drop:
            level = "red" if -change > 2 * thresholds.export_orders_drop else "orange"
            findings.append(
                Finding(
                    "export_orders_drop",
                    level,
                    {"export_share": str(export_share), "orders_change": str(change)},
                )
            )

    if facts.exports_by_country:
        country, amount = max(facts.exports_by_country.items(), key=lambda kv: (kv[1], kv[0]))
        top = share(amount, sum(facts.exports_by_country.values(), Decimal(0)))
        if top is not None and top > thresholds.destination_share:
            level = "orange" if top > 90 else "blue"
            findings.append(
                Finding("destination_concentration", level, {"country": country, "share": str(top)})
            )

    n = thresholds.falling_orders_months
    orders = [history[m].orders if m in history else None for m in range(month - n, month + 1)]
    known = [o for o in orders if o is not None]
    if n > 0 and len(known) == len(orders) and all(a > b for a, b in pairwise(known)):
        findings.append(
            Finding(
                "falling_orders",
                "orange",
                {"months": n, "from": str(known[0]), "to": str(known[-1])},
            )
        )
    return findings
