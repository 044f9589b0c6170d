"""The search API: shapes, Decimal as strings, errors naming the parameter, no leaks."""

from __future__ import annotations

import json

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from dualcirc.catalog.enums import ProductStatus
from dualcirc.core.api_auth import issue_api_token
from tests.factories import make_user
from tests.factories.search import make_catalog

pytestmark = pytest.mark.django_db


def test_api_search_products_returns_hits_with_product_reasons_and_constraints(client):
    catalog = make_catalog()

    response = client.get(
        "/api/search/products",
        {"q": "denim fabric MOQ under 5000 meters", "limit": 2},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"query", "filters", "industry", "hits", "has_more", "good_match"}
    assert body["query"] == {
        "text": "denim fabric MOQ under 5000 meters",
        "language": "en",
        "terms": "denim fabric",
        "constraints": [
            {
                "kind": "moq_max",
                "value": "5000",
                "unit": "m",
                "currency": "",
                "inclusive": False,
                "source": "MOQ under 5000 meters",
                "hard": False,
                "label": "MOQ < 5,000 m",
            }
        ],
    }
    assert (body["filters"], body["industry"], body["has_more"]) == ([], "", True)
    first = body["hits"][0]
    assert first["rank"] == 1 and isinstance(first["score"], float)
    assert first["product"] == {
        "id": catalog.denim.pk,
        "sku": "LN-D1",
        "title": "12盎司弹力牛仔布 denim",
        "title_zh": "12盎司弹力牛仔布 denim",
        "title_en": "",
        "title_vi": "",
        "enterprise": {
            "id": catalog.lanxi.pk,
            "name_zh": "兰溪长兴布业有限公司",
            "name_en": "Lanxi Changxing Fabric Co., Ltd.",
        },
        "hs_code": "520942",
        "moq": "3000.000",
        "unit": "m",
        "price": {"min": "3.2000", "max": "3.8000", "currency": "USD"},
        "certifications": ["OEKO-TEX"],
        "export_markets": ["VN", "BD"],
        "lead_time_days": None,
        "url": f"/en/products/{catalog.denim.pk}/",
    }
    kinds = [r["kind"] for r in first["reasons"]]
    assert kinds[0] == "term" and "semantic" in kinds and kinds[-1] == "constraint"
    title = next(r for r in first["reasons"] if r["field"] == "title")
    assert title["terms"] == ["denim", "牛仔布"]
    constraint = first["reasons"][-1]
    assert constraint["satisfied"] is True
    assert constraint["status"] == "met"
    assert constraint["detail"] == "MOQ 3000 m < 5000 m"
    assert constraint["constraint"]["value"] == "5000"


def test_api_search_products_applies_filters_as_hard_constraints(client):
    catalog = make_catalog()

    body = client.get(
        "/api/search/products",
        {"q": "furniture", "price_max": "1300.50", "currency": "cny", "industry": "Furniture"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()

    assert body["filters"] == [
        {
            "kind": "price_max",
            "value": "1300.50",
            "unit": "",
            "currency": "CNY",
            "inclusive": True,
            "source": "",
            "hard": True,
            "label": "Price ≤ 1,300.5 CNY",
        }
    ]
    assert body["industry"] == "Furniture"
    assert {h["product"]["sku"] for h in body["hits"]} == {"LX-T1", "LX-W1"}
    assert catalog.sofa.sku not in {h["product"]["sku"] for h in body["hits"]}


def test_api_labels_default_to_chinese(client):
    make_catalog()

    body = client.get("/api/search/products", {"q": "sofa FSC"}).json()

    with translation.override("zh-hans"):
        expected = _("%(certificate)s certified") % {"certificate": "FSC"}
    assert expected != "FSC certified"  # the catalog is translated
    assert [c["label"] for c in body["query"]["constraints"]] == [expected]
    assert body["hits"][0]["product"]["url"].startswith("/zh-hans/products/")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "table", "price_max": "10"}, "currency"),
        ({"q": "table", "market": "Narnia"}, "market"),
        ({"q": "table", "hs_chapter": "9"}, "hs_chapter"),
        ({"q": "table", "moq_max": "-1"}, "moq_max"),
        ({"q": ""}, "q"),
        ({"q": "table", "limit": "500"}, "limit"),
    ],
)
def test_api_search_products_names_the_bad_parameter(client, params, field):
    make_catalog()

    response = client.get("/api/search/products", params)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert [e["field"] for e in body["errors"]] == [field]


