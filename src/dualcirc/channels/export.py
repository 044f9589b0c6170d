"""Listing files: the products of an enterprise that are ready for one channel, in the shape
that channel takes (``channels/data/listing_files.json``, written by
``channels.listing_files``): Tmall an XLSX of SKU rows as its bulk-publishing template, JD a
CSV of SKU rows, Douyin, Pinduoduo and 1688 JSON payloads of their product-creation calls.

Readiness is checked again, then the channel's rules on the very values written
(``listing_files.check_record``): a product that fails either is left out with its reasons
(listed in the XLSX and JSON files and on the page), never written half-filled.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language

from dualcirc.catalog.models import Enterprise, Product
from dualcirc.channels.listing_files import (
    ListingFormat,
    ListingRecord,
    SkuRecord,
    check_record,
    load_listing_formats,
    write_listing_file,
)
from dualcirc.channels.queries import assess_product, get_listing, with_listing_data
from dualcirc.channels.rules import load_rule_book
from dualcirc.core.access import can_view_enterprise_private, require


@dataclass(frozen=True)
class ListingExport:
    channel: str
    format: ListingFormat
    records: list[ListingRecord]
    exported: list[Product]
    refused: list[tuple[Product, list[str]]]  # product and why it is left out

    def render(self) -> bytes:
        """The file's bytes (listing_files.write_listing_file)."""
        return write_listing_file(
            self.format, self.records, [(p.sku, reasons) for p, reasons in self.refused]
        )


def _ordered_axes(axes: dict[str, str], order: tuple[str, ...]) -> dict[str, str]:
    """The SKU's axes in the product type's order (jsonb keeps no key order)."""
    known = {a: axes[a] for a in order if a in axes}
    return {**known, **{a: v for a, v in sorted(axes.items()) if a not in known}}


def build_channel_export(*, user: Any, enterprise: Enterprise, channel_key: str) -> ListingExport:
    """The listing file of ``channel_key`` for ``enterprise``, ready to render. Members, the
    operator and the region's government may download it (they see readiness already)."""
    require(can_view_enterprise_private(user, enterprise))
    book = load_rule_book()
    channel = book.channels[channel_key]
    language = get_language() or "en"
    records: list[ListingRecord] = []
    exported: list[Product] = []
    refused: list[tuple[Product, list[str]]] = []
    for product in with_listing_data(enterprise.products.order_by("sku")):
        readiness = assess_product(product, book=book, language=language)[channel_key]
        if not readiness.ready:
            refused.append((product, [c.message for c in readiness.missing if c.blocking]))
            continue
        listing = get_listing(product)
        assert listing is not None  # a ready product has a brand, hence a listing
        ptype = book.types[readiness.product_type or ""]
        # In the product type's order: PostgreSQL's jsonb keeps no key order.
        stored = dict(listing.attributes or {})
        catalog = product.attributes or {}
        attributes = {
            attr.name: stored.get(attr.name)
            or next((str(catalog[k]) for k in attr.from_keys if catalog.get(k)), "")
            for attr in ptype.attributes
        }
        attributes.update({k: v for k, v in sorted(stored.items()) if k not in attributes})
        evidence_keys = [*channel.qualifications, *ptype.requirements]
        evidence = {c.requirement: c.value for c in product.compliance.all()}
        record = ListingRecord(
            sku=product.sku,
            title=listing.title_zh or product.title_zh,
            brand=listing.brand,
            category_path=tuple(readiness.category_path),
            retail_price=listing.retail_price if channel.price_within_sku_range else None,
            attributes={k: str(v) for k, v in attributes.items()},
            qualifications={k: evidence[k] for k in evidence_keys if k in evidence},
            shipping_hours=int(listing.shipping_hours or 0),
            seven_day_return=bool(listing.seven_day_return),
            image_count=min(len(product.images.all()), channel.images.max),
            tiers=tuple(
                (Decimal(t["min_qty"]), Decimal(t["price"]))
                for t in (listing.wholesale_tiers or [])
            )
            if channel.wholesale
            else (),
            moq=product.moq if channel.wholesale else None,
            unit=product.unit,
            skus=tuple(
                SkuRecord(
                    code=f"{product.sku}-{n}",
                    axes=_ordered_axes(spec["axes"], ptype.spec_axes),
                    price=Decimal(spec["price"]) if spec.get("price") else None,
                    stock=int(spec["stock"]),
                )
                for n, spec in enumerate(listing.spec_matrix, start=1)
            ),
        )
        problems = check_record(record, channel)
        if problems:
            refused.append((product, problems))
            continue
        records.append(record)
        exported.append(product)
    return ListingExport(
        channel=channel_key,
        format=load_listing_formats()[channel_key],
        records=records,
        exported=exported,
        refused=refused,
    )
