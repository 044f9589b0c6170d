"""Reads of a factory's gaps (what buyers ask for that an enterprise does not quite offer)
and their roll-ups for the bureau: per enterprise, region, industrial belt and chain.

Like the radar (``demand.queries``), every figure stands on at least ``MIN_BUYERS`` distinct
buyers; a gap below that is counted as hidden, never shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import Enterprise, Product
from dualcirc.demand.domain import month_of
from dualcirc.demand.enums import GapReason, SignalKind
from dualcirc.demand.models import DemandSignal
from dualcirc.demand.queries import DEFAULT_MONTHS, MIN_BUYERS, convert_shown
from dualcirc.l10n.rates import Converter, display_converter


@dataclass
class Gap:
    product: Product
    reason: str  # GapReason
    detail: str  # the asked value: "500 pcs", "12.00 USD", "FSC", "DE"
    buyers: int
    signals: int
    # the salted buyer hashes behind it: only to count distinct buyers in roll-ups, never shown
    buyer_keys: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    @property
    def reason_label(self) -> str:
        return str(GapReason(self.reason).label)


def _misses(
    signal: Any, product: Product, offered: dict[str, set[str]], conv: Converter
) -> list[tuple[str, str]]:
    """The ways ``product`` falls short of what ``signal`` asks, as (reason, detail)."""
    out: list[tuple[str, str]] = []
    quantity = signal["quantity"]
    if quantity is not None and product.moq is not None and quantity < product.moq:
        same_unit = not signal["unit"] or not product.unit or signal["unit"] == product.unit
        if same_unit:
            out.append((GapReason.MOQ, f"{quantity.normalize():f} {signal['unit']}".strip()))
    if signal["price_max"] is not None and product.price_min is not None:
        ceiling = convert_shown(signal["price_max"], signal["currency"], product.currency, conv)
        if ceiling is not None and ceiling < product.price_min:
            out.append((GapReason.PRICE, f"{signal['price_max']} {signal['currency']}".strip()))
    for cert in signal["certifications"] or []:
        if cert.upper() not in offered["certifications"]:
            out.append((GapReason.CERTIFICATION, cert))
    market = signal["market"]
    if market and len(market) == 2 and market not in offered["markets"]:
        out.append((GapReason.MARKET, market))
    return out


GAP_FIELDS = ("hs_heading", "quantity", "unit", "price_max", "currency", "certifications",
              "market", "buyer_key")  # fmt: skip


def _gap_signals(headings: Iterable[str], *, last: int, months: int) -> dict[str, list[Any]]:
    """The searches and requests of ``headings`` over the ``months`` up to ``last``, as
    tuples in GAP_FIELDS' order, by heading: one query for any number of enterprises."""
    by_heading: dict[str, list[Any]] = defaultdict(list)
    rows = DemandSignal.objects.filter(
        hs_heading__in=sorted(set(headings)),
        kind__in=[SignalKind.SEARCH, SignalKind.SOURCING_REQUEST],
        month__gt=last - months,
        month__lte=last,
    ).values_list(*GAP_FIELDS)
    for row in rows.iterator(chunk_size=10_000):
        by_heading[row[0]].append(row)
    return by_heading


