"""The catalog import page (/<lang>/import/): form, report, errors, permissions."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dualcirc.catalog.models import Product
from dualcirc.core.enums import Role
from tests.factories import make_enterprise
from tests.factories.api import make_buyer, make_operator
from tests.factories.catalog_import import catalog_row, make_enterprise_admin, write_csv

pytestmark = pytest.mark.django_db

URL = "/en/import/"


def upload(tmp_path, rows, name="catalog.csv") -> SimpleUploadedFile:
    path = write_csv(tmp_path / name, rows)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def test_import_page_shows_the_form_to_an_enterprise_admin(client: Client):
    client.force_login(make_enterprise_admin())

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html and 'name="partial"' in html
    assert 'enctype="multipart/form-data"' in html
    assert '<button type="submit" class="button primary">Import</button>' in html


def test_import_page_post_imports_and_shows_the_counts(client: Client, tmp_path):
    enterprise = make_enterprise(name_zh="莱西好工匠家具有限公司")
    client.force_login(make_enterprise_admin(enterprise=enterprise))
    rows = [catalog_row(sku="A1"), catalog_row(sku="A2", title_en="Oak chair", hs_code="940161")]

    response = client.post(URL, {"file": upload(tmp_path, rows)})

    assert response.status_code == 200
    assert sorted(enterprise.products.values_list("sku", flat=True)) == ["A1", "A2"]
    report = response.context["report"]
    assert (report.rows, report.created, report.written) == (2, 2, True)
    assert '<td class="created">2</td>' in response.content.decode()


def test_import_page_errors_table_and_nothing_written(client: Client, tmp_path):
    enterprise = make_enterprise(name_zh="莱西好工匠家具有限公司")
    client.force_login(make_enterprise_admin(enterprise=enterprise))
    rows = [catalog_row(sku="A1"), catalog_row(sku="A2", currency="XYZ")]

    response = client.post(URL, {"file": upload(tmp_path, rows)})

    assert response.status_code == 422
    assert Product.objects.count() == 0
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "<tr><td>3</td><td>currency</td><td>&#x27;XYZ&#x27; is not an ISO 4217" in html


def test_import_page_partial_checkbox_imports_the_valid_rows(client: Client, tmp_path):
    enterprise = make_enterprise(name_zh="莱西好工匠家具有限公司")
    client.force_login(make_enterprise_admin(enterprise=enterprise))
    rows = [catalog_row(sku="A1"), catalog_row(sku="A2", currency="XYZ")]

    response = client.post(URL, {"file": upload(tmp_path, rows), "partial": "on"})

    assert response.status_code == 200
    assert list(Product.objects.values_list("sku", flat=True)) == ["A1"]
    assert response.context["report"].invalid_rows == 1
    assert "<tr><td>3</td><td>currency</td>" in response.content.decode()


def test_import_page_unreadable_file_is_shown_as_an_error(client: Client):
    client.force_login(make_operator())
    bad = SimpleUploadedFile("x.csv", b"\x00\x01\x02 binary", content_type="text/csv")

    response = client.post(URL, {"file": bad})

    assert response.status_code == 422
    assert "This is not a CSV or XLSX file." in response.content.decode()


def test_import_page_admin_of_two_enterprises_chooses_one(client: Client, tmp_path):
    first, second = make_enterprise(), make_enterprise()
    admin = make_enterprise_admin(enterprise=first)
    second.organisation.memberships.create(user=admin, role=Role.ADMIN)
    client.force_login(admin)
    rows = [{"sku": "A1", "title_en": "Oak table", "hs_code": "940360"}]

    response = client.post(URL, {"file": upload(tmp_path, rows), "enterprise": second.pk})

    assert response.status_code == 200
    assert list(second.products.values_list("sku", flat=True)) == ["A1"]


def test_import_page_anonymous_is_sent_to_sign_in(client: Client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["member", "buyer"])
def test_import_page_refused_to_members_and_buyers(client: Client, tmp_path, who):
    user = make_enterprise_admin(role=Role.MEMBER) if who == "member" else make_buyer()
    client.force_login(user)

    get = client.get(URL)
    post = client.post(URL, {"file": upload(tmp_path, [catalog_row()])})

    assert (get.status_code, post.status_code) == (403, 403)
    assert Product.objects.count() == 0
