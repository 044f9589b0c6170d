"""The pages that change an enterprise profile and its products (catalog/views/edit.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import Enterprise, Product, ProductImage
from dualcirc.core.models import User
from tests.factories import make_enterprise, make_product, make_region_tree, valid_credit_code
from tests.factories.api import (
    make_belt,
    make_buyer,
    make_enterprise_user,
    make_government_user,
    make_operator,
)
from tests.factories.files import png_bytes
from tests.factories.pages import add_image

pytestmark = pytest.mark.django_db


class World:
    """Laixi Woodworks (Laixi county, Qingdao) with one product, and one person of each kind."""

    def __init__(self) -> None:
        self.regions = make_region_tree()
        self.belt = make_belt(region=self.regions["laixi"], slug="laixi-furniture")
        self.enterprise = make_enterprise(
            name_zh="莱西木业有限公司",
            name_en="Laixi Woodworks",
            region=self.regions["laixi"],
            industries=["furniture"],
            export_markets=["US", "DE"],
            contacts=[{"name": "王伟", "title": "经理", "phone": "13800000000", "email": ""}],
        )
        self.product = make_product(
            enterprise=self.enterprise,
            sku="LX-T01",
            title_zh="实木餐桌",
            title_en="Solid oak dining table",
            attributes={"material": "oak"},
        )
        self.member = make_enterprise_user(enterprise=self.enterprise)
        self.other_member = make_enterprise_user(
            enterprise=make_enterprise(region=self.regions["jiaozhou"])
        )
        self.government = make_government_user(region=self.regions["qingdao"])
        self.buyer = make_buyer()
        self.operator = make_operator()


@pytest.fixture
def world() -> World:
    return World()


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def message_texts(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def enterprise_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name_zh": "莱西木业有限公司",
        "name_en": "Laixi Woodworks Co.",
        "credit_code": "",
        "belt": "",
        "industries": "furniture; 实木餐桌\ndining tables",
        "year_founded": "1998",
        "employees": "240",
        "domestic_markets": "浙江；上海",
        "export_markets": "us, vn de",
        "export_share": "42.50",
        "certifications": "FSC\nISO 9001",
        "contacts": "王伟 | 外贸经理 | +86 532 8888 0000 | wang@example.com\nLi Na | Sales",
        "business_models": ["oem", "own_brand"],
        "description": "Solid oak and walnut tables since 1998.",
    }
    data.update(overrides)
    return data


def product_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sku": "LX-T02",
        "status": ProductStatus.DRAFT,
        "title_zh": "胡桃木餐椅",
        "title_en": "Walnut dining chair",
        "title_vi": "Ghế ăn gỗ óc chó",
        "description_zh": "北美黑胡桃木",
        "description_en": "North American black walnut",
        "description_vi": "",
        "hs_code": "9401.61",
        "attributes": "material=walnut\n颜色：原木色",
        "moq": "100",
        "unit": "pcs",
        "price_min": "45.50",
        "price_max": "60",
        "currency": "USD",
        "currency_other": "",
        "certifications": "FSC; CARB P2",
        "export_markets": "US DE",
        "lead_time_days": "35",
    }
    data.update(overrides)
    return data


# --- enterprise profile -------------------------------------------------------------------


def test_enterprise_edit_member_saves_every_profile_field(world: World) -> None:
    url = reverse("enterprise-edit", args=[world.enterprise.pk])
    code = valid_credit_code(4242)

    response = client_for(world.member).post(
        url, enterprise_data(credit_code=code.lower(), belt=str(world.belt.pk))
    )

    assert response.status_code == 302
    assert response.url == reverse("enterprise-detail", args=[world.enterprise.pk])
    assert message_texts(response) == ["The profile of 莱西木业有限公司 was saved."]
    enterprise = Enterprise.objects.get(pk=world.enterprise.pk)
    assert enterprise.name_en == "Laixi Woodworks Co."
    assert enterprise.credit_code == code
    assert enterprise.belt == world.belt
    assert enterprise.industries == ["furniture", "实木餐桌", "dining tables"]
    assert enterprise.year_founded == 1998
    assert enterprise.employees == 240
    assert enterprise.domestic_markets == ["浙江", "上海"]
    assert enterprise.export_markets == ["US", "VN", "DE"]
    assert enterprise.export_share == Decimal("42.50")
    assert enterprise.certifications == ["FSC", "ISO 9001"]
    assert enterprise.contacts == [
        {
            "name": "王伟",
            "title": "外贸经理",
            "phone": "+86 532 8888 0000",
            "email": "wang@example.com",
        },
        {"name": "Li Na", "title": "Sales", "phone": "", "email": ""},
    ]
    assert enterprise.business_models == ["oem", "own_brand"]
    assert enterprise.description == "Solid oak and walnut tables since 1998."


def test_enterprise_edit_get_shows_current_values_in_typed_form(world: World) -> None:
    response = client_for(world.member).get(reverse("enterprise-edit", args=[world.enterprise.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="US DE"' in html
    assert "王伟 | 经理 | 13800000000</textarea>" in html
    assert f'value="{world.enterprise.credit_code}"' in html


def test_enterprise_edit_operator_may_save(world: World) -> None:
    response = client_for(world.operator).post(
        reverse("enterprise-edit", args=[world.enterprise.pk]),
        enterprise_data(name_en="Renamed by operator"),
    )

    assert response.status_code == 302
    assert Enterprise.objects.get(pk=world.enterprise.pk).name_en == "Renamed by operator"


@pytest.mark.parametrize("who", ["other_member", "government", "buyer"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_enterprise_edit_refuses_people_who_may_not_edit(
    world: World, who: str, method: str
) -> None:
    client = client_for(getattr(world, who))
    url = reverse("enterprise-edit", args=[world.enterprise.pk])

    response = getattr(client, method)(url, enterprise_data(name_en="Hijacked"))

    assert response.status_code == 403
    assert (
        "Only the members of 莱西木业有限公司 and the platform operator may change it."
        in response.content.decode()
    )
    assert Enterprise.objects.get(pk=world.enterprise.pk).name_en == "Laixi Woodworks"


def test_enterprise_edit_anonymous_is_sent_to_sign_in(world: World) -> None:
    url = reverse("enterprise-edit", args=[world.enterprise.pk])

    response = Client().post(url, enterprise_data(name_en="Anonymous"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
    assert Enterprise.objects.get(pk=world.enterprise.pk).name_en == "Laixi Woodworks"


def test_enterprise_edit_bad_credit_code_is_shown_and_nothing_saved(world: World) -> None:
    old_code = world.enterprise.credit_code
    good = valid_credit_code(77)
    mistyped = good[:17] + ("0" if good[17] != "0" else "1")

    response = client_for(world.member).post(
        reverse("enterprise-edit", args=[world.enterprise.pk]),
        enterprise_data(credit_code=mistyped, name_en="Not saved"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "the code is mistyped." in html
    assert 'id="id_credit_code_error"' in html
    assert "Nothing was saved." in html
    enterprise = Enterprise.objects.get(pk=world.enterprise.pk)
    assert (enterprise.credit_code, enterprise.name_en) == (old_code, "Laixi Woodworks")


def test_enterprise_edit_bad_country_code_names_the_field(world: World) -> None:
    response = client_for(world.member).post(
        reverse("enterprise-edit", args=[world.enterprise.pk]),
        enterprise_data(export_markets="US XX"),
    )

    assert response.status_code == 200
    assert "&#x27;XX&#x27; is not an ISO 3166-1 alpha-2 country code." in response.content.decode()
    assert Enterprise.objects.get(pk=world.enterprise.pk).export_markets == ["US", "DE"]


def test_enterprise_edit_contact_line_with_too_many_parts_is_explained(world: World) -> None:
    response = client_for(world.member).post(
        reverse("enterprise-edit", args=[world.enterprise.pk]),
        enterprise_data(contacts="A | B | C | D | E"),
    )

    assert response.status_code == 200
    assert "Line 1 has 5 parts; write name | title | phone | email." in response.content.decode()


# --- products -------------------------------------------------------------------------------


def test_product_create_member_creates_the_product(world: World) -> None:
    response = client_for(world.member).post(
        reverse("product-create", args=[world.enterprise.pk]), product_data()
    )

    product = Product.objects.get(enterprise=world.enterprise, sku="LX-T02")
    assert response.status_code == 302
    assert response.url == reverse("product-detail", args=[product.pk])
    assert message_texts(response) == ["The product “胡桃木餐椅” was created."]
    assert (product.title_zh, product.title_en, product.title_vi) == (
        "胡桃木餐椅",
        "Walnut dining chair",
        "Ghế ăn gỗ óc chó",
    )
    assert product.status == ProductStatus.DRAFT
    assert product.hs_code == "940161"
    assert product.attributes == {"material": "walnut", "颜色": "原木色"}
    assert (product.moq, product.unit) == (Decimal("100"), "pcs")
    assert (product.price_min, product.price_max, product.currency) == (
        Decimal("45.50"),
        Decimal("60"),
        "USD",
    )
    assert product.certifications == ["FSC", "CARB P2"]
    assert product.export_markets == ["US", "DE"]
    assert product.lead_time_days == 35
    assert product.languages == "zh,en,vi"


def test_product_create_other_currency_code_is_typed_in(world: World) -> None:
    client_for(world.member).post(
        reverse("product-create", args=[world.enterprise.pk]),
        product_data(currency="", currency_other="chf"),
    )

    assert Product.objects.get(enterprise=world.enterprise, sku="LX-T02").currency == "CHF"


def test_product_create_missing_title_is_shown_and_nothing_saved(world: World) -> None:
    response = client_for(world.member).post(
        reverse("product-create", args=[world.enterprise.pk]),
        product_data(title_zh="", title_en="", title_vi=""),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "A product needs at least one title." in html
    assert 'id="id_title_zh_error"' in html
    assert not Product.objects.filter(sku="LX-T02").exists()


def test_product_create_duplicate_sku_is_shown_beside_the_sku(world: World) -> None:
    response = client_for(world.member).post(
        reverse("product-create", args=[world.enterprise.pk]), product_data(sku="LX-T01")
    )

    assert response.status_code == 200
    assert "This SKU is already used by your enterprise." in response.content.decode()
    assert Product.objects.filter(enterprise=world.enterprise).count() == 1


def test_product_create_unreadable_number_is_shown_and_nothing_saved(world: World) -> None:
    response = client_for(world.member).post(
        reverse("product-create", args=[world.enterprise.pk]), product_data(price_min="12,5 USD")
    )

    assert response.status_code == 200
    assert 'id="id_price_min_error"' in response.content.decode()
    assert not Product.objects.filter(sku="LX-T02").exists()


@pytest.mark.parametrize("who", ["other_member", "government", "buyer"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_product_create_refuses_people_who_may_not_edit(
    world: World, who: str, method: str
) -> None:
    client = client_for(getattr(world, who))

    response = getattr(client, method)(
        reverse("product-create", args=[world.enterprise.pk]), product_data()
    )

    assert response.status_code == 403
    assert "may change it." in response.content.decode()
    assert not Product.objects.filter(sku="LX-T02").exists()


def test_product_edit_get_shows_current_values(world: World) -> None:
    response = client_for(world.member).get(reverse("product-edit", args=[world.product.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="LX-T01"' in html
    assert "material=oak</textarea>" in html
    assert '<option value="USD" selected>USD</option>' in html
    assert "No images yet." in html


def test_product_edit_member_saves_every_field(world: World) -> None:
    response = client_for(world.member).post(
        reverse("product-edit", args=[world.product.pk]), product_data(sku="LX-T01-B")
    )

    assert response.status_code == 302
    assert response.url == reverse("product-detail", args=[world.product.pk])
    assert message_texts(response) == ["The product “胡桃木餐椅” was saved."]
    product = Product.objects.get(pk=world.product.pk)
    assert product.sku == "LX-T01-B"
    assert product.title_en == "Walnut dining chair"
    assert product.hs_code == "940161"
    assert product.attributes == {"material": "walnut", "颜色": "原木色"}
    assert product.export_markets == ["US", "DE"]
    assert product.status == ProductStatus.DRAFT


def test_product_edit_operator_may_save(world: World) -> None:
    client_for(world.operator).post(
        reverse("product-edit", args=[world.product.pk]), product_data(title_en="By operator")
    )

    assert Product.objects.get(pk=world.product.pk).title_en == "By operator"


@pytest.mark.parametrize("who", ["other_member", "government", "buyer"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_product_edit_refuses_people_who_may_not_edit(world: World, who: str, method: str) -> None:
    client = client_for(getattr(world, who))

    response = getattr(client, method)(
        reverse("product-edit", args=[world.product.pk]), product_data(title_en="Hijacked")
    )

    assert response.status_code == 403
    assert (
        "Only the members of 莱西木业有限公司 and the platform operator may change it."
        in response.content.decode()
    )
    assert Product.objects.get(pk=world.product.pk).title_en == "Solid oak dining table"


def test_product_edit_anonymous_is_sent_to_sign_in(world: World) -> None:
    url = reverse("product-edit", args=[world.product.pk])

    response = Client().get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_product_edit_bad_hs_code_is_shown_and_nothing_saved(world: World) -> None:
    response = client_for(world.member).post(
        reverse("product-edit", args=[world.product.pk]),
        product_data(hs_code="123456", title_en="Not saved"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "&#x27;123456&#x27; is not a 6-digit code of the Harmonized System nomenclature." in html
    assert 'id="id_hs_code_error"' in html
    product = Product.objects.get(pk=world.product.pk)
    assert (product.hs_code, product.title_en) == ("940360", "Solid oak dining table")


def test_product_edit_price_order_error_is_shown_beside_highest_price(world: World) -> None:
    response = client_for(world.member).post(
        reverse("product-edit", args=[world.product.pk]),
        product_data(price_min="80", price_max="20"),
    )

    html = response.content.decode()
    assert "The highest price is below the lowest price." in html
    assert 'id="id_price_max_error"' in html
    assert Product.objects.get(pk=world.product.pk).price_min == Decimal("120.00")


def test_product_edit_attribute_line_without_key_value_is_explained(world: World) -> None:
    response = client_for(world.member).post(
        reverse("product-edit", args=[world.product.pk]),
        product_data(attributes="material=oak\njust some words"),
    )

    assert response.status_code == 200
    assert "Line 2 (“just some words”) is not written as key=value." in response.content.decode()
    assert Product.objects.get(pk=world.product.pk).attributes == {"material": "oak"}


# --- delete -----------------------------------------------------------------------------------


def test_product_delete_get_asks_for_confirmation_and_keeps_the_product(world: World) -> None:
    response = client_for(world.member).get(reverse("product-delete", args=[world.product.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "“实木餐桌” (SKU LX-T01) and its images will be deleted for good." in html
    assert Product.objects.filter(pk=world.product.pk).exists()


def test_product_delete_post_deletes_product_and_image_files(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    image = add_image(actor=world.member, product=world.product)
    image_file = Path(image.image.path)
    assert image_file.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.member).post(reverse("product-delete", args=[world.product.pk]))
        assert image_file.exists()  # removed only once the deletion has committed

    assert response.status_code == 302
    assert response.url == reverse("enterprise-detail", args=[world.enterprise.pk])
    assert message_texts(response) == ["The product “实木餐桌” was deleted."]
    assert not Product.objects.filter(pk=world.product.pk).exists()
    assert not ProductImage.objects.filter(pk=image.pk).exists()
    assert not image_file.exists()


@pytest.mark.parametrize("who", ["other_member", "government", "buyer"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_product_delete_refuses_people_who_may_not_edit(
    world: World, who: str, method: str
) -> None:
    response = getattr(client_for(getattr(world, who)), method)(
        reverse("product-delete", args=[world.product.pk])
    )

    assert response.status_code == 403
    assert Product.objects.filter(pk=world.product.pk).exists()


def test_product_delete_anonymous_is_sent_to_sign_in(world: World) -> None:
    response = Client().post(reverse("product-delete", args=[world.product.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Product.objects.filter(pk=world.product.pk).exists()


# --- images -----------------------------------------------------------------------------------


def test_product_image_add_accepts_a_real_png(world: World) -> None:
    upload = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")

    response = client_for(world.member).post(
        reverse("product-image-add", args=[world.product.pk]), {"image": upload}
    )

    assert response.status_code == 302
    assert response.url == reverse("product-edit", args=[world.product.pk])
    image = ProductImage.objects.get(product=world.product)
    assert image.content_type == "image/png"
    assert Path(image.image.path).read_bytes() == png_bytes()
    page = client_for(world.member).get(reverse("product-edit", args=[world.product.pk]))
    html = page.content.decode()
    assert f'src="{image.thumbnail.url}"' in html
    assert reverse("product-image-delete", args=[image.pk]) in html


def test_product_image_add_rejects_text_renamed_png(world: World) -> None:
    upload = SimpleUploadedFile(
        "photo.png", b"just some text, not an image\n", content_type="image/png"
    )

    response = client_for(world.member).post(
        reverse("product-image-add", args=[world.product.pk]), {"image": upload}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Upload a JPEG, PNG or WebP image." in html
    assert 'id="id_image_error"' in html
    assert not ProductImage.objects.filter(product=world.product).exists()


def test_product_image_add_refuses_another_enterprise_member(world: World) -> None:
    upload = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")

    response = client_for(world.other_member).post(
        reverse("product-image-add", args=[world.product.pk]), {"image": upload}
    )

    assert response.status_code == 403
    assert not ProductImage.objects.filter(product=world.product).exists()


def test_product_image_delete_post_removes_row_and_file(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    image = add_image(actor=world.member, product=world.product)
    image_file = Path(image.image.path)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.member).post(reverse("product-image-delete", args=[image.pk]))

    assert response.status_code == 302
    assert response.url == reverse("product-edit", args=[world.product.pk])
    assert not ProductImage.objects.filter(pk=image.pk).exists()
    assert not image_file.exists()


def test_product_image_delete_get_asks_for_confirmation(world: World) -> None:
    image = add_image(actor=world.member, product=world.product)

    response = client_for(world.member).get(reverse("product-image-delete", args=[image.pk]))

    assert response.status_code == 200
    assert "Delete the image?" in response.content.decode()
    assert ProductImage.objects.filter(pk=image.pk).exists()


@pytest.mark.parametrize("who", ["other_member", "government", "buyer"])
def test_product_image_delete_refuses_people_who_may_not_edit(world: World, who: str) -> None:
    image = add_image(actor=world.member, product=world.product)

    response = client_for(getattr(world, who)).post(
        reverse("product-image-delete", args=[image.pk])
    )

    assert response.status_code == 403
    assert ProductImage.objects.filter(pk=image.pk).exists()
    assert Path(image.image.path).exists()


def test_missing_product_shows_the_404_page(world: World) -> None:
    response = client_for(world.member).get(reverse("product-edit", args=[999999]))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
