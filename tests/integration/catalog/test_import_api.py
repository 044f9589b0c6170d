"""POST /api/catalog/imports: multipart upload, report, 422 errors, permissions."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dualcirc.catalog.models import Product
from dualcirc.core.enums import Role
from tests.factories import make_enterprise
from tests.factories.api import bearer, make_buyer, make_operator
from tests.factories.catalog_import import catalog_row, make_enterprise_admin, write_csv

pytestmark = pytest.mark.django_db

URL = "/api/catalog/imports"


def upload(tmp_path, rows) -> SimpleUploadedFile:
    path = write_csv(tmp_path / "catalog.csv", rows)
    return SimpleUploadedFile("catalog.csv", path.read_bytes(), content_type="text/csv")


def test_import_api_creates_products_and_returns_the_report(client: Client, tmp_path):
    rows = [catalog_row(sku="A1"), catalog_row(sku="A2", title_en="Oak chair", hs_code="940161")]

    response = client.post(URL, {"file": upload(tmp_path, rows)}, headers=bearer(make_operator()))

    assert response.status_code == 200
    assert response.json() == {
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "enterprises_created": 1,
        "enterprises_updated": 0,
        "invalid_rows": 0,
        "written": True,
        "warnings": [],
        "errors": [],
        "errors_omitted": 0,
        "held_rows": 0,
        "held": [],
        "held_job_id": None,
    }
    assert sorted(Product.objects.values_list("sku", flat=True)) == ["A1", "A2"]


def test_import_api_invalid_rows_are_422_with_row_field_message(client: Client, tmp_path):
    rows = [catalog_row(sku="A1"), catalog_row(sku="A2", price_min="9", price_max="1")]

    response = client.post(
        URL,
        {"file": upload(tmp_path, rows)},
        headers={**bearer(make_operator()), "Accept-Language": "en"},
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"] == [
        {"row": 3, "field": "price_max", "message": "The highest price is below the lowest price."}
    ]
    assert Product.objects.count() == 0


def test_import_api_partial_imports_the_valid_rows(client: Client, tmp_path):
    rows = [catalog_row(sku="A1"), catalog_row(sku="A2", hs_code="0000")]

    response = client.post(
        URL, {"file": upload(tmp_path, rows), "partial": "true"}, headers=bearer(make_operator())
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["invalid_rows"], body["written"]) == (1, 1, True)
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(3, "hs_code")]
    assert list(Product.objects.values_list("sku", flat=True)) == ["A1"]


def test_import_api_enterprise_id_targets_that_enterprise(client: Client, tmp_path):
    enterprise = make_enterprise()
    admin = make_enterprise_admin(enterprise=enterprise)
    rows = [{"sku": "A1", "title_en": "Oak table", "hs_code": "940360"}]

    response = client.post(
        URL,
        {"file": upload(tmp_path, rows), "enterprise_id": str(enterprise.pk)},
        headers=bearer(admin),
    )

    assert response.status_code == 200
    assert list(enterprise.products.values_list("sku", flat=True)) == ["A1"]


def test_import_api_admin_of_another_enterprise_is_403(client: Client, tmp_path):
    admin = make_enterprise_admin()
    other = make_enterprise()

    response = client.post(
        URL,
        {"file": upload(tmp_path, [catalog_row()]), "enterprise_id": str(other.pk)},
        headers=bearer(admin),
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert Product.objects.count() == 0


@pytest.mark.parametrize("who", ["member", "buyer"])
def test_import_api_refuses_members_and_buyers(client: Client, tmp_path, who):
    user = make_enterprise_admin(role=Role.MEMBER) if who == "member" else make_buyer()

    response = client.post(URL, {"file": upload(tmp_path, [catalog_row()])}, headers=bearer(user))

    assert response.status_code == 403
    assert Product.objects.count() == 0


def test_import_api_anonymous_is_401(client: Client, tmp_path):
    response = client.post(URL, {"file": upload(tmp_path, [catalog_row()])})

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert Product.objects.count() == 0


def test_import_api_session_auth_works_too(client: Client, tmp_path):
    client.force_login(make_operator())

    response = client.post(URL, {"file": upload(tmp_path, [catalog_row()])})

    assert response.status_code == 200
    assert response.json()["created"] == 1
