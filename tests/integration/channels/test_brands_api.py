"""The own-brand API: brands, letters and the move from OEM to a brand, with the same rules and
access as the pages (another enterprise's brand → 404)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dualcirc.channels.models import BrandingChange, DomesticListing, ProductBranding
from tests.factories import make_enterprise, make_product, make_region_tree
from tests.factories.api import bearer, make_enterprise_user
from tests.factories.brands import PDF, make_authorisation, make_brand

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    regions = make_region_tree()
    owner = make_enterprise(region=regions["laixi"])
    other = make_enterprise(region=regions["lanxi"])
    return {
        "owner": owner,
        "member": make_enterprise_user(enterprise=owner),
        "other": other,
        "other_member": make_enterprise_user(enterprise=other),
    }


BRAND = {
    "name": "莱木",
    "trademark_number": "51234567",
    "nice_classes": [20],
    "owner": "青岛莱木家具有限公司",
    "status": "registered",
    "registered_on": "2021-03-14",
    "expires_on": "2031-03-13",
}


def test_brand_is_created_read_and_hidden_from_other_enterprises(client, world):
    url = f"/api/enterprises/{world['owner'].pk}/brands"

    created = client.post(
        url, BRAND, content_type="application/json", headers=bearer(world["member"])
    )
    brand_id = created.json()["id"]
    mine = client.get(f"/api/brands/{brand_id}", headers=bearer(world["member"]))
    theirs = client.get(f"/api/brands/{brand_id}", headers=bearer(world["other_member"]))
    their_list = client.get(url, headers=bearer(world["other_member"]))

    assert created.status_code == 201
    assert mine.json()["trademark_number"] == "51234567"
    assert mine.json()["nice_classes"] == [20]
    assert theirs.status_code == 404
    assert their_list.status_code == 403


def test_bad_trademark_number_is_a_422_naming_the_field(client, world):
    response = client.post(
        f"/api/enterprises/{world['owner'].pk}/brands",
        {**BRAND, "trademark_number": "R-1"},
        content_type="application/json",
        headers=bearer(world["member"]),
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["trademark_number"]


def test_letter_is_uploaded_with_its_channels_and_listed_for_the_distributor(client, world):
    brand = make_brand(actor=world["member"], enterprise=world["owner"])

    created = client.post(
        f"/api/brands/{brand.pk}/authorisations",
        {
            "distributor_id": world["other"].pk,
            "channels": ["jd", "tmall"],
            "valid_from": "2026-01-01",
            "valid_until": "2027-12-31",
            "document": SimpleUploadedFile("letter.pdf", PDF, "application/pdf"),
        },
        headers=bearer(world["member"]),
    )
    held = client.get(
        f"/api/enterprises/{world['other'].pk}/brand-authorisations",
        headers=bearer(world["other_member"]),
    )

    assert created.status_code == 201, created.content
    assert created.json()["channels"] == ["jd", "tmall"]
    assert [(a["brand"], a["channels"]) for a in held.json()] == [("莱木", ["jd", "tmall"])]


def test_branding_moves_products_and_refuses_other_enterprises_products_and_brands(client, world):
    brand = make_brand(actor=world["member"], enterprise=world["owner"])
    foreign = make_brand(actor=world["other_member"], enterprise=world["other"], name="兰牛")
    bed = make_product(enterprise=world["owner"], sku="B-1")
    theirs = make_product(enterprise=world["other"], sku="T-1")
    url = f"/api/enterprises/{world['owner'].pk}/branding"
    auth = bearer(world["member"])

    oem = client.post(url, {"product_ids": [bed.pk], "oem_customer": "IKEA"},
                      content_type="application/json", headers=auth)  # fmt: skip
    moved = client.post(url, {"product_ids": [bed.pk], "brand_id": brand.pk},
                        content_type="application/json", headers=auth)  # fmt: skip
    other_product = client.post(url, {"product_ids": [bed.pk, theirs.pk], "brand_id": brand.pk},
                                content_type="application/json", headers=auth)  # fmt: skip
    other_brand = client.post(url, {"product_ids": [bed.pk], "brand_id": foreign.pk},
                              content_type="application/json", headers=auth)  # fmt: skip

    assert (oem.json(), moved.json()) == ({"changed": 1}, {"changed": 1})
    assert (other_product.status_code, other_brand.status_code) == (404, 404)
    assert ProductBranding.objects.get(product=bed).kind == "own_brand"
    assert BrandingChange.objects.filter(product=bed).count() == 2


def test_distributor_moves_its_product_to_an_authorised_brand(client, world):
    brand = make_brand(actor=world["member"], enterprise=world["owner"])
    make_authorisation(actor=world["member"], brand=brand, distributor=world["other"])
    chair = make_product(enterprise=world["other"], sku="C-1")

    response = client.post(
        f"/api/enterprises/{world['other'].pk}/branding",
        {"product_ids": [chair.pk], "brand_id": brand.pk},
        content_type="application/json",
        headers=bearer(world["other_member"]),
    )

    assert response.json() == {"changed": 1}
    assert ProductBranding.objects.get(product=chair).kind == "authorised"


def test_revoking_a_brand_makes_its_products_not_ready_and_renames_their_listings(client, world):
    brand = make_brand(actor=world["member"], enterprise=world["owner"])
    bed = make_product(enterprise=world["owner"], sku="B-1")
    client.post(
        f"/api/enterprises/{world['owner'].pk}/branding",
        {"product_ids": [bed.pk], "brand_id": brand.pk},
        content_type="application/json",
        headers=bearer(world["member"]),
    )

    updated = client.put(
        f"/api/brands/{brand.pk}",
        {**BRAND, "name": "莱木家居", "status": "revoked"},
        content_type="application/json",
        headers=bearer(world["member"]),
    )
    theirs = client.put(
        f"/api/brands/{brand.pk}",
        BRAND,
        content_type="application/json",
        headers=bearer(world["other_member"]),
    )
    readiness = client.get(
        f"/api/products/{bed.pk}/channel-readiness",
        headers={**bearer(world["member"]), "Accept-Language": "en"},
    ).json()

    assert (updated.json()["status"], updated.json()["name"]) == ("revoked", "莱木家居")
    assert theirs.status_code == 404
    assert DomesticListing.objects.get(product=bed).brand == "莱木家居"
    jd = next(c for c in readiness["channels"] if c["channel"] == "jd")
    assert [c["message"] for c in jd["checks"] if c["code"] == "qualification:trademark"] == [
        "Brand: trademark 51234567 of 莱木家居 is not registered."
    ]
