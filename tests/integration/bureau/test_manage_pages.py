"""Pages for what governments and the operator maintain: chains and links, thresholds,
policies, country groups, routing rules — content written, and who is refused."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dualcirc.bureau.models import (
    ChainLink,
    CountryGroup,
    IndustrialChain,
    RoutingRule,
    SupportPolicy,
    current_settings,
)
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import (
    make_buyer,
    make_enterprise_user,
    make_government_user,
    make_operator,
)
from tests.factories.bureau import make_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():  # type: ignore[no-untyped-def]
    return make_region_tree()


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_county_bureau_records_a_chain_in_its_county_only(regions) -> None:  # type: ignore[no-untyped-def]
    client = login(make_government_user(region=regions["laixi"]))
    form = client.get("/en/bureau/chains/new/").content.decode()
    assert ("莱西市 Laixi" in form, "胶州市 Jiaozhou" in form) == (True, False)
    data = {
        "name_zh": "家居产业链",
        "name_en": "Home furnishing",
        "lead_official": "王副市长",
        "lead_official_title": "副市长",
        "description": "",
    }

    refused = client.post("/en/bureau/chains/new/", {**data, "region": regions["jiaozhou"].pk})
    response = client.post("/en/bureau/chains/new/", {**data, "region": regions["laixi"].pk})

    assert refused.status_code == 422
    assert "Select a valid choice" in refused.content.decode()
    chain = IndustrialChain.objects.get()
    assert response["Location"] == f"/en/bureau/chains/{chain.pk}/"
    assert (chain.name_zh, chain.region, chain.lead_official) == (
        "家居产业链",
        regions["laixi"],
        "王副市长",
    )


def test_county_bureau_cannot_edit_the_citys_or_another_countys_chain(regions) -> None:  # type: ignore[no-untyped-def]
    city_chain = make_chain(region=regions["qingdao"], name_zh="青岛链")
    other = make_chain(region=regions["jiaozhou"], name_zh="胶州链")
    client = login(make_government_user(region=regions["laixi"]))
    for chain in (city_chain, other):
        link = chain.links.first()
        assert client.get(f"/en/bureau/chains/{chain.pk}/edit/").status_code == 403
        edit = client.post(
            f"/en/bureau/chains/{chain.pk}/edit/", {"name_zh": "改", "region": regions["laixi"].pk}
        )
        assert edit.status_code == 403
        assert (
            client.post(
                f"/en/bureau/chains/{chain.pk}/links/new/",
                {"stage": "upstream", "name_zh": "x", "position": 0, "min_enterprises": 1},
            ).status_code
            == 403
        )
        assert (
            client.post(f"/en/bureau/chains/{chain.pk}/links/{link.pk}/delete/").status_code == 403
        )
    assert list(IndustrialChain.objects.order_by("pk").values_list("name_zh", flat=True)) == [
        "青岛链",
        "胶州链",
    ]
    assert ChainLink.objects.count() == 6


def test_city_bureau_edits_a_county_chain_link_and_its_enterprises(regions) -> None:  # type: ignore[no-untyped-def]
    chain = make_chain(region=regions["laixi"])
    local = [make_enterprise(region=regions["laixi"], name_zh=f"莱西{i}厂") for i in range(3)]
    make_enterprise(region=regions["jiaozhou"], name_zh="胶州厂")
    link = chain.links.get(position=0)
    client = login(make_government_user(region=regions["qingdao"]))
    page = client.get(f"/en/bureau/chains/{chain.pk}/links/{link.pk}/").content.decode()
    assert ("莱西0厂" in page, "胶州厂" in page) == (True, False)

    response = client.post(
        f"/en/bureau/chains/{chain.pk}/links/{link.pk}/",
        {
            "stage": "upstream",
            "position": 0,
            "name_zh": "板材",
            "name_en": "Boards",
            "min_enterprises": 2,
            "sourced_outside": "on",
            "enterprises": [local[0].pk, local[1].pk],
        },
    )

    assert response["Location"] == f"/en/bureau/chains/{chain.pk}/"
    link.refresh_from_db()
    assert (link.name_zh, link.min_enterprises, link.sourced_outside) == ("板材", 2, True)
    assert sorted(link.enterprises.values_list("name_zh", flat=True)) == ["莱西0厂", "莱西1厂"]
    html = client.get(f"/en/bureau/chains/{chain.pk}/").content.decode()
    assert "Weak: the belt buys it from outside" in html


def test_adding_and_removing_a_link(regions) -> None:  # type: ignore[no-untyped-def]
    chain = make_chain(region=regions["laixi"], links=[("upstream", "Timber", 1)])
    client = login(make_operator())
    client.post(
        f"/en/bureau/chains/{chain.pk}/links/new/",
        {"stage": "downstream", "position": 5, "name_zh": "物流", "min_enterprises": 3},
    )
    assert list(chain.links.values_list("name_zh", "stage")) == [
        ("Timber", "upstream"),
        ("物流", "downstream"),
    ]
    timber = chain.links.get(name_zh="Timber")
    client.post(f"/en/bureau/chains/{chain.pk}/links/{timber.pk}/delete/")
    assert list(chain.links.values_list("name_zh", flat=True)) == ["物流"]


def test_enterprises_and_buyers_cannot_maintain_chains_or_settings(regions) -> None:  # type: ignore[no-untyped-def]
    chain = make_chain(region=regions["laixi"])
    enterprise = make_enterprise(region=regions["laixi"])
    for user in (make_enterprise_user(enterprise=enterprise), make_buyer()):
        client = login(user)
        assert client.get("/en/bureau/chains/new/").status_code == 403
        assert (
            client.post(
                f"/en/bureau/chains/{chain.pk}/links/new/",
                {"stage": "upstream", "name_zh": "x", "position": 0, "min_enterprises": 1},
            ).status_code
            == 403
        )
        assert client.get("/en/bureau/settings/").status_code == 403
        assert client.post("/en/bureau/settings/policies/new/", {"title": "x"}).status_code == 403
    assert (chain.links.count(), SupportPolicy.objects.count()) == (3, 0)


def test_government_cannot_change_thresholds_or_policies(regions) -> None:  # type: ignore[no-untyped-def]
    client = login(make_government_user(region=regions["shandong"]))
    assert client.post("/en/bureau/settings/", {"min_group_size": 1}).status_code == 403
    assert client.post("/en/bureau/settings/policies/new/", {"title": "x"}).status_code == 403
    assert (
        client.post(
            "/en/bureau/settings/routing/new/", {"need_type": "talent", "team": "x"}
        ).status_code
        == 403
    )
    assert current_settings().min_group_size == 3


def settings_data(**changes: object) -> dict[str, object]:
    s = current_settings()
    data = {
        f: getattr(s, f)
        for f in (
            "above_scale_revenue",
            "min_group_size",
            "export_dependence_share",
            "export_orders_drop",
            "destination_share",
            "falling_orders_months",
            "report_due_day",
            "remind_days_before",
            "jump_threshold",
            "respond_within_hours",
            "close_within_days",
        )
    }
    return {**data, **changes}


def test_operator_changes_thresholds_and_bad_values_name_the_field(regions) -> None:  # type: ignore[no-untyped-def]
    client = login(make_operator())
    bad = client.post(
        "/en/bureau/settings/", settings_data(destination_share="150", report_due_day=30)
    )
    assert bad.status_code == 422
    html = bad.content.decode()
    assert ("Enter a percentage from 0 to 100." in html, "Enter a day from 1 to 28." in html) == (
        True,
        True,
    )
    assert current_settings().destination_share == D("60.00")

    ok = client.post(
        "/en/bureau/settings/", settings_data(destination_share="50", above_scale_revenue="5000000")
    )

    assert ok["Location"] == "/en/bureau/settings/"
    s = current_settings()
    assert (s.destination_share, s.above_scale_revenue) == (D("50.00"), D("5000000.00"))


def test_operator_maintains_a_support_policy_shown_to_eligible_enterprises(regions) -> None:  # type: ignore[no-untyped-def]
    client = login(make_operator())
    data = {
        "title": "外贸稳增长资金",
        "summary": "",
        "url": "",
        "industries": "furniture，textiles",
        "min_employees": "",
        "max_employees": "",
        "min_export_share": "50",
        "max_export_share": "",
        "region": regions["qingdao"].pk,
        "active": "on",
    }
    backwards = client.post(
        "/en/bureau/settings/policies/new/", {**data, "min_employees": "100", "max_employees": "10"}
    )
    assert "The upper bound is below the lower one." in backwards.content.decode()

    client.post("/en/bureau/settings/policies/new/", data)

    policy = SupportPolicy.objects.get()
    assert (policy.industries, policy.min_export_share, policy.region) == (
        ["furniture", "textiles"],
        D("50.00"),
        regions["qingdao"],
    )
    eligible = make_enterprise(
        region=regions["laixi"], industries=["furniture"], export_share=D("80")
    )
    gov = login(make_government_user(region=regions["laixi"]))
    assert "外贸稳增长资金" in gov.get(f"/en/bureau/enterprises/{eligible.pk}/").content.decode()
    client.post(f"/en/bureau/settings/policies/{policy.pk}/", {**data, "active": ""})
    assert (
        "外贸稳增长资金" not in gov.get(f"/en/bureau/enterprises/{eligible.pk}/").content.decode()
    )


def test_operator_edits_country_groups_and_routing_rules(regions) -> None:  # type: ignore[no-untyped-def]
    client = login(make_operator())
    client.post(
        "/en/bureau/settings/country-groups/new/",
        {
            "slug": "rcep",
            "name_zh": "RCEP",
            "name_en": "RCEP",
            "countries": "jp, KR，au",
            "is_new_market": "on",
        },
    )
    bad = client.post(
        "/en/bureau/settings/country-groups/new/",
        {"slug": "x", "name_zh": "x", "name_en": "x", "countries": "Atlantis"},
    )
    assert CountryGroup.objects.get(slug="rcep").countries == ["AU", "JP", "KR"]
    assert (bad.status_code, CountryGroup.objects.filter(slug="x").exists()) == (422, False)

    client.post(
        "/en/bureau/settings/routing/new/",
        {
            "need_type": "logistics",
            "level": "",
            "team": "物流服务队",
            "departments": "交通局、商务局",
        },
    )
    rule = RoutingRule.objects.get()
    assert (rule.team, rule.departments) == ("物流服务队", ["交通局", "商务局"])
    page = client.get("/en/bureau/settings/").content.decode()
    countries = (  # names in the page's language, never bare codes
        '<span title="AU">Australia</span>, <span title="JP">Japan</span>, '
        '<span title="KR">South Korea</span>'
    )
    assert ("物流服务队" in page, countries in page) == (True, True)
    client.post(f"/en/bureau/settings/routing/{rule.pk}/delete/")
    assert RoutingRule.objects.count() == 0


def test_settings_page_query_count_is_constant(regions) -> None:  # type: ignore[no-untyped-def]
    client = login(make_operator())
    SupportPolicy.objects.create(title="p0", region=regions["laixi"])
    client.get("/en/bureau/settings/")
    with CaptureQueriesContext(connection) as few:
        client.get("/en/bureau/settings/")
    for i in range(4):
        SupportPolicy.objects.create(title=f"p{i + 1}", region=regions["lanxi"])
        RoutingRule.objects.create(need_type="talent", team=f"t{i}")
    with CaptureQueriesContext(connection) as many:
        html = client.get("/en/bureau/settings/").content.decode()
    assert "p4" in html
    assert len(many) == len(few)


def test_chain_list_query_count_is_constant(regions) -> None:  # type: ignore[no-untyped-def]
    client = login(make_government_user(region=regions["shandong"]))
    make_chain(region=regions["laixi"])
    client.get("/en/bureau/chains/")
    with CaptureQueriesContext(connection) as few:
        client.get("/en/bureau/chains/")
    for i in range(4):
        make_chain(region=regions["jiaozhou"], name_zh=f"链{i}")
    with CaptureQueriesContext(connection) as many:
        html = client.get("/en/bureau/chains/").content.decode()
    assert "链3" in html
    assert len(many) == len(few)
