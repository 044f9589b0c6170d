"""Domestic-channel pages and writers on a real database: who sees what, the fix form that
asks only for what is missing, and the page agreeing with the readiness query."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dualcirc.channels.domain import record_compliance_evidence, record_listing
from dualcirc.channels.models import DomesticListing, ProductCompliance
from dualcirc.channels.queries import assess_product, get_product_for_channels
from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import InvalidInput
from tests.factories import make_enterprise, make_product, make_region_tree
from tests.factories.api import (
    make_buyer,
    make_enterprise_user,
    make_government_user,
    make_operator,
)
from tests.factories.brands import make_brand, put_under_brand
from tests.factories.files import photo_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    regions = make_region_tree()
    enterprise = make_enterprise(region=regions["laixi"])
    table = make_product(
        enterprise=enterprise,
        sku="T-100",
        title_zh="实木餐桌",
        title_en="Solid oak dining table",
        hs_code="940360",
        attributes={"wood": "oak", "style": "Nordic"},
    )
    member = make_enterprise_user(enterprise=enterprise)
    return {"regions": regions, "enterprise": enterprise, "table": table, "member": member}


def photo(name: str = "p.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_bytes(width=900, height=900), content_type="image/jpeg")


def test_enterprise_page_is_for_members_operator_and_regional_government_only(client, world):
    enterprise = world["enterprise"]
    url = reverse("channels-enterprise", args=[enterprise.pk])
    people = {
        "member": world["member"],
        "operator": make_operator(),
        "government_here": make_government_user(region=world["regions"]["qingdao"]),
        "government_elsewhere": make_government_user(region=world["regions"]["zhejiang"]),
        "buyer": make_buyer(),
        "other_enterprise": make_enterprise_user(enterprise=make_enterprise()),
    }

    statuses = {}
    for name, user in people.items():
        client.force_login(user)
        statuses[name] = client.get(url).status_code
    client.logout()
    anonymous = client.get(url)

    assert statuses == {
        "member": 200,
        "operator": 200,
        "government_here": 200,
        "government_elsewhere": 403,
        "buyer": 403,
        "other_enterprise": 403,
    }
    assert anonymous.status_code == 302


def test_government_reads_the_product_checklist_without_a_form_and_cannot_post(client, world):
    client.force_login(make_government_user(region=world["regions"]["laixi"]))
    url = reverse("channels-product", args=[world["table"].pk])

    page = client.get(url)
    post = client.post(url, {"brand": "莱木"})

    assert page.status_code == 200
    assert page.context["form"] is None
    assert b"Read only" in page.content
    assert post.status_code == 302
    assert DomesticListing.objects.filter(product=world["table"]).exists() is False


def test_enterprise_page_badges_agree_with_the_readiness_query(client, world):
    client.force_login(world["member"])

    page = client.get(reverse("channels-enterprise", args=[world["enterprise"].pk]))

    expected = assess_product(get_product_for_channels(user=world["member"], pk=world["table"].pk))
    (product, cells) = page.context["rows"][0]
    assert product.pk == world["table"].pk
    assert [(r.channel, r.ready, r.score) for r in cells] == [
        (k, r.ready, r.score) for k, r in expected.items()
    ]
    assert b'data-channel="jd"' in page.content and b"Not ready" in page.content


def test_fix_form_asks_only_for_missing_fields_and_raises_the_product_to_ready_for_jd(
    client, world
):
    table = world["table"]
    client.force_login(world["member"])
    url = reverse("channels-product", args=[table.pk])
    before = client.get(url).context["form"]

    response = client.post(
        url,
        {
            "title_zh": "北欧实木餐桌 橡木长方形家用饭桌",
            "brand": "莱木",
            "retail_price": "1999.00",
            "spec_matrix": "原木色, 1.4米, 1999, 10\n胡桃色，1.6米，2299，5",
            "wholesale_tiers": "10, 1500\n50, 1350",
            "shipping_hours": "48",
            "seven_day_return": "on",
            "attr:是否可定制": "否",
            "evidence:formaldehyde-grade": "E0",
            "images": [photo("a.jpg"), photo("b.jpg"), photo("c.jpg")],
        },
    )
    middle = assess_product(get_product_for_channels(user=world["member"], pk=table.pk))
    brand = make_brand(actor=world["member"], enterprise=world["enterprise"])
    put_under_brand(actor=world["member"], products=[table], brand=brand)
    after = assess_product(get_product_for_channels(user=world["member"], pk=table.pk))
    page = client.get(url)

    assert before.initial["title_zh"] == "实木餐桌"  # too short for Tmall, Douyin …
    assert set(before.fields) == {
        "title_zh",
        "brand",
        "images",
        "spec_matrix",
        "retail_price",
        "wholesale_tiers",
        "attr:是否可定制",
        "shipping_hours",
        "seven_day_return",
        "evidence:formaldehyde-grade",
    }
    assert (response.status_code, response["Location"]) == (302, url)
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Saved. The checklist below is up to date."
    ]
    # a typed brand is no trademark: the channels that ask for one wait for the brand record
    assert {k: r.ready for k, r in middle.items()} == {
        "tmall": False,
        "jd": False,
        "douyin": False,
        "pdd": True,
        "1688": True,
    }
    assert {k: r.ready for k, r in after.items()} == {k: True for k in after}
    assert page.context["form"] is None
    assert b"This product is ready for every channel." in page.content
    listing = DomesticListing.objects.get(product=table)
    assert listing.retail_price == Decimal("1999.00")
    assert listing.spec_matrix[1] == {
        "axes": {"颜色分类": "胡桃色", "尺寸": "1.6米"},
        "price": "2299.00",
        "stock": 5,
    }


def test_bad_input_is_shown_on_its_field_and_nothing_is_saved(client, world):
    client.force_login(world["member"])
    url = reverse("channels-product", args=[world["table"].pk])

    response = client.post(
        url,
        {
            "brand": "莱木",
            "spec_matrix": "原木色, 1.4米, 1999\n胡桃色, 1.6米, abc, 5",
        },
    )

    form = response.context["form"]
    assert response.status_code == 422
    assert form.errors["spec_matrix"] == [
        "Expected 4 values (颜色分类, 尺寸, price, stock), found 3.",
        "abc is not a positive amount.",
    ]
    assert DomesticListing.objects.count() == 0
    assert ProductCompliance.objects.count() == 0


def test_domain_refuses_outsiders_and_names_the_row_of_a_bad_sku(world):
    table = world["table"]

    with pytest.raises(AccessDenied):
        record_listing(actor=make_buyer(), product=table, data={"brand": "X"})
    with pytest.raises(InvalidInput) as caught:
        record_listing(
            actor=world["member"],
            product=table,
            data={"spec_matrix": "原木色, 1.4米, 1999, 10\n胡桃色, , 2299, 5"},
        )

    assert [(e.field, e.row, e.message) for e in caught.value.errors] == [
        ("spec_matrix", 2, "Every axis needs a value.")
    ]


def test_form_shows_the_stored_spec_matrix_in_the_axes_order(client, world):
    record_listing(
        actor=world["member"],
        product=world["table"],
        data={"spec_matrix": "原木色, 1.4米, 1999, 10\n胡桃色, 1.6米, 2299, 5"},
    )
    client.force_login(world["member"])

    form = client.get(reverse("channels-product", args=[world["table"].pk])).context["form"]

    assert form.initial["spec_matrix"] == "原木色, 1.4米, 1999.00, 10\n胡桃色, 1.6米, 2299.00, 5"


def test_ccc_evidence_is_checked_and_a_tv_without_it_is_never_ready(world):
    tv = make_product(enterprise=world["enterprise"], title_zh="4K智能液晶电视", hs_code="852872")

    with pytest.raises(InvalidInput) as caught:
        record_compliance_evidence(
            actor=world["member"], product=tv, requirement="ccc", value="12345"
        )
    before = assess_product(get_product_for_channels(user=world["member"], pk=tv.pk))
    record_compliance_evidence(
        actor=world["member"], product=tv, requirement="ccc", value="2020010701234567"
    )
    after = assess_product(get_product_for_channels(user=world["member"], pk=tv.pk))

    assert caught.value.errors[0].field == "evidence:ccc"
    assert {r.ready for r in before.values()} == {False}
    assert all("compliance:ccc" in [c.code for c in r.missing] for r in before.values())
    assert all("compliance:ccc" not in [c.code for c in r.missing] for r in after.values())
    assert ProductCompliance.objects.get(product=tv).value == "2020010701234567"


def test_expired_ccc_certificate_makes_the_product_not_ready_again(world):
    tv = make_product(enterprise=world["enterprise"], title_zh="4K智能液晶电视", hs_code="852872")
    today = timezone.localdate()

    record_compliance_evidence(
        actor=world["member"],
        product=tv,
        requirement="ccc",
        value="2020010701234567",
        valid_until=today + dt.timedelta(days=30),
    )
    valid = assess_product(get_product_for_channels(user=world["member"], pk=tv.pk))["jd"]
    record_compliance_evidence(
        actor=world["member"],
        product=tv,
        requirement="ccc",
        value="2020010701234567",
        valid_until=today - dt.timedelta(days=1),
    )
    expired = assess_product(get_product_for_channels(user=world["member"], pk=tv.pk))["jd"]

    codes = {c.code: c for c in expired.checks}
    assert {c.code: c.ok for c in valid.checks}["compliance:ccc"] is True
    assert codes["compliance:ccc"].ok is False
    assert codes["compliance:ccc"].message.endswith(
        f"expired on {(today - dt.timedelta(days=1)).isoformat()}"
    )


def test_enterprise_detail_links_members_to_domestic_channels(client, world):
    link = reverse("channels-enterprise", args=[world["enterprise"].pk]).encode()
    detail = reverse("enterprise-detail", args=[world["enterprise"].pk])

    client.force_login(world["member"])
    member_page = client.get(detail)
    client.force_login(make_buyer())
    buyer_page = client.get(detail)

    assert (link in member_page.content, link in buyer_page.content) == (True, False)


def test_enterprise_page_queries_stay_bounded_as_the_catalog_grows(
    django_assert_max_num_queries, world
):
    from tests.factories.query_counts import page_queries

    enterprise = world["enterprise"]

    def grow(n: int) -> None:
        for _ in range(n):
            product = make_product(enterprise=enterprise, title_zh="衣柜", hs_code="940350")
            record_compliance_evidence(
                actor=world["member"], product=product, requirement="trademark", value="5123"
            )
            record_listing(actor=world["member"], product=product, data={"brand": "莱木"})

    counts = page_queries(
        django_assert_max_num_queries,
        world["member"],
        reverse("channels-enterprise", args=[enterprise.pk]),
        grow,
        expect='data-channel="pdd"><span',
        bound=25,
    )

    assert counts[0] == counts[1]


def test_pages_name_channels_and_requirements_in_the_viewer_language(client, world):
    client.force_login(world["member"])
    enterprise_url = reverse("channels-enterprise", args=[world["enterprise"].pk])
    product_url = reverse("channels-product", args=[world["table"].pk])

    zh = client.get(f"/zh-hans{enterprise_url.removeprefix('/en')}").content.decode()
    zh_product = client.get(f"/zh-hans{product_url.removeprefix('/en')}").content.decode()
    en_product = client.get(product_url).content.decode()

    assert ("天猫" in zh, "京东" in zh, "拼多多" in zh) == (True, True, True)
    assert "人造板及其制品甲醛释放量等级" in zh_product
    assert "Formaldehyde emission grade" in en_product


def test_product_page_suggests_domestic_prices_from_the_export_price(client, world):
    from dualcirc.channels.pricing import load_pricing, suggest_domestic_prices
    from dualcirc.l10n.rates import convert

    table = world["table"]  # USD 120–150, no incoterm recorded: taken as FOB
    client.force_login(world["member"])

    page = client.get(reverse("channels-product", args=[table.pk]))

    prices = page.context["prices"]
    low = convert(Decimal("120.00"), "USD", "CNY").converted
    high = convert(Decimal("150.00"), "USD", "CNY").converted
    expected = suggest_domestic_prices(
        export_price_cny=(low, high), incoterm="FOB", channel="jd", assumptions=load_pricing()
    )
    jd = next(b for b in prices.bands if b.channel == "jd")
    assert (prices.incoterm, prices.incoterm_assumed) == ("FOB", True)
    assert jd == expected
    assert next(b for b in prices.bands if b.channel == "1688").retail is None
    assert f"¥{jd.retail[0]:,}–{jd.retail[1]:,}" in page.content.decode()
