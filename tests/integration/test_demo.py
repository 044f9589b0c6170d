"""The demo data: what `dualcirc demo` loads, that every row is valid, that loading is
idempotent, and that each demo login signs in with the role it is shown with."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q

from dualcirc.catalog.domain import check_product
from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.hs import load_hs
from dualcirc.catalog.models import Enterprise, IndustrialBelt, Product
from dualcirc.catalog.signals import products_changed
from dualcirc.catalog.validators import validate_credit_code
from dualcirc.core.access import (
    can_admin_enterprise,
    can_edit_enterprise,
    editable_enterprises,
    is_operator,
    visible_products,
)
from dualcirc.core.enums import OrganisationKind, Role
from dualcirc.core.models import Membership, Organisation, Region, User
from dualcirc.demo.enterprises import ENTERPRISES
from dualcirc.demo.generate import KINDS, credit_code
from dualcirc.demo.loader import DemoSummary, load_demo
from dualcirc.demo.places import LOGINS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="class")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """The demo loaded once for the read-only tests of a class, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def row_counts() -> dict[str, int]:
    models = (Region, IndustrialBelt, Organisation, Enterprise, Product, User, Membership)
    return {m.__name__: m.objects.count() for m in models}


def listing_languages() -> Counter[str]:
    return Counter(Product.objects.values_list("languages", flat=True))


# Pure vocabulary checks ------------------------------------------------------------------


def test_demo_vocabulary_hs_codes_are_real_six_digit_subheadings():
    hs = load_hs()

    bad = [
        (belt, kind.key, kind.hs_code)
        for belt, kinds in KINDS.items()
        for kind in kinds
        if len(kind.hs_code) != 6 or kind.hs_code not in hs
    ]

    assert bad == []


def test_demo_enterprises_make_only_kinds_of_their_belt_and_have_unique_keys():
    unknown = [
        (spec.key, k)
        for spec in ENTERPRISES
        for k in spec.kinds
        if k not in {kind.key for kind in KINDS[spec.belt]}
    ]

    assert unknown == []
    assert len({spec.key for spec in ENTERPRISES}) == len(ENTERPRISES)
    assert len({credit_code(spec) for spec in ENTERPRISES}) == len(ENTERPRISES)


# The loaded demo (loaded once for this class, read only) ---------------------------------


