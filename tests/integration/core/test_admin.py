"""The platform operator's Django admin (core/admin.py, catalog/admin.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import Permission
from django.core.checks import run_checks
from django.test import Client
from django.urls import reverse

from dualcirc.catalog.models import Enterprise, IndustrialBelt, Product, ProductImage
from dualcirc.catalog.signals import products_changed
from dualcirc.core.api_auth import issue_api_token
from dualcirc.core.enums import OrganisationKind, Role
from dualcirc.core.models import ApiToken, Organisation, Region, User
from tests.factories import make_enterprise, make_product, make_region_tree, make_user
from tests.factories.api import make_belt, make_enterprise_user
from tests.factories.pages import add_image

pytestmark = pytest.mark.django_db


class World:
    def __init__(self) -> None:
        self.regions = make_region_tree()
        self.belt = make_belt(region=self.regions["laixi"], slug="laixi-furniture")
        self.enterprise = make_enterprise(
            name_zh="莱西木业有限公司", region=self.regions["laixi"], belt=self.belt
        )
        self.product = make_product(
            enterprise=self.enterprise, sku="LX-T01", title_en="Solid oak dining table"
        )
        self.member = make_enterprise_user(enterprise=self.enterprise, username="wangwei")
        issue_api_token(user=self.member, name="ERP sync")
        self.superuser = User.objects.create_superuser(
            username="root", email="root@example.com", password="x-admin-pass-1"
        )


@pytest.fixture
def world() -> World:
    return World()


def admin_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


CHANGELISTS = [
    (Region, "莱西市"),
    (Organisation, "莱西木业有限公司"),
    (User, "wangwei"),
    (ApiToken, "ERP sync"),
    (IndustrialBelt, "莱西家具"),
    (Enterprise, "莱西木业有限公司"),
    (Product, "LX-T01"),
]


@pytest.mark.parametrize(("model", "expected"), CHANGELISTS)
def test_admin_changelist_lists_rows_for_superuser(world: World, model: Any, expected: str) -> None:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    response = admin_client(world.superuser).get(url)

    assert response.status_code == 200
    assert expected in response.content.decode()


@pytest.mark.parametrize(("model", "expected"), CHANGELISTS)
def test_admin_change_page_opens_for_superuser(world: World, model: Any, expected: str) -> None:
    obj = model.objects.filter(pk__isnull=False).order_by("pk").first()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])

    response = admin_client(world.superuser).get(url)

    assert response.status_code == 200
    assert str(obj) in response.content.decode()


@pytest.mark.parametrize(("model", "expected"), CHANGELISTS)
def test_admin_changelist_refuses_normal_user(world: World, model: Any, expected: str) -> None:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    response = admin_client(world.member).get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_admin_refuses_anonymous(world: World) -> None:
    response = Client().get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={reverse('admin:index')}"


def test_admin_configuration_passes_system_checks() -> None:
    errors = [m for m in run_checks() if m.id.startswith("admin.")]

    assert errors == []
    assert {model.__name__ for model in site._registry} >= {
        "Region",
        "Organisation",
        "User",
        "ApiToken",
        "IndustrialBelt",
        "Enterprise",
        "Product",
    }


def test_admin_search_finds_enterprise_by_credit_code(world: World) -> None:
    other = make_enterprise(name_zh="胶州家电有限公司", region=world.regions["jiaozhou"])

    response = admin_client(world.superuser).get(
        reverse("admin:catalog_enterprise_changelist"), {"q": world.enterprise.credit_code}
    )

    html = response.content.decode()
    assert "莱西木业有限公司" in html
    assert other.name_zh not in html


def test_admin_autocomplete_offers_regions(world: World) -> None:
    response = admin_client(world.superuser).get(
        reverse("admin:autocomplete"),
        {
            "term": "Laixi",
            "app_label": "catalog",
            "model_name": "enterprise",
            "field_name": "region",
        },
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["莱西市 Laixi"]


def test_admin_api_token_digest_is_read_only_and_tokens_are_not_added_here(world: World) -> None:
    token = ApiToken.objects.get(user=world.member)
    client = admin_client(world.superuser)

    page = client.get(reverse("admin:core_apitoken_change", args=[token.pk])).content.decode()
    add = client.get(reverse("admin:core_apitoken_add"))

    assert f'<div class="readonly">{token.digest}</div>' in page
    assert 'name="digest"' not in page
    assert add.status_code == 403


def test_admin_deleting_an_api_token_revokes_it_through_the_domain_and_audits_it(
    world: World,
) -> None:
    from dualcirc.core.enums import AuditAction
    from dualcirc.core.models import AuditEvent

    token = ApiToken.objects.get(user=world.member)
    client = admin_client(world.superuser)

    response = client.post(reverse("admin:core_apitoken_delete", args=[token.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    revoked = AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REVOKED)
    assert list(revoked.values_list("actor_id", flat=True)) == [world.superuser.pk]


def product_admin_data(product: Product, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sku": product.sku,
        "status": product.status,
        "title_zh": product.title_zh,
        "title_en": product.title_en,
        "title_vi": "",
        "description_zh": "",
        "description_en": "",
        "description_vi": "",
        "hs_code": product.hs_code,
        "attributes": "{}",
        "moq": "50",
        "unit": "pcs",
        "price_min": "120",
        "price_max": "150",
        "currency": "USD",
        "certifications": "[]",
        "export_markets": '["us"]',
        "lead_time_days": "",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_admin_product_change_goes_through_the_domain(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    heard: list[list[int]] = []

    def listener(sender: Any, product_ids: list[int], **kwargs: Any) -> None:
        heard.append(product_ids)

    products_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client(world.superuser).post(
                reverse("admin:catalog_product_change", args=[world.product.pk]),
                product_admin_data(world.product, title_en="Oak table, renamed"),
            )
    finally:
        products_changed.disconnect(listener)

    assert response.status_code == 302
    product = Product.objects.get(pk=world.product.pk)
    assert product.title_en == "Oak table, renamed"
    assert product.export_markets == ["US"]  # normalised by the domain
    assert heard == [[world.product.pk]]


def test_admin_product_change_shows_domain_errors_and_saves_nothing(world: World) -> None:
    response = admin_client(world.superuser).post(
        reverse("admin:catalog_product_change", args=[world.product.pk]),
        product_admin_data(world.product, price_min="200", price_max="100", title_en="X"),
    )

    assert response.status_code == 200
    assert "The highest price is below the lowest price." in response.content.decode()
    assert Product.objects.get(pk=world.product.pk).title_en == "Solid oak dining table"


def test_admin_product_change_refuses_a_duplicate_sku(world: World) -> None:
    make_product(enterprise=world.enterprise, sku="LX-T02")

    response = admin_client(world.superuser).post(
        reverse("admin:catalog_product_change", args=[world.product.pk]),
        product_admin_data(world.product, sku="LX-T02"),
    )

    assert response.status_code == 200
    assert "Product with this Enterprise and SKU already exists." in response.content.decode()
    assert Product.objects.get(pk=world.product.pk).sku == "LX-T01"


def test_admin_product_add_creates_through_the_domain(world: World) -> None:
    data = product_admin_data(world.product, sku="LX-NEW", title_en="Walnut chair")
    data["enterprise"] = str(world.enterprise.pk)

    response = admin_client(world.superuser).post(reverse("admin:catalog_product_add"), data)

    assert response.status_code == 302
    product = Product.objects.get(sku="LX-NEW")
    assert (product.enterprise, product.title_en, product.languages) == (
        world.enterprise,
        "Walnut chair",
        "en",
    )


def test_admin_product_delete_removes_image_files(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    image = add_image(actor=world.member, product=world.product)
    image_file = Path(image.image.path)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client(world.superuser).post(
            reverse("admin:catalog_product_delete", args=[world.product.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Product.objects.filter(pk=world.product.pk).exists()
    assert not image_file.exists()


def test_admin_product_image_inline_delete_removes_the_file(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    image = add_image(actor=world.member, product=world.product)
    image_file = Path(image.image.path)
    data = product_admin_data(
        world.product,
        **{
            "images-TOTAL_FORMS": "1",
            "images-INITIAL_FORMS": "1",
            "images-0-id": str(image.pk),
            "images-0-product": str(world.product.pk),
            "images-0-DELETE": "on",
        },
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client(world.superuser).post(
            reverse("admin:catalog_product_change", args=[world.product.pk]), data
        )

    assert response.status_code == 302
    assert not ProductImage.objects.filter(pk=image.pk).exists()
    assert not image_file.exists()


def enterprise_admin_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name_zh": "",
        "name_en": "",
        "credit_code": "",
        "belt": "",
        "industries": "[]",
        "year_founded": "",
        "employees": "",
        "domestic_markets": "[]",
        "export_markets": "[]",
        "export_share": "",
        "certifications": "[]",
        "contacts": "[]",
        "business_models": "[]",
        "description": "",
    }
    data.update(overrides)
    return data


def test_admin_enterprise_change_goes_through_the_domain(world: World) -> None:
    e = world.enterprise
    data = enterprise_admin_data(
        name_zh=e.name_zh,
        name_en="Laixi Woodworks",
        credit_code=e.credit_code.lower(),
        belt=str(world.belt.pk),
        industries='["furniture"]',
        employees="80",
        export_markets='["de"]',
    )

    response = admin_client(world.superuser).post(
        reverse("admin:catalog_enterprise_change", args=[e.pk]), data
    )

    assert response.status_code == 302
    e.refresh_from_db()
    assert (e.name_en, e.credit_code, e.export_markets, e.employees) == (
        "Laixi Woodworks",
        world.enterprise.credit_code.upper(),
        ["DE"],
        80,
    )
    assert e.region == world.regions["laixi"]


def test_admin_enterprise_add_registers_it_with_its_organisation(world: World) -> None:
    data = enterprise_admin_data(name_zh="胶州家电有限公司", name_en="Jiaozhou Appliances")
    data["region"] = str(world.regions["jiaozhou"].pk)

    response = admin_client(world.superuser).post(reverse("admin:catalog_enterprise_add"), data)

    assert response.status_code == 302
    enterprise = Enterprise.objects.get(name_zh="胶州家电有限公司")
    assert enterprise.region == world.regions["jiaozhou"]
    assert (enterprise.organisation.kind, enterprise.organisation.name) == (
        "enterprise",
        "胶州家电有限公司",
    )


def test_admin_enterprise_add_without_a_name_is_refused(world: World) -> None:
    data = enterprise_admin_data(name_zh="", name_en="")
    data["region"] = str(world.regions["jiaozhou"].pk)

    response = admin_client(world.superuser).post(reverse("admin:catalog_enterprise_add"), data)

    assert response.status_code == 200
    assert "An enterprise needs a Chinese or English name." in response.content.decode()
    assert Enterprise.objects.count() == 1


def test_admin_enterprise_delete_deletes_products_through_the_domain(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    image = add_image(actor=world.member, product=world.product)
    image_file = Path(image.image.path)
    organisation_pk = world.enterprise.organisation_id

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client(world.superuser).post(
            reverse("admin:catalog_enterprise_delete", args=[world.enterprise.pk]),
            {"post": "yes"},
        )

    assert response.status_code == 302
    assert not Enterprise.objects.filter(pk=world.enterprise.pk).exists()
    assert not Organisation.objects.filter(pk=organisation_pk).exists()
    assert not Product.objects.filter(pk=world.product.pk).exists()
    assert not image_file.exists()
    assert User.objects.filter(pk=world.member.pk).exists()


def test_admin_enterprise_organisation_cannot_be_deleted_directly(world: World) -> None:
    org = world.enterprise.organisation

    response = admin_client(world.superuser).post(
        reverse("admin:core_organisation_delete", args=[org.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Product.objects.filter(pk=world.product.pk).exists()


def test_admin_user_change_page_has_preferences(world: World) -> None:
    response = admin_client(world.superuser).get(
        reverse("admin:core_user_change", args=[world.member.pk])
    )

    html = response.content.decode()
    assert 'name="time_zone"' in html
    assert 'name="preferred_language"' in html
    assert "莱西木业有限公司" in html  # the membership inline


def test_admin_operator_staff_without_model_permissions_sees_nothing(world: World) -> None:
    staff = make_user(is_staff=True)
    operator = Organisation.objects.create(kind=OrganisationKind.OPERATOR, name="平台运营")
    staff.memberships.create(organisation=operator, role=Role.MEMBER)

    response = admin_client(staff).get(reverse("admin:catalog_product_changelist"))

    assert response.status_code == 403
    assert "LX-T01" not in response.content.decode()


@pytest.mark.parametrize("who", ["staff", "enterprise_member"])
def test_admin_refuses_staff_who_are_not_the_operator_even_with_every_permission(
    world: World, who: str
) -> None:
    # Staff flag and model permissions do not open the admin (core.access.can_use_admin): it
    # shows every enterprise's drafts and private fields.
    user = make_user(is_staff=True) if who == "staff" else world.member
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="catalog"))

    client = admin_client(user)
    listing = client.get(reverse("admin:catalog_product_changelist"))
    change = client.post(
        reverse("admin:catalog_product_change", args=[world.product.pk]),
        product_admin_data(world.product, title_en="Changed"),
    )

    assert listing.status_code == 302
    assert listing.url.startswith(reverse("admin:login"))
    assert change.status_code == 302
    world.product.refresh_from_db()
    assert world.product.title_en == "Solid oak dining table"
