"""The domestic-channel API: readiness per product and per enterprise (the same queries as the
pages, so that both always agree), and the writer of a product's domestic listing.

Handlers call one channels query or domain function; access is checked there (core.access).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict

from dualcirc.catalog.models import Enterprise, Product
from dualcirc.channels import queries
from dualcirc.channels.domain import record_listing
from dualcirc.channels.readiness import Readiness
from dualcirc.channels.rules import load_rule_book

router = Router(tags=["channels"])


class CheckOut(Schema):
    code: str
    ok: bool
    blocking: bool
    message: str
    fix: list[str]


class ChannelReadinessOut(Schema):
    channel: str
    ready: bool
    score: int
    product_type: str | None
    category_path: list[str]
    checks: list[CheckOut]


class ProductReadinessOut(Schema):
    product_id: int
    sku: str
    channels: list[ChannelReadinessOut]


class SpecRowIn(Schema):
    model_config = ConfigDict(extra="forbid")
    axes: dict[str, str]
    price: Decimal | None = None
    stock: int


class ChannelTierIn(Schema):
    model_config = ConfigDict(extra="forbid")
    min_qty: Decimal
    price: Decimal


class DomesticListingIn(Schema):
    """Only the fields sent are written; ``attributes`` are merged into the stored ones."""

    model_config = ConfigDict(extra="forbid")
    title_zh: str | None = None
    brand: str | None = None
    retail_price: Decimal | None = None
    spec_matrix: list[SpecRowIn] | None = None
    wholesale_tiers: list[ChannelTierIn] | None = None
    attributes: dict[str, str] | None = None
    shipping_hours: int | None = None
    seven_day_return: bool | None = None
    evidence: dict[str, str] = {}
    evidence_valid_until: dict[str, dt.date] = {}


def _readiness_out(readiness: dict[str, Readiness]) -> list[dict[str, Any]]:
    return [
        {
            "channel": key,
            "ready": r.ready,
            "score": r.score,
            "product_type": r.product_type,
            "category_path": list(r.category_path),
            "checks": [
                {
                    "code": c.code,
                    "ok": c.ok,
                    "blocking": c.blocking,
                    "message": c.message,
                    "fix": list(c.fix),
                }
                for c in r.checks
            ],
        }
        for key, r in readiness.items()
    ]


class PriceBandOut(Schema):
    channel: str
    exw_cny: Decimal
    wholesale_low: Decimal
    wholesale_high: Decimal
    retail_low: Decimal | None
    retail_high: Decimal | None


class ComparableOut(Schema):
    product_id: int
    title: str
    enterprise: str
    retail_price: Decimal
    url: str


class ComparablesOut(Schema):
    """Other enterprises' published products on dualcirc (not Tmall or JD listings)."""

    source: str
    product_type: str | None
    hs_codes: list[str]
    count: int
    low: Decimal | None
    median: Decimal | None
    high: Decimal | None
    currency: str
    examples: list[ComparableOut]


class DomesticPricesOut(Schema):
    product_id: int
    currency: str
    incoterm: str | None
    incoterm_assumed: bool
    vat_rate: Decimal | None
    bands: list[PriceBandOut]
    comparables: ComparablesOut


def _product(request: HttpRequest, product_id: int) -> Product:
    try:
        return queries.get_product_for_channels(user=request.user, pk=product_id)
    except Product.DoesNotExist as exc:
        raise Http404 from exc


@router.get(
    "/products/{product_id}/channel-readiness",
    response=ProductReadinessOut,
    summary="A product's readiness on each domestic channel",
)
def product_readiness(request: HttpRequest, product_id: int) -> dict[str, Any]:
    product = _product(request, product_id)
    return {
        "product_id": product.pk,
        "sku": product.sku,
        "channels": _readiness_out(queries.assess_product(product)),
    }


@router.get(
    "/enterprises/{enterprise_id}/channel-readiness",
    response=list[ProductReadinessOut],
    summary="Readiness of an enterprise's catalog on each domestic channel",
)
def enterprise_readiness(request: HttpRequest, enterprise_id: int) -> list[dict[str, Any]]:
    try:
        enterprise = Enterprise.objects.select_related("region").get(pk=enterprise_id)
    except Enterprise.DoesNotExist as exc:
        raise Http404 from exc
    rows = queries.assess_enterprise_catalog(user=request.user, enterprise=enterprise)
    return [
        {
            "product_id": row.product.pk,
            "sku": row.product.sku,
            "channels": _readiness_out(row.readiness),
        }
        for row in rows
    ]


@router.patch(
    "/products/{product_id}/domestic-listing",
    response=ProductReadinessOut,
    summary="Write a product's domestic listing fields and compliance evidence",
)
def update_domestic_listing(
    request: HttpRequest, product_id: int, payload: DomesticListingIn
) -> dict[str, Any]:
    product = _product(request, product_id)
    sent = payload.model_dump(exclude_unset=True)
    evidence = sent.pop("evidence", {})
    valid_until = sent.pop("evidence_valid_until", {})
    data: dict[str, Any] = {}
    for name, value in sent.items():
        if name == "spec_matrix":
            value = [
                {"axes": row["axes"], "price": row.get("price"), "stock": row["stock"]}
                for row in value
            ]
        data[name] = value
    record_listing(
        actor=request.user,
        product=product,
        data=data,
        evidence=evidence,
        evidence_valid_until=valid_until,
    )
    fresh = _product(request, product_id)
    return {
        "product_id": fresh.pk,
        "sku": fresh.sku,
        "channels": _readiness_out(queries.assess_product(fresh, book=load_rule_book())),
    }


@router.get(
    "/products/{product_id}/domestic-prices",
    response=DomesticPricesOut,
    summary="Suggested domestic price bands per channel, beside comparable listings on dualcirc",
)
def domestic_prices(request: HttpRequest, product_id: int) -> dict[str, Any]:
    from django.urls import reverse

    from dualcirc.l10n import local_name

    product = _product(request, product_id)
    prices = queries.suggest_product_prices(product)
    found = queries.find_comparable_listings(user=request.user, product=product)
    return {
        "product_id": product.pk,
        "currency": "CNY",
        "incoterm": prices.incoterm if prices else None,
        "incoterm_assumed": prices.incoterm_assumed if prices else False,
        "vat_rate": prices.assumptions.vat_rate if prices else None,
        "bands": [
            {
                "channel": b.channel,
                "exw_cny": b.exw_cny,
                "wholesale_low": b.wholesale[0],
                "wholesale_high": b.wholesale[1],
                "retail_low": b.retail[0] if b.retail else None,
                "retail_high": b.retail[1] if b.retail else None,
            }
            for b in (prices.bands if prices else [])
        ],
        "comparables": {
            "source": "dualcirc",
            "product_type": found.product_type if found else None,
            "hs_codes": list(found.hs_codes) if found else [product.hs_code],
            "count": found.count if found else 0,
            "low": found.low if found else None,
            "median": found.median if found else None,
            "high": found.high if found else None,
            "currency": "CNY",
            "examples": [
                {
                    "product_id": c.product.pk,
                    "title": local_name(c.product, "title"),
                    "enterprise": local_name(c.product.enterprise),
                    "retail_price": c.retail_price,
                    "url": reverse("product-detail", args=[c.product.pk]),
                }
                for c in (found.examples if found else [])
            ],
        },
    }


def _mount_brands() -> None:
    from dualcirc.channels.api_brands import router as brands_router

    router.add_router("", brands_router)


_mount_brands()
