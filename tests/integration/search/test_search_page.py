"""The search page: query box, facets, results with highlighted reasons, both UI languages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from dualcirc.catalog.enums import ProductStatus
from dualcirc.search.indexing import index_products
from tests.factories import make_product, make_user
from tests.factories.search import make_catalog

pytestmark = pytest.mark.django_db


def search_url(lang: str) -> str:
    with translation.override(lang):
        return reverse("search:search")


def result_skus(html: str) -> list[str]:
    """Product ids of the result list, in order, as product page links."""
    section = html[html.index('id="search-results"') :] if 'id="search-results"' in html else html
    return re.findall(r'class="hit-title"><a href="/[a-z-]+/products/(\d+)/"', section)


def test_search_page_in_english_ranks_and_explains(client):
    catalog = make_catalog()

    response = client.get(search_url("en"), {"q": "oak dining table"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert result_skus(html)[0] == str(catalog.table.pk)
    # the English title is shown in the English UI, the matched words marked
    assert "Solid <mark>oak dining table</mark>, 6 seats" in html
    assert '<p class="alt-name" lang="zh">实木<mark>橡木餐桌</mark> 六人位</p>' in html
    assert (
        '<span class="reason reason-term">title: <mark>oak dining</mark> <mark>dining table</mark>'
    ) in html
    assert "similar meaning 100%" in html
    # it is what the query names, said in its own words (the ranking's type agreement)
    named = r'<span class="reason reason-named">is what you asked for: <mark>[^<]+</mark>'
    assert re.search(named, html)
    # "oak" is also understood as a material the product must be made of
    assert '<span class="chip chip-met" title="' in html
    assert "Understood from your words:" in html


def test_search_page_in_chinese_shows_the_chinese_title(client):
    catalog = make_catalog()

    response = client.get(search_url("zh-hans"), {"q": "餐桌"})

    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert result_skus(html)[0] == str(catalog.table.pk)
    assert (
        f'<a href="/zh-hans/products/{catalog.table.pk}/" lang="zh">'
        "实木橡木<mark>餐桌</mark> 六人位</a>" in html
    )
    assert '<p class="alt-name" lang="en">Solid oak <mark>dining table</mark>, 6 seats</p>' in html


def test_search_page_shows_each_understood_constraint_as_a_chip(client):
    catalog = make_catalog()

    response = client.get(search_url("en"), {"q": "denim fabric MOQ under 5000 meters to Vietnam"})

    html = response.content.decode()
    assert result_skus(html)[0] == str(catalog.denim.pk)
    assert (
        '<span class="chip chip-query">MOQ &lt; 5,000 m '
        '<span class="muted">«MOQ under 5000 meters»</span></span>' in html
    )
    assert (
        '<span class="chip chip-query">Exports to Vietnam '
        '<span class="muted">«to Vietnam»</span></span>' in html
    )
    first = html[html.index('<li class="hit">') : html.index("</li>")]
    assert (
        '<span class="chip chip-met" title="MOQ 3000 m &lt; 5000 m">MOQ &lt; 5,000 m '
        '<span class="chip-mark" aria-hidden="true">✓</span>'
    ) in first
    assert '<span class="chip chip-met" title="exports to VN">Exports to Vietnam' in first
    table = html[html.index(f"/en/products/{catalog.table.pk}/") :]
    assert '<span class="chip chip-failed" title="no export to VN (exports to US, DE)">' in table
    assert '<span class="chip chip-unknown" title="MOQ 50 pcs not comparable with m">' in table


def test_search_page_facets_exclude_what_does_not_satisfy_them(client):
    catalog = make_catalog()

    by_cert = client.get(search_url("en"), {"q": "table", "certification": "FSC"})
    by_market = client.get(search_url("en"), {"q": "fabric", "market": "VN"})
    by_moq = client.get(search_url("en"), {"q": "fabric", "moq_max": "2000"})
    by_price = client.get(
        search_url("en"), {"q": "furniture", "price_max": "1300", "currency": "CNY"}
    )
    by_industry = client.get(search_url("en"), {"q": "fabric", "industry": "Textile"})
    # "fabric" also names the sofa (chapter 94): the chapter filter leaves it out
    by_chapter = client.get(search_url("en"), {"q": "fabric", "hs_chapter": "52"})
    by_language = client.get(search_url("en"), {"q": "denim", "language": "zh"})

    assert result_skus(by_cert.content.decode()) == [str(catalog.table.pk)]
    assert set(result_skus(by_market.content.decode())) == {
        str(catalog.denim.pk),
        str(catalog.sofa.pk),
    }
    assert set(result_skus(by_moq.content.decode())) == {
        str(p.pk) for p in (catalog.canvas, catalog.sofa, catalog.table, catalog.wardrobe)
    }
    # 1300 CNY is about 195 USD: the table (120 USD) and the wardrobe (180 USD), not the sofa
    assert set(result_skus(by_price.content.decode())) == {
        str(catalog.table.pk),
        str(catalog.wardrobe.pk),
        str(catalog.denim.pk),
        str(catalog.canvas.pk),
    }
    assert set(result_skus(by_industry.content.decode())) == {
        str(catalog.denim.pk),
        str(catalog.canvas.pk),
    }
    assert set(result_skus(by_chapter.content.decode())) == {
        str(catalog.denim.pk),
        str(catalog.canvas.pk),
    }
    assert result_skus(by_language.content.decode()) == [
        str(catalog.denim.pk),
        str(catalog.table.pk),
    ]
    assert '<span class="chip chip-filter">FSC certified</span>' in by_cert.content.decode()
    assert '<span class="chip chip-filter">Price ≤ 1,300 CNY</span>' in by_price.content.decode()


def test_search_page_lists_facet_values_with_counts(client):
    make_catalog()

    html = client.get(search_url("en"), {"q": "table"}).content.decode()

    assert '<option value="Furniture">Furniture (3)</option>' in html
    assert '<option value="Textile">Textile (2)</option>' in html
    assert '<option value="VN">Vietnam (2)</option>' in html
    assert '<option value="FSC">FSC (1)</option>' in html
    assert '<option value="zh">Chinese (2)</option>' in html
    assert re.search(r'<option value="94">94 · Furniture; [^<]*\(3\)</option>', html)


def test_search_page_names_the_bad_parameter(client):
    make_catalog()

    response = client.get(search_url("en"), {"q": "table", "price_max": "100"})
    bad_number = client.get(search_url("en"), {"q": "table", "moq_max": "lots"})

    html = response.content.decode()
    assert "<li>Currency: A price ceiling needs a currency.</li>" in html
    assert result_skus(html) == []
    assert "<li>Largest acceptable MOQ: Enter a number.</li>" in bad_number.content.decode()


def test_search_page_without_a_query_invites_one(client):
    make_catalog()

    html = client.get(search_url("en")).content.decode()

    assert result_skus(html) == []
    assert "Type what you are looking for" in html
    assert 'name="q"' in html


def test_search_page_answers_htmx_with_the_results_fragment(client):
    catalog = make_catalog()

    response = client.get(search_url("en"), {"q": "walnut wardrobe"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html
    assert result_skus(html)[0] == str(catalog.wardrobe.pk)


def test_search_page_form_works_without_javascript(client):
    make_catalog()

    html = client.get(search_url("en")).content.decode()

    assert '<form id="search-form" method="get" action="/en/search/"' in html
    assert 'hx-get="/en/search/" hx-target="#search-results"' in html


def test_search_page_pages_through_results(client):
    catalog = make_catalog()
    for n in range(25):
        make_product(enterprise=catalog.laixi, sku=f"LX-C{n:02}", title_en=f"Oak chair model {n}")
    index_products(list(catalog.laixi.products.values_list("pk", flat=True)))

    first = client.get(search_url("en"), {"q": "oak chair"}).content.decode()
    second = client.get(search_url("en"), {"q": "oak chair", "page": "2"}).content.decode()

    assert len(result_skus(first)) == 20
    assert 'rel="next" href="?q=oak+chair&amp;page=2"' in first
    assert '<ol class="hits" start="21">' in second
    assert not set(result_skus(first)) & set(result_skus(second))
    assert 'rel="prev" href="?q=oak+chair&amp;page=1"' in second


def test_search_page_never_shows_drafts_not_even_to_their_enterprise(client):
    catalog = make_catalog()
    other_draft = make_product(
        enterprise=catalog.lanxi,
        sku="LN-X",
        title_en="Oak dining table",
        status=ProductStatus.DRAFT,
    )
    index_products([other_draft.pk])
    member = make_user(organisation=catalog.laixi.organisation)
    client.force_login(member)

    html = client.get(search_url("en"), {"q": "oak dining table prototype"}).content.decode()

    assert str(catalog.draft.pk) not in result_skus(html)
    assert str(other_draft.pk) not in result_skus(html)
    results = html[html.index('id="search-results"') :]
    assert "Oak dining table prototype" not in results
    assert result_skus(html)[0] == str(catalog.table.pk)


def test_search_page_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    catalog = make_catalog()
    for n in range(15):
        make_product(enterprise=catalog.lanxi, sku=f"LN-F{n:02}", title_en=f"Linen fabric {n}")
    index_products(list(catalog.lanxi.products.values_list("pk", flat=True)))
    client.get(search_url("en"), {"q": "fabric"})  # the index is loaded

    # 4 for the page, 3 for the demand signal, written once the response is closed (the test
    # client closes it before returning): SAVEPOINT, INSERT, RELEASE inside the test's
    # transaction; one INSERT in production
    with django_assert_max_num_queries(4 + 3):
        html = client.get(
            search_url("en"), {"q": "fabric"}, HTTP_HX_REQUEST="true"
        ).content.decode()

    assert len(result_skus(html)) == 20
