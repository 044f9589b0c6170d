"""Reads of the demand app: the radar, a factory's gaps, the bureau's roll-up.

Every figure shown stands on at least ``MIN_BUYERS`` distinct buyers (distinct salted
organisation hashes); rows below that are counted as hidden, never shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import Enterprise, Product
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.demand.domain import month_label, month_of, signal_subject
from dualcirc.demand.enums import GapReason, SignalKind
from dualcirc.demand.models import DemandMonth, DemandSignal

MIN_BUYERS = 3
ROW_LIMIT = 200  # radar rows on a page; the export has them all
DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class RadarFilters:
    """What the radar shows: a heading (or product words), a market, a language, a kind of
    signal and a month range (month indexes, inclusive)."""

    subject: str = ""
    market: str = ""
    language: str = ""
    kind: str = ""
    month_from: int = 0
    month_to: int = 0

    @classmethod
    def parse(cls, params: Any, *, today: Any = None) -> RadarFilters:
        """From GET parameters (``subject``, ``market``, ``language``, ``kind``, ``from``,
        ``to`` as YYYY-MM). Raises InvalidInput naming the bad parameter."""
        today = today or timezone.localdate()
        errors: list[FieldError] = []
        months = {}
        for name, default in (("from", month_of(today) - DEFAULT_MONTHS + 1), ("to", 0)):
            raw = (params.get(name) or "").strip()
            months[name] = default or month_of(today)
            if raw:
                try:
                    year, month = (int(x) for x in raw.split("-"))
                    if not 1 <= month <= 12:
                        raise ValueError(raw)
                    months[name] = year * 12 + month - 1
                except ValueError:
                    errors.append(FieldError(name, _("Write the month as YYYY-MM.")))
        kind = (params.get("kind") or "").strip()
        if kind and kind not in SignalKind.values:
            errors.append(
                FieldError(
                    "kind", _("One of: %(kinds)s.") % {"kinds": ", ".join(SignalKind.values)}
                )
            )
        if not errors and months["from"] > months["to"]:
            errors.append(FieldError("from", _("The first month comes after the last.")))
        if errors:
            raise InvalidInput(_("Check the radar's filters."), errors)
        return cls(
            subject=(params.get("subject") or "").strip().lower()[:80],
            market=(params.get("market") or "").strip().upper()[:8],
            language=(params.get("language") or "").strip().lower()[:8],
            kind=kind,
            month_from=months["from"],
            month_to=months["to"],
        )


@dataclass
class RadarRow:
    subject: str  # an HS heading ("9403") or, for signals without one, the product words
    market: str
    language: str
    month: int
    volume: int
    buyers: int
    unmet: int  # searches with no good match
    previous: int | None = None  # the volume of the month before (same subject/market/language)
    listings: int = 0  # published products of the heading (competition)

    @property
    def change(self) -> Decimal | None:
        """Change against the month before, in percentage points (None when it had none)."""
        if not self.previous:
            return None
        return (Decimal(100 * (self.volume - self.previous)) / Decimal(self.previous)).quantize(
            Decimal("0.1")
        )

    @property
    def month_label(self) -> str:
        """``2026-11``: what ``|local_month`` and the CSV export read."""
        return month_label(self.month)

    @property
    def per_listing(self) -> Decimal | None:
        """Searches per local listing: high means many buyers, few offers."""
        if not self.listings:
            return None
        return (Decimal(self.volume) / Decimal(self.listings)).quantize(Decimal("0.01"))

    @property
    def is_heading(self) -> bool:
        return self.subject.isdigit()


@dataclass
class Radar:
    rows: list[RadarRow]
    hidden: int  # rows with fewer than MIN_BUYERS distinct buyers, not shown
    filters: RadarFilters
    trend: list[tuple[int, int]] = field(default_factory=list)  # (month, volume), shown rows
    total: int = 0  # rows with enough buyers; ``rows`` holds the busiest ``limit`` of them


def _signals(filters: RadarFilters, *, first_month: int) -> QuerySet[DemandSignal]:
    qs = DemandSignal.objects.filter(month__gte=first_month, month__lte=filters.month_to)
    if filters.market:
        qs = qs.filter(market=filters.market)
    if filters.language:
        qs = qs.filter(language=filters.language)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.subject:
        qs = qs.filter(
            Q(hs_heading=filters.subject) | Q(hs_heading="", product_type=filters.subject)
        )
    return qs


def listings_by_heading(headings: Iterable[str] = ()) -> dict[str, int]:
    """Published products per HS heading (the first four digits of their code)."""
    qs = Product.objects.filter(status=ProductStatus.PUBLISHED).annotate(
        heading=Substr("hs_code", 1, 4)
    )
    wanted = [h for h in headings if h]
    if wanted:
        qs = qs.filter(heading__in=wanted)
    return {row["heading"]: row["n"] for row in qs.values("heading").annotate(n=Count("id"))}


def demand_radar(*, filters: RadarFilters, limit: int | None = ROW_LIMIT) -> Radar:
    """Demand by subject × market × language × month in the filters' range, latest month and
    busiest first (at most ``limit`` rows; None: all, for the export), with the change against
    the month before, unmet searches and searches per listing. Rows with fewer than
    MIN_BUYERS distinct buyers are hidden (counted in ``hidden``); ``trend`` and ``total``
    cover every shown row, not only the first ``limit``.

    Reads the pre-aggregated rows (``DemandMonth``; the current month's are rebuilt every
    minute by ``dualcirc periodic``) with indexed queries and no GROUP BY over the signals
    (``demand_radar_from_signals`` is that, the baseline)."""
    months = DemandMonth.objects.filter(kind=filters.kind)
    if filters.market:
        months = months.filter(market=filters.market)
    if filters.language:
        months = months.filter(language=filters.language)
    if filters.subject:
        months = months.filter(subject=filters.subject)
    in_range = months.filter(month__gte=filters.month_from, month__lte=filters.month_to)
    shown = in_range.filter(buyers__gte=MIN_BUYERS)
    ordered = shown.order_by("-month", "-signals", "subject", "market", "language").values_list(
        "subject", "market", "language", "month", "signals", "buyers", "unmet"
    )
    rows = [
        RadarRow(
            subject=subject,
            market=market,
            language=language,
            month=month,
            volume=signals,
            buyers=buyers,
            unmet=unmet,
        )
        for subject, market, language, month, signals, buyers, unmet in (
            ordered if limit is None else ordered[:limit]
        )
    ]
    # One pass over the range for the trend and both counts (the index covers it).
    per_month = (
        in_range.values("month")
        .annotate(
            n=Sum("signals", filter=Q(buyers__gte=MIN_BUYERS)),
            shown=Count("id", filter=Q(buyers__gte=MIN_BUYERS)),
            hidden=Count("id", filter=Q(buyers__lt=MIN_BUYERS)),
        )
        .order_by("month")
    )
    trend, total, hidden = [], 0, 0
    for m in per_month:
        if m["shown"]:
            trend.append((m["month"], int(m["n"])))
        total += m["shown"]
        hidden += m["hidden"]
    return _finish(
        rows,
        filters,
        months,
        Radar(rows=rows, hidden=hidden, filters=filters, trend=trend, total=total),
    )


def _finish(
    rows: list[RadarRow], filters: RadarFilters, months: QuerySet[DemandMonth], radar: Radar
) -> Radar:
    """The month before (for the change) and the listings (competition) of ``rows``."""
    before = {
        (m.subject, m.market, m.language, m.month): m.signals
        # exact months (not a range): the unique index (month, kind, subject, …) then seeks
        for m in months.filter(
            month__in={r.month - 1 for r in rows},
            subject__in={r.subject for r in rows},
            market__in={r.market for r in rows},
        ).only("subject", "market", "language", "month", "signals")
    }
    for row in rows:
        row.previous = before.get((row.subject, row.market, row.language, row.month - 1), 0)
    listings = listings_by_heading({r.subject for r in rows if r.is_heading})
    for row in rows:
        row.listings = listings.get(row.subject, 0) if row.is_heading else 0
    rows.sort(key=_row_order)
    return radar


def _row_order(r: RadarRow) -> tuple[int, int, str, str, str]:
    return (-r.month, -r.volume, r.subject, r.market, r.language)


def demand_radar_from_signals(*, filters: RadarFilters, limit: int | None = ROW_LIMIT) -> Radar:
    """:func:`demand_radar` computed straight from the signals with one GROUP BY (no
    pre-aggregated rows): the benchmark's baseline, and what the roll-up must equal."""
    grouped = (
        _signals(filters, first_month=filters.month_from - 1)
        .annotate(subject=signal_subject())
        .values("subject", "market", "language", "month")
        .annotate(
            volume=Count("id"),
            buyers=Count("buyer_key", distinct=True, filter=~Q(buyer_key="")),
            unmet=Count("id", filter=Q(kind=SignalKind.SEARCH, good_matches=0)),
        )
    )
    by_key: dict[tuple[str, str, str, int], RadarRow] = {}
    for g in grouped:
        by_key[(g["subject"], g["market"], g["language"], g["month"])] = RadarRow(
            subject=g["subject"],
            market=g["market"],
            language=g["language"],
            month=g["month"],
            volume=g["volume"],
            buyers=g["buyers"],
            unmet=g["unmet"],
        )
    rows, hidden = [], 0
    for (subject, market, language, month), row in by_key.items():
        if month < filters.month_from:
            continue
        if row.buyers < MIN_BUYERS:
            hidden += 1
            continue
        before = by_key.get((subject, market, language, month - 1))
        row.previous = before.volume if before else 0
        rows.append(row)
    rows.sort(key=_row_order)
    trend: dict[int, int] = defaultdict(int)
    for row in rows:
        trend[row.month] += row.volume
    total = len(rows)
    rows = rows if limit is None else rows[:limit]
    listings = listings_by_heading({r.subject for r in rows if r.is_heading})
    for row in rows:
        row.listings = listings.get(row.subject, 0) if row.is_heading else 0
    return Radar(
        rows=rows, hidden=hidden, filters=filters, trend=sorted(trend.items()), total=total
    )


