"""Reads of the demand app: the radar, unmet demand, the bureau's alerts (a factory's gaps
and their roll-ups: ``demand.gap_queries``).

Every figure shown stands on at least ``MIN_BUYERS`` distinct buyers (distinct salted
organisation hashes); rows below that are counted as hidden, never shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pycountry
from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.catalog.enums import ListingLanguage, ProductStatus
from dualcirc.catalog.models import Product
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.demand.domain import month_label, month_of, signal_subject
from dualcirc.demand.enums import SignalKind
from dualcirc.demand.models import DemandAsk, DemandMonth, DemandSignal, UnmetDemandAlert
from dualcirc.l10n.rates import Converter, RateMissing, display_converter, minor_units

MIN_BUYERS = 3
ROW_LIMIT = 200  # radar rows at most in one read; the export has them all
PAGE_SIZE = 50  # radar rows on a page of the page and the API
DEFAULT_MONTHS = 12
CENT = Decimal("0.01")  # quantities are shown to two places, as signals keep them
TOP_CERTIFICATIONS = 5  # certifications named in "asked" and "offered"


def demand_currency() -> str:
    """The one currency prices are compared in on the radar (``DUALCIRC_DEMAND_CURRENCY``)."""
    return str(getattr(settings, "DEMAND_CURRENCY", "CNY")).upper()


@dataclass
class Range:
    """A low–high range of quantities (with their unit) or prices (with their currency)."""

    low: Decimal
    high: Decimal
    unit: str  # a unit of quantity, or a currency

    def __str__(self) -> str:
        low, high = f"{self.low.normalize():f}", f"{self.high.normalize():f}"
        text = low if self.low == self.high else f"{low}–{high}"
        return f"{text} {self.unit}".strip()


@dataclass
class Asked:
    """What the buyers behind a radar row asked: each figure stands on at least MIN_BUYERS
    distinct buyers (a unit, currency or certification asked by fewer is left out)."""

    quantity: Range | None = None  # in the unit most buyers used
    price: Range | None = None  # price ceilings, in demand_currency()
    certifications: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.quantity is None and self.price is None and not self.certifications


@dataclass
class Offered:
    """What the published listings of a heading offer."""

    listings: int = 0
    moq: Range | None = None  # in the unit most listings use
    price: Range | None = None  # in demand_currency()
    certifications: list[str] = field(default_factory=list)  # most held first


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
        ``to`` as YYYY-MM). A market is a country code or one of :func:`radar_markets`, a
        language one the platform reads queries in (``ListingLanguage``). Raises InvalidInput
        naming the bad parameter."""
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
        market = (params.get("market") or "").strip().upper()
        if market and not is_radar_market(market):
            errors.append(
                FieldError(
                    "market",
                    _("%(value)s is not a country code or a market buyers asked for.")
                    % {"value": market[:20]},
                )
            )
        language = (params.get("language") or "").strip().lower()
        if language and language not in ListingLanguage.values:
            errors.append(
                FieldError(
                    "language",
                    _("One of: %(kinds)s.") % {"kinds": ", ".join(ListingLanguage.values)},
                )
            )
        if not errors and months["from"] > months["to"]:
            errors.append(FieldError("from", _("The first month comes after the last.")))
        if errors:
            raise InvalidInput(_("Check the radar's filters."), errors)
        return cls(
            subject=(params.get("subject") or "").strip().lower()[:80],
            market=market,
            language=language,
            kind=kind,
            month_from=months["from"],
            month_to=months["to"],
        )


def radar_markets() -> list[str]:
    """The markets the radar has rows of with at least MIN_BUYERS distinct buyers (a market
    fewer buyers asked for is not named), as signals keep them: country codes, and the
    groups buyers name (``EU``, ``ASEAN``). One query over the pre-aggregated rows."""
    return list(
        DemandMonth.objects.filter(kind="", buyers__gte=MIN_BUYERS)
        .exclude(market="")
        .order_by("market")
        .values_list("market", flat=True)
        .distinct()
    )


