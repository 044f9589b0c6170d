"""The demo catalog on the domestic channels: every product has a category on every channel,
and for a sample of demo enterprises (one per belt) the page and the API agree on every
product × channel; the CCC categories are never ready without a CCC number."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from dualcirc.catalog.models import Enterprise, Product
from dualcirc.channels.rules import load_rule_book
from dualcirc.core.access import is_operator
from dualcirc.core.models import User
from dualcirc.demo.loader import load_demo
from tests.factories.api import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo")
def test_every_demo_product_has_a_category_on_every_channel():
    book = load_rule_book()

    unmapped = sorted(
        {
            p.hs_code
            for p in Product.objects.all()
            if book.type_for(hs_code=p.hs_code, text=p.title) is None
        }
    )

    assert Product.objects.count() > 100
    assert unmapped == []


@pytest.mark.usefixtures("demo")
def test_page_and_api_agree_for_one_demo_enterprise_per_belt():
    operator = next(u for u in User.objects.filter(is_active=True) if is_operator(u))
    client = Client()
    client.force_login(operator)
    enterprises = {e.belt_id: e for e in Enterprise.objects.exclude(belt=None).order_by("-pk")}
    ccc_types = {k for k, t in load_rule_book().types.items() if "ccc" in t.requirements}
    compared = 0

    for enterprise in enterprises.values():
        page = client.get(reverse("channels-enterprise", args=[enterprise.pk]))
        api = client.get(
            f"/api/enterprises/{enterprise.pk}/channel-readiness", headers=bearer(operator)
        ).json()
        from_page = {
            p.sku: [(r.channel, r.ready, r.score) for r in cells]
            for p, cells in page.context["rows"]
        }
        from_api = {
            row["sku"]: [(c["channel"], c["ready"], c["score"]) for c in row["channels"]]
            for row in api
        }
        assert from_api == from_page
        compared += sum(len(v) for v in from_page.values())
        for row in api:
            for channel in row["channels"]:
                if channel["product_type"] in ccc_types:
                    assert channel["ready"] is False  # no demo product has a CCC number yet

    assert len(enterprises) >= 5
    assert compared > 100


@pytest.mark.usefixtures("demo")
def test_demo_has_own_brands_moved_from_oem_over_months_and_the_bureau_panel_shows_them():
    from dualcirc.channels.models import Brand, BrandAuthorisation, BrandingChange
    from dualcirc.channels.queries_brands import summarise_own_brands
    from dualcirc.channels.readiness import check_evidence

    operator = next(u for u in User.objects.filter(is_active=True) if is_operator(u))
    brands = list(Brand.objects.select_related("enterprise__belt"))
    summary = summarise_own_brands(Enterprise.objects.all())
    client = Client()
    client.force_login(operator)
    page = client.get("/en/bureau/?scope=region:37").content.decode()

    assert len({b.enterprise.belt.slug for b in brands}) >= 5
    trademark = load_rule_book().requirements["trademark"]
    assert [b.name for b in brands if check_evidence(trademark, b.trademark_number)] == []
    assert BrandAuthorisation.objects.filter(distributor__isnull=False).exists()
    moves = summary.oem_to_brand
    assert (
        len(moves) >= 6
        and sum(n for _month, n in moves)
        == BrandingChange.objects.filter(from_kind="oem", to_kind="own_brand").count()
    )
    assert 0 < summary.total.own_brand < summary.total.products
    # the first brand owner of each belt lists two products: some are ready, not all
    assert 0 < summary.total.ready["jd"] < summary.total.products
    assert 'data-chart-key="own-brand"' in page and 'data-chart-key="channel-readiness"' in page
