"""The one-page file of an enterprise (一企一档): what its bureau page joins beside the monthly
figures — indicators by year, products and their channel readiness, the latest deals and fair
activity, support cases with their outcome, and the policies it qualifies for and received.

Reads only; a fixed number of queries whatever the enterprise's size (the page's query-count
test pins it). Access is the caller's (the view checks ``can_view_figures``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from dualcirc.bureau.enums import CaseStatus
from dualcirc.bureau.indicators import growth_rate
from dualcirc.bureau.models import CaseEvent, MonthlyFigures, SupportCase
from dualcirc.bureau.models.cases import PolicyDelivery
from dualcirc.catalog.models import Enterprise

PRODUCTS_SHOWN = 12
ZERO = Decimal(0)


@dataclass(frozen=True)
class YearRow:
    """One calendar year of an enterprise's reported figures."""

    year: int
    months: int
    revenue: Decimal | None
    domestic: Decimal
    exports: Decimal
    export_share: Decimal | None  # exports / (domestic + exports), in %
    exports_growth: Decimal | None  # on the months reported in both years


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def as_of() -> dt.date:
    """The date the file is printed with (today, in the site's zone)."""
    return timezone.localdate()


def yearly_indicators(figures: list[MonthlyFigures]) -> list[YearRow]:
    """Totals and indicators per year, newest first. Growth compares only the months reported
    in both years (a year with fewer months is not shown as a fall)."""
    by_year: dict[int, dict[int, MonthlyFigures]] = {}
    for f in figures:
        by_year.setdefault(f.month.year, {})[f.month.month] = f
    rows = []
    for year in sorted(by_year, reverse=True):
        months = by_year[year]
        domestic = sum((f.domestic_sales for f in months.values()), ZERO)
        exports = sum((f.export_sales for f in months.values()), ZERO)
        whole = domestic + exports
        share = (exports * 100 / whole).quantize(Decimal("0.1")) if whole else None
        before = by_year.get(year - 1, {})
        common = sorted(set(months) & set(before))
        growth = None
        if common:
            now = sum((months[m].export_sales for m in common), ZERO)
            then = sum((before[m].export_sales for m in common), ZERO)
            growth = growth_rate(now, then) if then else None
        rows.append(YearRow(year, len(months), _sum([f.revenue for f in months.values()]),
                            domestic, exports, share, growth))  # fmt: skip
    return rows


def monthly_series(figures: list[MonthlyFigures], *, months: int = 24) -> list[dict[str, Any]]:
    """The last ``months`` months up to the latest reported, oldest first, in the shape the
    charts take (``charts.trend_chart``/``mix_chart``); a month not reported is not shown."""
    if not figures:
        return []
    by_month = {f.month: f for f in figures}
    last = max(by_month)
    series = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(last.year * 12 + last.month - 1 - back, 12)
        when = dt.date(year, month + 1, 1)
        f = by_month.get(when)
        series.append({
            "month": when.isoformat()[:7], "shown": f is not None,
            "domestic": f.domestic_sales if f else ZERO, "export": f.export_sales if f else ZERO,
        })  # fmt: skip
    return series


def latest_activity(enterprise: Enterprise) -> dict[str, Any]:
    """The latest order, quote and fair booth of the enterprise (one query each); the
    buyers' names stay between the parties."""
    from dualcirc.deals.models import Order, Quote
    from dualcirc.fair.models import Booth

    return {
        "order": Order.objects.filter(supplier=enterprise).order_by("-created_at", "-id").first(),
        "quote": Quote.objects.filter(supplier=enterprise)
        .select_related("request")
        .order_by("-created_at", "-id")
        .first(),
        "booth": Booth.objects.filter(enterprise=enterprise)
        .select_related("registration__fair")
        .order_by("-registration__fair__starts_on", "-id")
        .first(),
    }


def cases_with_outcome(enterprise: Enterprise) -> QuerySet[SupportCase]:
    """The enterprise's support cases, newest first, each with ``outcome``: the note of its
    latest feedback or closing step (one query)."""
    last_note = (
        CaseEvent.objects.filter(
            case=OuterRef("pk"), to_status__in=[CaseStatus.FEEDBACK, CaseStatus.CLOSED]
        )
        .exclude(note="")
        .order_by("-at", "-id")
        .values("note")[:1]
    )
    return SupportCase.objects.filter(enterprise=enterprise).annotate(outcome=Subquery(last_note))


def policy_deliveries(enterprise: Enterprise) -> list[PolicyDelivery]:
    """What the enterprise qualified for and received (one query)."""
    return list(
        PolicyDelivery.objects.filter(enterprise=enterprise)
        .select_related("policy")
        .order_by("-eligible_at", "-id")
    )


def product_readiness(enterprise: Enterprise) -> tuple[list[Any], list[Any], int]:
    """Its first products (by SKU) with their readiness on each domestic channel, the channels
    (in the rule book's order), and how many products it has. A fixed number of queries: the
    products' listing data is prefetched (``channels.queries.with_listing_data``)."""
    from dualcirc.channels.queries import assess_product, with_listing_data
    from dualcirc.channels.rules import load_rule_book

    book = load_rule_book()
    products = list(with_listing_data(enterprise.products.order_by("sku"))[:PRODUCTS_SHOWN])
    channels = list(book.channels.values())
    rows = []
    for product in products:
        readiness = assess_product(product, book=book)
        rows.append((product, [readiness[c.key] for c in channels]))
    return rows, channels, enterprise.products.count()