def is_radar_market(code: str) -> bool:
    """``code`` (upper case) is an ISO 3166-1 country or one of :func:`radar_markets` (a
    country no buyer asked for yet is a valid filter that shows nothing)."""
    if len(code) == 2 and code.isalpha() and pycountry.countries.get(alpha_2=code) is not None:
        return True
    return code in radar_markets()


def parse_page(params: Any) -> int:
    """The ``page`` parameter (1 when absent). Raises InvalidInput naming it."""
    raw = str(params.get("page") or "1").strip()
    if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        raise InvalidInput(
            _("Check the radar's filters."),
            [FieldError("page", _("A page number from 1."))],
        )
    return int(raw)


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
    asked: Asked = field(default_factory=Asked)
    offered: Offered = field(default_factory=Offered)

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
    offset: int = 0  # rows before ``rows`` (paging)
    currency: str = ""  # what asked and offered prices are in

    @property
    def page(self) -> int:
        return self.offset // PAGE_SIZE + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def shown_volume(self) -> int:
        """Signals in the shown rows (this page; every row of an export)."""
        return sum(r.volume for r in self.rows)

    @property
    def shown_unmet(self) -> int:
        """Unmet signals (no listing answered them) in the shown rows."""
        return sum(r.unmet for r in self.rows)


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


