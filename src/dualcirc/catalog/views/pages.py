"""Public catalog pages: home, enterprises, products.

The two lists answer htmx requests (``HX-Request``) with their results fragment only, so the
filters update the results in place; without JavaScript the same URLs render whole pages. A
bad filter parameter gives the page with a message naming it (400), never a 500.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from dualcirc.catalog import queries
from dualcirc.catalog.attributes import attribute_rows
from dualcirc.catalog.enums import CURRENCIES, ListingLanguage, ProductSort
from dualcirc.catalog.hs import hs_chapters
from dualcirc.catalog.models import Enterprise, IndustrialBelt, Product
from dualcirc.core.access import (
    can_admin_enterprise,
    can_create_sourcing_request,
    can_edit_enterprise,
    can_edit_product,
    can_view_enterprise_private,
    can_view_product,
)
from dualcirc.core.errors import FieldError
from dualcirc.deals.prefill import buyer_country
from dualcirc.l10n import country_name, listing_texts, local_name, local_text
from dualcirc.search.rates import current_rate_table

ENTERPRISE_PAGE_PRODUCTS = 12
HOME_ENTERPRISES = 6
HOME_PRODUCTS = 8

PARAMETER_LABELS = {
    "keyword": _("Title or SKU contains"),
    "sort": _("Sort by"),
    "industry": _("Industry"),
    "hs_chapter": _("HS chapter"),
    "certification": _("Certification"),
    "market": _("Export market"),
    "moq_max": _("Largest acceptable MOQ"),
    "language": _("Listing language"),
    "belt": _("Industrial belt"),
    "region": _("Region"),
    "enterprise": _("Enterprise"),
}


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    depth: int = 0

    @property
    def indent(self) -> str:
        """No-break spaces that show a region's level inside a <select>."""
        return "\u00a0\u00a0\u00a0" * self.depth


@dataclass(frozen=True)
class ParameterError:
    parameter: str
    label: str
    message: str


def _parameter_errors(errors: Iterable[FieldError]) -> list[ParameterError]:
    return [
        ParameterError(
            parameter=e.field or "",
            label=str(PARAMETER_LABELS.get(e.field or "", e.field or "")),
            message=e.message,
        )
        for e in errors
    ]


def _wants_fragment(request: HttpRequest) -> bool:
    # A history restore after a cache miss needs the whole page, not the fragment.
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _filled_parameters(request: HttpRequest) -> QueryDict:
    """The query without empty parameters (a submitted filter form sends every field)."""
    query = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        kept = [v for v in values if v.strip()]
        if kept:
            query.setlist(key, kept)
    return query


def _render_list(
    request: HttpRequest,
    *,
    page: str,
    fragment: str,
    context: dict[str, Any],
    errors: list[FieldError],
    items: QuerySet[Any],
    per_page: int,
) -> HttpResponse:
    """The list page (or its htmx fragment): the page of ``items`` asked for, or, when a
    parameter is bad, its errors and no results (400 for a full page)."""
    query = _filled_parameters(request)
    context["query"] = query
    context["errors"] = _parameter_errors(errors)
    if not errors:
        context["page_obj"], context["page_range"] = _paginate(request, items, per_page)
    if _wants_fragment(request):
        # 200 even for bad parameters: htmx does not swap 4xx responses, and the fragment
        # carries the message.
        response = render(request, fragment, context)
        encoded = query.urlencode()
        response["HX-Push-Url"] = f"{request.path}?{encoded}" if encoded else request.path
    else:
        response = render(request, page, context, status=400 if errors else 200)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _paginate(request: HttpRequest, items: Any, per_page: int) -> tuple[Page, list[Any]]:
    paginator = Paginator(items, per_page)
    page = paginator.get_page(request.GET.get("page"))
    page_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page, page_range


# --- facet options ----------------------------------------------------------------------


