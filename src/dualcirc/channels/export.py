"""Listing files: the products of an enterprise that are ready for one channel, one row per
SKU, as a CSV (UTF-8 with BOM, so that Excel and WPS open it in Chinese).

The columns follow the fields of the channels' bulk-upload templates (商家编码, 类目, 标题,
品牌, 销售属性, 价格, 库存 …) under our own header names: the platforms' template files are
not redistributable, so the operator maps the columns once. Readiness is checked again before
writing: a product that is not ready is left out with its reasons, never written half-filled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language

from dualcirc.catalog.models import Enterprise, Product
from dualcirc.channels.queries import assess_product, get_listing, with_listing_data
from dualcirc.channels.rules import load_rule_book
from dualcirc.core.access import can_view_enterprise_private, require
from dualcirc.core.csvfiles import csv_bytes

COLUMNS = (
    "商家编码",
    "类目",
    "商品标题",
    "品牌",
    "销售属性",
    "SKU价格",
    "SKU库存",
    "一口价",
    "阶梯价",
    "起批量",
    "类目属性",
    "资质",
    "发货时效(小时)",
    "七天无理由退货",
    "主图数量",
)


@dataclass(frozen=True)
class ListingExport:
    channel: str
    rows: list[dict[str, str]]
    exported: list[Product]
    refused: list[tuple[Product, list[str]]]  # product and the messages of its missing checks


def _join(pairs: dict[str, str]) -> str:
    return ";".join(f"{k}:{v}" for k, v in pairs.items())


def _ordered_axes(axes: dict[str, str], order: tuple[str, ...]) -> dict[str, str]:
    """The SKU's axes in the product type's order (jsonb keeps no key order)."""
    known = {a: axes[a] for a in order if a in axes}
    return {**known, **{a: v for a, v in sorted(axes.items()) if a not in known}}


def build_channel_export(*, user: Any, enterprise: Enterprise, channel_key: str) -> ListingExport:
    """The rows of the listing file of ``channel_key`` for ``enterprise``. Members, the
    operator and the region's government may download it (they see readiness already)."""
    require(can_view_enterprise_private(user, enterprise))
    book = load_rule_book()
    channel = book.channels[channel_key]
    language = get_language() or "en"
    rows: list[dict[str, str]] = []
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
        tiers = ";".join(f"{t['min_qty']}:{t['price']}" for t in listing.wholesale_tiers or [])
        for spec in listing.spec_matrix:
            rows.append(
                {
                    "商家编码": product.sku,
                    "类目": ">".join(readiness.category_path),
                    "商品标题": listing.title_zh or product.title_zh,
                    "品牌": listing.brand,
                    "销售属性": _join(_ordered_axes(spec["axes"], ptype.spec_axes)),
                    "SKU价格": spec.get("price") or "",
                    "SKU库存": str(spec["stock"]),
                    "一口价": str(listing.retail_price or "")
                    if channel.price_within_sku_range
                    else "",
                    "阶梯价": tiers if channel.wholesale else "",
                    "起批量": f"{product.moq.normalize():f}"
                    if channel.wholesale and product.moq is not None
                    else "",
                    "类目属性": _join(attributes),
                    "资质": _join({k: evidence[k] for k in evidence_keys if k in evidence}),
                    "发货时效(小时)": str(listing.shipping_hours),
                    "七天无理由退货": "是" if listing.seven_day_return else "否",
                    "主图数量": str(min(len(product.images.all()), channel.images.max)),
                }
            )
        exported.append(product)
    return ListingExport(channel=channel_key, rows=rows, exported=exported, refused=refused)


def write_listing_csv(export: ListingExport) -> bytes:
    """The listing file: text the enterprise typed (a title, a brand) that starts like a
    formula is kept as text (``core.csvfiles``)."""
    return csv_bytes(COLUMNS, ([row.get(c, "") for c in COLUMNS] for row in export.rows))