def unmet_demand(
    *, months: int = DEFAULT_MONTHS, region_path: str = "", today: Any = None
) -> list[RadarRow]:
    """What buyers keep asking for with no good match: subjects × markets of searches that
    found nothing, with at least MIN_BUYERS distinct buyers over the last ``months``. With
    ``region_path``, subjects that are HS headings some enterprise of the region lists are
    left out (the region does offer them). Busiest first."""
    today = today or timezone.localdate()
    last = month_of(today)
    grouped = (
        DemandSignal.objects.filter(
            kind=SignalKind.SEARCH, good_matches=0, month__gt=last - months, month__lte=last
        )
        .annotate(subject=signal_subject())
        .values("subject", "market")
        .annotate(
            volume=Count("id"),
            buyers=Count("buyer_key", distinct=True, filter=~Q(buyer_key="")),
        )
        .filter(buyers__gte=MIN_BUYERS)
        .order_by("-buyers", "-volume", "subject")
    )
    offered: set[str] = set()
    if region_path:
        offered = set(
            Product.objects.filter(
                status=ProductStatus.PUBLISHED, enterprise__region__path__startswith=region_path
            )
            .annotate(heading=Substr("hs_code", 1, 4))
            .values_list("heading", flat=True)
        )
    return [
        RadarRow(
            subject=g["subject"],
            market=g["market"],
            language="",
            month=last,
            volume=g["volume"],
            buyers=g["buyers"],
            unmet=g["volume"],
        )
        for g in grouped
        if g["subject"] not in offered
    ]


