"""The object-level rules of core.access, one actor at a time, including every refusal.

The world: Shandong → Qingdao → Laixi, Jiaozhou; Zhejiang → Jinhua → Lanxi. One enterprise in
each county and one registered at the Qingdao city level, each with a published product and a
draft. Actors: members and admins of enterprises, governments of a city and of counties,
buyers, anonymous visitors, operators.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import Enterprise, Product
from dualcirc.core.access import (
    AccessDenied,
    can_admin_enterprise,
    can_edit_enterprise,
    can_edit_product,
    can_view_enterprise_private,
    can_view_product,
    editable_enterprises,
    is_government,
    is_operator,
    private_enterprise_filter,
    require,
    visible_products,
)
from dualcirc.core.enums import OrganisationKind, RegionLevel, Role
from dualcirc.core.models import Membership, Region, User
from tests.factories import (
    make_enterprise,
    make_organisation,
    make_product,
    make_region,
    make_region_tree,
    make_user,
)

pytestmark = pytest.mark.django_db


@dataclass
class Site:
    enterprises: dict[str, Enterprise]
    published: dict[str, Product]
    drafts: dict[str, Product]
    regions: dict[str, Region]

    def all_product_ids(self) -> set[int]:
        return {p.pk for p in (*self.published.values(), *self.drafts.values())}

    def published_ids(self) -> set[int]:
        return {p.pk for p in self.published.values()}


@pytest.fixture
def site() -> Site:
    regions = make_region_tree()
    enterprises = {
        name: make_enterprise(name_zh=f"{name}工厂", region=regions[name])
        for name in ("laixi", "jiaozhou", "lanxi", "qingdao")
    }
    published = {
        name: make_product(enterprise=e, sku="PUB", title_en=f"{name} table")
        for name, e in enterprises.items()
    }
    drafts = {
        name: make_product(
            enterprise=e, sku="DRAFT", title_en=f"{name} prototype", status=ProductStatus.DRAFT
        )
        for name, e in enterprises.items()
    }
    return Site(enterprises, published, drafts, regions)


def member_of(enterprise: Enterprise, role: str = Role.MEMBER) -> User:
    return make_user(organisation=enterprise.organisation, role=role)


def government_of(region: Region | None) -> User:
    return make_user(
        organisation=make_organisation(kind=OrganisationKind.GOVERNMENT, region=region)
    )


def buyer() -> User:
    return make_user(organisation=make_organisation(kind=OrganisationKind.BUYER))


def operator() -> User:
    return make_user(organisation=make_organisation(kind=OrganisationKind.OPERATOR))


# Enterprise members -----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ADMIN])
def test_can_edit_member_or_admin_edits_own_enterprise_and_its_products(site, role):
    user = member_of(site.enterprises["laixi"], role)

    assert can_edit_enterprise(user, site.enterprises["laixi"]) is True
    assert can_edit_product(user, site.published["laixi"]) is True
    assert can_edit_product(user, site.drafts["laixi"]) is True
    assert can_view_enterprise_private(user, site.enterprises["laixi"]) is True
    assert can_view_product(user, site.drafts["laixi"]) is True


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ADMIN])
def test_can_edit_member_of_another_enterprise_is_refused(site, role):
    user = member_of(site.enterprises["lanxi"], role)
    laixi = site.enterprises["laixi"]

    assert can_edit_enterprise(user, laixi) is False
    assert can_admin_enterprise(user, laixi) is False
    assert can_edit_product(user, site.published["laixi"]) is False
    assert can_edit_product(user, site.drafts["laixi"]) is False
    assert can_view_enterprise_private(user, laixi) is False
    assert can_view_product(user, site.drafts["laixi"]) is False
    assert can_view_product(user, site.published["laixi"]) is True


def test_can_admin_enterprise_only_its_admins(site):
    laixi = site.enterprises["laixi"]

    assert can_admin_enterprise(member_of(laixi, Role.ADMIN), laixi) is True
    assert can_admin_enterprise(member_of(laixi, Role.MEMBER), laixi) is False


def test_can_edit_product_follows_the_products_enterprise(site):
    user = member_of(site.enterprises["laixi"])

    editable = {name for name, product in site.published.items() if can_edit_product(user, product)}

    assert editable == {"laixi"}


# Governments ------------------------------------------------------------------------------


def test_government_of_city_sees_private_data_of_its_counties_and_itself(site):
    user = government_of(site.regions["qingdao"])

    assert is_government(user) is True
    for name in ("laixi", "jiaozhou", "qingdao"):
        assert can_view_enterprise_private(user, site.enterprises[name]) is True, name
        assert can_view_product(user, site.drafts[name]) is True, name


def test_government_of_city_does_not_see_private_data_outside_its_region(site):
    user = government_of(site.regions["qingdao"])

    assert can_view_enterprise_private(user, site.enterprises["lanxi"]) is False
    assert can_view_product(user, site.drafts["lanxi"]) is False
    assert can_view_product(user, site.published["lanxi"]) is True


def test_government_edits_nothing_even_in_its_region(site):
    user = government_of(site.regions["shandong"])

    for name, enterprise in site.enterprises.items():
        assert can_edit_enterprise(user, enterprise) is False, name
        assert can_admin_enterprise(user, enterprise) is False, name
        assert can_edit_product(user, site.published[name]) is False, name
        assert can_edit_product(user, site.drafts[name]) is False, name


def test_government_of_county_does_not_see_sibling_counties_or_its_city(site):
    user = government_of(site.regions["jiaozhou"])

    assert can_view_enterprise_private(user, site.enterprises["jiaozhou"]) is True
    assert can_view_enterprise_private(user, site.enterprises["laixi"]) is False
    assert can_view_enterprise_private(user, site.enterprises["qingdao"]) is False
    assert can_view_product(user, site.drafts["laixi"]) is False


def test_government_region_match_is_by_whole_code_not_by_prefix(site):
    # /37/3702/ must not match /37/37021/: a code that merely starts with the same digits.
    lookalike = make_region(
        code="37021", name_zh="相似区", name_en="Lookalike", parent=site.regions["shandong"]
    )
    enterprise = make_enterprise(region=lookalike)
    draft = make_product(enterprise=enterprise, status=ProductStatus.DRAFT)
    user = government_of(site.regions["qingdao"])

    assert can_view_enterprise_private(user, enterprise) is False
    assert draft.pk not in set(
        visible_products(user, Product.objects.all()).values_list("pk", flat=True)
    )


def test_government_without_a_region_sees_nothing_private(site):
    user = government_of(None)

    assert is_government(user) is False
    assert not any(can_view_enterprise_private(user, e) for e in site.enterprises.values())


# Buyers, anonymous visitors, people without an organisation -------------------------------


@pytest.mark.parametrize(
    "make_actor", [buyer, AnonymousUser, make_user], ids=["buyer", "anonymous", "no-organisation"]
)
def test_outsider_sees_only_published_products_and_edits_nothing(site, make_actor):
    user = make_actor()

    for name, enterprise in site.enterprises.items():
        assert can_view_product(user, site.published[name]) is True, name
        assert can_view_product(user, site.drafts[name]) is False, name
        assert can_view_enterprise_private(user, enterprise) is False, name
        assert can_edit_enterprise(user, enterprise) is False, name
        assert can_admin_enterprise(user, enterprise) is False, name
        assert can_edit_product(user, site.published[name]) is False, name
    assert is_operator(user) is False


# Operators --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_actor",
    [operator, lambda: make_user(is_superuser=True)],
    ids=["operator-organisation", "superuser"],
)
def test_operator_sees_and_edits_everything(site, make_actor):
    user = make_actor()

    assert is_operator(user) is True
    for name, enterprise in site.enterprises.items():
        assert can_edit_enterprise(user, enterprise) is True, name
        assert can_admin_enterprise(user, enterprise) is True, name
        assert can_view_enterprise_private(user, enterprise) is True, name
        assert can_edit_product(user, site.drafts[name]) is True, name
        assert can_view_product(user, site.drafts[name]) is True, name


# Several organisations --------------------------------------------------------------------


def test_user_in_two_organisations_gets_the_union_of_their_rights(site):
    user = member_of(site.enterprises["laixi"])
    lanxi_bureau = make_organisation(kind=OrganisationKind.GOVERNMENT, region=site.regions["lanxi"])
    Membership.objects.create(user=user, organisation=lanxi_bureau, role=Role.MEMBER)
    user = User.objects.get(pk=user.pk)  # memberships are cached per user object

    assert can_edit_enterprise(user, site.enterprises["laixi"]) is True
    assert can_view_enterprise_private(user, site.enterprises["lanxi"]) is True
    assert can_edit_enterprise(user, site.enterprises["lanxi"]) is False  # sees, not edits
    assert can_view_enterprise_private(user, site.enterprises["jiaozhou"]) is False
    assert set(visible_products(user, Product.objects.all()).values_list("pk", flat=True)) == (
        site.published_ids() | {site.drafts["laixi"].pk, site.drafts["lanxi"].pk}
    )


# Querysets --------------------------------------------------------------------------------


def _visible(user) -> set[int]:
    return set(visible_products(user, Product.objects.all()).values_list("pk", flat=True))


def test_visible_products_per_actor(site):
    d = site.drafts

    assert _visible(AnonymousUser()) == site.published_ids()
    assert _visible(buyer()) == site.published_ids()
    assert _visible(member_of(site.enterprises["laixi"])) == site.published_ids() | {d["laixi"].pk}
    assert _visible(government_of(site.regions["qingdao"])) == site.published_ids() | {
        d["laixi"].pk,
        d["jiaozhou"].pk,
        d["qingdao"].pk,
    }
    assert _visible(government_of(site.regions["jiaozhou"])) == site.published_ids() | {
        d["jiaozhou"].pk
    }
    assert _visible(operator()) == site.all_product_ids()


def test_editable_enterprises_per_actor(site):
    def editable(user) -> set[str]:
        return set(
            editable_enterprises(user, Enterprise.objects.all()).values_list("name_zh", flat=True)
        )

    assert editable(member_of(site.enterprises["laixi"], Role.ADMIN)) == {"laixi工厂"}
    assert editable(member_of(site.enterprises["lanxi"])) == {"lanxi工厂"}
    assert editable(government_of(site.regions["shandong"])) == set()
    assert editable(buyer()) == set()
    assert editable(AnonymousUser()) == set()
    assert editable(operator()) == {f"{name}工厂" for name in site.enterprises}


def test_querysets_agree_with_the_object_rules(site):
    actors = [
        AnonymousUser(),
        buyer(),
        member_of(site.enterprises["laixi"]),
        government_of(site.regions["qingdao"]),
        government_of(site.regions["jiaozhou"]),
        government_of(site.regions["zhejiang"]),
        operator(),
    ]
    products = list(Product.objects.select_related("enterprise__region"))
    enterprises = list(Enterprise.objects.select_related("region"))

    for user in actors:
        assert _visible(user) == {p.pk for p in products if can_view_product(user, p)}
        private = set(
            Enterprise.objects.filter(private_enterprise_filter(user)).values_list("pk", flat=True)
        )
        assert private == {e.pk for e in enterprises if can_view_enterprise_private(user, e)}
        editable = set(
            editable_enterprises(user, Enterprise.objects.all()).values_list("pk", flat=True)
        )
        assert editable == {e.pk for e in enterprises if can_edit_enterprise(user, e)}


# require ----------------------------------------------------------------------------------


def test_require_refuses_with_access_denied_a_permission_denied():
    with pytest.raises(AccessDenied) as exc:
        require(False, "Only the enterprise's members may edit it.")

    assert str(exc.value) == "Only the enterprise's members may edit it."
    assert isinstance(exc.value, PermissionDenied)  # Django answers 403
    require(True)  # allowed: no error


def test_region_tree_levels_are_as_the_tests_assume(site):
    assert site.regions["qingdao"].level == RegionLevel.CITY
    assert site.regions["laixi"].path == "/37/3702/370285/"
    assert site.regions["lanxi"].path == "/33/3307/330781/"