def demand_radar(*, filters: RadarFilters, limit: int | None = ROW_LIMIT, offset: int = 0) -> Radar:
    """Demand by subject × market × language × month in the filters' range, latest month and
    busiest first (at most ``limit`` rows after ``offset``; None: all, for the export), with
    the change against the month before, unmet searches, searches per listing and what buyers
    asked against what local listings offer. Rows with fewer than
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
            ordered[offset:] if limit is None else ordered[offset : offset + limit]
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
        Radar(
            rows=rows,
            hidden=hidden,
            filters=filters,
            trend=trend,
            total=total,
            offset=offset,
            currency=demand_currency(),
        ),
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
    attach_asked_and_offered(rows, kind=filters.kind)
    rows.sort(key=_row_order)
    return radar


def convert_shown(
    amount: Decimal, currency: str, target: str, converter: Converter
) -> Decimal | None:
    """``amount`` of ``currency`` in ``target`` with ``converter`` (rounded to the target's
    minor unit), for a figure that is shown or compared, never stored; an amount with no
    currency is taken as already in ``target``. None when no rate is known for the pair: the
    figure is left out, never guessed."""
    if not currency or currency.upper() == target.upper():
        return amount
    try:
        return converter.convert(amount, currency, target).converted
    except RateMissing:
        return None


def _price_range(
    pairs: Iterable[tuple[Decimal, Decimal, str]], target: str, converter: Converter
) -> Range | None:
    lows, highs = [], []
    for low, high, currency in pairs:
        a, b = (
            convert_shown(low, currency, target, converter),
            convert_shown(high, currency, target, converter),
        )
        if a is not None and b is not None:
            lows.append(a)
            highs.append(b)
    if not lows:
        return None
    step = minor_units(target)
    return Range(min(lows).quantize(step), max(highs).quantize(step), target)


def attach_asked_and_offered(
    rows: list[RadarRow], *, kind: str = "", asks: list[DemandAsk] | None = None
) -> None:
    """Fill ``asked`` (from the pre-aggregated ``DemandAsk`` rows, or ``asks`` computed
    otherwise; each unit, currency or certification only with MIN_BUYERS distinct buyers) and
    ``offered`` (the published listings of the row's heading) of ``rows``. Prices in
    :func:`demand_currency`. Two queries, whatever the number of rows."""
    if not rows:
        return
    target = demand_currency()
    converter = display_converter()
    if asks is None:
        asks = list(
            DemandAsk.objects.filter(
                kind=kind,
                month__in={r.month for r in rows},
                subject__in={r.subject for r in rows},
                buyers__gte=MIN_BUYERS,
            )
        )
    by_row: dict[tuple[str, str, str, int], list[DemandAsk]] = defaultdict(list)
    for a in asks:
        if a.buyers >= MIN_BUYERS:
            by_row[(a.subject, a.market, a.language, a.month)].append(a)
    for row in rows:
        found = by_row.get((row.subject, row.market, row.language, row.month), [])
        quantities = sorted(
            (a for a in found if a.measure == "quantity" and a.low is not None),
            key=lambda a: (-a.buyers, a.code),
        )
        if quantities:
            q = quantities[0]
            row.asked.quantity = Range(q.low, q.high or q.low, q.code)  # type: ignore[arg-type]
        row.asked.price = _price_range(
            (
                (a.low, a.high or a.low, a.code)
                for a in found
                if a.measure == "price" and a.low is not None
            ),
            target,
            converter,
        )
        certs = sorted(
            (a for a in found if a.measure == "certification"), key=lambda a: (-a.buyers, a.code)
        )
        row.asked.certifications = [a.code for a in certs[:TOP_CERTIFICATIONS]]
    offered = offered_by_heading({r.subject for r in rows if r.is_heading})
    for row in rows:
        if row.is_heading and row.subject in offered:
            row.offered = offered[row.subject]


def offered_by_heading(headings: Iterable[str]) -> dict[str, Offered]:
    """What the published listings of each heading offer: MOQ range (in the unit most of them
    use), price range (converted into :func:`demand_currency`) and the certifications the
    products or their enterprises hold, most held first. One query."""
    wanted = sorted(h for h in headings if h)
    if not wanted:
        return {}
    target = demand_currency()
    converter = display_converter()
    products = (
        Product.objects.filter(status=ProductStatus.PUBLISHED)
        .annotate(heading=Substr("hs_code", 1, 4))
        .filter(heading__in=wanted)
        .values_list(
            "heading",
            "moq",
            "unit",
            "price_min",
            "price_max",
            "currency",
            "certifications",
            "enterprise__certifications",
        )
    )
    moqs: dict[str, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    prices: dict[str, list[tuple[Decimal, Decimal, str]]] = defaultdict(list)
    certs: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    listings: dict[str, int] = defaultdict(int)
    for heading, moq, unit, low, high, currency, own, enterprise_certs in products:
        listings[heading] += 1
        if moq is not None:
            moqs[heading][unit or ""].append(moq)
        ends = [x for x in (low, high) if x is not None]
        if ends:
            prices[heading].append((ends[0], ends[-1], currency))
        for c in {str(c).upper() for c in [*(own or []), *(enterprise_certs or [])]}:
            certs[heading][c] += 1
    out = {}
    for heading, n in listings.items():
        by_unit = sorted(moqs[heading].items(), key=lambda kv: (-len(kv[1]), kv[0]))
        held = sorted(certs[heading].items(), key=lambda kv: (-kv[1], kv[0]))
        out[heading] = Offered(
            listings=n,
            moq=Range(
                min(by_unit[0][1]).quantize(CENT), max(by_unit[0][1]).quantize(CENT), by_unit[0][0]
            )
            if by_unit
            else None,
            price=_price_range(prices[heading], target, converter),
            certifications=[c for c, _n in held[:TOP_CERTIFICATIONS]],
        )
    return out


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
    attach_asked_and_offered(rows, asks=_asks_from_signals(filters))
    return Radar(
        rows=rows,
        hidden=hidden,
        filters=filters,
        trend=sorted(trend.items()),
        total=total,
        currency=demand_currency(),
    )


def _asks_from_signals(filters: RadarFilters) -> list[DemandAsk]:
    """What ``DemandAsk`` holds for the filters' range, computed from the signals (the
    baseline's; unsaved rows)."""
    qs = _signals(filters, first_month=filters.month_from).filter(
        kind__in=[SignalKind.SEARCH, SignalKind.SOURCING_REQUEST]
    )
    keys = ("subject", "market", "language", "month")
    out = []
    for measure, value, code in (
        ("quantity", "quantity", "unit"),
        ("price", "price_max", "currency"),
    ):
        for g in (
            qs.filter(**{f"{value}__isnull": False})
            .annotate(subject=signal_subject())
            .values(*keys, code)
            .annotate(
                buyers=Count("buyer_key", distinct=True, filter=~Q(buyer_key="")),
                n=Count("id"),
                low=Min(value),
                high=Max(value),
            )
        ):
            out.append(
                DemandAsk(
                    **{k: g[k] for k in keys},
                    measure=measure,
                    code=g[code],
                    buyers=g["buyers"],
                    signals=g["n"],
                    low=g["low"],
                    high=g["high"],
                )
            )
    certs: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for *key, listed, buyer in (
        qs.exclude(certifications=[])
        .annotate(subject=signal_subject())
        .values_list(*keys, "certifications", "buyer_key")
    ):
        for cert in {str(c).upper()[:40] for c in listed or []}:
            found = certs[(*key, cert)]
            if buyer:
                found.add(buyer)
    for (subject, market, language, month, cert), buyers in certs.items():
        out.append(
            DemandAsk(
                subject=subject,
                market=market,
                language=language,
                month=month,
                measure="certification",
                code=cert,
                buyers=len(buyers),
                signals=0,
            )
        )
    return out


def unmet_window_months() -> int:
    """How many months of searches an unmet-demand line and alert count
    (``DUALCIRC_DEMAND_UNMET_MONTHS``)."""
    return int(getattr(settings, "DEMAND_UNMET_MONTHS", 3))


def offered_headings(region_path: str) -> set[str]:
    """The HS headings that some enterprise of the region at ``region_path`` lists (published
    products): demand for those is not unmet there."""
    return set(
        Product.objects.filter(
            status=ProductStatus.PUBLISHED, enterprise__region__path__startswith=region_path
        )
        .annotate(heading=Substr("hs_code", 1, 4))
        .values_list("heading", flat=True)
    )


def unmet_demand(
    *, months: int | None = None, region_path: str = "", today: Any = None
) -> list[RadarRow]:
    """What buyers keep asking for with no good match: subjects × markets of searches that
    found nothing, with at least MIN_BUYERS distinct buyers over the last ``months``. With
    ``region_path``, subjects that are HS headings some enterprise of the region lists are
    left out (the region does offer them). Busiest first."""
    today = today or timezone.localdate()
    months = months or unmet_window_months()
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
    offered = offered_headings(region_path) if region_path else set()
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


def bureau_region_path(user: Any) -> str:
    """The region whose unmet demand and roll-ups the bureau's demand page shows ``user``:
    the first region they govern; "" (everywhere) for the operator or someone governing
    none. Reads ``user``'s memberships."""
    from dualcirc.core.access import governed_region_paths, is_operator

    if is_operator(user):
        return ""
    paths = governed_region_paths(user)
    return paths[0] if paths else ""


def unmet_alerts_for(user: Any, *, limit: int = 100) -> list[UnmetDemandAlert]:
    """The unmet-demand alerts of the regions ``user`` governs (an operator: all), newest
    first, at most ``limit`` (read no further); none for anybody else."""
    from dualcirc.core.access import can_use_bureau, governed_region_paths, is_operator

    if not can_use_bureau(user):
        return []
    alerts = UnmetDemandAlert.objects.select_related("region").order_by("-raised_at", "-pk")
    paths = governed_region_paths(user)
    if paths and not is_operator(user):
        q = Q()
        for p in paths:
            q |= Q(region__path__startswith=p)
        alerts = alerts.filter(q)
    return list(alerts[:limit])