def _gaps_of(
    enterprise: Enterprise,
    products: list[Product],
    signals: dict[str, list[Any]],
    converter: Converter,
    max_misses: int,
) -> tuple[list[Gap], int]:
    """:func:`enterprise_gaps` over signals already read. The misses of one product against
    one set of terms are worked out once, however many signals ask the same."""
    by_heading: dict[str, list[Product]] = defaultdict(list)
    for p in products:
        by_heading[p.hs_code[:4]].append(p)
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
    known: dict[tuple[Any, ...], list[tuple[str, str]]] = {}
    for heading, candidates in by_heading.items():
        for _h, quantity, unit, price_max, currency, certs, market, key in signals.get(heading, []):
            terms = (quantity, unit, price_max, currency, tuple(certs or ()), market)
            for product in candidates:
                memo = (product.pk, *terms)
                misses = known.get(memo)
                if misses is None:
                    ask = dict(zip(GAP_FIELDS[1:-1], terms, strict=True))
                    misses = known[memo] = _misses(ask, product, offered[product.pk], converter)
                if not misses or len(misses) > max_misses:
                    continue
                for reason, detail in misses:
                    group = (product.pk, reason, detail)
                    counts[group] += 1
                    if key:
                        buyers[group].add(key)
    by_pk = {p.pk: p for p in products}
    gaps, hidden = [], 0
    for group, n in counts.items():
        distinct = len(buyers[group])
        if distinct < MIN_BUYERS:
            hidden += 1
            continue
        gaps.append(Gap(by_pk[group[0]], group[1], group[2], distinct, n, frozenset(buyers[group])))
    gaps.sort(key=lambda g: (-g.buyers, -g.signals, g.product.pk, g.reason, g.detail))
    return gaps, hidden


def _published_with_code(qs: QuerySet[Product]) -> QuerySet[Product]:
    return qs.filter(status=ProductStatus.PUBLISHED).exclude(hs_code="").order_by("pk")


def enterprise_gaps(
    *, enterprise: Enterprise, months: int = DEFAULT_MONTHS, today: Any = None, max_misses: int = 2
) -> tuple[list[Gap], int]:
    """What buyers ask for that ``enterprise`` does not quite offer: for each published
    product, the searches and requests of its HS heading that it misses on at most
    ``max_misses`` counts (MOQ, price, certification, market), grouped by reason and asked
    value, with the distinct buyers behind each. Returns (gaps with at least MIN_BUYERS
    buyers, most buyers first; how many gaps were hidden under the threshold)."""
    today = today or timezone.localdate()
    products = list(_published_with_code(enterprise.products.all()))
    if not products:
        return [], 0
    signals = _gap_signals({p.hs_code[:4] for p in products}, last=month_of(today), months=months)
    return _gaps_of(enterprise, products, signals, display_converter(), max_misses)


@dataclass
class RegionGaps:
    enterprise: Enterprise
    by_reason: dict[str, int]  # GapReason → distinct buyers behind the gaps of that kind
    top: Gap | None
    buyer_keys: dict[str, set[str]] = field(default_factory=dict, repr=False)

    @property
    def reason_counts(self) -> list[int | None]:
        """Distinct buyers behind each kind of gap, in GapReason's order (the table's
        columns); None where fewer than MIN_BUYERS stand behind it (not shown)."""
        return [self.by_reason.get(value) for value in GapReason.values]


def _by_reason(gaps: Iterable[Gap]) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = defaultdict(set)
    for g in gaps:
        keys[g.reason] |= g.buyer_keys
    return keys


def _shown(keys: dict[str, set[str]]) -> dict[str, int]:
    return {reason: len(k) for reason, k in keys.items() if len(k) >= MIN_BUYERS}


def region_gaps(
    *, enterprises: Iterable[Enterprise], limit: int = 200, today: Any = None
) -> list[RegionGaps]:
    """The factory view rolled up per enterprise (the bureau's page): for each enterprise, the
    distinct buyers behind its gaps by reason and its biggest gap; enterprises without gaps
    left out. The products of all the enterprises and the signals of all their headings are
    read once (two queries), not per enterprise."""
    chosen = list(enterprises)[:limit]
    products: dict[int, list[Product]] = defaultdict(list)
    for p in _published_with_code(Product.objects.filter(enterprise__in=chosen)):
        products[p.enterprise_id].append(p)
    if not products:
        return []
    today = today or timezone.localdate()
    signals = _gap_signals(
        {p.hs_code[:4] for ps in products.values() for p in ps},
        last=month_of(today),
        months=DEFAULT_MONTHS,
    )
    converter = display_converter()
    out = []
    for enterprise in chosen:
        if enterprise.pk not in products:
            continue
        gaps, _hidden = _gaps_of(enterprise, products[enterprise.pk], signals, converter, 2)
        if not gaps:
            continue
        keys = _by_reason(gaps)
        out.append(RegionGaps(enterprise, _shown(keys), gaps[0], keys))
    out.sort(key=lambda r: (-sum(r.by_reason.values()), r.enterprise.pk))
    return out


