"""The operator sets the domestic pricing assumptions in a form; each save is a version, the
latest is used by the pricing help; nobody else may change them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from dualcirc.channels.domain_pricing import pricing_as_percentages, set_pricing_assumptions
from dualcirc.channels.models import PricingAssumptionSet
from dualcirc.channels.pricing import current_pricing, load_pricing, suggest_domestic_prices
from dualcirc.channels.views_pricing import pricing_field_names
from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import InvalidInput
from dualcirc.l10n.rates import convert
from tests.factories import make_enterprise, make_product
from tests.factories.api import make_enterprise_user, make_operator

pytestmark = pytest.mark.django_db

URL = "/en/channels/pricing/"


def form_values(**changes: str) -> dict[str, str]:
    """The page's fields with the values in force, then ``changes``."""
    names = pricing_field_names()
    values = {names[k]: v for k, v in pricing_as_percentages().items()}
    values.update(changes)
    return values


def test_each_domain_value_has_one_form_field_named_without_the_colon():
    names = pricing_field_names()

    assert (names["commission:jd"], names["shipping:1688"], names["vat_rate"]) == (
        "commission_jd",
        "shipping_1688",
        "vat_rate",
    )
    assert set(names) == set(pricing_as_percentages())
    assert len(set(names.values())) == len(names)


def test_defaults_apply_until_the_operator_saves_a_version():
    assert current_pricing() == load_pricing()
    assert pricing_as_percentages()["vat_rate"] == "13"
    assert pricing_as_percentages()["shipping:jd"] == "12"


def test_operator_saves_a_version_from_the_page_and_the_product_page_uses_it(client):
    operator = make_operator()
    client.force_login(operator)

    answer = client.post(
        URL, form_values(vat_rate="9", commission_jd="8.5", shipping_jd="15.50", note="JD 2027")
    )

    version = PricingAssumptionSet.objects.get()
    assert (answer.status_code, answer["Location"]) == (302, URL)
    assert [m.message for m in get_messages(answer.wsgi_request)] == [
        "The new pricing assumptions are in force."
    ]
    assert (version.vat_rate, version.created_by, version.note) == (
        Decimal("0.0900"),
        operator,
        "JD 2027",
    )
    assert version.channels["jd"] == {"commission": "0.0850", "shipping_cny": "15.50"}
    current = current_pricing()
    assert (current.vat_rate, current.channels["jd"].commission) == (
        Decimal("0.0900"),
        Decimal("0.0850"),
    )
    assert current.channels["jd"].shipping_cny == Decimal("15.50")
    # unchanged fields keep the defaults' values
    assert current.wholesale_margin == load_pricing().wholesale_margin
    assert current.channels["tmall"] == load_pricing().channels["tmall"]

    enterprise = make_enterprise()
    product = make_product(enterprise=enterprise, sku="T-1", title_zh="实木餐桌", hs_code="940360")
    page = client.get(reverse("channels-product", args=[product.pk]))
    low = convert(product.price_min, product.currency, "CNY").converted
    high = convert(product.price_max, product.currency, "CNY").converted
    jd = next(b for b in page.context["prices"].bands if b.channel == "jd")
    assert jd == suggest_domestic_prices(
        export_price_cny=(low, high), incoterm="FOB", channel="jd", assumptions=current
    )
    assert jd != suggest_domestic_prices(
        export_price_cny=(low, high), incoterm="FOB", channel="jd", assumptions=load_pricing()
    )
    assert "with VAT 9.0%" in page.content.decode()