# --- a factory's gaps -----------------------------------------------------------------------


@dataclass
class Gap:
    product: Product
    reason: str  # GapReason
    detail: str  # the asked value: "500 pcs", "12.00 USD", "FSC", "DE"
    buyers: int
    signals: int

    @property
    def reason_label(self) -> str:
        return str(GapReason(self.reason).label)


def _product_currency_ceiling(
    price_max: Decimal, currency: str, target: str, converter: Any
) -> Decimal | None:
    if not currency or currency.upper() == target.upper():
        return price_max
    try:
        return converter.convert(price_max, currency, target).converted
    except Exception:  # no rate for this pair: this ask cannot be compared
        return None


def _misses(
    signal: Any, product: Product, offered: dict[str, set[str]], conv: Any
) -> list[tuple[str, str]]:
    """The ways ``product`` falls short of what ``signal`` asks, as (reason, detail)."""
    out: list[tuple[str, str]] = []
    quantity = signal["quantity"]
    if quantity is not None and product.moq is not None and quantity < product.moq:
        same_unit = not signal["unit"] or not product.unit or signal["unit"] == product.unit
        if same_unit:
            out.append((GapReason.MOQ, f"{quantity.normalize():f} {signal['unit']}".strip()))
    if signal["price_max"] is not None and product.price_min is not None:
        ceiling = _product_currency_ceiling(
            signal["price_max"], signal["currency"], product.currency, conv
        )
        if ceiling is not None and ceiling < product.price_min:
            out.append((GapReason.PRICE, f"{signal['price_max']} {signal['currency']}".strip()))
    for cert in signal["certifications"] or []:
        if cert.upper() not in offered["certifications"]:
            out.append((GapReason.CERTIFICATION, cert))
    market = signal["market"]
    if market and len(market) == 2 and market not in offered["markets"]:
        out.append((GapReason.MARKET, market))
    return out


