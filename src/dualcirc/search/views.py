"""Search pages: product search with facets, similar products, suppliers for a need.

Every page works as a plain GET form; with htmx the results part is swapped in place
(requests carrying ``HX-Request`` get only the results fragment).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dualcirc.catalog.hs import describe_hs
from dualcirc.catalog.models import Product
from dualcirc.core.access import can_create_sourcing_request, can_view_product
from dualcirc.core.errors import InvalidInput
from dualcirc.core.forms import add_domain_errors
from dualcirc.demand.after_response import after_response
from dualcirc.demand.domain import record_search
from dualcirc.l10n import language_name as listing_language_name
from dualcirc.l10n import viewer_currency
from dualcirc.search.explain import UnderstoodConstraint, constraint_label, market_name
from dualcirc.search.explain import understood as explain_understood
from dualcirc.search.forms import SORT_CHOICES, NeedForm, SearchForm
from dualcirc.search.queries import (
    ProductSearch,
    SearchFilters,
    SourcingPrefill,
    SupplierMatch,
    search_products,
    similar_products,
    sourcing_prefill,
    suppliers_for_need,
    understand_query,
)
from dualcirc.search.service import FacetValues, get_service

PAGE_SIZE = 20
SIMILAR_COUNT = 6


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


def _options(values: list[tuple[str, int]], selected: str, label: Any = str) -> list[FacetOption]:
    options = [FacetOption(v, label(v), n, v == selected) for v, n in values]
    if selected and not any(o.selected for o in options):
        options.insert(0, FacetOption(selected, label(selected), 0, True))
    return options


def _chapter_label(code: str) -> str:
    description = describe_hs(code)
    return f"{code} · {description}" if description else code


def facet_options(values: FacetValues, filters: SearchFilters) -> dict[str, list[FacetOption]]:
    return {
        "industry": _options(values.industries, filters.industry),
        "hs_chapter": _options(values.hs_chapters, filters.hs_chapter, _chapter_label),
        "certification": _options(values.certifications, filters.certification),
        "market": _options(values.markets, filters.market, market_name),
        "language": _options(values.languages, filters.language, listing_language_name),
    }


def _page_links(request: HttpRequest, page: int, has_more: bool) -> dict[str, str]:
    def link(n: int) -> str:
        params: QueryDict = request.GET.copy()
        params["page"] = str(n)
        return "?" + params.urlencode()

    links = {}
    if page > 1:
        links["previous"] = link(page - 1)
    if has_more:
        links["next"] = link(page + 1)
    return links


MAX_RENDERINGS = 8  # rendered hit lists kept per cached ranking (languages × pages)


def hit_list(found: ProductSearch, request: HttpRequest) -> SafeString:
    """The ``<li>`` items of ``found.matches``, rendered once per cached ranking.

    What an item shows depends only on the hit (the ranking and its reasons), the product with
    its enterprise and region, the UI language and the viewer's currency (prices are shown
    with it beside theirs): the key holds the language, the currency and, per shown product,
    its id and ``updated_at``, its enterprise's ``updated_at`` and region. Which products are
    shown is decided per request (``search_products`` re-checks visibility), so a product
    hidden a moment ago changes the key. Nothing else user-specific is rendered here (the
    "compare" buttons post with htmx, whose CSRF header comes from the page, not the list).
    """
    shown = tuple(
        (p.pk, p.updated_at, p.enterprise.updated_at, p.enterprise.region_id)
        for p in (m.product for m in found.matches)
    )
    key = (get_language(), viewer_currency(user=request.user), shown)
    html = found.renderings.get(key)
    if html is None:
        html = render_to_string(
            "search/partials/hits.html", {"matches": found.matches, "request": request}
        )
        if len(found.renderings) < MAX_RENDERINGS:
            found.renderings[key] = html
    return mark_safe(html)  # rendered by the template engine, which escaped it


def sourcing_request_url(prefill: SourcingPrefill) -> str:
    """The sourcing request form, pre-filled with what a query says."""
    return f"{reverse('deals:request-new')}?{urlencode(prefill.as_params())}"


def search(request: HttpRequest) -> HttpResponse:
    """``/search/?q=…&industry=…&moq_max=…&sort=…``: products ranked for the query, with
    reasons. When nothing matches well (no hit above the engine's relevance floor) the page
    offers a sourcing request pre-filled from the query instead."""
    form = SearchForm(request.GET)
    found: ProductSearch | None = None
    filters = SearchFilters()
    page = 1
    sort = ""
    if form.is_valid():
        filters = form.filters()
        page = form.cleaned_data.get("page") or 1
        sort = form.sort_order()
        if form.cleaned_data["q"].strip():
            try:
                found = search_products(
                    user=request.user,
                    query=form.cleaned_data["q"],
                    filters=filters,
                    limit=PAGE_SIZE,
                    offset=(page - 1) * PAGE_SIZE,
                    sort=sort,
                )
            except InvalidInput as exc:
                add_domain_errors(form, exc)
    prefill = None
    if found is not None and page == 1 and not (found.matches and found.good_match):
        # Nothing matches well: offer a sourcing request instead of unrelated products.
        prefill = sourcing_prefill(found.result.query)
    context = {
        "prefill": prefill,
        "request_url": sourcing_request_url(prefill) if prefill else "",
        "sort": sort,
        "sort_choices": SORT_CHOICES,
        "form": form,
        "found": found,
        "filters": filters,
        "hard_filters": [constraint_label(c) for c in filters.constraints()],
        "page": page,
        "first_rank": (page - 1) * PAGE_SIZE + 1,
        "links": _page_links(request, page, bool(found and found.has_more)),
        "query": form.data.get("q", ""),
        "hit_list": (
            hit_list(found, request) if found is not None and found.matches and not prefill else ""
        ),
    }
    if _is_htmx(request):
        response = render(request, "search/partials/results.html", context)
    else:
        # search_products has just brought the index up to date: no second feed check
        context["facets"] = facet_options(get_service().facets(synced=found is not None), filters)
        response = render(request, "search/search.html", context)
    if found is not None and page == 1:  # a new search, not a further page of one
        # written once the page is sent (demand.after_response): never slows the search
        user = request.user
        after_response(lambda: record_search(user=user, found=found))
    return response


def similar(request: HttpRequest, product_id: int) -> HttpResponse:
    """Fragment: products like ``product_id`` (the product page loads it, with htmx or not)."""
    product = get_object_or_404(Product.objects.select_related("enterprise__region"), pk=product_id)
    if not can_view_product(request.user, product):
        raise Http404(_("There is no product with this id."))
    matches = similar_products(user=request.user, product=product, limit=SIMILAR_COUNT)
    return render(request, "search/partials/similar.html", {"product": product, "matches": matches})


def suppliers(request: HttpRequest) -> HttpResponse:
    """``/search/suppliers/?text=…&quantity=…``: enterprises ranked for a sourcing need."""
    form = NeedForm(request.GET if "text" in request.GET else None)
    matches: list[SupplierMatch] | None = None
    understood: list[UnderstoodConstraint] = []
    if form.is_bound and form.is_valid():
        need = form.need()
        try:
            matches = suppliers_for_need(user=request.user, **need)
        except InvalidInput as exc:
            add_domain_errors(form, exc)
        else:
            understood = explain_understood(understand_query(need["text"]).constraints)
    context = {
        "form": form,
        "matches": matches,
        "understood": understood,
        # A buyer contacts a ranked supplier in one click (deals' "Contact supplier").
        "can_contact": can_create_sourcing_request(request.user),
    }
    template = "search/partials/suppliers.html" if _is_htmx(request) else "search/suppliers.html"
    return render(request, template, context)
