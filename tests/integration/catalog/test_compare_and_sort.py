"""Sorting the product list (page and API, one parser) and comparing up to four products side by
side with prices in the viewer's currency."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from dualcirc.catalog.queries import parse_product_filters
from tests.factories import make_product
from tests.factories.pages import PagesWorld, add_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> PagesWorld:
    return PagesWorld()


@pytest.fixture
def priced(world: PagesWorld) -> dict[str, Any]:
    """Four products priced in three currencies and one without a price."""
    make = make_product
    return {
        "CNY-100": make(
            enterprise=world.factory,
            sku="CNY-100",
            price_min=Decimal("100"),
            price_max=None,
            currency="CNY",
            moq=Decimal("500"),
            lead_time_days=30,
        ),
        "USD-20": make(
            enterprise=world.factory,
            sku="USD-20",
            price_min=Decimal("20"),
            price_max=Decimal("25"),
            currency="USD",
            moq=Decimal("10"),
            lead_time_days=None,
            certifications=["CE"],
            export_markets=["DE", "US"],
        ),
        "EUR-10": make(
            enterprise=world.factory,
            sku="EUR-10",
            price_min=Decimal("10"),
            price_max=None,
            currency="EUR",
            moq=None,
            lead_time_days=7,
        ),
        "NONE": make(
            enterprise=world.factory,
            sku="NONE",
            price_min=None,
            price_max=None,
            currency="",
            moq=Decimal("50"),
            lead_time_days=14,
        ),
    }


def skus(response: Any) -> list[str]:
    return [p.sku for p in response.context["page_obj"].object_list]


def api_skus(client: Client, params: dict[str, str]) -> list[str]:
    return [r["sku"] for r in client.get("/api/products", params).json()["results"]]


def test_product_list_sorts_by_price_converted_to_one_currency(priced: dict[str, Any]) -> None:
    client = Client()

    # 10 EUR ≈ 80 CNY < 100 CNY < 20 USD ≈ 145 CNY; no price last
    assert skus(client.get("/en/products/", {"sort": "price"})) == [
        "EUR-10",
        "CNY-100",
        "USD-20",
        "NONE",
    ]
    assert api_skus(client, {"sort": "price"}) == ["EUR-10", "CNY-100", "USD-20", "NONE"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("moq", ["USD-20", "NONE", "CNY-100", "EUR-10"]),
        ("lead_time", ["EUR-10", "NONE", "CNY-100", "USD-20"]),
    ],
)
def test_product_list_sorts_by_moq_and_lead_time(
    priced: dict[str, Any], sort: str, expected: list[str]
) -> None:
    client = Client()

    assert skus(client.get("/en/products/", {"sort": sort})) == expected
    assert api_skus(client, {"sort": sort}) == expected


def test_product_list_names_an_unknown_sort(priced: dict[str, Any]) -> None:
    response = Client().get("/en/products/", {"sort": "colour"})

    assert response.status_code == 400
    assert "Sort by" in response.content.decode()


def test_page_and_api_read_filters_with_one_vocabulary(world: PagesWorld) -> None:
    parsed = parse_product_filters(
        {"keyword": "oak", "market": "de", "moq_max": Decimal("100"), "enterprise": 7}
    )
    bad = parse_product_filters({"market": "XX", "belt": "nowhere", "sort": "colour"})

    assert (parsed.filters.keyword, parsed.filters.market) == ("oak", "DE")
    assert (parsed.filters.moq_max, parsed.filters.enterprise) == (Decimal("100"), 7)
    assert parsed.errors == []
    assert [e.field for e in bad.errors] == ["market", "belt", "sort"]
    api = Client().get("/api/products", {"market": "XX"})
    assert api.status_code == 422
    assert [e["field"] for e in api.json()["errors"]] == ["market"]


# Compare ---------------------------------------------------------------------------------------


def add(client: Client, product: Any) -> Any:
    return client.post(f"/en/products/compare/{product.pk}/add/")


def compare_columns(html: str) -> list[str]:
    head = html[html.index('id="compare-table"') : html.index("</thead>")]
    return re.findall(r'<a href="/en/products/(\d+)/"', head)


def test_compare_keeps_up_to_four_products_in_the_session(
    world: PagesWorld, priced: dict[str, Any]
) -> None:
    client = Client()
    fifth = make_product(enterprise=world.factory, sku="FIFTH")
    for product in priced.values():
        assert add(client, product).status_code == 302

    refused = client.post(f"/en/products/compare/{fifth.pk}/add/", follow=True)

    html = refused.content.decode()
    assert compare_columns(html) == [str(p.pk) for p in priced.values()]
    assert "You can compare up to 4 products; remove one first." in html
    client.post(f"/en/products/compare/{priced['NONE'].pk}/remove/")
    add(client, fifth)
    html = client.get("/en/products/compare/").content.decode()
    assert compare_columns(html) == [
        str(priced["CNY-100"].pk),
        str(priced["USD-20"].pk),
        str(priced["EUR-10"].pk),
        str(fifth.pk),
    ]


def test_compare_shows_prices_in_the_viewers_currency_and_the_terms(
    priced: dict[str, Any],
) -> None:
    client = Client()
    add(client, priced["USD-20"])
    add(client, priced["CNY-100"])

    html = client.get("/en/products/compare/", {"currency": "EUR"}).content.decode()
    kept = client.get("/en/products/compare/").content.decode()

    assert "Price in EUR" in html
    assert "€" in html.split("Price in EUR", 1)[1].split("</tr>", 1)[0]
    assert "$20.00" in html  # the listed price beside it
    assert "CE" in html and "Germany" in html and "10 pcs" in html
    assert "Price in EUR" in kept  # the chosen currency is kept in the session


def test_compare_in_english_defaults_to_dollars(priced: dict[str, Any]) -> None:
    client = Client()
    add(client, priced["CNY-100"])

    html = client.get("/en/products/compare/").content.decode()

    assert "Price in USD" in html
    row = html.split("Price in USD", 1)[1].split("</tr>", 1)[0]
    assert "$" in row


def test_compare_drops_products_no_longer_visible(world: PagesWorld) -> None:
    client = Client()
    product = make_product(enterprise=world.factory, sku="GONE")
    add(client, product)
    product.status = "draft"
    product.save()

    html = client.get("/en/products/compare/").content.decode()

    assert "Nothing to compare yet." in html
    assert client.session["compare_products"] == []


def test_product_page_offers_add_to_comparison(priced: dict[str, Any]) -> None:
    product = priced["USD-20"]

    html = Client().get(f"/en/products/{product.pk}/").content.decode()

    assert f'action="/en/products/compare/{product.pk}/add/"' in html


@pytest.mark.parametrize("sort", ["price", "moq", "lead_time"])
def test_sorted_product_list_queries_do_not_grow_with_rows(
    world: PagesWorld, sort: str, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    make_product(enterprise=world.factory, price_min=Decimal(1), currency="EUR")
    client.get("/en/products/", {"sort": sort})  # the process reads the rates once, then keeps them
    counts = []
    for n in (2, 27):
        for i in range(n):
            make_product(enterprise=world.factory, price_min=Decimal(i + 1), currency="EUR")
        # count, page, images, facet rows, belts, regions of the facets
        with django_assert_max_num_queries(6) as captured:
            response = client.get("/en/products/", {"sort": sort})
        assert len(skus(response)) == min(3 + 27 * (n == 27), 24)  # 1 + 2, then + 27
        counts.append(len(captured.captured_queries))

    assert counts == [6, 6]


def test_lists_and_search_results_add_to_the_comparison_with_htmx(
    priced: dict[str, Any], settings: Any
) -> None:
    from dualcirc.search.indexing import index_products
    from dualcirc.search.service import get_service
    from tests.factories.search import FAKE_EMBEDDER

    settings.SEARCH_EMBEDDER = FAKE_EMBEDDER
    get_service().reset()
    client = Client()
    product = priced["USD-20"]
    index_products([p.pk for p in priced.values()])
    button = f'hx-post="/en/products/compare/{product.pk}/add/"'

    listed = client.get("/en/products/").content.decode()
    found = client.get("/en/search/", {"q": "oak dining table"}).content.decode()
    added = client.post(f"/en/products/compare/{product.pk}/add/", HTTP_HX_REQUEST="true")

    assert button in listed
    assert button in found
    assert added.status_code == 200
    assert "Comparing 1 product" in added.content.decode()
    assert client.session["compare_products"] == [product.pk]


def test_adding_an_invisible_product_is_404(world: PagesWorld) -> None:
    draft = make_product(enterprise=world.factory, status="draft")

    response = Client().post(f"/en/products/compare/{draft.pk}/add/")

    assert response.status_code == 404


def test_compare_shows_each_products_photo_or_its_type_illustration(
    world: PagesWorld, priced: dict[str, Any]
) -> None:
    photographed, plain = priced["USD-20"], priced["CNY-100"]
    image = add_image(actor=world.member, product=photographed)
    client = Client()
    add(client, photographed)
    add(client, plain)

    html = client.get("/en/products/compare/").content.decode()
    row = html[html.index('<tr class="compare-pictures">') :]
    cells = re.findall(r"<td>(.*?)</td>", row[: row.index("</tr>")])

    assert len(cells) == 2
    assert f'src="{image.card_url}"' in cells[0]
    assert 'class="product-art product-art-card"' in cells[1]
