"""Reusable reads of the catalog: the public lists, their filters and facet counts.

Every product read for a user goes through ``core.access.visible_products``; public lists of
enterprises show public profile fields only (the pages decide about private ones with
``core.access.can_view_enterprise_private``).

Filters on JSON lists (certifications, export markets, industries) must run on SQLite and
PostgreSQL alike, and JSONField ``__contains`` on lists is PostgreSQL-only; see
:func:`json_list_contains`.

Facet counts are disjunctive: the count beside an option says how many results there would
be if that option replaced the current choice of its own facet, all other filters kept. They
are computed in one query over the rows matching the non-faceted filters (text, MOQ, …), with
one boolean column per active faceted filter. That query reads one small row per matching
product: fine for a county's catalog of tens of thousands of products; past that, the counts
belong in the search index.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

import pycountry
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext as _

from dualcirc.catalog.enums import ListingLanguage, ProductSort, ProductStatus
from dualcirc.catalog.hs import hs_chapters
from dualcirc.catalog.models import Enterprise, IndustrialBelt, Product
from dualcirc.core.access import visible_products
from dualcirc.core.errors import FieldError
from dualcirc.core.models import Region

PRODUCTS_PER_PAGE = 24
ENTERPRISES_PER_PAGE = 24
MAX_TEXT_QUERY = 200
# Product.moq is DECIMAL(14, 3).
MAX_MOQ = Decimal("99999999999.999")

PRODUCT_FACETS = ("industry", "hs_chapter", "certification", "market", "language", "belt", "region")
ENTERPRISE_FACETS = ("industry", "belt", "region")

_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
_REGION_CODE = re.compile(r"^[0-9A-Za-z]{1,12}$")

FacetCounts = dict[str, Counter[str]]


def json_list_contains(field_path: str, value: str) -> Q:
    """Rows whose JSON list at ``field_path`` holds the string ``value`` (case-insensitive).

    Portable replacement for ``__contains=[value]``: matches the stored JSON text for the
    quoted element. SQLite stores ``json.dumps`` output (non-ASCII escaped as ``\\uXXXX``),
    PostgreSQL renders jsonb with the characters themselves, so both spellings are tried. The
    quotes keep ``CE`` from matching ``CEN``; a list element equal to ``value`` is the only way
    to contain the quoted token.
    """
    ascii_token = json.dumps(value)
    q = Q(**{f"{field_path}__icontains": ascii_token})
    raw_token = json.dumps(value, ensure_ascii=False)
    if raw_token != ascii_token:
        q |= Q(**{f"{field_path}__icontains": raw_token})
    return q


def region_codes(path: str) -> list[str]:
    """``/37/3702/370285/`` → ``['37', '3702', '370285']`` (the region and its ancestors)."""
    return [code for code in path.split("/") if code]


# --- parameters -------------------------------------------------------------------------


def _text(params: Mapping[str, str], name: str) -> str:
    return (params.get(name) or "").strip()[:MAX_TEXT_QUERY]


def _parse_region(params: Mapping[str, str], errors: list[FieldError]) -> tuple[str, str]:
    """The ``region`` parameter → (code, path); one query when given."""
    code = _text(params, "region")
    if not code:
        return "", ""
    path = None
    if _REGION_CODE.match(code):
        path = Region.objects.filter(code=code).values_list("path", flat=True).first()
    if path is None:
        errors.append(
            FieldError(
                field="region",
                message=_("No region has the code “%(code)s”.") % {"code": code},
            )
        )
        return "", ""
    return code, path


@dataclass(frozen=True)
class EnterpriseFilters:
    keyword: str = ""  # in the name (the list's keyword facet; searches use the engine)
    industry: str = ""
    belt: str = ""
    region: str = ""
    region_path: str = ""

    @property
    def active(self) -> bool:
        return any((self.keyword, self.industry, self.belt, self.region))


@dataclass(frozen=True)
class ProductFilters:
    keyword: str = ""  # in a title or the SKU (the list's keyword facet; searches use the engine)
    industry: str = ""
    hs_chapter: str = ""
    certification: str = ""
    market: str = ""
    moq_max: Decimal | None = None
    language: str = ""
    belt: str = ""
    region: str = ""
    region_path: str = ""
    enterprise: int | None = None
    sort: str = ProductSort.NEWEST.value

    @property
    def active(self) -> bool:
        return any(
            (
                self.keyword,
                self.industry,
                self.hs_chapter,
                self.certification,
                self.market,
                self.moq_max is not None,
                self.language,
                self.belt,
                self.region,
                self.enterprise is not None,
            )
        )


FiltersT = TypeVar("FiltersT", "EnterpriseFilters", "ProductFilters")


@dataclass(frozen=True)
class ParsedFilters(Generic[FiltersT]):
    filters: FiltersT
    errors: list[FieldError] = field(default_factory=list)


def parse_enterprise_filters(params: Mapping[str, str]) -> ParsedFilters[EnterpriseFilters]:
    """Read the enterprise list's query parameters; each bad one becomes a FieldError naming it
    (and is left out of the filters). Queries the database once when ``region`` is given."""
    errors: list[FieldError] = []
    region, region_path = _parse_region(params, errors)
    filters = EnterpriseFilters(
        keyword=_text(params, "keyword"),
        industry=_text(params, "industry"),
        belt=_text(params, "belt"),
        region=region,
        region_path=region_path,
    )
    return ParsedFilters(filters, errors)


# The one vocabulary of product list filters, shared by the page and the API.
PRODUCT_PARAMETERS = (
    "keyword",
    "industry",
    "hs_chapter",
    "certification",
    "market",
    "moq_max",
    "language",
    "belt",
    "region",
    "enterprise",
    "sort",
)


def parse_product_filters(params: Mapping[str, Any]) -> ParsedFilters[ProductFilters]:
    """Read the product list's parameters (``PRODUCT_PARAMETERS``; the page's query string and
    the API's query both come here); each bad one becomes a FieldError naming it and is left
    out of the filters. Values may be text or already typed (the API's Decimal, int).
    Queries the database once each when ``region`` or ``belt`` is given."""
    params = {k: "" if params.get(k) is None else str(params.get(k)) for k in PRODUCT_PARAMETERS}
    errors: list[FieldError] = []

    hs_chapter = _text(params, "hs_chapter")
    if hs_chapter and hs_chapter not in {c.code for c in hs_chapters()}:
        errors.append(
            FieldError(
                field="hs_chapter",
                message=_("“%(value)s” is not an HS chapter; use two digits, e.g. 94.")
                % {"value": hs_chapter},
            )
        )
        hs_chapter = ""

    market = _text(params, "market").upper()
    if market and not (
        _COUNTRY_CODE.match(market) and pycountry.countries.get(alpha_2=market) is not None
    ):
        errors.append(
            FieldError(
                field="market",
                message=_("“%(value)s” is not a country code; use two letters, e.g. US.")
                % {"value": market},
            )
        )
        market = ""

    moq_max: Decimal | None = None
    raw_moq = _text(params, "moq_max")
    if raw_moq:
        try:
            moq_max = Decimal(raw_moq.replace(",", ""))
        except InvalidOperation:
            moq_max = None
        if moq_max is None or not moq_max.is_finite() or moq_max < 0:
            errors.append(
                FieldError(
                    field="moq_max",
                    message=_(
                        "“%(value)s” is not a number. Enter the largest minimum order quantity "
                        "you accept, e.g. 500."
                    )
                    % {"value": raw_moq},
                )
            )
            moq_max = None
        elif moq_max > MAX_MOQ:
            # Above anything the column can hold: every stated MOQ meets it.
            moq_max = MAX_MOQ

    language = _text(params, "language")
    if language and language not in ListingLanguage.values:
        errors.append(
            FieldError(
                field="language",
                message=_("“%(value)s” is not a listing language; use one of %(choices)s.")
                % {"value": language, "choices": ", ".join(ListingLanguage.values)},
            )
        )
        language = ""

    enterprise: int | None = None
    raw_enterprise = _text(params, "enterprise")
    if raw_enterprise:
        if raw_enterprise.isdigit():
            enterprise = int(raw_enterprise)
        else:
            errors.append(
                FieldError(
                    field="enterprise",
                    message=_("“%(value)s” is not an enterprise number.")
                    % {"value": raw_enterprise},
                )
            )

    belt = _text(params, "belt")
    if belt and not IndustrialBelt.objects.filter(slug=belt).exists():
        errors.append(
            FieldError(
                field="belt",
                message=_("There is no industrial belt “%(value)s”.") % {"value": belt},
            )
        )
        belt = ""

    sort = _text(params, "sort") or ProductSort.NEWEST.value
    if sort not in ProductSort.values:
        errors.append(
            FieldError(
                field="sort",
                message=_("Sort by one of: %(choices)s.")
                % {"choices": ", ".join(ProductSort.values)},
            )
        )
        sort = ProductSort.NEWEST.value

    region, region_path = _parse_region(params, errors)
    filters = ProductFilters(
        keyword=_text(params, "keyword"),
        industry=_text(params, "industry"),
        hs_chapter=hs_chapter,
        certification=_text(params, "certification"),
        market=market,
        moq_max=moq_max,
        language=language,
        belt=belt,
        region=region,
        region_path=region_path,
        enterprise=enterprise,
        sort=sort,
    )
    return ParsedFilters(filters, errors)


# --- facets -----------------------------------------------------------------------------


def _count_facets(
    rows: Iterable[Sequence[Any]],
    *,
    facets: Sequence[str],
    active: Sequence[str],
    values_of: Any,
) -> FacetCounts:
    """Disjunctive counts. Each row ends with one boolean per ``active`` filter; a row counts
    for facet F when it passes every active filter except possibly F's own."""
    counts: FacetCounts = {name: Counter() for name in facets}
    n_flags = len(active)
    for row in rows:
        flags = row[len(row) - n_flags :] if n_flags else ()
        failing = [name for name, ok in zip(active, flags, strict=True) if not ok]
        if len(failing) > 1:
            continue
        values: dict[str, Iterable[str]] = values_of(row)
        for name in facets:
            if failing and failing[0] != name:
                continue
            counts[name].update({v for v in values[name] if v})
    return counts


def _flag_columns(facet_q: Mapping[str, Q]) -> dict[str, ExpressionWrapper]:
    """One boolean column per filter: does the row pass it?"""
    return {
        f"_flag_{name}": ExpressionWrapper(q, output_field=BooleanField())
        for name, q in facet_q.items()
    }


def _string_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


# --- enterprises ------------------------------------------------------------------------


def _enterprise_facet_q(filters: EnterpriseFilters) -> dict[str, Q]:
    facet_q: dict[str, Q] = {}
    if filters.industry:
        facet_q["industry"] = json_list_contains("industries", filters.industry)
    if filters.belt:
        facet_q["belt"] = Q(belt__slug=filters.belt)
    if filters.region_path:
        facet_q["region"] = Q(region__path__startswith=filters.region_path)
    return facet_q


def _enterprise_base(filters: EnterpriseFilters) -> QuerySet[Enterprise]:
    qs = Enterprise.objects.all()
    if filters.keyword:
        qs = qs.filter(
            Q(name_zh__icontains=filters.keyword) | Q(name_en__icontains=filters.keyword)
        )
    return qs


def list_enterprises(filters: EnterpriseFilters) -> QuerySet[Enterprise]:
    """Public enterprise profiles matching ``filters``, with region, belt and the number of
    published products (``published_count``)."""
    qs = _enterprise_base(filters)
    for q in _enterprise_facet_q(filters).values():
        qs = qs.filter(q)
    return (
        qs.select_related("region", "belt")
        .annotate(
            published_count=Count("products", filter=Q(products__status=ProductStatus.PUBLISHED))
        )
        # Meta.ordering does not apply to GROUP BY queries; pages need a stable order.
        .order_by("name_zh", "name_en", "pk")
    )


def count_enterprise_facets(filters: EnterpriseFilters) -> FacetCounts:
    """Disjunctive counts of enterprises by industry, belt slug and region code. One query."""
    facet_q = _enterprise_facet_q(filters)
    flags = _flag_columns(facet_q)
    rows = (
        _enterprise_base(filters)
        .order_by()
        .annotate(**flags)
        .values_list("industries", "belt__slug", "region__path", *flags)
    )

    def values_of(row: Sequence[Any]) -> dict[str, Iterable[str]]:
        return {
            "industry": _string_list(row[0]),
            "belt": [row[1] or ""],
            "region": region_codes(row[2] or ""),
        }

    return _count_facets(rows, facets=ENTERPRISE_FACETS, active=list(facet_q), values_of=values_of)


def list_featured_enterprises(limit: int = 6) -> list[Enterprise]:
    """The enterprises with the most published products, for the home page."""
    return list(
        Enterprise.objects.select_related("region", "belt")
        .annotate(
            published_count=Count("products", filter=Q(products__status=ProductStatus.PUBLISHED))
        )
        .order_by("-published_count", "name_zh", "pk")[:limit]
    )


def get_enterprise(pk: int) -> Enterprise:
    """Raises Enterprise.DoesNotExist."""
    return Enterprise.objects.select_related("region", "belt").get(pk=pk)


def list_enterprise_products(*, user: Any, enterprise: Enterprise) -> QuerySet[Product]:
    """``enterprise``'s products that ``user`` may see (drafts only for those allowed)."""
    return (
        visible_products(user, Product.objects.filter(enterprise=enterprise))
        .select_related("enterprise__region", "enterprise__belt")
        .prefetch_related("images")
    )


# --- regions and belts ------------------------------------------------------------------


def list_belts() -> list[IndustrialBelt]:
    """Every industrial belt with its region and ``enterprise_count``."""
    return list(
        IndustrialBelt.objects.select_related("region").annotate(
            enterprise_count=Count("enterprises")
        )
    )


def regions_by_code(codes: Iterable[str]) -> dict[str, Region]:
    codes = set(codes)
    if not codes:
        return {}
    return {r.code: r for r in Region.objects.filter(code__in=codes)}


def region_chain(region: Region) -> list[Region]:
    """The region and its ancestors, province first. One query."""
    by_code = regions_by_code(region_codes(region.path))
    return [by_code[c] for c in region_codes(region.path) if c in by_code]


# --- products ---------------------------------------------------------------------------


def _product_facet_q(filters: ProductFilters) -> dict[str, Q]:
    facet_q: dict[str, Q] = {}
    if filters.industry:
        facet_q["industry"] = json_list_contains("enterprise__industries", filters.industry)
    if filters.hs_chapter:
        facet_q["hs_chapter"] = Q(hs_code__startswith=filters.hs_chapter)
    if filters.certification:
        facet_q["certification"] = json_list_contains("certifications", filters.certification)
    if filters.market:
        facet_q["market"] = json_list_contains("export_markets", filters.market)
    if filters.language:
        # languages is "zh,en,vi"-style; no code is part of another.
        facet_q["language"] = Q(languages__contains=filters.language)
    if filters.belt:
        facet_q["belt"] = Q(enterprise__belt__slug=filters.belt)
    if filters.region_path:
        facet_q["region"] = Q(enterprise__region__path__startswith=filters.region_path)
    return facet_q


def _product_base(user: Any, filters: ProductFilters) -> QuerySet[Product]:
    """Visible products matching the filters that are not facets (text, MOQ, enterprise)."""
    qs = visible_products(user, Product.objects.all())
    if filters.keyword:
        qs = qs.filter(
            Q(title_zh__icontains=filters.keyword)
            | Q(title_en__icontains=filters.keyword)
            | Q(title_vi__icontains=filters.keyword)
            | Q(sku__icontains=filters.keyword)
        )
    if filters.moq_max is not None:
        # A product without a stated MOQ is left out: nothing says it meets the ceiling.
        qs = qs.filter(moq__lte=filters.moq_max)
    if filters.enterprise is not None:
        qs = qs.filter(enterprise_id=filters.enterprise)
    return qs


def _price_in_cny(rates: Mapping[str, Decimal]) -> Case:
    """The lowest price in CNY at ``rates`` (units of CNY per unit), NULL without a rate."""
    return Case(
        *(When(currency=code, then=F("price_min") * Value(rate)) for code, rate in rates.items()),
        default=Value(None),
        output_field=DecimalField(max_digits=30, decimal_places=10),
    )


def _ordering(sort: str, rates: Mapping[str, Decimal] | None) -> list[Any]:
    """``sort`` as ORDER BY terms: ascending, products without the value last, newest first
    among equals (so the pages are stable)."""
    tail = ["-updated_at", "-pk"]
    if sort == ProductSort.PRICE:
        return [OrderBy(F("_price_cny"), nulls_last=True), *tail]
    if sort == ProductSort.MOQ:
        return [F("moq").asc(nulls_last=True), *tail]
    if sort == ProductSort.LEAD_TIME:
        return [F("lead_time_days").asc(nulls_last=True), *tail]
    return tail


def list_products(
    *, user: Any, filters: ProductFilters, rates: Mapping[str, Decimal] | None = None
) -> QuerySet[Product]:
    """Products ``user`` may see that match ``filters``, in ``filters.sort`` order (newest
    change first by default; by price compares the lowest prices converted to CNY with
    ``rates``, units of CNY per unit of each currency), with enterprise, region, belt and
    images loaded (a constant number of queries for any page size)."""
    qs = _product_base(user, filters)
    for q in _product_facet_q(filters).values():
        qs = qs.filter(q)
    if filters.sort == ProductSort.PRICE:
        qs = qs.annotate(_price_cny=_price_in_cny(rates or {"CNY": Decimal(1)}))
    return (
        qs.select_related("enterprise__region", "enterprise__belt")
        .prefetch_related("images")
        .order_by(*_ordering(filters.sort, rates))
    )


def count_product_facets(*, user: Any, filters: ProductFilters) -> FacetCounts:
    """Disjunctive counts of visible products by industry, HS chapter, certification, export
    market, listing language, belt slug and region code. One query."""
    facet_q = _product_facet_q(filters)
    flags = _flag_columns(facet_q)
    rows = (
        _product_base(user, filters)
        .order_by()
        .annotate(**flags)
        .values_list(
            "enterprise__industries",
            "hs_code",
            "certifications",
            "export_markets",
            "languages",
            "enterprise__belt__slug",
            "enterprise__region__path",
            *flags,
        )
    )

    def values_of(row: Sequence[Any]) -> dict[str, Iterable[str]]:
        return {
            "industry": _string_list(row[0]),
            "hs_chapter": [(row[1] or "")[:2]],
            "certification": _string_list(row[2]),
            "market": [c.upper() for c in _string_list(row[3])],
            "language": (row[4] or "").split(","),
            "belt": [row[5] or ""],
            "region": region_codes(row[6] or ""),
        }

    return _count_facets(rows, facets=PRODUCT_FACETS, active=list(facet_q), values_of=values_of)


def list_latest_products(limit: int = 8) -> list[Product]:
    """The newest published products, for the home page."""
    return list(
        Product.objects.filter(status=ProductStatus.PUBLISHED)
        .select_related("enterprise__region", "enterprise__belt")
        .prefetch_related("images")
        .order_by("-created_at", "-pk")[:limit]
    )


def get_product(pk: int) -> Product:
    """The product with its enterprise and images; the caller checks ``can_view_product``.

    Raises Product.DoesNotExist."""
    return (
        Product.objects.select_related("enterprise__region", "enterprise__belt")
        .prefetch_related("images")
        .get(pk=pk)
    )
