"""Reads: a product's listing facts and its readiness on every channel, and the readiness of
an enterprise's catalog (products × channels) — with the visibility rules applied."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import Enterprise, Product, ProductImage
from dualcirc.channels.models import DomesticListing, ProductCompliance
from dualcirc.channels.pricing import (
    PriceBand,
    PricingAssumptions,
    current_pricing,
    suggest_domestic_prices,
)
from dualcirc.channels.readiness import (
    AuthorisationFacts,
    BrandFacts,
    ImageFacts,
    ListingFacts,
    Readiness,
    SpecRow,
    assess_channel_readiness,
)
from dualcirc.channels.rules import RuleBook, load_rule_book
from dualcirc.core.access import (
    can_view_enterprise_private,
    can_view_product,
    require,
    visible_products,
)
from dualcirc.l10n.rates import RateMissing, convert, minor_units


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _image_bytes(image: ProductImage) -> int | None:
    try:
        return int(image.image.size)
    except (OSError, ValueError):
        return None


def get_listing(product: Product) -> DomesticListing | None:
    try:
        return product.domestic_listing
    except DomesticListing.DoesNotExist:
        return None


def build_brand_facts(product: Product) -> BrandFacts | None:
    """The product's brand of record, with the letters its enterprise holds for it (uses the
    prefetched branding, brand and authorisations of ``with_listing_data``)."""
    from dualcirc.channels.enums import TrademarkStatus
    from dualcirc.channels.models import ProductBranding

    try:
        branding = product.branding
    except ProductBranding.DoesNotExist:
        return None
    brand = branding.brand
    if brand is None:
        return None
    owned = brand.enterprise_id == product.enterprise_id
    return BrandFacts(
        name=brand.name,
        owned=owned,
        trademark_number=brand.trademark_number,
        registered=brand.status == TrademarkStatus.REGISTERED,
        expires_on=brand.expires_on,
        authorisations=()
        if owned
        else tuple(
            AuthorisationFacts(tuple(a.channels), a.valid_from, a.effective_until, a.revoked_on)
            for a in brand.authorisations.all()
            if a.distributor_id == product.enterprise_id
        ),
    )


def build_listing_facts(product: Product) -> ListingFacts:
    """The plain values readiness is judged on. Uses the product's prefetched images,
    compliance rows and listing when present."""
    listing = get_listing(product)
    catalog_attributes = {str(k): str(v) for k, v in (product.attributes or {}).items()}
    spec_rows = []
    tiers: list[tuple[Decimal, Decimal]] = []
    if listing is not None:
        for row in listing.spec_matrix or []:
            stock = row.get("stock")
            spec_rows.append(
                SpecRow(
                    axes={str(k): str(v) for k, v in (row.get("axes") or {}).items()},
                    price=_decimal(row.get("price")),
                    stock=stock if isinstance(stock, int) else None,
                )
            )
        for tier in listing.wholesale_tiers or []:
            qty, price = _decimal(tier.get("min_qty")), _decimal(tier.get("price"))
            if qty is not None and price is not None:
                tiers.append((qty, price))
    return ListingFacts(
        hs_code=product.hs_code,
        titles=" ".join(t for t in (product.title_zh, product.title_en, product.title_vi) if t),
        title_zh=(listing.title_zh if listing and listing.title_zh else product.title_zh),
        brand=listing.brand if listing else "",
        retail_price=listing.retail_price if listing else None,
        spec_rows=spec_rows,
        attributes=dict(listing.attributes or {}) if listing else {},
        catalog_attributes=catalog_attributes,
        images=[
            ImageFacts(width=i.width, height=i.height, bytes=_image_bytes(i))
            for i in product.images.all()
        ],
        shipping_hours=listing.shipping_hours if listing else None,
        seven_day_return=listing.seven_day_return if listing else None,
        wholesale_tiers=tiers,
        moq=product.moq,
        evidence={c.requirement: c.value for c in product.compliance.all()},
        evidence_valid_until={
            c.requirement: c.valid_until for c in product.compliance.all() if c.valid_until
        },
        today=timezone.localdate(),
        brand_record=build_brand_facts(product),
    )


def assess_product(
    product: Product, *, book: RuleBook | None = None, language: str | None = None
) -> dict[str, Readiness]:
    """Readiness of ``product`` on every channel, in the rule book's channel order."""
    book = book or load_rule_book()
    facts = build_listing_facts(product)
    lang = language or get_language() or "en"
    return {
        key: assess_channel_readiness(book=book, channel_key=key, facts=facts, language=lang)
        for key in book.channels
    }


def with_listing_data(qs: QuerySet[Product]) -> QuerySet[Product]:
    return qs.select_related(
        "domestic_listing", "enterprise__region", "branding__brand"
    ).prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
        Prefetch("compliance", queryset=ProductCompliance.objects.all()),
        "branding__brand__authorisations",
    )


@dataclass(frozen=True)
class ProductRow:
    product: Product
    readiness: dict[str, Readiness]


