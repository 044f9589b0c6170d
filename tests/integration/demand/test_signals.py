"""Signals recorded from real searches, sourcing requests, booth visits and meeting requests,
and what they become in the radar, a factory's gaps and the bureau's unmet demand."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from dualcirc.core.enums import OrganisationKind
from dualcirc.demand.domain import buyer_key
from dualcirc.demand.enums import SignalKind
from dualcirc.demand.models import DemandSignal
from dualcirc.fair import domain as fair_domain
from dualcirc.fair.enums import Wish
from dualcirc.web.management.commands.periodic import run_periodic_jobs
from tests.factories import make_enterprise, make_organisation, make_user
from tests.factories.api import make_enterprise_user, make_government_user
from tests.factories.deals import make_deal_world, make_request
from tests.factories.fair import FairWorld
from tests.factories.search import make_catalog

pytestmark = pytest.mark.django_db

UNLISTED_VI = "nón lá xuất khẩu sang Việt Nam"  # conical hats for Vietnam: nobody lists them
NEAR_EN = "oak dining table under 100 USD MOQ 20 pcs"


def url(name: str, lang: str = "en", **kwargs: int) -> str:
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def buyer_client(country: str = "VN") -> tuple[Client, int]:
    org = make_organisation(kind=OrganisationKind.BUYER, country=country)
    client = Client()
    client.force_login(make_user(organisation=org))
    return client, org.pk


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_vietnamese_search_for_an_unlisted_product_becomes_unmet_vietnam_demand():
    catalog = make_catalog()
    maker = logged_in(make_enterprise_user(enterprise=catalog.laixi))
    bureau = logged_in(make_government_user(region=catalog.laixi.region.parent.parent))
    buyers = [buyer_client() for _ in range(3)]

    for client, _org in buyers[:2]:
        assert client.get(url("search:search", "vi"), {"q": UNLISTED_VI}).status_code == 200
    run_periodic_jobs(only=["demand-radar"])  # `dualcirc periodic` runs every minute
    before = maker.get(url("demand:radar"), {"market": "VN"}).content.decode()
    buyers[2][0].get(url("search:search", "vi"), {"q": UNLISTED_VI})
    run_periodic_jobs(only=["demand-radar"])
    radar = maker.get(url("demand:radar"), {"market": "VN"}).content.decode()
    unmet = bureau.get(url("demand:bureau")).content.decode()

    signals = list(DemandSignal.objects.values())
    assert [
        (s["language"], s["product_type"], s["market"], s["good_matches"]) for s in signals
    ] == [("vi", "nón lá", "VN", 0)] * 3
    assert {s["buyer_key"] for s in signals} == {buyer_key(org) for _c, org in buyers}
    # two buyers are not enough to show a figure; the third makes it
    assert 'id="radar-table"' not in before
    rows = re.findall(
        r"<tr>\s*<td class=\"short\">[^<]*</td><td><span lang=\"vi\">([^<]*)</span></td>\s*"
        r"<td class=\"short\">([^<]*)</td><td class=\"short\">Vietnamese</td>\s*"
        r"<td class=\"num\">(\d+)</td>",
        radar,
    )
    assert rows == [("nón lá", "Vietnam", "3")]
    section = unmet[unmet.index('id="unmet-demand"') : unmet.index('id="enterprise-gaps"')]
    assert re.findall(
        r"<tr><td>([^<]*)</td><td>([^<]*)</td><td class=\"num\">(\d+)</td>", section
    ) == [("nón lá", "Vietnam", "3")]


def test_a_search_signal_holds_the_constraints_and_the_best_match_but_no_person():
    make_catalog()
    client, org = buyer_client(country="DE")

    client.get(url("search:search"), {"q": NEAR_EN})
    client.get(url("search:search"), {"q": NEAR_EN, "page": 2})  # a further page: not counted

    signal = DemandSignal.objects.get()
    assert signal.kind == SignalKind.SEARCH
    assert (signal.language, signal.product_type, signal.hs_heading) == (
        "en",
        "oak dining table",
        "9403",
    )
    assert (signal.quantity, signal.unit) == (Decimal("20.00"), "pcs")
    assert (signal.price_max, signal.currency) == (Decimal("100.00"), "USD")
    assert signal.good_matches >= 1
    assert signal.best_score is not None and signal.best_score > 0
    assert (signal.buyer_key, signal.buyer_country) == (buyer_key(org), "DE")
    field_names = {f.name for f in DemandSignal._meta.get_fields()}
    assert not field_names & {"user", "created_by", "address", "ip", "query", "text"}


def test_only_buyers_and_anonymous_visitors_count_and_anonymous_without_a_buyer_key():
    catalog = make_catalog()
    logged_in(make_enterprise_user(enterprise=catalog.lanxi)).get(
        url("search:search"), {"q": NEAR_EN}
    )
    Client().get(url("search:search"), {"q": NEAR_EN})

    assert list(DemandSignal.objects.values_list("buyer_key", "buyer_country")) == [("", "")]


def test_the_api_search_records_a_signal_for_a_first_page_only():
    make_catalog()
    client, org = buyer_client()

    first = client.get("/api/search/products", {"q": UNLISTED_VI})
    client.get("/api/search/products", {"q": UNLISTED_VI, "offset": 20})

    assert first.status_code == 200
    assert list(DemandSignal.objects.values_list("product_type", "market", "buyer_key")) == [
        ("nón lá", "VN", buyer_key(org))
    ]


def test_a_buyer_who_opts_out_is_not_recorded_until_opting_back_in():
    make_catalog()
    client, _org = buyer_client()

    page = client.get(url("demand:opt-out"))
    client.post(url("demand:opt-out"), {"opt_out": "1"})
    client.get(url("search:search"), {"q": UNLISTED_VI})
    after_opt_out = DemandSignal.objects.count()
    client.post(url("demand:opt-out"), {"opt_out": "0"})
    client.get(url("search:search"), {"q": UNLISTED_VI})

    assert "Your activity is counted, anonymously." in page.content.decode()
    assert after_opt_out == 0
    assert DemandSignal.objects.count() == 1


def test_publishing_a_sourcing_request_records_it_with_the_buyer_country(
    django_capture_on_commit_callbacks,
):
    world = make_deal_world()

    with django_capture_on_commit_callbacks(execute=True):
        make_request(world)

    signal = DemandSignal.objects.get()
    assert (signal.kind, signal.hs_heading, signal.market, signal.buyer_country) == (
        SignalKind.SOURCING_REQUEST,
        "9403",
        "DE",
        "DE",
    )
    assert (signal.quantity, signal.price_max, signal.currency) == (
        Decimal("200.00"),
        Decimal("130.00"),
        "EUR",
    )
    assert signal.certifications == ["FSC"]
    assert signal.buyer_key == buyer_key(world.buyer_org.pk)
    assert signal.product_type == "oak dining tables for hamburg"


def test_booth_visits_and_meeting_requests_record_the_exhibitor(
    django_capture_on_commit_callbacks,
):
    world = FairWorld()
    oak, sofa = world.exhibitors
    berlin = world.visitors[0]
    wish = fair_domain.set_meeting_wish

    with django_capture_on_commit_callbacks(execute=True):
        fair_domain.record_booth_visit(booth=oak.booth, visitor=berlin.contact)
        fair_domain.record_booth_visit(booth=oak.booth, visitor=oak.contact)  # its own people
        wish(actor=berlin.contact, owner=berlin, other=sofa, wish=Wish.MUST)
        wish(actor=berlin.contact, owner=berlin, other=sofa, wish=Wish.WOULD)  # a change: no

    assert sorted(
        DemandSignal.objects.values_list("kind", "enterprise_id", "buyer_country", "buyer_key")
    ) == sorted(
        [
            (
                SignalKind.BOOTH_VISIT,
                oak.booth.enterprise_id,
                "DE",
                buyer_key(berlin.organisation_id),
            ),
            (
                SignalKind.MEETING_REQUEST,
                sofa.booth.enterprise_id,
                "DE",
                buyer_key(berlin.organisation_id),
            ),
        ]
    )


def test_a_factory_sees_what_three_buyers_asked_that_its_table_nearly_matches():
    catalog = make_catalog()
    for _ in range(3):
        client, _org = buyer_client(country="DE")
        client.get(url("search:search"), {"q": NEAR_EN})
    maker = logged_in(make_enterprise_user(enterprise=catalog.laixi))

    html = maker.get(url("demand:gaps")).content.decode()

    table_rows = re.findall(
        rf'<tr data-reason="(\w+)">\s*<td><a href="/en/products/{catalog.table.pk}/">.*?</td>\s*'
        r"<td>[^<]*</td>\s*<td>([^<]*)</td>\s*<td class=\"num\">(\d+)</td>",
        html,
        re.S,
    )
    assert sorted(table_rows) == [("moq", "20 pcs", "3"), ("price", "100.00 USD", "3")]
    assert f'href="/en/products/{catalog.table.pk}/edit/"' in html


def test_the_profile_links_buyers_to_the_opt_out_and_no_one_else():
    buyer, _org = buyer_client()
    supplier = Client()
    supplier.force_login(make_enterprise_user(enterprise=make_enterprise()))
    opt_out = url("demand:opt-out")

    buyer_profile = buyer.get(url("profile")).content.decode()
    supplier_profile = supplier.get(url("profile")).content.decode()

    assert buyer_profile.count(f'href="{opt_out}"') == 1
    assert supplier_profile.count(f'href="{opt_out}"') == 0