def _counted_options(
    counts: Counter[str], selected: str, label: Callable[[str], str], *, by_label: bool = False
) -> list[FacetOption]:
    values = set(counts)
    # The filters match case-insensitively; so does the choice shown as selected.
    chosen = {v for v in values if v.casefold() == selected.casefold()} if selected else set()
    if selected and not chosen:
        values.add(selected)
        chosen = {selected}
    options = [
        FacetOption(value=v, label=label(v), count=counts.get(v, 0), selected=v in chosen)
        for v in values
    ]
    if by_label:
        return sorted(options, key=lambda o: o.label)
    return sorted(options, key=lambda o: (-o.count, o.label))


def _belt_options(counts: Counter[str], selected: str) -> list[FacetOption]:
    return [
        FacetOption(
            value=belt.slug,
            label=local_name(belt),
            count=counts.get(belt.slug, 0),
            selected=belt.slug == selected,
        )
        for belt in IndustrialBelt.objects.all()
    ]


def _region_options(counts: Counter[str], selected: str) -> list[FacetOption]:
    regions = queries.regions_by_code({*counts, *([selected] if selected else [])})
    ordered = sorted(regions.values(), key=lambda r: r.path)
    return [
        FacetOption(
            value=r.code,
            label=local_name(r),
            count=counts.get(r.code, 0),
            selected=r.code == selected,
            depth=len(queries.region_codes(r.path)) - 1,
        )
        for r in ordered
    ]


def _hs_chapter_options(counts: Counter[str], selected: str) -> dict[str, list[FacetOption]]:
    """Every HS chapter, those with products first."""
    with_products: list[FacetOption] = []
    others: list[FacetOption] = []
    for chapter in hs_chapters():
        option = FacetOption(
            value=chapter.code,
            label=f"{chapter.code} {Truncator(chapter.description).chars(60)}",
            count=counts.get(chapter.code, 0),
            selected=chapter.code == selected,
        )
        (with_products if option.count or option.selected else others).append(option)
    return {"with_products": with_products, "others": others}


def _language_options(counts: Counter[str], selected: str) -> list[FacetOption]:
    return [
        FacetOption(
            value=code, label=str(label), count=counts.get(code, 0), selected=code == selected
        )
        for code, label in ListingLanguage.choices
    ]


# --- pages ------------------------------------------------------------------------------


def _contact(user: Any, currency: str) -> dict[str, Any]:
    """What the "Contact supplier" / "Request a quotation" actions need."""
    can_contact = can_create_sourcing_request(user)
    return {
        "can_contact": can_contact,
        "country": buyer_country(user) if can_contact else "",
        "currency": currency or "CNY",
        "currencies": CURRENCIES,
    }


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "belts": queries.list_belts(),
        "enterprises": queries.list_featured_enterprises(HOME_ENTERPRISES),
        "products": queries.list_latest_products(HOME_PRODUCTS),
    }
    return render(request, "catalog/home.html", context)


def enterprise_list(request: HttpRequest) -> HttpResponse:
    # A need typed in the supplier search box is ranked by the matching engine.
    if request.GET.get("q", "").strip():
        return redirect(_to_engine(request, "search:suppliers", "text", ()))
    parsed = queries.parse_enterprise_filters(request.GET)
    filters = parsed.filters
    counts = queries.count_enterprise_facets(filters)
    context: dict[str, Any] = {
        "filters": filters,
        "facets": {
            "industry": _counted_options(counts["industry"], filters.industry, str),
            "belt": _belt_options(counts["belt"], filters.belt),
            "region": _region_options(counts["region"], filters.region),
        },
    }
    return _render_list(
        request,
        page="catalog/enterprise_list.html",
        fragment="catalog/partials/enterprise_fragment.html",
        context=context,
        errors=parsed.errors,
        items=queries.list_enterprises(filters),
        per_page=queries.ENTERPRISES_PER_PAGE,
    )


