"""Comparable domestic listings on dualcirc beside the suggested prices: other enterprises'
published products of the same product type with a domestic retail price — never a draft,
never the enterprise's own — on the product page and in the API, with bounded queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from dualcirc.catalog.enums import ProductStatus
from dualcirc.channels.models import DomesticListing
from dualcirc.channels.queries import find_comparable_listings
from dualcirc.l10n.rates import display_converter
from tests.factories import make_enterprise, make_product, make_region_tree
from tests.factories.api import bearer, make_enterprise_user, make_operator

pytestmark = pytest.mark.django_db


def listed(enterprise, price: str | None, **kwargs):
    product = make_product(enterprise=enterprise, **kwargs)
    if price is not None:
        DomesticListing.objects.create(product=product, retail_price=Decimal(price))
    return product


@pytest.fixture
def world():
    regions = make_region_tree()
    mine = make_enterprise(region=regions["laixi"], name_zh="青岛莱木家具有限公司")
    other = make_enterprise(region=regions["lanxi"], name_zh="兰溪木业有限公司")
    member = make_enterprise_user(enterprise=mine)
    table = listed(mine, "999", sku="MY-T", title_en="Oak dining table")
    listed(mine, "10", sku="MY-OTHER", title_en="Our own coffee table")  # own: not compared
    a = listed(other, "1200.00", sku="O-1", title_en="Walnut dining table", hs_code="940360")
    b = listed(other, "800.50", sku="O-2", title_en="Pine coffee table", hs_code="940330")
    c = listed(other, "2000", sku="O-3", title_en="Marble dining table", hs_code="940360")
    listed(other, "55", sku="O-DRAFT", title_en="Secret draft table", status=ProductStatus.DRAFT)
    listed(other, None, sku="O-NOPRICE", title_en="Unpriced table")
    listed(other, "300", sku="O-BED", title_en="Pine bed", hs_code="940350")  # another type
    return {"mine": mine, "other": other, "member": member, "table": table, "shown": [b, a, c]}


def test_range_median_and_examples_come_from_other_enterprises_published_products(world):
    found = find_comparable_listings(user=world["member"], product=world["table"])

    assert found is not None
    assert (found.product_type, found.hs_codes) == ("furniture-table", ("940330", "940360"))
    assert (found.count, found.low, found.median, found.high, found.currency) == (
        3,
        Decimal("800.50"),
        Decimal("1200.00"),
        Decimal("2000.00"),
        "CNY",
    )
    assert [c.product for c in found.examples] == world["shown"]


def test_an_operator_still_sees_no_draft_of_another_enterprise(world):
    found = find_comparable_listings(user=make_operator(), product=world["table"])
    assert found is not None
    assert "O-DRAFT" not in [c.product.sku for c in found.examples]
    assert found.count == 3


def test_no_comparable_listing_gives_none():
    enterprise = make_enterprise()
    product = listed(enterprise, "10", hs_code="851672", title_en="Hair dryer")
    assert find_comparable_listings(user=make_operator(), product=product) is None


def test_product_page_shows_the_range_beside_the_prices_and_says_they_are_on_dualcirc(
    client, world
):
    client.force_login(world["member"])
    page = client.get(reverse("channels-product", args=[world["table"].pk])).content.decode()

    assert 'id="comparable-listings"' in page
    assert "not on Tmall, JD or the other channels" in page
    assert '<dd data-stat="count">3</dd>' in page
    assert '<dd data-stat="median">¥1,200.00</dd>' in page
    assert '<dd data-stat="low">¥800.50</dd>' in page
    for product in world["shown"]:
        assert reverse("product-detail", args=[product.pk]) in page
    assert "Secret draft table" not in page and "Our own coffee table" not in page


def test_api_answers_bands_and_comparables_and_404_for_another_enterprise(client, world):
    url = f"/api/products/{world['table'].pk}/domestic-prices"
    draft = listed(world["mine"], "999", sku="MY-DRAFT", status=ProductStatus.DRAFT)
    outsider = make_enterprise_user(enterprise=world["other"])
    mine = client.get(url, headers=bearer(world["member"]))
    theirs = client.get(url, headers=bearer(outsider))
    their_draft = client.get(f"/api/products/{draft.pk}/domestic-prices", headers=bearer(outsider))
    page_of_draft = client.get(reverse("channels-product", args=[draft.pk]))

    # a published product is public, its channel data is not (403, as channel-readiness);
    # another enterprise's draft reads as absent
    assert (theirs.status_code, their_draft.status_code) == (403, 404)
    client.force_login(outsider)
    assert client.get(reverse("channels-product", args=[draft.pk])).status_code == 404
    assert page_of_draft.status_code == 302  # anonymous: sign in first
    body = mine.json()
    assert {b["channel"] for b in body["bands"]} == {"tmall", "jd", "douyin", "pdd", "1688"}
    comparables = body["comparables"]
    assert comparables["source"] == "dualcirc"
    assert (comparables["count"], comparables["low"], comparables["median"]) == (
        3,
        "800.50",
        "1200.00",
    )
    assert [e["product_id"] for e in comparables["examples"]] == [p.pk for p in world["shown"]]


def test_page_and_api_queries_do_not_grow_with_the_comparable_listings(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["member"])
    display_converter()
    page_url = reverse("channels-product", args=[world["table"].pk])
    api_url = f"/api/products/{world['table'].pk}/domestic-prices"
    counts = []
    for n in (0, 30):
        for i in range(n):
            listed(world["other"], f"{900 + i}", sku=f"MORE-{i}", hs_code="940360")
        with django_assert_max_num_queries(40) as page:
            assert client.get(page_url).status_code == 200
        with django_assert_max_num_queries(20) as api:
            assert client.get(api_url).status_code == 200
        counts.append((len(page.captured_queries), len(api.captured_queries)))

    assert counts[0] == counts[1]
