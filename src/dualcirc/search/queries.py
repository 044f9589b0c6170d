"""Reusable reads of the search app: searches joined back to the catalog, with access rules.

The index holds published products only; every hit is re-checked against the database with
``core.access.visible_products`` so that a product unpublished a moment ago never shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from dualcirc.catalog.models import Enterprise, Product
from dualcirc.core.access import visible_products
from dualcirc.matching.types import Constraint, Hit, SearchResult, SupplierHit
from dualcirc.search.rates import current_rate_table
from dualcirc.search.service import get_service


@dataclass(frozen=True)
class ProductMatch:
    product: Product
    hit: Hit


@dataclass(frozen=True)
class ProductSearch:
    result: SearchResult
    matches: list[ProductMatch]


@dataclass(frozen=True)
class SupplierMatch:
    enterprise: Enterprise
    supplier: SupplierHit
    products: list[ProductMatch]


def _products(user: Any, ids: Sequence[str]) -> dict[str, Product]:
    qs: QuerySet[Product] = visible_products(
        user, Product.objects.select_related("enterprise__region", "enterprise__belt")
    )
    return {str(p.pk): p for p in qs.filter(pk__in=[int(i) for i in ids])}


def search_products(
    *, user: Any, query: str, filters: Sequence[Constraint] = (), limit: int = 20
) -> ProductSearch:
    index = get_service().index()
    result = index.search(query, filters=filters, limit=limit, rates=current_rate_table())
    products = _products(user, [h.doc_id for h in result.hits])
    matches = [ProductMatch(products[h.doc_id], h) for h in result.hits if h.doc_id in products]
    return ProductSearch(result=result, matches=matches)


def similar_products(*, user: Any, product: Product, limit: int = 6) -> list[ProductMatch]:
    index = get_service().index()
    if str(product.pk) not in index:
        return []
    hits = index.similar(str(product.pk), limit=limit)
    products = _products(user, [h.doc_id for h in hits])
    return [ProductMatch(products[h.doc_id], h) for h in hits if h.doc_id in products]


def suppliers_for_need(
    *,
    user: Any,
    text: str,
    quantity: Decimal | None = None,
    unit: str = "",
    target_price: Decimal | None = None,
    currency: str = "",
    destination: str = "",
    certifications: Sequence[str] = (),
    limit: int = 10,
) -> list[SupplierMatch]:
    """Enterprises ranked for a sourcing need, each with its best products and the reasons.

    The entry point the deals app uses to invite suppliers to a sourcing request.
    """
    index = get_service().index()
    suppliers = index.suppliers_for_need(
        text,
        quantity=quantity,
        unit=unit,
        target_price=target_price,
        currency=currency,
        destination=destination,
        certifications=certifications,
        limit=limit,
        rates=current_rate_table(),
    )
    products = _products(user, [h.doc_id for s in suppliers for h in s.products])
    enterprises = Enterprise.objects.select_related("region", "belt").in_bulk(
        [int(s.enterprise_id) for s in suppliers]
    )
    out = []
    for s in suppliers:
        visible = [ProductMatch(products[h.doc_id], h) for h in s.products if h.doc_id in products]
        enterprise = enterprises.get(int(s.enterprise_id))
        if visible and enterprise is not None:
            out.append(SupplierMatch(enterprise=enterprise, supplier=s, products=visible))
    return out
