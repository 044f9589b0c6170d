"""Shapes of the search API (docs/search.md): hits with reasons and parsed constraints.

Money and quantities leave as strings (``"3000"``), never floats; scores are plain numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from ninja import Field, Schema
from pydantic import ConfigDict

from dualcirc.catalog.enums import ListingLanguage
from dualcirc.catalog.models import Product
from dualcirc.catalog.schemas import DecimalString, EnterpriseSummaryOut, PriceOut, RegionOut
from dualcirc.search.queries import MAX_LIMIT, MAX_QUERY_LENGTH

# Reads --------------------------------------------------------------------------------------


class ConstraintOut(Schema):
    kind: str = Field(
        description="hs_prefix, certification, moq_max, price_max, market, lead_time_max, "
        "language, attribute or attribute_min."
    )
    value: str = Field(description="Certificate name, HS prefix, country code, bound, …")
    unit: str
    currency: str
    inclusive: bool
    source: str = Field(description="The words of the query it was read from; '' for a filter.")
    hard: bool = Field(description="True for a filter (excludes), false for a ranking constraint.")
    label: str = Field(description="Human-readable, in the language of the request.")


class ParsedQueryOut(Schema):
    text: str
    language: str = Field(description="Detected language of the query: zh, en, vi.")
    terms: str = Field(description="The query without its constraint phrases.")
    constraints: list[ConstraintOut]


class ReasonOut(Schema):
    kind: str = Field(
        description="named (the product states what the query names, by these terms), "
        "term, semantic or constraint."
    )
    field: str = Field(description="Matched field (title, attributes, …) or constraint kind.")
    terms: list[str]
    score: float
    constraint: ConstraintOut | None = None
    satisfied: bool | None = Field(None, description="Null: the product does not say.")
    status: str | None = Field(None, description="met, failed or unknown.")
    detail: str | None = None


class ProductSummaryOut(Schema):
    id: int
    sku: str
    title: str
    title_zh: str
    title_en: str
    title_vi: str
    enterprise: EnterpriseSummaryOut
    hs_code: str
    moq: DecimalString | None
    unit: str
    price: PriceOut | None
    certifications: list[str]
    export_markets: list[str]
    lead_time_days: int | None
    url: str = Field(description="The product's page.")

    @staticmethod
    def resolve_price(obj: Product) -> dict[str, Any] | None:
        prices = obj.price_range
        if prices is None:
            return None
        low, high = prices
        return {"min": low.amount, "max": high.amount, "currency": obj.currency}

    @staticmethod
    def resolve_url(obj: Product) -> str:
        return reverse("product-detail", args=[obj.pk])


class HitOut(Schema):
    rank: int
    score: float
    product: ProductSummaryOut
    reasons: list[ReasonOut]


class ProductSearchOut(Schema):
    query: ParsedQueryOut
    filters: list[ConstraintOut] = Field(description="The structured filters applied.")
    industry: str
    hits: list[HitOut]
    has_more: bool
    good_match: bool = Field(
        description="Whether anything matches well (some hit shares words with the query, or "
        "meets a requirement of a requirements-only query); false: offer a sourcing request."
    )


class SimilarOut(Schema):
    product_id: int
    hits: list[HitOut]


class EnterpriseBriefOut(Schema):
    id: int
    name_zh: str
    name_en: str
    region: RegionOut
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return reverse("enterprise-detail", args=[obj.pk])


class SupplierOut(Schema):
    rank: int
    score: float
    enterprise: EnterpriseBriefOut
    reasons: list[ReasonOut] = Field(description="Constraint checks of its best product.")
    products: list[HitOut] = Field(description="Its matching products, best first.")


class SuppliersOut(Schema):
    query: ParsedQueryOut
    suppliers: list[SupplierOut]


# Inputs -------------------------------------------------------------------------------------


class ProductSearchParams(Schema):
    q: str = Field(min_length=1, max_length=MAX_QUERY_LENGTH, description="The buyer's words.")
    industry: str = ""
    hs_chapter: str = Field("", description="2-digit HS chapter, e.g. 94.")
    certification: str = ""
    market: str = Field("", description="ISO 3166-1 alpha-2 code the product is exported to.")
    language: ListingLanguage | None = Field(None, description="The listing has a title in it.")
    moq_max: Decimal | None = Field(None, ge=0, allow_inf_nan=False)
    moq_unit: str = ""
    price_max: Decimal | None = Field(None, ge=0, allow_inf_nan=False)
    currency: str = Field("", description="ISO 4217 code of price_max.")
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=1000)
    sort: str = Field(
        "relevance",
        description="relevance, price (lowest, compared in CNY at the platform's rates), moq or "
        "lead_time: anything but relevance re-orders the best 100 hits, those without it last.",
    )


class SimilarParams(Schema):
    limit: int = Field(6, ge=1, le=MAX_LIMIT)


class NeedIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_QUERY_LENGTH)
    quantity: Decimal | None = Field(None, allow_inf_nan=False)
    unit: str = ""
    target_price: Decimal | None = Field(None, allow_inf_nan=False)
    currency: str = ""
    destination: str = Field("", description="ISO 3166-1 alpha-2 code.")
    certifications: list[str] = []
    limit: int = Field(10, ge=1, le=50)
