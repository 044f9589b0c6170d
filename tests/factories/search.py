"""Factories and fakes for the search tests.

``FakeEmbedder`` is a small deterministic embedder (character trigrams hashed into 32
buckets; not semantic) that counts what it embeds; tests select it with the setting
``SEARCH_EMBEDDER = FAKE_EMBEDDER``. ``make_catalog`` builds a tiny hand-made catalog of two
industrial belts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import Enterprise, Product
from dualcirc.matching.dense import HashEmbedder
from dualcirc.search.indexing import embed_products, index_products
from tests.factories import make_enterprise, make_product, make_region_tree

FAKE_EMBEDDER = "tests.factories.search.FakeEmbedder"
OTHER_FAKE_EMBEDDER = "tests.factories.search.OtherFakeEmbedder"


class FakeEmbedder(HashEmbedder):
    """``HashEmbedder`` that records every text it is asked to embed."""

    def __init__(self, dim: int = 32) -> None:
        super().__init__(dim=dim)
        self.model_id = f"fake-trigram-{dim}"
        self.passages: list[str] = []
        self.queries: list[str] = []

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        self.queries.extend(texts)
        return super().embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.passages.extend(texts)
        return super().embed_queries(texts)  # not embed_passages: it would count them twice


class OtherFakeEmbedder(FakeEmbedder):
    """Another "model": other dimension, other model id."""

    def __init__(self) -> None:
        super().__init__(dim=48)


@dataclass
class Catalog:
    laixi: Enterprise  # furniture
    lanxi: Enterprise  # textiles
    table: Product
    sofa: Product
    wardrobe: Product
    denim: Product
    canvas: Product
    draft: Product  # Laixi's unpublished product

    @property
    def published(self) -> list[Product]:
        return [self.table, self.sofa, self.wardrobe, self.denim, self.canvas]


def make_catalog(*, index: bool = True) -> Catalog:
    """Two enterprises, five published products and a draft; indexed (both the lexical and
    the dense side) unless told not to."""
    regions = make_region_tree()
    laixi = make_enterprise(
        name_zh="莱西木艺家具有限公司",
        name_en="Laixi Woodcraft Furniture Co., Ltd.",
        region=regions["laixi"],
        industries=["Furniture"],
    )
    lanxi = make_enterprise(
        name_zh="兰溪长兴布业有限公司",
        name_en="Lanxi Changxing Fabric Co., Ltd.",
        region=regions["lanxi"],
        industries=["Textile"],
    )
    furniture: dict[str, Any] = {"enterprise": laixi, "unit": "pcs", "currency": "USD"}
    table = make_product(
        sku="LX-T1",
        title_en="Solid oak dining table, 6 seats",
        title_zh="实木橡木餐桌 六人位",
        hs_code="940360",
        attributes={"material": "oak"},
        certifications=["FSC"],
        export_markets=["US", "DE"],
        moq=Decimal("50"),
        price_min=Decimal("120"),
        price_max=Decimal("150"),
        **furniture,
    )
    sofa = make_product(
        sku="LX-S1",
        title_en="Three seat fabric sofa",
        hs_code="940161",
        export_markets=["VN"],
        moq=Decimal("20"),
        price_min=Decimal("210"),
        price_max=Decimal("260"),
        **furniture,
    )
    wardrobe = make_product(
        sku="LX-W1",
        title_en="Two-door walnut wardrobe",
        hs_code="940350",
        moq=Decimal("100"),
        price_min=Decimal("180"),
        price_max=Decimal("220"),
        **furniture,
    )
    draft = make_product(
        sku="LX-D1",
        title_en="Oak dining table prototype",
        hs_code="940360",
        status=ProductStatus.DRAFT,
        **furniture,
    )
    textile: dict[str, Any] = {"enterprise": lanxi, "unit": "m", "currency": "USD"}
    denim = make_product(
        sku="LN-D1",
        title_en="",
        title_zh="12盎司弹力牛仔布 denim",
        hs_code="520942",
        attributes={"成分": "98%棉 2%氨纶"},
        certifications=["OEKO-TEX"],
        export_markets=["VN", "BD"],
        moq=Decimal("3000"),
        price_min=Decimal("3.20"),
        price_max=Decimal("3.80"),
        **textile,
    )
    canvas = make_product(
        sku="LN-C1",
        title_en="Grey cotton canvas fabric 400gsm",
        hs_code="520931",
        certifications=["ISO 9001"],
        moq=Decimal("1000"),
        price_min=Decimal("2.95"),
        price_max=Decimal("4.72"),
        **textile,
    )
    catalog = Catalog(laixi, lanxi, table, sofa, wardrobe, denim, canvas, draft)
    if index:
        ids = [p.pk for p in [*catalog.published, draft]]
        index_products(ids)
        embed_products(ids)
    return catalog
