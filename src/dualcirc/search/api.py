"""The search API (docs/search.md): product search, similar products, suppliers for a need.

Handlers parse input, call one ``search.queries`` function (which applies ``core.access``)
and render a ``search.schemas`` shape. Everything is public: results only ever hold what the
caller may see.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from dualcirc.catalog.models import Product
from dualcirc.core.access import visible_products
from dualcirc.core.api_auth import public_auth
from dualcirc.demand.after_response import after_response
from dualcirc.demand.domain import record_search
from dualcirc.matching.types import Hit, ParsedQuery
from dualcirc.search import queries
from dualcirc.search.explain import constraint_values, reason_values
from dualcirc.search.schemas import (
    NeedIn,
    ProductSearchOut,
    ProductSearchParams,
    SimilarOut,
    SimilarParams,
    SuppliersOut,
)

router = Router(tags=["search"])


def _parsed(query: ParsedQuery) -> dict[str, Any]:
    return {
        "text": query.text,
        "language": query.language,
        "terms": query.terms,
        "constraints": [constraint_values(c) for c in query.constraints if not c.hard],
    }


def _hits(matches: list[queries.ProductMatch], start: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "rank": start + i,
            "score": m.hit.score,
            "product": m.product,
            "reasons": reason_values(m.hit),
        }
        for i, m in enumerate(matches, 1)
    ]


@router.get(
    "/search/products",
    response=ProductSearchOut,
    auth=public_auth,
    summary="Search products (any language), with reasons",
)
def search_products(request: HttpRequest, params: Query[ProductSearchParams]) -> dict[str, Any]:
    filters = queries.SearchFilters(
        industry=params.industry,
        hs_chapter=params.hs_chapter,
        certification=params.certification,
        market=params.market,
        language=params.language or "",
        moq_max=params.moq_max,
        moq_unit=params.moq_unit,
        price_max=params.price_max,
        currency=params.currency,
    )
    found = queries.search_products(
        user=request.user,
        query=params.q,
        filters=filters,
        limit=params.limit,
        offset=params.offset,
        sort=params.sort,
    )
    if params.offset == 0:  # a new search, not a further page; written once the answer is sent
        user = request.user
        after_response(lambda: record_search(user=user, found=found))
    return {
        "query": _parsed(found.result.query),
        "filters": [constraint_values(c) for c in filters.constraints()],
        "industry": filters.industry,
        "hits": _hits(found.matches, params.offset),
        "has_more": found.has_more,
        "good_match": found.good_match,
    }


@router.get(
    "/products/{product_id}/similar",
    response=SimilarOut,
    auth=public_auth,
    summary="Products similar to a product",
)
def similar_products(
    request: HttpRequest, product_id: int, params: Query[SimilarParams]
) -> dict[str, Any]:
    product = (
        visible_products(request.user, Product.objects.select_related("enterprise"))
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise Http404(_("There is no product with this id."))
    matches = queries.similar_products(user=request.user, product=product, limit=params.limit)
    return {"product_id": product.pk, "hits": _hits(matches)}


@router.post(
    "/search/suppliers",
    response=SuppliersOut,
    auth=public_auth,
    summary="Enterprises ranked for a sourcing need, with reasons and their best products",
)
def suppliers_for_need(request: HttpRequest, payload: NeedIn) -> dict[str, Any]:
    matches = queries.suppliers_for_need(
        user=request.user,
        text=payload.text,
        quantity=payload.quantity,
        unit=payload.unit,
        target_price=payload.target_price,
        currency=payload.currency,
        destination=payload.destination,
        certifications=payload.certifications,
        limit=payload.limit,
    )
    return {
        "query": _parsed(queries.understand_query(payload.text)),
        "suppliers": [
            {
                "rank": rank,
                "score": m.supplier.score,
                "enterprise": m.enterprise,
                "reasons": reason_values(
                    Hit(m.supplier.enterprise_id, m.supplier.score, m.supplier.reasons)
                ),
                "products": _hits(m.products),
            }
            for rank, m in enumerate(matches, 1)
        ],
    }