@dataclass
class GroupGaps:
    """The gaps of a group of enterprises (a region, an industrial belt, an industrial chain):
    distinct buyers per reason and in all, each only where MIN_BUYERS stand behind it."""

    key: str  # "region", "belt" or "chain"
    group: Any  # the Region, IndustrialBelt or IndustrialChain
    enterprises: int  # enterprises of the group with gaps
    by_reason: dict[str, int]
    buyers: int | None  # distinct buyers behind any of the group's gaps (None: too few)

    @property
    def reason_counts(self) -> list[int | None]:
        return [self.by_reason.get(value) for value in GapReason.values]


def _group(key: str, group: Any, members: list[RegionGaps]) -> GroupGaps:
    keys: dict[str, set[str]] = defaultdict(set)
    for m in members:
        for reason, k in m.buyer_keys.items():
            keys[reason] |= k
    everyone = set().union(*keys.values()) if keys else set()
    return GroupGaps(
        key=key,
        group=group,
        enterprises=len(members),
        by_reason=_shown(keys),
        buyers=len(everyone) if len(everyone) >= MIN_BUYERS else None,
    )


def gap_rollups(*, rows: list[RegionGaps], region_path: str = "") -> dict[str, list[GroupGaps]]:
    """``rows`` (per enterprise) rolled up by region (the regions one level below
    ``region_path``, or the enterprises' own regions for an operator), by industrial belt and
    by industrial chain (the enterprises on its links). Distinct buyers are unions of buyer
    hashes, never sums, so a buyer behind two enterprises' gaps counts once; a figure with
    fewer than MIN_BUYERS behind it is not shown (None), and a group with no figure to show
    is left out."""
    from dualcirc.bureau.models import ChainLink
    from dualcirc.core.models import Region

    by_region: dict[int, list[RegionGaps]] = defaultdict(list)
    by_belt: dict[int, list[RegionGaps]] = defaultdict(list)
    depth = region_path.count("/")  # "/37/3702/" → the children sit one code deeper
    region_of: dict[str, int] = {}
    child_paths = {
        r.path: r.pk
        for r in Region.objects.filter(path__startswith=region_path).only("path")
        if r.path.count("/") == depth + 1 or (not region_path and r.parent_id is None)
    }
    for row in rows:
        path = row.enterprise.region.path
        top = next((p for p in child_paths if path.startswith(p)), None)
        region_of[path] = child_paths[top] if top else row.enterprise.region_id
        by_region[region_of[path]].append(row)
        if row.enterprise.belt_id:
            by_belt[row.enterprise.belt_id].append(row)
    by_chain: dict[int, list[RegionGaps]] = defaultdict(list)
    by_enterprise = {r.enterprise.pk: r for r in rows}
    chains = {}
    for link in (
        ChainLink.objects.filter(enterprises__in=list(by_enterprise))
        .select_related("chain")
        .prefetch_related("enterprises")
    ):
        chains[link.chain_id] = link.chain
        for e in link.enterprises.all():
            if e.pk in by_enterprise and by_enterprise[e.pk] not in by_chain[link.chain_id]:
                by_chain[link.chain_id].append(by_enterprise[e.pk])
    from dualcirc.catalog.models import IndustrialBelt

    regions = Region.objects.in_bulk(list(by_region))
    belts = IndustrialBelt.objects.in_bulk(list(by_belt))
    out = {
        "region": [_group("region", regions[pk], m) for pk, m in by_region.items()],
        "belt": [_group("belt", belts[pk], m) for pk, m in by_belt.items()],
        "chain": [_group("chain", chains[pk], m) for pk, m in by_chain.items()],
    }
    for key, groups in out.items():
        out[key] = sorted(
            (g for g in groups if g.buyers is not None),
            key=lambda g: (-(g.buyers or 0), str(g.group)),
        )
    return out