def test_api_search_never_returns_drafts_or_just_unpublished_products(client):
    catalog = make_catalog()
    type(catalog.wardrobe).objects.filter(pk=catalog.wardrobe.pk).update(status=ProductStatus.DRAFT)
    token = issue_api_token(user=make_user(organisation=catalog.laixi.organisation), name="t")

    body = client.get(
        "/api/search/products",
        {"q": "walnut wardrobe oak dining table prototype", "limit": 20},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    ).json()

    found = {h["product"]["sku"] for h in body["hits"]}
    assert found == {"LX-T1", "LX-S1", "LN-D1", "LN-C1"}


def test_api_similar_products(client):
    catalog = make_catalog()

    response = client.get(f"/api/products/{catalog.table.pk}/similar", {"limit": 2})

    body = response.json()
    assert body["product_id"] == catalog.table.pk
    assert [h["rank"] for h in body["hits"]] == [1, 2]
    assert catalog.table.pk not in [h["product"]["id"] for h in body["hits"]]
    assert body["hits"][0]["reasons"][0]["kind"] == "semantic"
    assert set(body["hits"][0]["product"]) >= {"id", "sku", "title", "price", "moq", "url"}


def test_api_similar_products_of_a_draft_is_not_found_for_others(client):
    catalog = make_catalog()

    response = client.get(f"/api/products/{catalog.draft.pk}/similar")
    missing = client.get("/api/products/999999/similar")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert missing.status_code == 404


def test_api_suppliers_for_need(client):
    catalog = make_catalog()
    need = {
        "text": "denim fabric",
        "quantity": 5000,
        "unit": "m",
        "target_price": 4.5,
        "currency": "USD",
        "destination": "VN",
        "certifications": ["OEKO-TEX"],
        "limit": 1,
    }

    response = client.post(
        "/api/search/suppliers",
        json.dumps(need),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",  # labels come in the language the caller asks for
    )

    assert response.status_code == 200
    body = response.json()
    assert body["query"]["terms"] == "denim fabric"
    [supplier] = body["suppliers"]
    assert supplier["rank"] == 1
    assert supplier["enterprise"] == {
        "id": catalog.lanxi.pk,
        "name_zh": "兰溪长兴布业有限公司",
        "name_en": "Lanxi Changxing Fabric Co., Ltd.",
        "region": {"code": "330781", "name_zh": "兰溪市", "name_en": "Lanxi", "level": "county"},
        "url": f"/en/enterprises/{catalog.lanxi.pk}/",
    }
    assert {(r["constraint"]["label"], r["status"]) for r in supplier["reasons"]} == {
        ("MOQ ≤ 5,000 m", "met"),
        ("Price ≤ 4.5 USD", "met"),
        ("Exports to Vietnam", "met"),
        ("OEKO-TEX certified", "met"),
    }
    price = next(r for r in supplier["reasons"] if r["field"] == "price_max")
    assert price["constraint"]["value"] == "4.5"  # a JSON number read as Decimal, sent back as text
    assert [p["product"]["sku"] for p in supplier["products"]] == ["LN-D1", "LN-C1"]


def test_api_suppliers_for_need_names_the_bad_field(client):
    make_catalog()

    response = client.post(
        "/api/search/suppliers",
        json.dumps({"text": "denim", "target_price": "3"}),
        content_type="application/json",
    )
    unknown = client.post(
        "/api/search/suppliers",
        json.dumps({"text": "denim", "colour": "blue"}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["currency"]
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["colour"]
