"""Products → the matching core's ``ProductDoc`` and back to JSON."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, fields
from decimal import Decimal
from typing import Any

from dualcirc.catalog.models import Product
from dualcirc.matching.types import ProductDoc


def product_to_doc(product: Product) -> ProductDoc:
    """The searchable document of a product (its enterprise and region must be loaded)."""
    enterprise = product.enterprise
    belt = enterprise.belt
    industry = (enterprise.industries or [""])[0] or (belt.industry if belt else "")
    return ProductDoc(
        doc_id=str(product.pk),
        enterprise_id=str(product.enterprise_id),
        sku=product.sku,
        titles={
            lang: text
            for lang, text in (
                ("zh", product.title_zh),
                ("en", product.title_en),
                ("vi", product.title_vi),
            )
            if text
        },
        descriptions={
            lang: text
            for lang, text in (
                ("zh", product.description_zh),
                ("en", product.description_en),
                ("vi", product.description_vi),
            )
            if text
        },
        attributes=dict(product.attributes or {}),
        hs_code=product.hs_code,
        moq=product.moq,
        unit=product.unit,
        price_min=product.price_min,
        price_max=product.price_max,
        currency=product.currency,
        certifications=tuple(product.certifications or ()),
        export_markets=tuple(product.export_markets or ()),
        lead_time_days=product.lead_time_days,
        industry=industry,
        enterprise_name=enterprise.name_zh,
        enterprise_name_en=enterprise.name_en,
        region=enterprise.region.name_zh if enterprise.region_id else "",
    )


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"__decimal__": str(value)}
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__decimal__"}:
            return Decimal(value["__decimal__"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def doc_to_payload(doc: ProductDoc) -> dict[str, Any]:
    """JSON-safe form of a document: Decimals kept exact as ``{"__decimal__": "12.30"}``."""
    return {k: _encode(v) for k, v in asdict(doc).items()}


_DOC_FIELDS = frozenset(f.name for f in fields(ProductDoc))


def payload_to_doc(payload: dict[str, Any]) -> ProductDoc:
    """The inverse of :func:`doc_to_payload` (keys the document type no longer has are
    ignored, so an older feed row stays readable until it is re-indexed)."""
    data = {k: _decode(v) for k, v in payload.items() if k in _DOC_FIELDS}
    data["certifications"] = tuple(data.get("certifications") or ())
    data["export_markets"] = tuple(data.get("export_markets") or ())
    return ProductDoc(**data)


def payload_digest(payload: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of a payload: "did the document change?"."""
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