def assess_enterprise_catalog(*, user: Any, enterprise: Enterprise) -> list[ProductRow]:
    """Readiness across the enterprise's catalog and every channel: its members, the
    operator and the government of its region only (drafts included)."""
    require(can_view_enterprise_private(user, enterprise))
    book = load_rule_book()
    products = with_listing_data(enterprise.products.order_by("sku"))
    return [ProductRow(product=p, readiness=assess_product(p, book=book)) for p in products]


def get_product_for_channels(*, user: Any, pk: int) -> Product:
    """The product with its listing data, if ``user`` may see its channel readiness."""
    product = with_listing_data(Product.objects.all()).get(pk=pk)
    if not can_view_product(user, product):
        raise Product.DoesNotExist  # another enterprise's draft reads as absent
    require(can_view_enterprise_private(user, product.enterprise))
    return product


@dataclass(frozen=True)
class PriceSuggestion:
    incoterm: str
    incoterm_assumed: bool
    bands: list[PriceBand]
    assumptions: PricingAssumptions

    @property
    def vat_points(self) -> Decimal:
        """The VAT used, in percentage points (13), for the page's sentence."""
        return self.assumptions.vat_rate * 100


def suggest_product_prices(product: Product) -> PriceSuggestion | None:
    """Suggested domestic bands for every channel from the product's export price range
    (``price_min``–``price_max`` in its currency, converted to CNY with the platform's rates);
    the incoterm is the product's ``incoterm`` attribute if FOB or EXW, else FOB (assumed).
    None when the product has no price or no rate is known for its currency."""
    if product.price_min is None or not product.currency:
        return None
    high = product.price_max if product.price_max is not None else product.price_min
    try:
        low_cny = convert(product.price_min, product.currency, "CNY").converted
        high_cny = convert(high, product.currency, "CNY").converted
    except RateMissing:
        return None
    stated = str((product.attributes or {}).get("incoterm", "")).strip().upper()
    incoterm = stated if stated in ("FOB", "EXW") else "FOB"
    assumptions = current_pricing()
    bands = [
        suggest_domestic_prices(
            export_price_cny=(low_cny, high_cny),
            incoterm=incoterm,
            channel=key,
            assumptions=assumptions,
            wholesale_only=key == "1688",
        )
        for key in load_rule_book().channels
        if key in assumptions.channels
    ]
    return PriceSuggestion(
        incoterm=incoterm,
        incoterm_assumed=stated != incoterm,
        bands=bands,
        assumptions=assumptions,
    )


@dataclass(frozen=True)
class ComparableListing:
    product: Product
    retail_price: Decimal  # CNY


@dataclass(frozen=True)
class ComparableListings:
    """Other enterprises' published products on dualcirc of the same product type (else the
    same HS subheading) that record a domestic retail price: the price range and up to five
    of them. Listings on this platform, not on Tmall or JD."""

    product_type: str | None  # the type's key when matched by type, else None (HS only)
    hs_codes: tuple[str, ...]
    count: int
    low: Decimal
    median: Decimal
    high: Decimal
    currency: str
    examples: list[ComparableListing]


def find_comparable_listings(
    *, user: Any, product: Product, book: RuleBook | None = None, limit: int = 5
) -> ComparableListings | None:
    """The comparable domestic listings on dualcirc for ``product``: products of other
    enterprises that are published (what any buyer sees; never a draft, whoever asks), of the
    product's type (its HS subheadings) or, without a type, of its HS subheading, with a
    domestic retail price. None when there is none. Two queries, whatever their number."""
    book = book or load_rule_book()
    ptype = book.type_for(hs_code=product.hs_code, text=f"{product.title_zh} {product.title_en}")
    codes = tuple(ptype.hs_codes) if ptype and ptype.hs_codes else (product.hs_code,)
    qs = (
        visible_products(user, Product.objects.all())
        .filter(
            status=ProductStatus.PUBLISHED,
            hs_code__in=codes,
            domestic_listing__retail_price__isnull=False,
        )
        .exclude(enterprise_id=product.enterprise_id)
    )
    rows: list[tuple[int, Decimal]] = sorted(
        (
            (pk, price)
            for pk, price in qs.values_list("pk", "domestic_listing__retail_price")
            if price is not None
        ),
        key=lambda r: (r[1], r[0]),
    )
    if not rows:
        return None
    prices = [r[1] for r in rows]
    # up to ``limit`` examples spread over the range, cheapest to dearest
    if len(rows) <= limit:
        picked = list(range(len(rows)))
    else:
        picked = sorted({round(i * (len(rows) - 1) / (limit - 1)) for i in range(limit)})
    chosen = {rows[i][0]: rows[i][1] for i in picked}
    products = Product.objects.select_related("enterprise").in_bulk(list(chosen))
    return ComparableListings(
        product_type=ptype.key if ptype else None,
        hs_codes=codes,
        count=len(rows),
        low=prices[0],
        median=Decimal(statistics.median(prices)).quantize(minor_units("CNY")),
        high=prices[-1],
        currency="CNY",
        examples=[
            ComparableListing(product=products[pk], retail_price=price)
            for pk, price in chosen.items()
            if pk in products
        ],
    )
