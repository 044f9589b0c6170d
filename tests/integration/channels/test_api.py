"""The domestic-channel API agrees with the pages and writes through the same domain."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dualcirc.channels.models import ProductCompliance
from tests.factories import make_enterprise, make_product, make_region_tree
from tests.factories.api import (
    bearer,
    make_buyer,
    make_enterprise_user,
    make_government_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    regions = make_region_tree()
    enterprise = make_enterprise(region=regions["laixi"])
    member = make_enterprise_user(enterprise=enterprise)
    products = [
        make_product(enterprise=enterprise, sku="T-1", title_zh="实木餐桌", hs_code="940360"),
        make_product(enterprise=enterprise, sku="TV-1", title_zh="液晶电视", hs_code="852872"),
        make_product(enterprise=enterprise, sku="S-1", title_zh="即食烤虾干", hs_code="160521"),
        make_product(enterprise=enterprise, sku="B-1", title_zh="儿童床", hs_code="940350"),
    ]
    return regions, enterprise, member, products


def test_api_and_page_agree_for_every_product_and_channel(client, world):
    _regions, enterprise, member, _products = world
    client.force_login(member)

    api = client.get(
        f"/api/enterprises/{enterprise.pk}/channel-readiness", headers=bearer(member)
    ).json()
    page = client.get(reverse("channels-enterprise", args=[enterprise.pk]))

    from_page = {
        product.sku: [(r.channel, r.ready, r.score) for r in cells]
        for product, cells in page.context["rows"]
    }
    from_api = {
        row["sku"]: [(c["channel"], c["ready"], c["score"]) for c in row["channels"]] for row in api
    }
    assert from_api == from_page
    kids_bed = next(row for row in api if row["sku"] == "B-1")["channels"][0]
    assert kids_bed["product_type"] == "furniture-kids"
    assert "compliance:children-furniture" in [c["code"] for c in kids_bed["checks"]]


def test_patch_records_ccc_and_answers_the_new_readiness(client, world):
    _regions, _enterprise, member, products = world
    tv = products[1]
    url = f"/api/products/{tv.pk}/domestic-listing"

    bad = client.patch(
        url,
        data={"evidence": {"ccc": "CCC 123"}, "retail_price": "-1"},
        content_type="application/json",
        headers=bearer(member),
    )
    good = client.patch(
        url,
        data={
            "brand": "海信",
            "spec_matrix": [
                {"axes": {"颜色分类": "黑色", "屏幕尺寸": "55英寸"}, "price": "2999", "stock": 3}
            ],
            "evidence": {"ccc": "2020010701234567"},
            "evidence_valid_until": {"ccc": "2031-06-30"},
        },
        content_type="application/json",
        headers=bearer(member),
    )

    assert bad.status_code == 422
    assert sorted(e["field"] for e in bad.json()["errors"]) == ["evidence:ccc", "retail_price"]
    assert good.status_code == 200
    jd = next(c for c in good.json()["channels"] if c["channel"] == "jd")
    codes = {c["code"]: c["ok"] for c in jd["checks"]}
    assert (codes["compliance:ccc"], codes["brand"], codes["spec"]) == (True, True, True)
    evidence = ProductCompliance.objects.get(product=tv, requirement="ccc")
    assert (evidence.value, evidence.valid_until.isoformat()) == ("2020010701234567", "2031-06-30")


def test_government_reads_but_cannot_write_and_outsiders_get_403(client, world):
    regions, enterprise, _member, products = world
    government = make_government_user(region=regions["qingdao"])
    buyer = make_buyer()
    url = f"/api/products/{products[0].pk}/channel-readiness"

    read = client.get(url, headers=bearer(government))
    write = client.patch(
        f"/api/products/{products[0].pk}/domestic-listing",
        data={"brand": "X"},
        content_type="application/json",
        headers=bearer(government),
    )
    outsider = client.get(
        f"/api/enterprises/{enterprise.pk}/channel-readiness", headers=bearer(buyer)
    )

    assert (read.status_code, write.status_code, outsider.status_code) == (200, 403, 403)
