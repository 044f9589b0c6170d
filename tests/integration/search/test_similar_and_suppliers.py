""" "Similar products" on a product page and "suppliers for this need"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from dualcirc.catalog.enums import ProductStatus
from dualcirc.core.errors import InvalidInput
from dualcirc.search.indexing import embed_products, index_products
from dualcirc.search.queries import similar_products, suppliers_for_need
from tests.factories import make_product, make_user
from tests.factories.search import make_catalog

pytestmark = pytest.mark.django_db


def url(name: str, lang: str, *args: object) -> str:
    with translation.override(lang):
        return reverse(name, args=args)


# ---------------------------------------------------------------------- similar products


def test_similar_products_are_like_the_product_and_exclude_it():
    catalog = make_catalog()
    chair = make_product(
        enterprise=catalog.laixi,
        sku="LX-T2",
        title_en="Solid oak dining table 8 seats",
        hs_code="940360",
    )
    index_products([chair.pk])
    embed_products([chair.pk])

    matches = similar_products(user=AnonymousUser(), product=catalog.table, limit=3)

    assert matches[0].product.sku == "LX-T2"
    assert "LX-T1" not in [m.product.sku for m in matches]
    assert len(matches) == 3


def test_similar_fragment_in_both_languages(client):
    catalog = make_catalog()

    en = client.get(url("search:similar", "en", catalog.wardrobe.pk)).content.decode()
    zh = client.get(url("search:similar", "zh-hans", catalog.wardrobe.pk)).content.decode()

    assert "<html" not in en
    assert '<h2 id="similar-heading">Similar products</h2>' in en
    assert f'href="/en/products/{catalog.table.pk}/"' in en
    assert f'href="/en/products/{catalog.wardrobe.pk}/"' not in en
    assert f'href="/zh-hans/products/{catalog.table.pk}/" lang="zh">实木橡木餐桌 六人位</a>' in zh


def test_similar_fragment_never_lists_drafts_or_unpublished_products(client):
    catalog = make_catalog()
    type(catalog.sofa).objects.filter(pk=catalog.sofa.pk).update(status=ProductStatus.DRAFT)

    html = client.get(url("search:similar", "en", catalog.table.pk)).content.decode()

    assert f"/products/{catalog.sofa.pk}/" not in html  # still in the index, not shown
    assert f"/products/{catalog.draft.pk}/" not in html
    assert f"/products/{catalog.wardrobe.pk}/" in html


def test_similar_fragment_of_another_enterprises_draft_is_not_found(client):
    catalog = make_catalog()
    outsider = make_user(organisation=catalog.lanxi.organisation)
    client.force_login(outsider)

    response = client.get(url("search:similar", "en", catalog.draft.pk))

    assert response.status_code == 404
    assert b"Oak dining table prototype" not in response.content


def test_similar_fragment_of_an_own_draft_says_there_is_nothing_yet(client):
    catalog = make_catalog()
    client.force_login(make_user(organisation=catalog.laixi.organisation))

    html = client.get(url("search:similar", "en", catalog.draft.pk)).content.decode()

    assert "No similar products yet." in html


def test_similar_products_template_tag_renders_without_javascript():
    catalog = make_catalog()
    request = RequestFactory().get("/en/products/1/")
    request.user = AnonymousUser()
    template = Template("{% load search_tags %}{% similar_products product 2 %}")

    with translation.override("en"):
        html = template.render(Context({"product": catalog.table, "request": request}))

    assert html.count("<li>") == 2
    assert '<section class="similar panel" id="similar-products"' in html
    # each similar product shows its picture (here: its type's illustration, no photo yet)
    assert html.count('<a class="similar-thumb"') == 2
    assert html.count('class="product-art product-art-card"') == 2


# ---------------------------------------------------------------------- suppliers for a need


def test_suppliers_for_need_ranks_enterprises_with_reasons():
    catalog = make_catalog()

    ranked = suppliers_for_need(
        user=AnonymousUser(),
        text="denim fabric",
        quantity=Decimal("5000"),
        unit="m",
        target_price=Decimal("4"),
        currency="usd",
        destination="vn",
    )

    # the furniture factory has nothing near a denim need: it is not offered as a supplier
    assert [m.enterprise for m in ranked] == [catalog.lanxi]
    best = ranked[0]
    assert best.products[0].product.sku == "LN-D1"
    chips = {(c.label, c.status) for c in best.explanation.constraints}
    assert chips == {
        ("MOQ ≤ 5,000 m", "met"),
        ("Price ≤ 4 USD", "met"),
        ("Exports to Vietnam", "met"),
    }


def test_suppliers_for_need_checks_certifications():
    catalog = make_catalog()

    ranked = suppliers_for_need(user=AnonymousUser(), text="dining table", certifications=["FSC"])

    assert ranked[0].enterprise == catalog.laixi
    assert ranked[0].products[0].product.sku == "LX-T1"
    assert [(c.label, c.status) for c in ranked[0].explanation.constraints] == [
        ("FSC certified", "met")
    ]


def test_suppliers_for_need_leaves_out_enterprises_with_nothing_visible():
    catalog = make_catalog()
    type(catalog.denim).objects.filter(enterprise=catalog.lanxi).update(status=ProductStatus.DRAFT)

    ranked = suppliers_for_need(
        user=make_user(organisation=catalog.lanxi.organisation), text="denim fabric"
    )

    # Lanxi's products are drafts now (hidden even from its own members in search), and the
    # furniture factory is no denim supplier: nobody is offered rather than a wrong factory
    assert ranked == []


@pytest.mark.parametrize(
    ("need", "field"),
    [
        ({"text": " "}, "text"),
        ({"text": "denim", "quantity": Decimal(0)}, "quantity"),
        ({"text": "denim", "target_price": Decimal(3)}, "currency"),
        ({"text": "denim", "target_price": Decimal(3), "currency": "XYZ"}, "currency"),
        ({"text": "denim", "destination": "Atlantis"}, "destination"),
    ],
)
def test_suppliers_for_need_names_the_bad_field(need, field):
    make_catalog()

    with pytest.raises(InvalidInput) as exc:
        suppliers_for_need(user=AnonymousUser(), **need)

    assert [e.field for e in exc.value.errors] == [field]


def test_suppliers_page_in_english(client):
    catalog = make_catalog()

    html = client.get(
        url("search:suppliers", "en"),
        {
            "text": "denim fabric",
            "quantity": "5000",
            "unit": "m",
            "target_price": "4",
            "currency": "USD",
            "destination": "VN",
        },
    ).content.decode()

    assert "<h1>Suppliers for a sourcing need</h1>" in html
    first = html[html.index('<li class="supplier">') :]
    assert (
        f'<h3><a href="/en/enterprises/{catalog.lanxi.pk}/">'
        "Lanxi Changxing Fabric Co., Ltd.</a></h3>" in first[:300]
    )
    assert "2 matching products" in first[:600]
    assert '<span class="chip chip-met" title="price 3.2 USD ≤ 4 USD">Price ≤ 4 USD' in first
    assert "Laixi Woodcraft" not in html  # a furniture factory is no denim supplier


def test_suppliers_page_in_chinese(client):
    catalog = make_catalog()

    html = client.get(
        url("search:suppliers", "zh-hans"), {"text": "牛仔布 to Vietnam"}
    ).content.decode()

    assert '<html lang="zh-hans">' in html
    assert (
        f'<h3><a href="/zh-hans/enterprises/{catalog.lanxi.pk}/">兰溪长兴布业有限公司</a></h3>'
        in html
    )
    with translation.override("zh-hans"):
        label = _("Exports to %(market)s") % {"market": "越南"}
    assert label != "Exports to 越南"  # the page speaks Chinese
    assert (
        f'<span class="chip chip-query">{label} <span class="muted">«to Vietnam»</span></span>'
        in html
    )


def test_suppliers_page_shows_the_form_and_field_errors(client):
    make_catalog()

    empty = client.get(url("search:suppliers", "en")).content.decode()
    bad = client.get(
        url("search:suppliers", "en"), {"text": "denim", "target_price": "3"}
    ).content.decode()

    assert '<textarea name="text"' in empty
    assert '<ol class="suppliers">' not in empty
    assert "<li>Currency: A target price needs a currency.</li>" in bad
    assert '<ol class="suppliers">' not in bad