@pytest.mark.usefixtures("demo")
class TestLoadedDemo:
    def test_load_demo_creates_dozens_of_enterprises_and_hundreds_of_products(self, demo):
        assert demo.enterprises == Enterprise.objects.count() >= 40
        assert demo.products == Product.objects.count() >= 400
        assert demo.drafts == Product.objects.filter(status=ProductStatus.DRAFT).count() >= 5
        assert IndustrialBelt.objects.count() >= 8
        assert Enterprise.objects.values("belt").distinct().count() >= 8
        assert Enterprise.objects.values("region__parent").distinct().count() >= 6  # cities
        assert [login.username for login in demo.logins] == [s.username for s in LOGINS]

    def test_load_demo_regions_form_the_province_city_county_tree(self):
        paths = dict(Region.objects.values_list("name_en", "path"))

        assert paths["Laixi"] == "/37/3702/370285/"
        assert paths["Jiaozhou"] == "/37/3702/370281/"
        assert paths["Jimo"] == "/37/3702/370215/"
        assert paths["Lanxi"] == "/33/3307/330781/"
        assert paths["Yongkang"] == "/33/3307/330784/"
        assert paths["Yinzhou"] == "/33/3302/330212/"
        assert paths["Wujiang"] == "/32/3205/320509/"
        assert paths["Haimen"] == "/32/3206/320614/"
        assert paths["Hanjiang"] == "/32/3210/321003/"
        assert paths["Lianyungang"] == "/32/3207/"

    def test_load_demo_listings_mix_chinese_english_and_vietnamese(self):
        languages = listing_languages()

        assert languages["zh"] >= 50  # Chinese only
        assert languages["en"] >= 50  # English only
        assert languages["zh,en"] >= 100
        assert languages["zh,en,vi"] + languages["en,vi"] >= 20
        assert set(languages) <= {"zh", "en", "zh,en", "zh,en,vi", "en,vi"}

    def test_load_demo_every_product_and_enterprise_is_valid(self):
        hs = load_hs()

        for product in Product.objects.select_related("enterprise"):
            product.full_clean()
            assert check_product(product) == [], product.sku
            assert product.hs_code in hs and len(product.hs_code) == 6, product.sku
            assert product.moq is not None and product.moq > 0 and product.unit, product.sku
            if product.price_min is not None:
                assert product.currency in ("CNY", "USD"), product.sku
                assert product.price_max is not None and product.price_max >= product.price_min
        for enterprise in Enterprise.objects.select_related("region", "organisation"):
            enterprise.full_clean()
            assert enterprise.credit_code is not None
            validate_credit_code(enterprise.credit_code)
            assert enterprise.credit_code[2:8] == enterprise.region.code.ljust(6, "0")
            assert enterprise.organisation.kind == OrganisationKind.ENTERPRISE
            assert enterprise.contacts and enterprise.business_models and enterprise.industries
            assert len(set(enterprise.certifications)) == len(enterprise.certifications)

    def test_load_demo_hs_codes_fit_the_products(self):
        def codes(title_en: str) -> set[str]:
            return set(
                Product.objects.filter(title_en__icontains=title_en).values_list(
                    "hs_code", flat=True
                )
            )

        assert codes("dining table") == {"940360"}
        assert codes("100% cotton denim") == {"520942"}
        assert codes("silk crepe de chine") == {"500720"}
        assert codes("bedding set") == {"630221", "630222"}
        assert codes("soft toothbrush") == {"960321"}
        assert codes("sonic electric toothbrush") == {"850980"}
        assert codes("smart LED TV") == {"852872"}
        assert codes("side-by-side refrigerator") == {"841810"}
        assert codes(" men's jeans") == {"620342"}

    def test_demo_logins_sign_in_with_their_passwords(self, client):
        for spec in LOGINS:
            assert client.login(username=spec.username, password=spec.password), spec.username
            assert not client.login(username=spec.username, password=spec.password + "x")

    def test_demo_logins_have_one_of_each_role(self):
        def memberships(username: str) -> list[tuple[str, str]]:
            return list(
                Membership.objects.filter(user__username=username).values_list(
                    "organisation__kind", "role"
                )
            )

        assert {s.role for s in LOGINS} == {
            "operator",
            "government",
            "enterprise-admin",
            "enterprise-member",
            "buyer",
        }
        assert memberships("operator") == [(OrganisationKind.OPERATOR, Role.ADMIN)]
        assert memberships("qingdao-gov") == [(OrganisationKind.GOVERNMENT, Role.MEMBER)]
        assert memberships("laixi-admin") == [(OrganisationKind.ENTERPRISE, Role.ADMIN)]
        assert memberships("laixi-member") == [(OrganisationKind.ENTERPRISE, Role.MEMBER)]
        assert memberships("hangzhou-buyer") == [(OrganisationKind.BUYER, Role.ADMIN)]

    def test_demo_logins_edit_what_their_role_allows(self):
        users = {u.username: u for u in User.objects.all()}
        hengmu = Enterprise.objects.get(name_zh="莱西市恒木家具有限公司")
        everything = Enterprise.objects.all()

        assert is_operator(users["operator"]) is True
        assert can_admin_enterprise(users["laixi-admin"], hengmu) is True
        assert can_edit_enterprise(users["laixi-member"], hengmu) is True
        assert can_admin_enterprise(users["laixi-member"], hengmu) is False
        assert list(editable_enterprises(users["laixi-member"], everything)) == [hengmu]
        assert not editable_enterprises(users["qingdao-gov"], everything).exists()
        assert not editable_enterprises(users["hangzhou-buyer"], everything).exists()

    def test_demo_government_login_sees_the_drafts_of_its_region_only(self):
        drafts = Product.objects.filter(status=ProductStatus.DRAFT)
        in_qingdao = set(
            drafts.filter(enterprise__region__path__startswith="/37/3702/").values_list(
                "pk", flat=True
            )
        )
        gov = User.objects.get(username="qingdao-gov")
        seen = set(visible_products(gov, drafts).values_list("pk", flat=True))

        assert in_qingdao  # the demo has drafts in Qingdao …
        assert drafts.filter(~Q(pk__in=in_qingdao)).exists()  # … and elsewhere
        assert seen == in_qingdao
        assert not visible_products(User.objects.get(username="hangzhou-buyer"), drafts).exists()


# Loading again ---------------------------------------------------------------------------


def test_load_demo_twice_leaves_the_same_rows():
    load_demo()
    counts = row_counts()
    keys = set(Product.objects.values_list("enterprise__credit_code", "sku", "pk"))

    second = load_demo()

    assert row_counts() == counts
    assert set(Product.objects.values_list("enterprise__credit_code", "sku", "pk")) == keys
    assert second.products == counts["Product"]


def test_load_demo_again_restores_edited_demo_rows_and_keeps_other_rows():
    load_demo()
    product = Product.objects.get(sku="LXF01-001")
    title = product.title_en
    Product.objects.filter(pk=product.pk).update(title_en="Changed by a user")
    admin = User.objects.get(username="laixi-admin")
    admin.set_password("forgotten")
    admin.save()
    extra = Organisation.objects.create(kind=OrganisationKind.BUYER, name="Not in the demo")

    load_demo()

    assert Product.objects.get(pk=product.pk).title_en == title
    assert User.objects.get(username="laixi-admin").check_password("admin-demo")
    assert Organisation.objects.filter(pk=extra.pk).exists()


def test_load_demo_sends_products_changed_once_with_every_product(
    django_capture_on_commit_callbacks,
):
    received: list[dict[str, Any]] = []

    def listener(sender: Any, **kwargs: Any) -> None:
        received.append(kwargs)

    products_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            load_demo()
    finally:
        products_changed.disconnect(listener)

    assert len(received) == 1
    assert set(received[0]["product_ids"]) == set(Product.objects.values_list("pk", flat=True))
    assert received[0]["deleted"] is False


# The command -----------------------------------------------------------------------------


def test_demo_command_migrates_loads_and_prints_the_logins_and_url(settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("load_demo", "--addrport", "0.0.0.0:8123", stdout=out)

    text = out.getvalue()
    assert Product.objects.count() >= 400
    for spec in LOGINS:
        line = next(line for line in text.splitlines() if f" {spec.username} " in line)
        assert spec.password in line.split(), spec.username
    assert "莱西市恒木家具有限公司" in text
    assert "http://127.0.0.1:8123/" in text


def test_demo_command_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())
    assert not Product.objects.exists()

    call_command("load_demo", "--force", stdout=StringIO())
    assert Product.objects.count() >= 400
