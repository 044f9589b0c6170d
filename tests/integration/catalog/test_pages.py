"""The public catalog pages: home, enterprise list and detail, product list and detail."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import Enterprise, Product
from dualcirc.core.models import User
from tests.factories import make_product, make_user
from tests.factories.api import make_buyer, make_government_user, make_operator
from tests.factories.pages import PagesWorld, add_image

pytestmark = pytest.mark.django_db

DENIM_VI = "Vải denim co giãn 12oz"


@pytest.fixture
def world() -> PagesWorld:
    return PagesWorld()


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _skus(response: Any) -> set[str]:
    return {p.sku for p in response.context["page_obj"].object_list}


def _enterprise_names(response: Any) -> set[str]:
    return {e.name_en for e in response.context["page_obj"].object_list}


def _html(response: Any) -> str:
    return response.content.decode()


# Home ----------------------------------------------------------------------------------------


def test_home_lists_belts_with_region_and_enterprise_count(world: PagesWorld) -> None:
    world.enterprise(name_en="Second furniture maker")

    response = _client().get("/en/")

    html = _html(response)
    assert response.status_code == 200
    assert "Laixi furniture" in html
    assert "Lanxi textiles" in html
    counts = {b.slug: (b.region.name_en, b.enterprise_count) for b in response.context["belts"]}
    assert counts == {"laixi-furniture": ("Laixi", 2), "lanxi-textiles": ("Lanxi", 0)}
    assert "2 enterprises" in html
    assert 'href="/en/enterprises/?belt=laixi-furniture"' in html


def test_home_in_chinese_shows_chinese_names(world: PagesWorld) -> None:
    response = _client().get("/zh-hans/")

    html = _html(response)
    assert '<html lang="zh-hans">' in html
    assert "莱西家具" in html
    assert "莱西市" in html
    assert "莱西橡木家具有限公司" in html
    assert 'href="/zh-hans/products/"' in html


def test_home_shows_latest_published_products_only(world: PagesWorld) -> None:
    make_product(enterprise=world.factory, sku="PUB-1", title_en="Oak bench")
    make_product(
        enterprise=world.factory,
        sku="DRAFT-1",
        title_en="Secret prototype",
        status=ProductStatus.DRAFT,
    )

    response = _client(world.member).get("/en/")

    html = _html(response)
    assert [p.sku for p in response.context["products"]] == ["PUB-1"]
    assert "Oak bench" in html
    assert "Secret prototype" not in html


def test_home_search_box_sends_q_to_the_matching_engine(world: PagesWorld) -> None:
    html = _html(_client().get("/en/"))

    assert '<form class="search-box" method="get" action="/en/search/" role="search">' in html
    assert 'id="home-q" name="q"' in html


# How an English page marks a title shown in its original language.
ORIGINAL_MARK_EN = '<small class="muted original-label" lang="en">(original)</small>'


def test_home_renders_vietnamese_titles(world: PagesWorld) -> None:
    make_product(enterprise=world.factory, title_en="", title_vi=DENIM_VI)

    html = _html(_client().get("/en/"))

    assert f'<h3 class="card-title" lang="vi">{DENIM_VI} {ORIGINAL_MARK_EN}</h3>' in html


# Enterprise list -----------------------------------------------------------------------------


def test_enterprise_list_filters_by_belt(world: PagesWorld) -> None:
    world.enterprise(region="lanxi", name_en="Lanxi Denim Mill")

    response = _client().get("/en/enterprises/?belt=lanxi-textiles")

    assert _enterprise_names(response) == {"Lanxi Denim Mill"}
    assert "Lanxi Denim Mill" in _html(response)
    assert "Laixi Oak Furniture Co." not in _html(response)


def test_enterprise_list_filters_by_region_including_sub_regions(world: PagesWorld) -> None:
    world.enterprise(region="jiaozhou", name_en="Jiaozhou Metal")
    world.enterprise(region="lanxi", name_en="Lanxi Denim Mill")

    qingdao = _client().get("/en/enterprises/?region=3702")
    laixi = _client().get("/en/enterprises/?region=370285")

    assert _enterprise_names(qingdao) == {"Laixi Oak Furniture Co.", "Jiaozhou Metal"}
    assert _enterprise_names(laixi) == {"Laixi Oak Furniture Co."}


def test_enterprise_list_filters_by_industry(world: PagesWorld) -> None:
    world.enterprise(region="lanxi", name_en="Lanxi Denim Mill", industries=["纺织", "服装"])
    world.enterprise(region="lanxi", name_en="Lanxi Yarn", industries=["纺织品"])

    response = _client().get("/en/enterprises/?industry=纺织")

    # "纺织品" is another industry, not a match for "纺织".
    assert _enterprise_names(response) == {"Lanxi Denim Mill"}


def test_enterprise_list_facets_count_each_option(world: PagesWorld) -> None:
    world.enterprise(region="lanxi", name_en="Lanxi Denim Mill", industries=["纺织"])

    response = _client().get("/en/enterprises/?belt=lanxi-textiles")

    facets = response.context["facets"]
    assert {(o.value, o.count, o.selected) for o in facets["belt"]} == {
        ("laixi-furniture", 1, False),
        ("lanxi-textiles", 1, True),
    }
    assert {(o.value, o.count) for o in facets["industry"]} == {("纺织", 1)}


def test_enterprise_list_unknown_region_gives_a_message(world: PagesWorld) -> None:
    response = _client().get("/en/enterprises/?region=999999")

    html = _html(response)
    assert response.status_code == 400
    assert "<code>region</code>" in html
    assert "No region has the code “999999”." in html


def test_enterprise_list_paginates_and_keeps_filters(world: PagesWorld) -> None:
    for n in range(25):
        world.enterprise(region="lanxi", name_zh=f"兰溪纺织{n:02d}厂", name_en=f"Mill {n:02d}")

    first = _client().get("/en/enterprises/?belt=lanxi-textiles")
    second = _client().get("/en/enterprises/?belt=lanxi-textiles&page=2")

    assert len(_enterprise_names(first)) == 24
    assert _enterprise_names(second) == {"Mill 24"}
    assert 'href="?belt=lanxi-textiles&amp;page=2"' in _html(first)


def test_enterprise_list_htmx_request_gets_the_results_fragment(world: PagesWorld) -> None:
    response = _client().get(
        "/en/enterprises/?belt=laixi-furniture&keyword=", HTTP_HX_REQUEST="true"
    )

    html = _html(response)
    assert "<html" not in html
    assert "Laixi Oak Furniture Co." in html
    assert '<div id="enterprise-facets" class="facet-groups" hx-swap-oob="true">' in html
    assert response["HX-Push-Url"] == "/en/enterprises/?belt=laixi-furniture"


def _enterprises_with_products(world: PagesWorld, n: int) -> None:
    for i in range(n):
        enterprise = world.enterprise(name_en=f"Maker {i}", industries=["家具"])
        make_product(enterprise=enterprise)


@pytest.mark.parametrize("rows", [3, 30])
def test_enterprise_list_query_count_does_not_grow_with_rows(
    world: PagesWorld, rows: int, django_assert_max_num_queries: Any
) -> None:
    _enterprises_with_products(world, rows)
    client = _client()

    # count, page, facet rows, belts, regions of the facets
    with django_assert_max_num_queries(5) as captured:
        response = client.get("/en/enterprises/")

    assert len(captured.captured_queries) == 5
    assert len(_enterprise_names(response)) == min(rows + 1, 24)


# Enterprise detail ---------------------------------------------------------------------------


def _profiled(world: PagesWorld) -> Enterprise:
    factory = world.factory
    factory.year_founded = 2003
    factory.export_markets = ["US", "VN"]
    factory.certifications = ["FSC", "ISO 9001"]
    factory.business_models = ["oem", "own_brand"]
    factory.description = "Solid oak tables and chairs."
    factory.employees = 240
    factory.export_share = Decimal("65.50")
    factory.contacts = [
        {
            "name": "王经理",
            "title": "Sales",
            "phone": "+86 532 8888 0000",
            "email": "sales@oak.example",
        }
    ]
    factory.save()
    return factory


def test_enterprise_detail_shows_the_public_profile_in_english(world: PagesWorld) -> None:
    factory = _profiled(world)

    html = _html(_client().get(f"/en/enterprises/{factory.pk}/"))

    assert '<h1 lang="en">Laixi Oak Furniture Co.</h1>' in html  # the viewer's language first
    assert '<p class="alt-name" lang="zh">莱西橡木家具有限公司</p>' in html
    assert ">Shandong</a> › <a" in html and ">Qingdao</a> › <a" in html and ">Laixi</a>" in html
    assert ">Laixi furniture</a>" in html
    assert "<li>家具</li>" in html
    assert "2003" in html
    assert '<li title="US">United States</li>' in html
    assert '<li title="VN">Vietnam</li>' in html
    assert "<li>ISO 9001</li>" in html
    assert "<li>OEM</li>" in html and "<li>Own brand</li>" in html
    assert "Solid oak tables and chairs." in html


def test_enterprise_detail_in_chinese_names_countries_in_chinese(world: PagesWorld) -> None:
    factory = _profiled(world)

    html = _html(_client().get(f"/zh-hans/enterprises/{factory.pk}/"))

    assert '<li title="US">美国</li>' in html
    assert '<li title="VN">越南</li>' in html
    assert ">山东省</a> › <a" in html and ">莱西市</a>" in html


PRIVATE_MARKERS = ("+86 532 8888 0000", "sales@oak.example")


@pytest.mark.parametrize("viewer", ["anonymous", "buyer", "other_enterprise", "lanxi_government"])
def test_enterprise_detail_hides_private_fields_from_outsiders(
    world: PagesWorld, viewer: str
) -> None:
    factory = _profiled(world)
    users = {
        "anonymous": None,
        "buyer": make_buyer(),
        "other_enterprise": make_user(organisation=world.enterprise(region="lanxi").organisation),
        "lanxi_government": make_government_user(region=world.regions["lanxi"]),
    }

    html = _html(_client(users[viewer]).get(f"/en/enterprises/{factory.pk}/"))

    assert factory.credit_code not in html
    assert "240" not in html
    assert "65.5" not in html
    for marker in PRIVATE_MARKERS:
        assert marker not in html
    assert "Laixi Oak Furniture Co." in html


@pytest.mark.parametrize("viewer", ["member", "laixi_government", "qingdao_government", "operator"])
def test_enterprise_detail_shows_private_fields_to_members_and_governments(
    world: PagesWorld, viewer: str
) -> None:
    factory = _profiled(world)
    users = {
        "member": world.member,
        "laixi_government": make_government_user(region=world.regions["laixi"]),
        "qingdao_government": make_government_user(region=world.regions["qingdao"]),
        "operator": make_operator(),
    }

    html = _html(_client(users[viewer]).get(f"/en/enterprises/{factory.pk}/"))

    assert f"<code>{factory.credit_code}</code>" in html
    assert "<dd>240</dd>" in html
    assert "<dd>65.5 %</dd>" in html
    for marker in PRIVATE_MARKERS:
        assert marker in html


def test_enterprise_detail_lists_drafts_only_for_those_allowed(world: PagesWorld) -> None:
    make_product(enterprise=world.factory, sku="PUB", title_en="Oak bench")
    make_product(
        enterprise=world.factory,
        sku="DRAFT",
        title_en="Walnut prototype",
        status=ProductStatus.DRAFT,
    )
    url = f"/en/enterprises/{world.factory.pk}/"

    public = _client().get(url)
    member = _client(world.member).get(url)

    assert [p.sku for p in public.context["products"]] == ["PUB"]
    assert "Walnut prototype" not in _html(public)
    assert {p.sku for p in member.context["products"]} == {"PUB", "DRAFT"}
    assert "Walnut prototype" in _html(member)


def test_enterprise_detail_links_edit_pages_for_members_only(world: PagesWorld) -> None:
    url = f"/en/enterprises/{world.factory.pk}/"
    edit_link = f'href="/en/enterprises/{world.factory.pk}/edit/"'
    create_link = f'href="/en/enterprises/{world.factory.pk}/products/new/"'

    member_html = _html(_client(world.member).get(url))
    buyer_html = _html(_client(make_buyer()).get(url))

    assert edit_link in member_html and create_link in member_html
    assert edit_link not in buyer_html and create_link not in buyer_html


def test_enterprise_detail_of_unknown_enterprise_is_404(world: PagesWorld) -> None:
    response = _client().get("/en/enterprises/987654/")

    assert response.status_code == 404


# Product list --------------------------------------------------------------------------------


def test_product_list_shows_published_products_in_both_languages(world: PagesWorld) -> None:
    make_product(
        enterprise=world.factory, sku="OAK", title_zh="橡木餐桌", title_en="Oak dining table"
    )

    en = _html(_client().get("/en/products/"))
    zh = _html(_client().get("/zh-hans/products/"))

    assert '<h3 class="card-title" lang="en">Oak dining table</h3>' in en
    assert '<p class="card-subtitle" lang="zh">橡木餐桌</p>' in en
    assert '<h3 class="card-title" lang="zh">橡木餐桌</h3>' in zh
    assert '<p class="card-subtitle" lang="en">Oak dining table</p>' in zh
    assert "$120.00 – $150.00" in en
    assert "US$120.00 – US$150.00" in zh
    assert '<html lang="zh-hans">' in zh


def test_product_list_hides_drafts_from_outsiders(world: PagesWorld) -> None:
    make_product(enterprise=world.factory, sku="PUB")
    make_product(enterprise=world.factory, sku="DRAFT", status=ProductStatus.DRAFT)

    assert _skus(_client().get("/en/products/")) == {"PUB"}
    assert _skus(_client(make_buyer()).get("/en/products/")) == {"PUB"}
    member = _client(world.member).get("/en/products/")
    assert _skus(member) == {"PUB", "DRAFT"}
    assert '<span class="badge badge-draft">Draft</span>' in _html(member)


def test_product_list_text_filter_matches_titles_in_each_language_and_sku(
    world: PagesWorld,
) -> None:
    make_product(enterprise=world.factory, sku="DN-12", title_en="", title_vi=DENIM_VI)
    make_product(enterprise=world.factory, sku="OAK-1", title_zh="橡木餐桌", title_en="")
    make_product(enterprise=world.factory, sku="WAL-1", title_en="Walnut chair")

    assert _skus(_client().get("/en/products/?keyword=denim")) == {"DN-12"}
    assert _skus(_client().get("/en/products/?keyword=giãn")) == {"DN-12"}
    assert _skus(_client().get("/en/products/?keyword=橡木")) == {"OAK-1"}
    assert _skus(_client().get("/en/products/?keyword=wal-1")) == {"WAL-1"}
    html = _html(_client().get("/en/products/?keyword=denim"))
    assert f'<h3 class="card-title" lang="vi">{DENIM_VI} {ORIGINAL_MARK_EN}</h3>' in html


def test_product_list_filters_by_industry(world: PagesWorld) -> None:
    mill = world.enterprise(region="lanxi", industries=["纺织"])
    make_product(enterprise=world.factory, sku="FURN")
    make_product(enterprise=mill, sku="CLOTH", hs_code="520942")

    assert _skus(_client().get("/en/products/?industry=纺织")) == {"CLOTH"}
    assert _skus(_client().get("/en/products/?industry=家具")) == {"FURN"}


def test_product_list_filters_by_hs_chapter(world: PagesWorld) -> None:
    make_product(enterprise=world.factory, sku="TABLE", hs_code="940360")
    make_product(enterprise=world.factory, sku="DENIM", hs_code="520942")

    response = _client().get("/en/products/?hs_chapter=52")

    assert _skus(response) == {"DENIM"}
    chapters = response.context["facets"]["hs_chapter"]
    assert [(o.value, o.count, o.selected) for o in chapters["with_products"]] == [
        ("52", 1, True),
        ("94", 1, False),
    ]
    assert '<option value="52" lang="en" selected>52 Cotton (1)</option>' in _html(response)
    assert len(chapters["others"]) > 80  # every other chapter of the nomenclature


def test_product_list_filters_by_certification(world: PagesWorld) -> None:
    make_product(enterprise=world.factory, sku="CE", certifications=["CE", "FSC"])
    make_product(enterprise=world.factory, sku="CE-LIKE", certifications=["CE-X", "CEN"])
    make_product(enterprise=world.factory, sku="CCC", certifications=["中国环境标志"])
    make_product(enterprise=world.factory, sku="NONE")

    assert _skus(_client().get("/en/products/?certification=CE")) == {"CE"}
    lower_case = _client().get("/en/products/?certification=fsc")
    assert _skus(lower_case) == {"CE"}
    selected = [o.value for o in lower_case.context["facets"]["certification"] if o.selected]
    assert selected == ["FSC"]
    assert _skus(_client().get("/en/products/?certification=中国环境标志")) == {"CCC"}


def test_product_list_filters_by_export_market(world: PagesWorld) -> None:
    make_product(enterprise=world.factory, sku="US-VN", export_markets=["US", "VN"])
    make_product(enterprise=world.factory, sku="DE", export_markets=["DE"])

    response = _client().get("/en/products/?market=vn")

    assert _skus(response) == {"US-VN"}
    markets = {(o.value, o.label, o.count) for o in response.context["facets"]["market"]}
    assert markets == {("DE", "Germany", 1), ("US", "United States", 1), ("VN", "Vietnam", 1)}


def test_product_list_filters_by_moq_ceiling(world: PagesWorld) -> None:
    make_product(enterprise=world.factory, sku="SMALL", moq=Decimal("50"))
    make_product(enterprise=world.factory, sku="EXACT", moq=Decimal("500"))
    make_product(enterprise=world.factory, sku="LARGE", moq=Decimal("5000"))
    make_product(enterprise=world.factory, sku="UNKNOWN", moq=None)

    assert _skus(_client().get("/en/products/?moq_max=500")) == {"SMALL", "EXACT"}
    assert _skus(_client().get("/en/products/?moq_max=49.5")) == set()
    # Beyond what the column holds: every stated MOQ qualifies.
    assert _skus(_client().get("/en/products/?moq_max=1e999999")) == {"SMALL", "EXACT", "LARGE"}


@pytest.mark.parametrize("bad", ["abc", "-5", "NaN", "Infinity", "5 pcs"])
def test_product_list_bad_moq_gives_a_message_naming_the_parameter(
    world: PagesWorld, bad: str
) -> None:
    make_product(enterprise=world.factory, sku="SMALL")

    response = _client().get("/en/products/", {"moq_max": bad})

    html = _html(response)
    assert response.status_code == 400
    assert "<code>moq_max</code>" in html
    assert f"“{escape(bad)}” is not a number." in html
    assert "page_obj" not in response.context
    assert f'name="moq_max" min="0" step="any" inputmode="decimal" value="{bad}"' in html


def test_product_list_bad_hs_chapter_and_language_give_messages(world: PagesWorld) -> None:
    response = _client().get("/en/products/?hs_chapter=9x&language=fr")

    html = _html(response)
    assert response.status_code == 400
    assert "<code>hs_chapter</code>" in html
    assert "<code>language</code>" in html


def test_product_list_filters_by_listing_language(world: PagesWorld) -> None:
    make_product(enterprise=world.factory, sku="ZH-EN", title_zh="牛仔布", title_en="Denim")
    make_product(enterprise=world.factory, sku="VI", title_en="", title_vi=DENIM_VI)

    response = _client().get("/en/products/?language=vi")

    assert _skus(response) == {"VI"}
    assert _skus(_client().get("/en/products/?language=zh")) == {"ZH-EN"}
    languages = {(o.value, o.count) for o in response.context["facets"]["language"]}
    assert languages == {("zh", 1), ("en", 1), ("vi", 1)}


def test_product_list_filters_by_belt(world: PagesWorld) -> None:
    mill = world.enterprise(region="lanxi")
    make_product(enterprise=world.factory, sku="FURN")
    make_product(enterprise=mill, sku="CLOTH")

    assert _skus(_client().get("/en/products/?belt=lanxi-textiles")) == {"CLOTH"}
    assert _skus(_client().get("/en/products/?belt=laixi-furniture")) == {"FURN"}


def test_product_list_filters_by_region_including_sub_regions(world: PagesWorld) -> None:
    jiaozhou = world.enterprise(region="jiaozhou")
    mill = world.enterprise(region="lanxi")
    make_product(enterprise=world.factory, sku="LAIXI")
    make_product(enterprise=jiaozhou, sku="JIAOZHOU")
    make_product(enterprise=mill, sku="LANXI")

    assert _skus(_client().get("/en/products/?region=37")) == {"LAIXI", "JIAOZHOU"}
    assert _skus(_client().get("/en/products/?region=330781")) == {"LANXI"}


def test_product_list_filters_by_enterprise(world: PagesWorld) -> None:
    other = world.enterprise(region="lanxi")
    make_product(enterprise=world.factory, sku="MINE")
    make_product(enterprise=other, sku="THEIRS")

    response = _client().get(f"/en/products/?enterprise={world.factory.pk}")

    assert _skus(response) == {"MINE"}
    assert f'<input type="hidden" name="enterprise" value="{world.factory.pk}">' in _html(response)


def test_product_list_facets_are_disjunctive(world: PagesWorld) -> None:
    make_product(enterprise=world.factory, sku="A", certifications=["CE"], export_markets=["US"])
    make_product(enterprise=world.factory, sku="B", certifications=["FSC"], export_markets=["US"])
    make_product(enterprise=world.factory, sku="C", certifications=["FSC"], export_markets=["DE"])

    response = _client().get("/en/products/?certification=CE&market=US")

    assert _skus(response) == {"A"}
    facets = response.context["facets"]
    # Each facet counts as if its own choice were changed, the other filters kept.
    assert {(o.value, o.count) for o in facets["certification"]} == {("CE", 1), ("FSC", 1)}
    assert {(o.value, o.count) for o in facets["market"]} == {("US", 1)}


def test_product_list_paginates_24_per_page_and_links_keep_filters(world: PagesWorld) -> None:
    for n in range(30):
        make_product(enterprise=world.factory, sku=f"OAK-{n:02d}", title_en=f"Oak table {n}")
    make_product(enterprise=world.factory, sku="PINE", title_en="Pine table")

    first = _client().get("/en/products/?keyword=oak")
    second = _client().get("/en/products/?keyword=oak&page=2")

    assert len(_skus(first)) == 24
    assert len(_skus(second)) == 6
    assert _skus(first) | _skus(second) == {f"OAK-{n:02d}" for n in range(30)}
    html = _html(first)
    assert '<a href="?keyword=oak&amp;page=2" hx-get="?keyword=oak&amp;page=2"' in html
    assert "30 products found" in html


def test_product_list_htmx_request_gets_the_results_fragment(world: PagesWorld) -> None:
    make_product(enterprise=world.factory, sku="DN", title_en="", title_vi=DENIM_VI)

    response = _client().get(
        "/en/products/?keyword=denim&industry=&certification=&moq_max=", HTTP_HX_REQUEST="true"
    )

    html = _html(response)
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<p class="result-count" role="status">1 product found')
    assert DENIM_VI in html
    assert '<div id="product-facets" class="facet-groups" hx-swap-oob="true">' in html
    assert response["HX-Push-Url"] == "/en/products/?keyword=denim"
    assert "HX-Request" in response["Vary"]


def test_product_list_htmx_bad_parameter_swaps_in_the_message(world: PagesWorld) -> None:
    response = _client().get("/en/products/?moq_max=lots", HTTP_HX_REQUEST="true")

    html = _html(response)
    # htmx only swaps 2xx responses; the fragment carries the message.
    assert response.status_code == 200
    assert "<html" not in html
    assert "<code>moq_max</code>" in html


def test_product_list_htmx_history_restore_gets_the_whole_page(world: PagesWorld) -> None:
    response = _client().get(
        "/en/products/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    assert "<html" in _html(response)


def test_product_list_works_without_javascript(world: PagesWorld) -> None:
    html = _html(_client().get("/en/products/"))

    assert '<form id="product-filters" method="get" action="/en/products/"' in html
    assert '<button type="submit">Apply filters</button>' in html


@pytest.mark.parametrize("rows", [3, 30])
def test_product_list_query_count_does_not_grow_with_rows(
    world: PagesWorld, rows: int, django_assert_max_num_queries: Any
) -> None:
    for n in range(rows):
        product = make_product(
            enterprise=world.enterprise(), sku=f"P{n}", certifications=["CE"], export_markets=["US"]
        )
        if n % 2:
            add_image(actor=make_operator(), product=product)
    client = _client()

    # count, page, images, facet rows, belts, regions of the facets
    with django_assert_max_num_queries(6) as captured:
        response = client.get("/en/products/")

    assert len(captured.captured_queries) == 6
    assert len(_skus(response)) == min(rows, 24)


@pytest.mark.parametrize("rows", [3, 30])
def test_product_list_query_count_for_a_member_does_not_grow_with_rows(
    world: PagesWorld, rows: int, django_assert_max_num_queries: Any
) -> None:
    for n in range(rows):
        make_product(
            enterprise=world.factory,
            sku=f"P{n}",
            status=ProductStatus.DRAFT,
            certifications=["CE"],
            export_markets=["US"],
        )
    client = _client(world.member)

    # session, user, memberships, unread notifications + the 6 of the page
    with django_assert_max_num_queries(10) as captured:
        response = client.get("/en/products/?certification=CE&market=US&industry=家具")

    assert len(captured.captured_queries) == 10
    assert len(_skus(response)) == min(rows, 24)


# Home query count ------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_home_query_count_does_not_grow_with_rows(
    world: PagesWorld, rows: int, django_assert_max_num_queries: Any
) -> None:
    operator = make_operator()
    for n in range(rows):
        product = make_product(enterprise=world.enterprise(), sku=f"P{n}")
        add_image(actor=operator, product=product)
    client = _client()

    # belts, enterprises, products, images
    with django_assert_max_num_queries(4) as captured:
        response = client.get("/en/")

    assert len(captured.captured_queries) == 4
    assert len(response.context["products"]) == min(rows, 8)


# Product detail ------------------------------------------------------------------------------


def _full_product(world: PagesWorld, **extra: Any) -> Product:
    fields: dict[str, Any] = {
        "title_zh": "弹力牛仔布 12盎司",
        "title_en": "Stretch denim 12oz",
        "title_vi": DENIM_VI,
        "description_zh": "棉93% 氨纶7%。",
        "description_en": "93% cotton, 7% spandex.",
        "description_vi": "Vải bông co giãn, phù hợp may quần jean.",
        "hs_code": "520942",
        "attributes": {"width": "150 cm", "weight": "12 oz"},
        "moq": Decimal("1500.500"),
        "unit": "m",
        "price_min": Decimal("2.8500"),
        "price_max": Decimal("3.2000"),
        "currency": "USD",
        "certifications": ["OEKO-TEX"],
        "export_markets": ["VN", "US"],
        "lead_time_days": 25,
    }
    return make_product(enterprise=world.factory, sku="DN-12", **(fields | extra))


def test_product_detail_shows_every_language_with_lang_attributes(world: PagesWorld) -> None:
    product = _full_product(world)

    html = _html(_client().get(f"/en/products/{product.pk}/"))

    assert '<h1 lang="en">Stretch denim 12oz</h1>' in html
    assert '<dd lang="zh">弹力牛仔布 12盎司</dd>' in html
    assert '<dd lang="en">Stretch denim 12oz</dd>' in html
    assert f'<dd lang="vi">{DENIM_VI}</dd>' in html
    assert '<div lang="zh"><p>棉93% 氨纶7%。</p></div>' in html
    assert '<div lang="en"><p>93% cotton, 7% spandex.</p></div>' in html
    assert '<div lang="vi"><p>Vải bông co giãn, phù hợp may quần jean.</p></div>' in html


def test_product_detail_shows_trade_terms_in_english(world: PagesWorld) -> None:
    product = _full_product(world)

    html = _html(_client().get(f"/en/products/{product.pk}/"))

    assert '<dd class="price">$2.85 – $3.20 / m</dd>' in html
    assert "<dd>1,500.5 m</dd>" in html
    assert "<dd>25 days</dd>" in html
    assert "<code>520942</code>" in html
    assert escape(product.hs_description) in html
    assert product.hs_description.endswith("denim")
    assert '<th scope="row">Width</th><td lang="en">150 cm</td>' in html
    assert "<li>OEKO-TEX</li>" in html
    assert '<li title="VN">Vietnam</li>' in html
    assert f'href="/en/enterprises/{world.factory.pk}/">Laixi Oak Furniture Co.</a>' in html


def test_product_detail_shows_attribute_labels_and_values_in_the_viewers_language(
    world: PagesWorld,
) -> None:
    product = _full_product(world, attributes={"颜色": "黑色 / black", "trim": "reflective-tape"})

    english = _html(_client().get(f"/en/products/{product.pk}/"))
    chinese = _html(_client().get(f"/zh-hans/products/{product.pk}/"))

    assert (
        '<tr data-attribute="colour"><th scope="row">Colour</th><td lang="en">black</td></tr>'
        in english
    )
    assert '<th scope="row">Trim</th><td lang="en">reflective tape</td>' in english
    assert '<tr data-attribute="colour"><th scope="row">' in chinese
    assert '</th><td lang="zh">黑色</td></tr>' in chinese
    assert "颜色</th>" not in english


def test_product_detail_in_chinese_formats_money_and_countries(world: PagesWorld) -> None:
    product = _full_product(world, currency="CNY", price_min=Decimal("18.5"), price_max=None)

    html = _html(_client().get(f"/zh-hans/products/{product.pk}/"))

    assert '<h1 lang="zh">弹力牛仔布 12盎司</h1>' in html
    assert '<dd class="price">¥18.50 / m</dd>' in html
    assert '<li title="VN">越南</li>' in html
    assert '<li title="US">美国</li>' in html
    assert f">{world.factory.name_zh}</a>" in html


def test_product_detail_vietnamese_only_listing_renders_diacritics(world: PagesWorld) -> None:
    product = make_product(enterprise=world.factory, title_en="", title_vi=DENIM_VI)

    for prefix in ("en", "zh-hans"):
        html = _html(_client().get(f"/{prefix}/products/{product.pk}/"))
        # the original, marked as such in the viewer's language
        mark = f'<small class="muted original-label" lang="{prefix}">'
        assert f'<h1 lang="vi">{DENIM_VI} {mark}' in html
        assert f"<title>{DENIM_VI} ·" in html


def test_product_detail_shows_images(world: PagesWorld) -> None:
    product = _full_product(world)
    image = add_image(actor=world.member, product=product)

    html = _html(_client().get(f"/en/products/{product.pk}/"))

    # the gallery shows the 800 px WebP rendition made at upload (catalog.images)
    shown = image.image.url.rsplit(".", 1)[0] + "-800.webp"
    assert f'<img src="{shown}"' in html
    assert image.image.url.startswith("/media/products/")


def test_product_detail_without_price_says_price_on_request(world: PagesWorld) -> None:
    product = make_product(enterprise=world.factory, price_min=None, price_max=None, currency="")

    html = _html(_client().get(f"/en/products/{product.pk}/"))

    assert '<dd class="price">Price on request</dd>' in html


@pytest.mark.parametrize("viewer", ["anonymous", "buyer", "other_enterprise", "lanxi_government"])
def test_product_detail_of_a_draft_is_404_for_outsiders(world: PagesWorld, viewer: str) -> None:
    draft = make_product(enterprise=world.factory, status=ProductStatus.DRAFT)
    users = {
        "anonymous": None,
        "buyer": make_buyer(),
        "other_enterprise": make_user(organisation=world.enterprise(region="lanxi").organisation),
        "lanxi_government": make_government_user(region=world.regions["lanxi"]),
    }

    response = _client(users[viewer]).get(f"/en/products/{draft.pk}/")

    assert response.status_code == 404
    assert draft.title not in _html(response)


@pytest.mark.parametrize("viewer", ["member", "laixi_government", "operator"])
def test_product_detail_of_a_draft_is_shown_to_those_allowed(
    world: PagesWorld, viewer: str
) -> None:
    draft = make_product(enterprise=world.factory, status=ProductStatus.DRAFT, title_en="Draft X")
    users = {
        "member": world.member,
        "laixi_government": make_government_user(region=world.regions["laixi"]),
        "operator": make_operator(),
    }

    html = _html(_client(users[viewer]).get(f"/en/products/{draft.pk}/"))

    assert '<h1 lang="en">Draft X</h1>' in html
    assert '<span class="badge badge-draft">Draft</span>' in html


def test_product_detail_links_edit_pages_for_members_only(world: PagesWorld) -> None:
    product = make_product(enterprise=world.factory)
    url = f"/en/products/{product.pk}/"
    edit = f'href="/en/products/{product.pk}/edit/"'
    delete = f'href="/en/products/{product.pk}/delete/"'

    member_html = _html(_client(world.member).get(url))
    government_html = _html(_client(make_government_user(region=world.regions["laixi"])).get(url))

    assert edit in member_html and delete in member_html
    assert edit not in government_html and delete not in government_html


def test_product_detail_of_unknown_product_is_404(world: PagesWorld) -> None:
    assert _client().get("/en/products/987654/").status_code == 404


# Site frame ------------------------------------------------------------------------------------


def test_header_links_products_enterprises_and_import_for_signed_in_users(
    world: PagesWorld,
) -> None:
    anonymous = _html(_client().get("/en/products/"))
    signed_in = _html(_client(world.member).get("/en/products/"))

    assert (
        '<a href="/en/products/" data-menu="products" aria-current="page">Products</a>' in anonymous
    )
    assert '<a href="/en/enterprises/" data-menu="enterprises">Enterprises</a>' in anonymous
    assert 'href="/en/import/"' not in anonymous
    assert '<a href="/en/import/" data-menu="import">Import catalog</a>' in signed_in


def test_language_switch_keeps_the_page_and_its_filters(world: PagesWorld) -> None:
    client = _client()

    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/zh-hans/products/?q=denim&page=2"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/products/?q=denim&page=2"


def test_pages_load_the_site_stylesheet_and_no_external_assets(world: PagesWorld) -> None:
    html = _html(_client().get("/en/"))

    assert '<link rel="stylesheet" href="/static/web/site.css">' in html
    assert "http://" not in html and "https://" not in html


def test_product_enterprise_and_compare_pages_use_the_breadcrumb_component(
    world: PagesWorld,
) -> None:
    product = _full_product(world)
    client = _client()

    pages = {
        "product": _html(client.get(f"/en/products/{product.pk}/")),
        "enterprise": _html(client.get(f"/en/enterprises/{world.factory.pk}/")),
        "compare": _html(client.get("/en/products/compare/")),
    }
    trails = {
        name: re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', html, re.S).group(1)  # type: ignore[union-attr]
        for name, html in pages.items()
    }

    assert trails["product"] == (
        '<ol><li><a href="/en/products/">Products</a></li>'
        f'<li><a href="/en/enterprises/{world.factory.pk}/">Laixi Oak Furniture Co.</a></li>'
        '<li aria-current="page" lang="en">Stretch denim 12oz</li></ol>'
    )
    assert trails["enterprise"] == (
        '<ol><li><a href="/en/enterprises/">Enterprises</a></li>'
        '<li aria-current="page">Laixi Oak Furniture Co.</li></ol>'
    )
    assert trails["compare"] == (
        '<ol><li><a href="/en/products/">Products</a></li>'
        '<li aria-current="page">Compare products</li></ol>'
    )
