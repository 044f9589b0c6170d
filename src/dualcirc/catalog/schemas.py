"""Shapes of the catalog API (docs/api.md): what it reads, what it writes.

Money and quantities are Decimal and leave as JSON strings (``"120.0000"``), never floats; a
price always carries its currency. Private enterprise fields are under ``private``, which is null
for callers that core.access does not let see them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict, PlainSerializer, WithJsonSchema

from dualcirc.catalog.enums import ListingLanguage, ProductStatus
from dualcirc.catalog.models import Enterprise, Product, ProductImage
from dualcirc.core.access import can_view_enterprise_private
from dualcirc.core.sanitize import TEXT_LIMITS, column_limits, text_limit

DecimalString = Annotated[
    Decimal,
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "format": "decimal", "examples": ["120.0000"]}),
]


# Reads --------------------------------------------------------------------------------------


class RegionOut(Schema):
    code: str
    name_zh: str
    name_en: str
    level: str


class BeltOut(Schema):
    slug: str
    name_zh: str
    name_en: str
    industry: str


class ContactOut(Schema):
    name: str = ""
    title: str = ""
    phone: str = ""
    email: str = ""


class EnterprisePrivateOut(Schema):
    credit_code: str | None
    contacts: list[ContactOut]
    employees: int | None
    export_share: DecimalString | None = Field(description="Percent of sales exported, 0–100.")


class EnterpriseOut(Schema):
    id: int
    name_zh: str
    name_en: str
    region: RegionOut
    belt: BeltOut | None
    industries: list[str]
    year_founded: int | None
    domestic_markets: list[str]
    export_markets: list[str]
    certifications: list[str]
    business_models: list[str]
    description: str
    created_at: datetime
    updated_at: datetime
    private: EnterprisePrivateOut | None = Field(
        description="Credit code, contacts, employees, export share: null unless the caller "
        "is a member of the enterprise, governs its region, or is an operator."
    )

    @staticmethod
    def resolve_private(obj: Enterprise, context: dict[str, Any]) -> Enterprise | None:
        return obj if can_view_enterprise_private(context["request"].user, obj) else None


class EnterpriseSummaryOut(Schema):
    id: int
    name_zh: str
    name_en: str


class PriceOut(Schema):
    min: DecimalString
    max: DecimalString
    currency: str = Field(description="ISO 4217 code.")


class ImageOut(Schema):
    id: int
    url: str = Field(description="The photo as uploaded.")
    thumbnail_url: str = Field(
        description="320 px WebP for lists (the original for photos stored before thumbnails)."
    )
    preview_url: str = Field(description="800 px WebP for a product page (likewise).")
    content_type: str
    position: int

    @staticmethod
    def resolve_url(obj: ProductImage, context: dict[str, Any]) -> str:
        return str(context["request"].build_absolute_uri(obj.image.url))

    @staticmethod
    def resolve_thumbnail_url(obj: ProductImage, context: dict[str, Any]) -> str:
        return str(context["request"].build_absolute_uri(obj.card_url))

    @staticmethod
    def resolve_preview_url(obj: ProductImage, context: dict[str, Any]) -> str:
        return str(context["request"].build_absolute_uri(obj.gallery_url))


class ProductOut(Schema):
    id: int
    enterprise: EnterpriseSummaryOut
    sku: str
    status: ProductStatus
    title: str = Field(description="The first non-empty of title_zh, title_en, title_vi.")
    title_zh: str
    title_en: str
    title_vi: str
    description_zh: str
    description_en: str
    description_vi: str
    hs_code: str
    hs_description: str
    attributes: dict[str, str]
    moq: DecimalString | None
    unit: str
    price: PriceOut | None = Field(description="Null when the product has no price.")
    certifications: list[str]
    export_markets: list[str]
    lead_time_days: int | None
    languages: list[ListingLanguage]
    images: list[ImageOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_price(obj: Product) -> dict[str, Any] | None:
        prices = obj.price_range
        if prices is None:
            return None
        low, high = prices
        return {"min": low.amount, "max": high.amount, "currency": obj.currency}

    @staticmethod
    def resolve_languages(obj: Product) -> list[str]:
        return [lang for lang in obj.languages.split(",") if lang]

    @staticmethod
    def resolve_images(obj: Product) -> list[ProductImage]:
        return list(obj.images.all())


class EnterprisePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[EnterpriseOut]


class ProductPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ProductOut]


# Query parameters ---------------------------------------------------------------------------

MAX_PAGE_SIZE = 100


class PageParams(Schema):
    page: int = Field(1, ge=1, description="1-based page number.")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description="Rows per page, at most 100.")


class EnterpriseListParams(PageParams):
    q: str | None = Field(None, description="Text in the Chinese or English name.")
    belt: str | None = Field(None, description="Industrial belt slug, e.g. laixi-furniture.")
    region: str | None = Field(
        None, description="Region code; enterprises of its sub-regions are included."
    )
    industry: str | None = Field(None, description="One of the enterprise's industries.")


class ProductListParams(PageParams):
    """The product list filters: the same names and rules as the product list page
    (catalog.queries.parse_product_filters)."""

    keyword: str | None = Field(None, description="Text in the SKU or the titles.")
    enterprise: int | None = Field(None, description="Id of the enterprise.")
    hs_chapter: str | None = Field(
        None, pattern=r"^\d{2}$", description="2-digit HS chapter, e.g. 94."
    )
    certification: str | None = Field(
        None, description="One of the product's certifications (any case)."
    )
    market: str | None = Field(
        None, description="ISO 3166-1 alpha-2 code the product is exported to (any case)."
    )
    moq_max: Decimal | None = Field(
        None,
        ge=0,
        allow_inf_nan=False,
        description="Minimum order quantity at most this; products without an MOQ are left out.",
    )
    language: ListingLanguage | None = Field(None, description="The listing has a title in it.")
    status: ProductStatus | None = Field(
        None, description="Drafts are only ever listed to those who may see them."
    )
    industry: str | None = Field(None, description="One of the enterprise's industries.")
    belt: str | None = Field(None, description="Industrial belt slug of the enterprise.")
    region: str | None = Field(
        None, description="Region code of the enterprise; sub-regions are included."
    )
    sort: str | None = Field(
        None,
        description="newest (default), price, moq or lead_time: lowest price (compared in "
        "CNY at the platform's rates), MOQ or lead time first, those without it last.",
    )


# Writes -------------------------------------------------------------------------------------
# Every field is optional in the update shapes: PATCH changes only the fields it sends. The
# domain functions validate values and name the field; these shapes only check types and
# refuse unknown fields.


class _Input(Schema):
    model_config = ConfigDict(extra="forbid")


# Free text within core.sanitize's limits (the domain checks them too, for every door).
Description = Annotated[str, text_limit("description")]
AttributeKey = Annotated[str, text_limit("attribute_key")]
AttributeValue = Annotated[str, text_limit("attribute_value")]
ListItem = Annotated[str, text_limit("list_item")]


class ContactIn(_Input):
    name: str = ""
    title: str = ""
    phone: str = ""
    email: str = ""


class EnterpriseUpdateIn(_Input):
    name_zh: str = ""
    name_en: str = ""
    credit_code: str | None = Field(None, description="Unified social credit code (18 chars).")
    belt: str | None = Field(None, description="Industrial belt slug, or null.")
    industries: list[str] = []
    year_founded: int | None = None
    employees: Annotated[int, column_limits(Enterprise, "employees")] | None = None
    domestic_markets: list[str] = []
    export_markets: list[str] = Field([], description="ISO 3166-1 alpha-2 codes.")
    export_share: Annotated[Decimal, column_limits(Enterprise, "export_share")] | None = Field(
        None, description="Percent, 0–100, as a string."
    )
    certifications: list[ListItem] = []
    contacts: list[ContactIn] = []
    business_models: list[str] = Field([], description="oem, odm, own_brand.")
    description: Description = ""


class EnterpriseCreateIn(EnterpriseUpdateIn):
    region: str = Field(description="Code of the region the enterprise is in.")


class ProductUpdateIn(_Input):
    sku: str = ""
    status: ProductStatus = ProductStatus.PUBLISHED
    title_zh: str = ""
    title_en: str = ""
    title_vi: str = ""
    description_zh: Description = ""
    description_en: Description = ""
    description_vi: Description = ""
    hs_code: str = Field("", description="6-digit HS subheading, dots allowed: 9403.60.")
    attributes: dict[AttributeKey, AttributeValue] = Field({}, max_length=TEXT_LIMITS["attributes"])
    moq: Annotated[Decimal, column_limits(Product, "moq")] | None = Field(
        None, description="Minimum order quantity, as a string."
    )
    unit: str = ""
    price_min: Annotated[Decimal, column_limits(Product, "price_min")] | None = Field(
        None, description="Lowest unit price, as a string."
    )
    price_max: Annotated[Decimal, column_limits(Product, "price_max")] | None = Field(
        None, description="Highest unit price, as a string."
    )
    currency: str = Field("", description="ISO 4217 code; required with a price.")
    certifications: list[ListItem] = Field([], max_length=TEXT_LIMITS["list"])
    export_markets: list[str] = Field([], description="ISO 3166-1 alpha-2 codes.")
    lead_time_days: int | None = None


class ProductCreateIn(ProductUpdateIn):
    enterprise_id: int
    sku: str
    hs_code: str = Field(description="6-digit HS subheading, dots allowed: 9403.60.")
