"""The catalog's domain functions enforce core.access: every refused actor gets AccessDenied,
and the database is left exactly as it was (rows reloaded and compared field by field)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

from dualcirc.catalog.domain import (
    create_product,
    delete_product,
    update_enterprise,
    update_product,
)
from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import Enterprise, Product
from dualcirc.core.access import AccessDenied
from dualcirc.core.enums import OrganisationKind, Role
from tests.factories import (
    make_enterprise,
    make_organisation,
    make_product,
    make_region_tree,
    make_user,
)

pytestmark = pytest.mark.django_db

NEW_PRODUCT = {"sku": "NEW-1", "title_en": "Oak bench", "hs_code": "940360"}


@pytest.fixture
def laixi() -> Enterprise:
    regions = make_region_tree()
    return make_enterprise(name_zh="莱西恒木家具", region=regions["laixi"])


@pytest.fixture
def product(laixi) -> Product:
    return make_product(enterprise=laixi, sku="TBL-1", title_en="Oak table")


def _other_enterprise_admin(laixi: Enterprise) -> Any:
    other = make_enterprise(region=laixi.region.parent.children.exclude(pk=laixi.region_id).get())
    return make_user(organisation=other.organisation, role=Role.ADMIN)


def _government_of_laixis_city(laixi: Enterprise) -> Any:
    # It sees everything of Laixi, private data included — and still may not change it.
    bureau = make_organisation(kind=OrganisationKind.GOVERNMENT, region=laixi.region.parent)
    return make_user(organisation=bureau)


def _buyer(laixi: Enterprise) -> Any:
    return make_user(organisation=make_organisation(kind=OrganisationKind.BUYER))


def _no_organisation(laixi: Enterprise) -> Any:
    return make_user()


def _anonymous(laixi: Enterprise) -> Any:
    return AnonymousUser()


REFUSED: list[Callable[[Enterprise], Any]] = [
    _other_enterprise_admin,
    _government_of_laixis_city,
    _buyer,
    _no_organisation,
    _anonymous,
]
REFUSED_IDS = ["other-enterprise-admin", "government", "buyer", "no-organisation", "anonymous"]


def snapshot(obj: Model) -> dict[str, Any]:
    """Every stored column of ``obj``, read back from the database."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}


def catalog_rows() -> list[dict[str, Any]]:
    return [snapshot(p) for p in Product.objects.order_by("pk")] + [
        snapshot(e) for e in Enterprise.objects.order_by("pk")
    ]


@pytest.mark.parametrize("make_actor", REFUSED, ids=REFUSED_IDS)
def test_update_product_refused_actor_changes_nothing(
    laixi, product, make_actor, django_capture_on_commit_callbacks
):
    actor = make_actor(laixi)
    before = catalog_rows()

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(AccessDenied):
        update_product(
            actor=actor, product=product, data={"title_en": "Hijacked", "price_min": Decimal(1)}
        )

    assert catalog_rows() == before
    assert callbacks == []  # nobody is told about a change that did not happen


@pytest.mark.parametrize("make_actor", REFUSED, ids=REFUSED_IDS)
def test_update_enterprise_refused_actor_changes_nothing(
    laixi, product, make_actor, django_capture_on_commit_callbacks
):
    actor = make_actor(laixi)
    before = catalog_rows()

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(AccessDenied):
        update_enterprise(
            actor=actor, enterprise=laixi, data={"name_en": "Hijacked Ltd.", "employees": 1}
        )

    assert catalog_rows() == before
    assert callbacks == []


@pytest.mark.parametrize("make_actor", REFUSED, ids=REFUSED_IDS)
def test_create_product_refused_actor_creates_nothing(
    laixi, product, make_actor, django_capture_on_commit_callbacks
):
    actor = make_actor(laixi)
    before = catalog_rows()

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(AccessDenied):
        create_product(actor=actor, enterprise=laixi, data=NEW_PRODUCT)

    assert catalog_rows() == before
    assert not Product.objects.filter(sku="NEW-1").exists()
    assert callbacks == []


@pytest.mark.parametrize("make_actor", REFUSED, ids=REFUSED_IDS)
def test_delete_product_refused_actor_deletes_nothing(
    laixi, product, make_actor, django_capture_on_commit_callbacks
):
    actor = make_actor(laixi)
    before = catalog_rows()

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(AccessDenied):
        delete_product(actor=actor, product=product)

    assert catalog_rows() == before
    assert Product.objects.filter(pk=product.pk).exists()
    assert callbacks == []


def test_update_product_refused_even_for_a_draft_the_government_may_see(laixi):
    draft = make_product(enterprise=laixi, sku="DRAFT-1", status=ProductStatus.DRAFT)
    actor = _government_of_laixis_city(laixi)
    before = snapshot(draft)

    with pytest.raises(AccessDenied):
        update_product(actor=actor, product=draft, data={"status": ProductStatus.PUBLISHED})

    assert snapshot(draft) == before


# The same calls succeed for the people the rules allow: the refusals above are about who.


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ADMIN])
def test_update_product_member_of_the_enterprise_changes_it(laixi, product, role):
    actor = make_user(organisation=laixi.organisation, role=role)

    update_product(actor=actor, product=product, data={"title_en": "Oak table, 1.6 m"})

    assert Product.objects.get(pk=product.pk).title_en == "Oak table, 1.6 m"


def test_update_enterprise_member_of_the_enterprise_changes_it(laixi):
    actor = make_user(organisation=laixi.organisation)

    update_enterprise(actor=actor, enterprise=laixi, data={"employees": 320})

    assert Enterprise.objects.get(pk=laixi.pk).employees == 320


def test_create_and_delete_product_operator_may(laixi):
    actor = make_user(organisation=make_organisation(kind=OrganisationKind.OPERATOR))

    created = create_product(actor=actor, enterprise=laixi, data=NEW_PRODUCT)
    assert Product.objects.get(pk=created.pk).enterprise_id == laixi.pk

    delete_product(actor=actor, product=created)
    assert not Product.objects.filter(pk=created.pk).exists()