def enterprise_gaps(
    *, enterprise: Enterprise, months: int = DEFAULT_MONTHS, today: Any = None, max_misses: int = 2
) -> tuple[list[Gap], int]:
    """What buyers ask for that ``enterprise`` does not quite offer: for each published
    product, the searches and requests of its HS heading that it misses on at most
    ``max_misses`` counts (MOQ, price, certification, market), grouped by reason and asked
    value, with the distinct buyers behind each. Returns (gaps with at least MIN_BUYERS
    buyers, most buyers first; how many gaps were hidden under the threshold)."""
    from dualcirc.l10n.rates import display_converter

    today = today or timezone.localdate()
    last = month_of(today)
    products = list(enterprise.products.filter(status=ProductStatus.PUBLISHED).exclude(hs_code=""))
    if not products:
        return [], 0
    by_heading: dict[str, list[Product]] = defaultdict(list)
    for p in products:
        by_heading[p.hs_code[:4]].append(p)
    signals = DemandSignal.objects.filter(
        hs_heading__in=list(by_heading),
        kind__in=[SignalKind.SEARCH, SignalKind.SOURCING_REQUEST],
        month__gt=last - months,
        month__lte=last,
    ).values(
        "hs_heading",
        "quantity",
        "unit",
        "price_max",
        "currency",
        "certifications",
        "market",
        "buyer_key",
    )
    converter = display_converter()
    ent_certs = {str(c).upper() for c in enterprise.certifications or []}
    ent_markets = {str(m).upper() for m in enterprise.export_markets or []}
    offered = {
        p.pk: {
            "certifications": ent_certs | {str(c).upper() for c in p.certifications or []},
            "markets": ent_markets | {str(m).upper() for m in p.export_markets or []},
        }
        for p in products
    }
    buyers: dict[tuple[int, str, str], set[str]] = defaultdict(set)
    counts: dict[tuple[int, str, str], int] = defaultdict(int)
    for s in signals:
        for product in by_heading[s["hs_heading"]]:
            misses = _misses(s, product, offered[product.pk], converter)
            if not misses or len(misses) > max_misses:
                continue
            for reason, detail in misses:
                key = (product.pk, reason, detail)
                counts[key] += 1
                if s["buyer_key"]:
                    buyers[key].add(s["buyer_key"])
    by_pk = {p.pk: p for p in products}
    gaps, hidden = [], 0
    for key, n in counts.items():
        distinct = len(buyers[key])
        if distinct < MIN_BUYERS:
            hidden += 1
            continue
        gaps.append(Gap(by_pk[key[0]], key[1], key[2], distinct, n))
    gaps.sort(key=lambda g: (-g.buyers, -g.signals, g.product.pk, g.reason, g.detail))
    return gaps, hidden


@dataclass
class RegionGaps:
    enterprise: Enterprise
    by_reason: dict[str, int]  # GapReason → buyers behind the enterprise's gaps of that kind
    top: Gap | None

    @property
    def reason_counts(self) -> list[int]:
        """Buyers behind each kind of gap, in GapReason's order (the table's columns)."""
        return [self.by_reason.get(value, 0) for value in GapReason.values]


def region_gaps(*, enterprises: Iterable[Enterprise], limit: int = 200) -> list[RegionGaps]:
    """The factory view rolled up per enterprise (the bureau's page): for each enterprise, the
    buyers behind its gaps by reason and its biggest gap; enterprises without gaps left out."""
    out = []
    for enterprise in list(enterprises)[:limit]:
        gaps, _hidden = enterprise_gaps(enterprise=enterprise)
        if not gaps:
            continue
        by_reason: dict[str, int] = defaultdict(int)
        for g in gaps:
            by_reason[g.reason] += g.buyers
        out.append(RegionGaps(enterprise, dict(by_reason), gaps[0]))
    out.sort(key=lambda r: -sum(r.by_reason.values()))
    return out
