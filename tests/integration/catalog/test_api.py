"""The product endpoints of the JSON API (/api/products…), its OpenAPI document, auth and CSRF.

The enterprise endpoints are tested in test_api_enterprises.py.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError
from django.test import Client

from dualcirc.api import api
from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import Product
from dualcirc.core.api_auth import issue_api_token
from tests.factories import make_product
from tests.factories.api import CatalogWorld, bearer

pytestmark = pytest.mark.django_db

CSRF_SECRET = "a" * 32  # any 32 alphanumerics are a valid CSRF secret


@pytest.fixture
def world() -> CatalogWorld:
    return CatalogWorld()


@pytest.fixture
def products(world: CatalogWorld) -> dict[str, Product]:
    """Published and draft products of Laixi and Lanxi, one of Jiaozhou."""
    return {
        "table": make_product(
            enterprise=world.laixi,
            sku="LX-T1",
            title_zh="实木餐桌",
            title_en="Solid oak dining table",
            hs_code="940360",
            moq=Decimal("20"),
            price_min=Decimal("120.50"),
            price_max=Decimal("150"),
            currency="USD",
            certifications=["FSC"],
            export_markets=["US", "DE"],
        ),
        "chair_draft": make_product(
            enterprise=world.laixi,
            sku="LX-C1",
            title_en="Beech chair",
            hs_code="940161",
            status=ProductStatus.DRAFT,
            moq=Decimal("500"),
        ),
        "denim": make_product(
            enterprise=world.lanxi,
            sku="DN-1",
            title_zh="牛仔布",
            title_en="",
            title_vi="Vải denim",
            hs_code="520942",
            moq=None,
            price_min=None,
            price_max=None,
            currency="",
            certifications=["OEKO-TEX"],
            export_markets=["VN"],
        ),
        "denim_draft": make_product(
            enterprise=world.lanxi,
            sku="DN-2",
            title_en="Stretch denim",
            hs_code="520942",
            status=ProductStatus.DRAFT,
        ),
        "fridge": make_product(
            enterprise=world.jiaozhou,
            sku="JZ-F1",
            title_en="Compact fridge",
            hs_code="841821",
            moq=Decimal("1000"),
            export_markets=["JP"],
        ),
    }


def _skus(body: dict[str, Any]) -> list[str]:
    return sorted(row["sku"] for row in body["results"])


def _fields(body: dict[str, Any]) -> set[str | None]:
    return {e["field"] for e in body["errors"]}


def _post(client: Client, path: str, payload: Any, **kwargs: Any) -> Any:
    return client.post(path, payload, content_type="application/json", **kwargs)


# Reads ---------------------------------------------------------------------------------------


def test_product_list_anonymous_sees_published_products_only(client: Client, products):
    body = client.get("/api/products").json()

    assert body["count"] == 3
    assert _skus(body) == ["DN-1", "JZ-F1", "LX-T1"]


def test_product_list_renders_decimals_as_strings_with_the_currency(client: Client, products):
    table = next(r for r in client.get("/api/products").json()["results"] if r["sku"] == "LX-T1")
    denim = next(r for r in client.get("/api/products").json()["results"] if r["sku"] == "DN-1")

    assert table["moq"] == "20.000"
    assert table["price"] == {"min": "120.5000", "max": "150.0000", "currency": "USD"}
    assert table["unit"] == "pcs"
    assert table["hs_code"] == "940360"
    assert table["hs_description"] != ""
    assert table["languages"] == ["zh", "en"]
    assert table["title"] == "实木餐桌"
    assert table["enterprise"] == {
        "id": products["table"].enterprise_id,
        "name_zh": "莱西木业有限公司",
        "name_en": "Laixi Woodworks",
    }
    assert table["images"] == []
    assert denim["moq"] is None
    assert denim["price"] is None
    assert denim["languages"] == ["zh", "vi"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("laixi_member", ["DN-1", "JZ-F1", "LX-C1", "LX-T1"]),
        ("jiaozhou_member", ["DN-1", "JZ-F1", "LX-T1"]),
        ("buyer", ["DN-1", "JZ-F1", "LX-T1"]),
        ("qingdao_government", ["DN-1", "JZ-F1", "LX-C1", "LX-T1"]),
        ("zhejiang_government", ["DN-1", "DN-2", "JZ-F1", "LX-T1"]),
        ("operator", ["DN-1", "DN-2", "JZ-F1", "LX-C1", "LX-T1"]),
    ],
)
def test_product_list_shows_drafts_only_to_those_allowed(
    client: Client, world: CatalogWorld, products, who: str, expected: list[str]
):
    body = client.get("/api/products", headers=bearer(getattr(world, who))).json()

    assert _skus(body) == expected
    assert body["count"] == len(expected)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"keyword": "oak"}, ["LX-T1"]),
        ({"keyword": "牛仔"}, ["DN-1"]),
        ({"keyword": "jz-f"}, ["JZ-F1"]),
        ({"hs_chapter": "94"}, ["LX-T1"]),
        ({"hs_chapter": "52"}, ["DN-1"]),
        ({"certification": "fsc"}, ["LX-T1"]),
        ({"certification": "OEKO-TEX"}, ["DN-1"]),
        # Only the product's own certifications count, not its enterprise's (ISO 9001).
        ({"certification": "iso 9001"}, []),
        ({"certification": "CE"}, []),
        ({"market": "de"}, ["LX-T1"]),
        ({"market": "VN"}, ["DN-1"]),
        ({"market": "FR"}, []),
        # A product without an MOQ is left out: nothing says it meets the ceiling.
        ({"moq_max": "20"}, ["LX-T1"]),
        ({"moq_max": "19.999"}, []),
        ({"moq_max": "1000"}, ["JZ-F1", "LX-T1"]),
        ({"moq_max": "1e30"}, ["JZ-F1", "LX-T1"]),
        ({"language": "vi"}, ["DN-1"]),
        ({"language": "zh"}, ["DN-1", "LX-T1"]),
        ({"language": "en"}, ["JZ-F1", "LX-T1"]),
        ({"status": "draft"}, []),
        ({"industry": "Denim"}, ["DN-1"]),
        ({"belt": "laixi-furniture"}, ["LX-T1"]),
        ({"region": "3702"}, ["JZ-F1", "LX-T1"]),
        ({"region": "370281"}, ["JZ-F1"]),
        ({"hs_chapter": "94", "market": "US", "moq_max": "100"}, ["LX-T1"]),
    ],
)
def test_product_list_filters_select_matching_rows(
    client: Client, products, params: dict[str, str], expected: list[str]
):
    body = client.get("/api/products", params).json()

    assert _skus(body) == expected
    assert body["count"] == len(expected)


def test_product_list_filters_by_enterprise_and_status(
    client: Client, world: CatalogWorld, products
):
    client.force_login(world.laixi_member)

    body = client.get("/api/products", {"enterprise": world.laixi.pk, "status": "draft"}).json()

    assert _skus(body) == ["LX-C1"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"moq_max": "abc"}, "moq_max"),
        ({"moq_max": "-1"}, "moq_max"),
        ({"moq_max": "NaN"}, "moq_max"),
        ({"region": "999999"}, "region"),
        ({"belt": "nowhere"}, "belt"),
        ({"hs_chapter": "9"}, "hs_chapter"),
        ({"hs_chapter": "77"}, "hs_chapter"),
        ({"language": "fr"}, "language"),
        ({"market": "XX"}, "market"),
        ({"enterprise": "abc"}, "enterprise"),
        ({"sort": "colour"}, "sort"),
        ({"status": "archived"}, "status"),
    ],
)
def test_product_list_bad_parameter_is_422_naming_it(
    client: Client, products, params: dict[str, str], field: str
):
    response = client.get("/api/products", params)

    body = response.json()
    assert response.status_code == 422
    assert body["code"] == "invalid"
    assert body["message"] != ""
    assert _fields(body) == {field}


def test_product_list_paginates(client: Client, world: CatalogWorld):
    for n in range(25):
        make_product(enterprise=world.laixi, sku=f"P{n:02}")

    pages = [client.get("/api/products", {"page_size": 10, "page": p}).json() for p in (1, 2, 3)]
    beyond = client.get("/api/products", {"page_size": 10, "page": 4}).json()

    assert [p["count"] for p in pages] == [25, 25, 25]
    assert [len(p["results"]) for p in pages] == [10, 10, 5]
    assert [p["page"] for p in pages] == [1, 2, 3]
    assert [p["page_size"] for p in pages] == [10, 10, 10]
    assert sorted(r["sku"] for p in pages for r in p["results"]) == [f"P{n:02}" for n in range(25)]
    assert beyond == {"count": 25, "page": 4, "page_size": 10, "results": []}


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("who", [None, "qingdao_government"])
def test_product_list_runs_a_constant_number_of_queries(
    client: Client,
    django_assert_num_queries,
    world: CatalogWorld,
    rows: int,
    who: str | None,
):
    for n in range(rows):
        product = make_product(
            enterprise=world.laixi, certifications=["FSC"], export_markets=["US"], sku=f"Q{n}"
        )
        product.images.create(image=f"products/x/{n}.png", content_type="image/png")
    headers = bearer(getattr(world, who)) if who else {}
    params = {"page_size": 100, "certification": "FSC", "market": "US", "moq_max": "100"}

    # token lookup + last_used_at, memberships, count, page, images; anonymous: the last three
    with django_assert_num_queries(6 if who else 3):
        response = client.get("/api/products", params, headers=headers)

    results = response.json()["results"]
    assert len(results) == rows
    assert all(len(r["images"]) == 1 for r in results)


def test_product_detail_renders_images_with_absolute_urls(client: Client, products):
    image = products["table"].images.create(image="products/1/1/a.png", content_type="image/png")

    body = client.get(f"/api/products/{products['table'].pk}").json()

    assert body["images"] == [
        {
            "id": image.pk,
            "url": "http://testserver/media/products/1/1/a.png",
            "thumbnail_url": "http://testserver/media/products/1/1/a.png",  # none stored yet
            "preview_url": "http://testserver/media/products/1/1/a.png",
            "content_type": "image/png",
            "position": 0,
        }
    ]


@pytest.mark.parametrize("who", [None, "buyer", "jiaozhou_member", "zhejiang_government"])
def test_product_detail_draft_is_404_for_those_who_may_not_see_it(
    client: Client, world: CatalogWorld, products, who: str | None
):
    headers = bearer(getattr(world, who)) if who else {}

    response = client.get(f"/api/products/{products['chair_draft'].pk}", headers=headers)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("who", ["laixi_member", "qingdao_government", "operator"])
def test_product_detail_draft_is_shown_to_those_allowed(
    client: Client, world: CatalogWorld, products, who: str
):
    response = client.get(
        f"/api/products/{products['chair_draft'].pk}", headers=bearer(getattr(world, who))
    )

    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert response.json()["sku"] == "LX-C1"


# Writes --------------------------------------------------------------------------------------


def _new_product(world: CatalogWorld, **extra: Any) -> dict[str, Any]:
    return {
        "enterprise_id": world.laixi.pk,
        "sku": "LX-NEW",
        "title_en": "Walnut sideboard",
        "hs_code": "9403.60",
        "moq": "10",
        "unit": "pcs",
        "price_min": "199.99",
        "price_max": "249.5",
        "currency": "usd",
        "export_markets": ["us"],
        "attributes": {"material": "walnut"},
        **extra,
    }


@pytest.mark.parametrize("who", ["laixi_member", "operator"])
def test_product_create_writes_the_product(client: Client, world: CatalogWorld, who: str):
    response = _post(
        client, "/api/products", _new_product(world), headers=bearer(getattr(world, who))
    )

    assert response.status_code == 201
    product = Product.objects.get(enterprise=world.laixi, sku="LX-NEW")
    assert product.hs_code == "940360"
    assert product.price_min == Decimal("199.99")
    assert product.price_max == Decimal("249.5")
    assert product.currency == "USD"
    assert product.export_markets == ["US"]
    assert product.status == ProductStatus.PUBLISHED
    assert product.languages == "en"
    body = response.json()
    assert body["id"] == product.pk
    assert body["price"] == {"min": "199.9900", "max": "249.5000", "currency": "USD"}
    assert body["moq"] == "10.000"
    assert body["attributes"] == {"material": "walnut"}


def test_product_create_reads_json_numbers_exactly(client: Client, world: CatalogWorld):
    raw = json.dumps(_new_product(world, price_min=None, price_max=None, moq=None))
    raw = raw.replace('"price_min": null', '"price_min": 0.1').replace(
        '"price_max": null', '"price_max": 12345678.1234'
    )

    response = client.post(
        "/api/products", raw, content_type="application/json", headers=bearer(world.laixi_member)
    )

    assert response.status_code == 201
    product = Product.objects.get(sku="LX-NEW")
    assert product.price_min == Decimal("0.1")
    assert product.price_max == Decimal("12345678.1234")
    assert response.json()["price"]["max"] == "12345678.1234"


def test_product_create_as_draft_is_hidden_from_the_public(client: Client, world: CatalogWorld):
    response = _post(
        client,
        "/api/products",
        _new_product(world, status="draft"),
        headers=bearer(world.laixi_member),
    )

    assert response.json()["status"] == "draft"
    assert client.get(f"/api/products/{response.json()['id']}").status_code == 404


@pytest.mark.parametrize("who", ["jiaozhou_member", "buyer", "qingdao_government"])
def test_product_create_refused_for_others(client: Client, world: CatalogWorld, who: str):
    response = _post(
        client, "/api/products", _new_product(world), headers=bearer(getattr(world, who))
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert response.json()["message"] != ""
    assert not Product.objects.filter(sku="LX-NEW").exists()


def test_product_create_anonymous_is_401(client: Client, world: CatalogWorld):
    response = _post(client, "/api/products", _new_product(world))

    assert response.status_code == 401
    assert response.json() == {
        "code": "unauthenticated",
        "message": response.json()["message"],
        "errors": [],
    }
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"hs_code": "123456"}, {"hs_code"}),
        ({"hs_code": "94"}, {"hs_code"}),
        ({"title_en": ""}, {"title"}),
        ({"currency": "ABC"}, {"currency"}),
        ({"currency": ""}, {"currency"}),
        ({"price_max": "1"}, {"price_max"}),
        ({"moq": "abc"}, {"moq"}),
        ({"moq": "-5"}, {"moq"}),
        ({"export_markets": ["XX"]}, {"export_markets"}),
        ({"status": "archived"}, {"status"}),
        ({"colour": "red"}, {"colour"}),
        ({"attributes": {"size": 3}}, {"attributes.size"}),
        ({"sku": None}, {"sku"}),
        ({"sku": "x" * 65}, {"sku"}),
        ({"enterprise_id": 999999}, {"enterprise_id"}),
        (
            {"hs_code": "123456", "currency": "ABC", "title_en": ""},
            {"hs_code", "currency", "title"},
        ),
    ],
)
def test_product_create_invalid_input_is_422_naming_fields(
    client: Client, world: CatalogWorld, change: dict[str, Any], fields: set[str]
):
    response = _post(
        client, "/api/products", _new_product(world, **change), headers=bearer(world.laixi_member)
    )

    body = response.json()
    assert response.status_code == 422
    assert body["code"] == "invalid"
    assert _fields(body) == fields
    assert all(e["message"] for e in body["errors"])
    assert not Product.objects.exists()


@pytest.mark.parametrize("missing", ["sku", "hs_code", "enterprise_id"])
def test_product_create_missing_required_field_is_422_naming_it(
    client: Client, world: CatalogWorld, missing: str
):
    payload = _new_product(world)
    del payload[missing]

    response = _post(client, "/api/products", payload, headers=bearer(world.laixi_member))

    assert response.status_code == 422
    assert _fields(response.json()) == {missing}


def test_product_create_duplicate_sku_is_422_naming_sku(
    client: Client, world: CatalogWorld, products
):
    response = _post(
        client,
        "/api/products",
        _new_product(world, sku="LX-T1"),
        headers=bearer(world.laixi_member),
    )

    assert response.status_code == 422
    assert _fields(response.json()) == {"sku"}
    assert Product.objects.filter(sku="LX-T1").count() == 1


def test_product_create_body_that_is_not_json_is_400(client: Client, world: CatalogWorld):
    response = client.post(
        "/api/products",
        "{not json",
        content_type="application/json",
        headers=bearer(world.operator),
    )

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


@pytest.mark.parametrize("who", ["laixi_member", "operator"])
def test_product_update_changes_only_sent_fields(
    client: Client, world: CatalogWorld, products, who: str
):
    table = products["table"]

    response = client.patch(
        f"/api/products/{table.pk}",
        {"price_max": "175.25", "status": "draft"},
        content_type="application/json",
        headers=bearer(getattr(world, who)),
    )

    assert response.status_code == 200
    table.refresh_from_db()
    assert table.price_max == Decimal("175.25")
    assert table.price_min == Decimal("120.50")
    assert table.status == ProductStatus.DRAFT
    assert table.title_en == "Solid oak dining table"
    assert response.json()["price"] == {"min": "120.5000", "max": "175.2500", "currency": "USD"}


@pytest.mark.parametrize("who", ["jiaozhou_member", "buyer", "qingdao_government"])
def test_product_update_refused_for_others(client: Client, world: CatalogWorld, products, who: str):
    table = products["table"]

    response = client.patch(
        f"/api/products/{table.pk}",
        {"title_en": "Hijacked"},
        content_type="application/json",
        headers=bearer(getattr(world, who)),
    )

    assert response.status_code == 403
    table.refresh_from_db()
    assert table.title_en == "Solid oak dining table"


def test_product_update_of_a_draft_one_may_not_see_is_404(
    client: Client, world: CatalogWorld, products
):
    response = client.patch(
        f"/api/products/{products['chair_draft'].pk}",
        {"title_en": "Hijacked"},
        content_type="application/json",
        headers=bearer(world.jiaozhou_member),
    )

    assert response.status_code == 404
    products["chair_draft"].refresh_from_db()
    assert products["chair_draft"].title_en == "Beech chair"


def test_product_update_anonymous_is_401(client: Client, products):
    response = client.patch(
        f"/api/products/{products['table'].pk}", {"title_en": "x"}, content_type="application/json"
    )

    assert response.status_code == 401
    products["table"].refresh_from_db()
    assert products["table"].title_en == "Solid oak dining table"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"hs_code": "12"}, "hs_code"),
        ({"sku": "LX-C1"}, "sku"),
        ({"title_zh": "", "title_en": ""}, "title"),
        ({"enterprise_id": 1}, "enterprise_id"),
        ({"moq": None, "price_min": None, "price_max": None, "currency": "EURO"}, "currency"),
    ],
)
def test_product_update_invalid_input_is_422_naming_field(
    client: Client, world: CatalogWorld, products, payload: dict[str, Any], field: str
):
    table = products["table"]

    response = client.patch(
        f"/api/products/{table.pk}",
        payload,
        content_type="application/json",
        headers=bearer(world.laixi_member),
    )

    assert response.status_code == 422
    assert _fields(response.json()) == {field}
    table.refresh_from_db()
    assert (table.sku, table.hs_code, table.currency) == ("LX-T1", "940360", "USD")


def test_product_delete_by_member_removes_it(client: Client, world: CatalogWorld, products):
    response = client.delete(
        f"/api/products/{products['table'].pk}", headers=bearer(world.laixi_member)
    )

    assert response.status_code == 204
    assert not Product.objects.filter(pk=products["table"].pk).exists()
    assert Product.objects.count() == 4


@pytest.mark.parametrize("who", ["jiaozhou_member", "buyer", "qingdao_government"])
def test_product_delete_refused_for_others(client: Client, world: CatalogWorld, products, who):
    response = client.delete(
        f"/api/products/{products['table'].pk}", headers=bearer(getattr(world, who))
    )

    assert response.status_code == 403
    assert Product.objects.filter(pk=products["table"].pk).exists()


def test_product_delete_anonymous_is_401(client: Client, products):
    response = client.delete(f"/api/products/{products['table'].pk}")

    assert response.status_code == 401
    assert Product.objects.count() == 5


# Authentication and CSRF ---------------------------------------------------------------------


def test_session_write_without_csrf_token_is_refused(world: CatalogWorld):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.laixi_member)

    response = _post(client, "/api/products", _new_product(world))

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not Product.objects.exists()


def test_session_write_with_csrf_token_is_accepted(world: CatalogWorld):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.laixi_member)
    client.cookies["csrftoken"] = CSRF_SECRET

    response = _post(
        client, "/api/products", _new_product(world), headers={"X-CSRFToken": CSRF_SECRET}
    )

    assert response.status_code == 201
    assert Product.objects.filter(sku="LX-NEW").count() == 1


def test_session_read_needs_no_csrf_token(world: CatalogWorld, products):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.laixi_member)

    response = client.get(f"/api/products/{products['chair_draft'].pk}")

    assert response.json()["sku"] == "LX-C1"


def test_token_write_needs_no_csrf_token(world: CatalogWorld):
    client = Client(enforce_csrf_checks=True)

    response = _post(
        client, "/api/products", _new_product(world), headers=bearer(world.laixi_member)
    )

    assert response.status_code == 201
    assert Product.objects.filter(sku="LX-NEW").count() == 1


def test_anonymous_write_is_401_not_a_csrf_failure(world: CatalogWorld):
    client = Client(enforce_csrf_checks=True)

    response = _post(client, "/api/products", _new_product(world))

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_wrong_bearer_token_on_a_public_read_is_401(client: Client, products):
    response = client.get("/api/products", headers={"Authorization": "Bearer dct_wrong"})

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_token_of_an_inactive_user_is_refused(client: Client, world: CatalogWorld):
    raw = issue_api_token(user=world.laixi_member, name="old")
    world.laixi_member.is_active = False
    world.laixi_member.save()

    response = _post(
        client, "/api/products", _new_product(world), headers={"Authorization": f"Bearer {raw}"}
    )

    assert response.status_code == 401
    assert not Product.objects.exists()


# The OpenAPI document ------------------------------------------------------------------------


def test_openapi_document_lists_the_catalog_and_account_paths(client: Client):
    response = client.get("/api/openapi.json")

    document = response.json()
    assert response.status_code == 200
    assert document["info"]["title"] == "dualcirc API"
    paths = document["paths"]
    for path, methods in {
        "/api/enterprises": {"get", "post"},
        "/api/enterprises/{enterprise_id}": {"get", "patch", "delete"},
        "/api/products": {"get", "post"},
        "/api/products/{product_id}": {"get", "patch", "delete"},
        "/api/me": {"get"},
        "/api/tokens": {"get", "post"},
        "/api/tokens/{token_id}": {"delete"},
    }.items():
        assert methods <= set(paths[path]), path
    moq = document["components"]["schemas"]["ProductOut"]["properties"]["moq"]
    assert {"type": "string", "format": "decimal", "examples": ["120.0000"]} in moq["anyOf"]
    assert set(document["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}


def test_docs_page_loads(client: Client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"/api/openapi.json" in response.content
    # Swagger UI comes from the project's static files: the page works offline.
    assert b"/static/ninja/swagger-ui-bundle.js" in response.content
    assert b"cdn.jsdelivr.net" not in response.content


def test_constraint_violation_from_a_concurrent_write_is_409(rf):
    response = api.on_exception(rf.post("/api/products"), IntegrityError("unique_sku"))

    assert response.status_code == 409
    assert json.loads(response.content)["code"] == "conflict"


def test_product_update_without_a_body_is_422(client: Client, world: CatalogWorld, products):
    response = client.patch(
        f"/api/products/{products['table'].pk}",
        headers={"Accept-Language": "en", **bearer(world.laixi_member)},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": None, "message": "The request needs a JSON object as its body."}
    ]
