"""The enterprise endpoints of the JSON API: /api/enterprises…"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dualcirc.catalog.domain import add_product_image
from dualcirc.catalog.models import Enterprise, Product, ProductImage
from dualcirc.core.enums import OrganisationKind
from dualcirc.core.models import Membership, Organisation
from tests.factories import make_enterprise, make_product, valid_credit_code
from tests.factories.api import CatalogWorld, bearer
from tests.factories.files import png_bytes

pytestmark = pytest.mark.django_db

PNG = png_bytes()


@pytest.fixture
def world() -> CatalogWorld:
    return CatalogWorld()


def _names(body: dict[str, Any]) -> list[str]:
    return [row["name_en"] for row in body["results"]]


def _fields(body: dict[str, Any]) -> set[str | None]:
    return {e["field"] for e in body["errors"]}


# Reads ---------------------------------------------------------------------------------------


def test_enterprise_list_anonymous_sees_public_fields_only(client: Client, world: CatalogWorld):
    response = client.get("/api/enterprises")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 3
    assert body["page"] == 1
    assert body["page_size"] == 20
    assert sorted(_names(body)) == ["Jiaozhou Appliances", "Laixi Woodworks", "Lanxi Denim"]
    laixi = next(r for r in body["results"] if r["id"] == world.laixi.pk)
    assert laixi["private"] is None
    assert laixi["region"] == {
        "code": "370285",
        "name_zh": "莱西市",
        "name_en": "Laixi",
        "level": "county",
    }
    assert laixi["belt"] == {
        "slug": "laixi-furniture",
        "name_zh": "莱西家具",
        "name_en": "Laixi furniture",
        "industry": "furniture",
    }
    assert laixi["certifications"] == ["ISO 9001"]
    assert "credit_code" not in laixi
    assert "employees" not in laixi


def test_enterprise_list_region_filter_includes_sub_regions(client: Client, world: CatalogWorld):
    city = client.get("/api/enterprises", {"region": "3702"}).json()
    county = client.get("/api/enterprises", {"region": "370285"}).json()
    province = client.get("/api/enterprises", {"region": "33"}).json()

    assert sorted(_names(city)) == ["Jiaozhou Appliances", "Laixi Woodworks"]
    assert _names(county) == ["Laixi Woodworks"]
    assert _names(province) == ["Lanxi Denim"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"belt": "laixi-furniture"}, ["Laixi Woodworks"]),
        ({"industry": "denim"}, ["Lanxi Denim"]),
        ({"industry": "DENIM"}, ["Lanxi Denim"]),
        ({"q": "appliances"}, ["Jiaozhou Appliances"]),
        ({"q": "兰溪"}, ["Lanxi Denim"]),
        ({"q": "woodworks"}, ["Laixi Woodworks"]),
        ({"q": "nothing like this"}, []),
        ({"region": "3702", "industry": "appliances"}, ["Jiaozhou Appliances"]),
    ],
)
def test_enterprise_list_filters_select_matching_rows(
    client: Client, world: CatalogWorld, params: dict[str, str], expected: list[str]
):
    body = client.get("/api/enterprises", params).json()

    assert _names(body) == expected
    assert body["count"] == len(expected)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"region": "999999"}, "region"),
        ({"belt": "nowhere"}, "belt"),
        ({"page": "0"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"page": "abc"}, "page"),
    ],
)
def test_enterprise_list_bad_parameter_is_422_naming_it(
    client: Client, world: CatalogWorld, params: dict[str, str], field: str
):
    response = client.get("/api/enterprises", params)

    body = response.json()
    assert response.status_code == 422
    assert body["code"] == "invalid"
    assert _fields(body) == {field}


def test_enterprise_list_paginates(client: Client, world: CatalogWorld):
    first = client.get("/api/enterprises", {"page_size": 2}).json()
    second = client.get("/api/enterprises", {"page_size": 2, "page": 2}).json()
    beyond = client.get("/api/enterprises", {"page_size": 2, "page": 3}).json()

    assert (first["count"], len(first["results"])) == (3, 2)
    assert (second["count"], second["page"], len(second["results"])) == (3, 2, 1)
    assert beyond["results"] == []
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert sorted(ids) == sorted([world.laixi.pk, world.jiaozhou.pk, world.lanxi.pk])


def test_enterprise_detail_shows_private_fields_to_its_member(client: Client, world: CatalogWorld):
    response = client.get(f"/api/enterprises/{world.laixi.pk}", headers=bearer(world.laixi_member))

    assert response.status_code == 200
    assert response.json()["private"] == {
        "credit_code": world.laixi.credit_code,
        "contacts": [{"name": "王伟", "title": "经理", "phone": "13800000000", "email": ""}],
        "employees": 120,
        "export_share": "35.50",
    }


@pytest.mark.parametrize("who", ["qingdao_government", "operator", "laixi_member"])
def test_enterprise_detail_private_fields_visible_to(client: Client, world: CatalogWorld, who):
    client.force_login(getattr(world, who))

    body = client.get(f"/api/enterprises/{world.laixi.pk}").json()

    assert body["private"]["employees"] == 120
    assert body["private"]["credit_code"] == world.laixi.credit_code


@pytest.mark.parametrize("who", ["zhejiang_government", "jiaozhou_member", "buyer", None])
def test_enterprise_detail_private_fields_hidden_from(client: Client, world: CatalogWorld, who):
    if who:
        client.force_login(getattr(world, who))

    body = client.get(f"/api/enterprises/{world.laixi.pk}").json()

    assert body["name_en"] == "Laixi Woodworks"
    assert body["private"] is None


def test_enterprise_list_private_fields_follow_the_government_region(
    client: Client, world: CatalogWorld
):
    body = client.get("/api/enterprises", headers=bearer(world.qingdao_government)).json()

    private = {r["name_en"]: r["private"] is not None for r in body["results"]}
    assert private == {
        "Laixi Woodworks": True,
        "Jiaozhou Appliances": True,
        "Lanxi Denim": False,
    }


def test_enterprise_detail_unknown_id_is_structured_404(client: Client, world: CatalogWorld):
    response = client.get("/api/enterprises/999999")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["errors"] == []


@pytest.mark.parametrize("rows", [3, 30])
def test_enterprise_list_runs_a_constant_number_of_queries(
    client: Client, django_assert_num_queries, world: CatalogWorld, rows: int
):
    for _ in range(rows - 3):
        make_enterprise(region=world.regions["laixi"], belt=world.belt)
    headers = bearer(world.qingdao_government)

    # token lookup + last_used_at, memberships, region, count, page
    with django_assert_num_queries(6):
        response = client.get(
            "/api/enterprises", {"region": "37", "page_size": 100}, headers=headers
        )

    assert len(response.json()["results"]) == rows - 1


# Writes --------------------------------------------------------------------------------------


def test_enterprise_create_by_operator_writes_organisation_and_profile(
    client: Client, world: CatalogWorld
):
    code = valid_credit_code(90001)

    response = client.post(
        "/api/enterprises",
        {
            "name_zh": "莱西新家具厂",
            "name_en": "Laixi New Furniture",
            "region": "370285",
            "belt": "laixi-furniture",
            "credit_code": code.lower(),
            "export_markets": ["us", "jp"],
            "export_share": "12.5",
            "contacts": [{"name": "李娜", "phone": "0532-1"}],
        },
        content_type="application/json",
        headers=bearer(world.operator),
    )

    assert response.status_code == 201
    body = response.json()
    enterprise = Enterprise.objects.select_related("organisation").get(pk=body["id"])
    assert enterprise.organisation.kind == OrganisationKind.ENTERPRISE
    assert enterprise.organisation.name == "莱西新家具厂"
    assert enterprise.organisation.region == world.regions["laixi"]
    assert enterprise.credit_code == code
    assert enterprise.export_markets == ["US", "JP"]
    assert enterprise.export_share == Decimal("12.5")
    assert enterprise.belt == world.belt
    assert body["region"]["code"] == "370285"
    assert body["private"]["export_share"] == "12.50"
    assert body["private"]["contacts"] == [
        {"name": "李娜", "title": "", "phone": "0532-1", "email": ""}
    ]


@pytest.mark.parametrize("who", ["laixi_member", "buyer", "qingdao_government"])
def test_enterprise_create_refused_for_non_operators(client: Client, world: CatalogWorld, who):
    response = client.post(
        "/api/enterprises",
        {"name_zh": "新厂", "region": "370285"},
        content_type="application/json",
        headers=bearer(getattr(world, who)),
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert Enterprise.objects.count() == 3
    assert Organisation.objects.filter(name="新厂").count() == 0


def test_enterprise_create_anonymous_is_401(client: Client, world: CatalogWorld):
    response = client.post(
        "/api/enterprises", {"name_zh": "新厂", "region": "370285"}, content_type="application/json"
    )

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert Enterprise.objects.count() == 3


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"region": "370285"}, {"name"}),
        ({"name_zh": "新厂", "region": "000000"}, {"region"}),
        ({"name_zh": "新厂"}, {"region"}),
        (
            {"name_zh": "新厂", "region": "370285", "credit_code": "91370285ABCDEFGHIJ"},
            {"credit_code"},
        ),
        ({"name_zh": "新厂", "region": "370285", "export_markets": ["XX"]}, {"export_markets"}),
        ({"name_zh": "新厂", "region": "370285", "export_share": "120"}, {"export_share"}),
        ({"name_zh": "新厂", "region": "370285", "year_founded": 1500}, {"year_founded"}),
        ({"name_zh": "新厂", "region": "370285", "belt": "nowhere"}, {"belt"}),
        ({"name_zh": "新厂", "region": "370285", "headcount": 5}, {"headcount"}),
        ({"name_zh": "新厂", "region": "370285", "employees": "many"}, {"employees"}),
    ],
)
def test_enterprise_create_invalid_input_is_422_naming_fields(
    client: Client, world: CatalogWorld, payload: dict[str, Any], fields: set[str]
):
    response = client.post(
        "/api/enterprises", payload, content_type="application/json", headers=bearer(world.operator)
    )

    assert response.status_code == 422
    assert _fields(response.json()) == fields
    assert Enterprise.objects.count() == 3
    assert Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).count() == 3


def test_enterprise_create_duplicate_credit_code_is_422_naming_it(
    client: Client, world: CatalogWorld
):
    response = client.post(
        "/api/enterprises",
        {"name_zh": "新厂", "region": "370285", "credit_code": world.laixi.credit_code},
        content_type="application/json",
        headers=bearer(world.operator),
    )

    assert response.status_code == 422
    assert _fields(response.json()) == {"credit_code"}
    assert Enterprise.objects.count() == 3


@pytest.mark.parametrize("who", ["laixi_member", "operator"])
def test_enterprise_update_changes_only_sent_fields(client: Client, world: CatalogWorld, who):
    response = client.patch(
        f"/api/enterprises/{world.laixi.pk}",
        {"employees": 150, "export_share": "40.25", "certifications": ["ISO 9001", "FSC"]},
        content_type="application/json",
        headers=bearer(getattr(world, who)),
    )

    assert response.status_code == 200
    world.laixi.refresh_from_db()
    assert world.laixi.employees == 150
    assert world.laixi.export_share == Decimal("40.25")
    assert world.laixi.certifications == ["ISO 9001", "FSC"]
    assert world.laixi.name_en == "Laixi Woodworks"
    assert world.laixi.belt == world.belt
    assert response.json()["private"]["export_share"] == "40.25"


def test_enterprise_update_belt_can_be_cleared(client: Client, world: CatalogWorld):
    response = client.patch(
        f"/api/enterprises/{world.laixi.pk}",
        {"belt": None},
        content_type="application/json",
        headers=bearer(world.laixi_member),
    )

    assert response.json()["belt"] is None
    world.laixi.refresh_from_db()
    assert world.laixi.belt is None


@pytest.mark.parametrize("who", ["jiaozhou_member", "buyer", "qingdao_government"])
def test_enterprise_update_refused(client: Client, world: CatalogWorld, who):
    response = client.patch(
        f"/api/enterprises/{world.laixi.pk}",
        {"employees": 1},
        content_type="application/json",
        headers=bearer(getattr(world, who)),
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    world.laixi.refresh_from_db()
    assert world.laixi.employees == 120


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"region": "370281"}, "region"),
        ({"credit_code": "123"}, "credit_code"),
        ({"export_markets": "US"}, "export_markets"),
        ({"contacts": [{"name": "x", "fax": "1"}]}, "contacts.0.fax"),
    ],
)
def test_enterprise_update_invalid_input_is_422_naming_field(
    client: Client, world: CatalogWorld, payload: dict[str, Any], field: str
):
    response = client.patch(
        f"/api/enterprises/{world.laixi.pk}",
        payload,
        content_type="application/json",
        headers=bearer(world.laixi_member),
    )

    assert response.status_code == 422
    assert _fields(response.json()) == {field}
    world.laixi.refresh_from_db()
    assert world.laixi.region == world.regions["laixi"]
    assert world.laixi.export_markets == ["US", "DE"]


def test_enterprise_delete_by_operator_removes_everything_it_owns(
    client: Client, world: CatalogWorld, django_capture_on_commit_callbacks, settings
):
    product = make_product(enterprise=world.laixi)
    image = add_product_image(
        actor=world.operator,
        product=product,
        upload=SimpleUploadedFile("t.png", PNG, content_type="image/png"),
    )
    image_file = Path(settings.MEDIA_ROOT) / image.image.name
    assert image_file.exists()
    organisation_id = world.laixi.organisation_id

    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(
            f"/api/enterprises/{world.laixi.pk}", headers=bearer(world.operator)
        )

    assert response.status_code == 204
    assert response.content == b""
    assert not Enterprise.objects.filter(pk=world.laixi.pk).exists()
    assert not Organisation.objects.filter(pk=organisation_id).exists()
    assert not Product.objects.filter(pk=product.pk).exists()
    assert not ProductImage.objects.exists()
    assert not Membership.objects.filter(organisation_id=organisation_id).exists()
    assert not image_file.exists()
    world.laixi_member.refresh_from_db()  # the people stay


@pytest.mark.parametrize("who", ["laixi_member", "qingdao_government", "buyer"])
def test_enterprise_delete_refused_for_non_operators(client: Client, world: CatalogWorld, who):
    response = client.delete(
        f"/api/enterprises/{world.laixi.pk}", headers=bearer(getattr(world, who))
    )

    assert response.status_code == 403
    assert Enterprise.objects.filter(pk=world.laixi.pk).exists()


def test_enterprise_delete_anonymous_is_401(client: Client, world: CatalogWorld):
    response = client.delete(f"/api/enterprises/{world.laixi.pk}")

    assert response.status_code == 401
    assert Enterprise.objects.filter(pk=world.laixi.pk).exists()


def test_enterprise_delete_unknown_is_404(client: Client, world: CatalogWorld):
    response = client.delete("/api/enterprises/999999", headers=bearer(world.operator))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Enterprise.objects.count() == 3