def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        enterprise = queries.get_enterprise(pk)
    except Enterprise.DoesNotExist as exc:
        raise Http404 from exc
    user = request.user
    products_qs = queries.list_enterprise_products(user=user, enterprise=enterprise)
    products = list(products_qs[:ENTERPRISE_PAGE_PRODUCTS])
    product_count = (
        products_qs.count() if len(products) == ENTERPRISE_PAGE_PRODUCTS else len(products)
    )
    context = {
        "enterprise": enterprise,
        "region_chain": queries.region_chain(enterprise.region),
        "can_view_private": can_view_enterprise_private(user, enterprise),
        "can_edit": can_edit_enterprise(user, enterprise),
        "can_import": can_admin_enterprise(user, enterprise),
        "products": products,
        "product_count": product_count,
        "contact": _contact(user, ""),
    }
    return render(request, "catalog/enterprise_detail.html", context)


# The list's filters the search page knows too: carried over when a search box sends there.
SEARCH_FILTERS = ("industry", "hs_chapter", "certification", "market", "language", "moq_max")
# The sort menu: ProductSort's labels; the default (newest) is left out of the URL.
PRODUCT_SORT_CHOICES = [
    ("" if sort == ProductSort.NEWEST else sort.value, sort.label) for sort in ProductSort
]


def _to_engine(request: HttpRequest, target: str, text_param: str, keep: Iterable[str]) -> str:
    """The engine page for a search typed in a list's search box (``?q=…``)."""
    params = QueryDict(mutable=True)
    params[text_param] = request.GET.get("q", "")
    for name in keep:
        if request.GET.get(name, "").strip():
            params[name] = request.GET[name]
    return f"{reverse(target)}?{params.urlencode()}"


def _rates(filters: queries.ProductFilters) -> dict[str, Decimal] | None:
    """The platform's rates into CNY, read only when the list is sorted by price."""
    return current_rate_table().rates if filters.sort == ProductSort.PRICE else None


def product_list(request: HttpRequest) -> HttpResponse:
    # Every search box goes through the matching engine; the list keeps a keyword facet.
    if request.GET.get("q", "").strip():
        return redirect(_to_engine(request, "search:search", "q", SEARCH_FILTERS))
    parsed = queries.parse_product_filters(request.GET)
    filters = parsed.filters
    counts = queries.count_product_facets(user=request.user, filters=filters)
    context: dict[str, Any] = {
        "filters": filters,
        "facets": {
            "industry": _counted_options(counts["industry"], filters.industry, str),
            "hs_chapter": _hs_chapter_options(counts["hs_chapter"], filters.hs_chapter),
            "certification": _counted_options(counts["certification"], filters.certification, str),
            "market": _counted_options(
                counts["market"], filters.market, country_name, by_label=True
            ),
            "language": _language_options(counts["language"], filters.language),
            "belt": _belt_options(counts["belt"], filters.belt),
            "region": _region_options(counts["region"], filters.region),
        },
        "sort_choices": PRODUCT_SORT_CHOICES,
    }
    if filters.enterprise is not None:
        context["enterprise"] = Enterprise.objects.filter(pk=filters.enterprise).first()
    return _render_list(
        request,
        page="catalog/product_list.html",
        fragment="catalog/partials/product_fragment.html",
        context=context,
        errors=parsed.errors,
        items=queries.list_products(user=request.user, filters=filters, rates=_rates(filters)),
        per_page=queries.PRODUCTS_PER_PAGE,
    )


def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        product: Product = queries.get_product(pk)
    except Product.DoesNotExist as exc:
        raise Http404 from exc
    user = request.user
    # A draft is not there at all for those who may not see it (no hint that it exists).
    if not can_view_product(user, product):
        raise Http404
    context = {
        "product": product,
        "title": local_text(product, "title"),
        "titles": listing_texts(product, "title"),
        "descriptions": listing_texts(product, "description"),
        "attributes": attribute_rows(product.attributes),
        "images": list(product.images.all()),
        "can_edit": can_edit_product(user, product),
        "contact": _contact(user, product.currency),
    }
    return render(request, "catalog/product_detail.html", context)