def test_each_save_is_a_version_and_the_page_lists_them_newest_first(client):
    operator = make_operator()
    client.force_login(operator)

    client.post(URL, form_values(vat_rate="13", note="first"))
    client.post(URL, form_values(vat_rate="9", note="second"))
    page = client.get(URL)

    first, second = PricingAssumptionSet.objects.order_by("id")
    assert (first.vat_rate, second.vat_rate) == (Decimal("0.1300"), Decimal("0.0900"))
    assert [row["version"].note for row in page.context["history"]] == ["second", "first"]
    assert current_pricing().vat_rate == Decimal("0.0900")
    assert page.context["form"].initial["vat_rate"] == "9"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"vat_rate": "100"}, "vat_rate", "Enter a percentage from 0 up to 100."),
        ({"vat_rate": "13.125"}, "vat_rate", "At most 2 decimals in a percentage."),
        ({"commission_pdd": "abc"}, "commission_pdd", "Enter a percentage from 0 up to 100."),
        (
            {"shipping_jd": "12.345"},
            "shipping_jd",
            "12.345 has more decimals than a price in yuan allows (2).",
        ),
        (
            {"wholesale_margin_low": "30", "wholesale_margin_high": "20"},
            "wholesale_margin_low",
            "The low end is above the high end.",
        ),
    ],
)
def test_bad_values_are_shown_on_their_field_and_nothing_is_saved(client, changes, field, message):
    client.force_login(make_operator())

    answer = client.post(URL, form_values(**changes))

    assert answer.status_code == 422
    assert answer.context["form"].errors[field] == [message]
    assert PricingAssumptionSet.objects.count() == 0


def test_a_missing_channel_value_is_refused_by_the_domain():
    with pytest.raises(InvalidInput) as caught:
        set_pricing_assumptions(
            actor=make_operator(),
            values={k: v for k, v in pricing_as_percentages().items() if k != "shipping:1688"},
        )

    assert [e.field for e in caught.value.errors] == ["shipping:1688"]


def test_only_the_operator_may_see_or_change_the_assumptions(client):
    member = make_enterprise_user(enterprise=make_enterprise())
    client.force_login(member)

    page = client.get(URL)
    post = client.post(URL, form_values(vat_rate="1"))

    assert (page.status_code, post.status_code) == (403, 403)
    with pytest.raises(AccessDenied):
        set_pricing_assumptions(actor=member, values=pricing_as_percentages())
    assert PricingAssumptionSet.objects.count() == 0


def test_the_page_is_translated(client):
    client.force_login(make_operator())

    zh = client.get("/zh-hans/channels/pricing/")
    vi = client.get("/vi/channels/pricing/")

    assert zh.status_code == vi.status_code == 200
    assert "京东" in zh.content.decode()


def test_the_product_page_links_operators_to_the_assumptions(client):
    product = make_product(enterprise=make_enterprise(), sku="T-1", hs_code="940360")
    url = reverse("channels-product", args=[product.pk])
    client.force_login(make_operator())
    operator_page = client.get(url).content.decode()
    client.force_login(make_enterprise_user(enterprise=product.enterprise))
    member_page = client.get(url).content.decode()

    assert 'href="/en/channels/pricing/"' in operator_page
    assert 'href="/en/channels/pricing/"' not in member_page


def test_the_api_reads_and_records_versions_for_operators_only(client):
    from tests.factories.api import bearer

    operator = make_operator()
    member = make_enterprise_user(enterprise=make_enterprise())
    url = "/api/channels/pricing-assumptions"

    first = client.get(url, headers=bearer(operator)).json()
    values = {**first["values"], "vat_rate": "9", "shipping:pdd": "6.5"}
    saved = client.post(
        url,
        {"values": values, "note": "API"},
        content_type="application/json",
        headers=bearer(operator),
    )
    bad = client.post(
        url,
        {"values": {**values, "vat_rate": "abc"}},
        content_type="application/json",
        headers=bearer(operator),
    )
    outsider = client.get(url, headers=bearer(member))

    assert (first["is_default"], first["values"]["vat_rate"], first["history"]) == (
        True,
        "13",
        [],
    )
    assert saved.status_code == 201
    body = saved.json()
    assert (body["is_default"], body["values"]["vat_rate"], body["values"]["shipping:pdd"]) == (
        False,
        "9",
        "6.5",
    )
    assert [(v["note"], v["values"]["vat_rate"]) for v in body["history"]] == [("API", "9")]
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["vat_rate"]
    assert outsider.status_code == 403
    assert PricingAssumptionSet.objects.count() == 1
