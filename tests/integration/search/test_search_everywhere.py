"""One search everywhere: every search box goes through the matching engine, with reasons; a
query that matches nothing well offers a sourcing request pre-filled from the query."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from dualcirc.search.queries import search_products, sourcing_prefill, understand_query
from tests.factories.search import make_catalog

pytestmark = pytest.mark.django_db


def result_ids(html: str) -> list[str]:
    return re.findall(r'class="hit-title"><a href="/[a-z-]+/products/(\d+)/"', html)


def home_search(client: Client, lang: str, query: str) -> str:
    """Submit the home page's search box as a browser would: its form's action and field."""
    home = client.get(f"/{lang}/").content.decode()
    form = re.search(r'<form class="search-box" method="get" action="([^"]+)"', home)
    assert form is not None
    assert 'id="home-q" name="q"' in home
    response = client.get(form.group(1), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "query", ["solid wood dining table MOQ 50 CE", "实木餐桌 FSC", "bàn ăn gỗ sồi"]
)
def test_home_search_box_shows_engine_results_with_reasons(client: Client, query: str) -> None:
    catalog = make_catalog()

    html = home_search(client, "en", query)

    assert result_ids(html)[0] == str(catalog.table.pk)
    assert "Why it matched:" in html
    assert '<span class="reason reason-term">title:' in html
    assert 'id="no-good-match"' not in html


def test_understood_constraints_are_shown_for_the_home_query(client: Client) -> None:
    make_catalog()

    html = home_search(client, "en", "solid wood dining table MOQ 50 CE")

    assert "Understood from your words:" in html
    assert (
        '<span class="chip chip-query">MOQ ≤ 50 <span class="muted">«MOQ 50»</span></span>' in html
    )
    assert "CE certified" in html


@pytest.mark.parametrize("query", ["laptop", "máy xúc"])
def test_a_query_that_matches_nothing_well_offers_a_sourcing_request(
    client: Client, query: str
) -> None:
    make_catalog()

    html = home_search(client, "en", query)

    assert 'id="no-good-match"' in html
    assert "No good match — post a sourcing request instead" in html
    assert result_ids(html) == []  # no unrelated products at "similar meaning 100%"
    link = re.search(r'id="post-sourcing-request" href="([^"]+)"', html)
    assert link is not None
    url = urlsplit(link.group(1).replace("&amp;", "&"))
    assert url.path == "/en/deals/requests/new/"
    assert parse_qs(url.query)["need"] == [query]


def test_the_request_is_pre_filled_with_what_the_query_states(client: Client) -> None:
    make_catalog()
    query = "laptop 14 inch MOQ 500 pcs under 300 USD to Germany CE"

    html = home_search(client, "en", query)

    link = re.search(r'id="post-sourcing-request" href="([^"]+)"', html)
    assert link is not None
    params = {
        k: v[0] for k, v in parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query).items()
    }
    assert params["need"] == query
    assert params["quantity"] == "500"
    assert params["unit"] == "pcs"
    assert (params["target_price"], params["currency"]) == ("300", "USD")
    assert params["destination_country"] == "DE"
    assert params["certifications"] == "CE"
    assert "laptop" in params["title"]


def test_the_prefilled_request_form_starts_with_the_query(client: Client) -> None:
    from tests.factories import make_organisation, make_user

    make_catalog()
    buyer = make_user(organisation=make_organisation(name="Importer", country="VN"))
    client.force_login(buyer)

    form = client.get(
        "/en/deals/requests/new/",
        {"title": "laptop", "need": "laptop MOQ 500", "quantity": "500", "certifications": "CE"},
    ).context["form"]

    assert (form.initial["title"], form.initial["need"]) == ("laptop", "laptop MOQ 500")
    assert form.initial["quantity"] == Decimal("500")
    assert form.initial["certifications"] == "CE"
    assert form.initial["destination_country"] == "VN"


def test_sourcing_prefill_reads_constraints_from_the_query() -> None:
    make_catalog()

    prefill = sourcing_prefill(understand_query("excavator MOQ 2 units FSC ISO 9001 to Vietnam"))

    assert prefill.need == "excavator MOQ 2 units FSC ISO 9001 to Vietnam"
    assert prefill.quantity == Decimal("2")
    assert prefill.destination_country == "VN"
    assert set(prefill.certifications) >= {"FSC"}


def test_header_search_box_is_on_every_page_and_uses_the_engine(client: Client) -> None:
    make_catalog()

    for path in ("/en/", "/en/products/", "/en/enterprises/", "/zh-hans/search/suppliers/"):
        html = client.get(path).content.decode()
        assert re.search(
            r'<form class="header-search" method="get" action="/[a-z-]+/search/"', html
        )


def test_the_product_list_search_box_goes_to_the_engine(client: Client) -> None:
    make_catalog()

    response = client.get("/en/products/", {"q": "oak dining table", "market": "DE", "belt": ""})

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == "/en/search/"
    assert parse_qs(target.query) == {"q": ["oak dining table"], "market": ["DE"]}
    page = client.get("/en/products/").content.decode()
    assert '<form class="search-box list-search" method="get" action="/en/search/"' in page
    assert 'name="keyword"' in page  # the keyword filter stays, as a facet


def test_the_supplier_list_search_box_goes_to_the_engine(client: Client) -> None:
    make_catalog()

    response = client.get("/en/enterprises/", {"q": "denim fabric"})

    assert response.status_code == 302
    assert response["Location"] == "/en/search/suppliers/?text=denim+fabric"
    page = client.get("/en/enterprises/").content.decode()
    assert 'action="/en/search/suppliers/"' in page


def test_search_results_sort_by_price_moq_and_lead_time(client: Client) -> None:
    catalog = make_catalog()
    query = "furniture table sofa wardrobe"

    by_relevance = search_products(user=AnonymousUser(), query=query)
    by_price = search_products(user=AnonymousUser(), query=query, sort="price")
    by_moq = search_products(user=AnonymousUser(), query=query, sort="moq")

    furniture = {catalog.table.pk, catalog.sofa.pk, catalog.wardrobe.pk}
    prices = [m.product.price_min or Decimal(-1) for m in by_price.matches]  # all priced
    moqs = [m.product.moq or Decimal(-1) for m in by_moq.matches]  # all with an MOQ
    assert {m.product.pk for m in by_price.matches} == {m.product.pk for m in by_relevance.matches}
    assert furniture <= {m.product.pk for m in by_price.matches}
    assert prices == sorted(prices) and min(prices) > 0
    assert moqs == sorted(moqs) and min(moqs) > 0
    html = client.get("/en/search/", {"q": query, "sort": "price"}).content.decode()
    assert result_ids(html) == [str(m.product.pk) for m in by_price.matches]
    assert '<option value="price" selected>Lowest price</option>' in html


def test_an_unknown_sort_is_named(client: Client) -> None:
    make_catalog()

    html = client.get("/en/search/", {"q": "oak table", "sort": "colour"}).content.decode()

    assert "Sort by" in html
    assert result_ids(html) == []


def test_a_buyer_contacts_a_ranked_supplier_from_the_supplier_search(client: Client) -> None:
    from tests.factories import make_organisation, make_user

    catalog = make_catalog()
    client.force_login(make_user(organisation=make_organisation(name="Importer"), role="admin"))

    html = client.get("/en/search/suppliers/", {"text": "denim fabric"}).content.decode()
    anonymous = Client().get("/en/search/suppliers/", {"text": "denim fabric"}).content.decode()

    assert f'action="/en/deals/contact/{catalog.lanxi.pk}/"' in html
    assert "/deals/contact/" not in anonymous


def test_the_api_sorts_and_says_whether_anything_matches_well(client: Client) -> None:
    catalog = make_catalog()

    by_price = client.get("/api/search/products", {"q": "fabric", "sort": "price"}).json()
    nothing = client.get("/api/search/products", {"q": "laptop"}).json()
    bad = client.get("/api/search/products", {"q": "fabric", "sort": "colour"})

    ids = [h["product"]["id"] for h in by_price["hits"]]
    assert by_price["good_match"] is True
    assert ids[:2] == [catalog.canvas.pk, catalog.denim.pk]  # 2.95 then 3.20 USD
    assert nothing["good_match"] is False
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["sort"]
