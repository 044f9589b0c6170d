"""The bureau's pages and API: content, refusals, constant query counts."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dualcirc.bureau.domain.alerts import refresh_alerts
from dualcirc.bureau.enums import ChainStage
from dualcirc.bureau.indicators import month_index
from dualcirc.bureau.models import MonthlyFigures, SupportCase
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import (
    bearer,
    make_enterprise_user,
    make_government_user,
    make_operator,
)
from tests.factories.bureau import make_alert, make_chain, make_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    regions = make_region_tree()
    ents = [make_enterprise(region=regions["laixi"], name_zh=f"莱西{i}厂") for i in range(3)]
    lanxi = make_enterprise(region=regions["lanxi"], name_zh="兰溪布厂")
    for e in [*ents, lanxi]:
        make_figures(
            enterprise=e,
            month="2024-06",
            revenue=100,
            output_value=100,
            domestic={"tmall": 40},
            exports={"US": 60},
        )
        make_figures(enterprise=e, month="2025-06", revenue=110, output_value=105,
                     domestic={"tmall": 50}, exports={"US": 60})  # fmt: skip
    return {"regions": regions, "ents": ents, "lanxi": lanxi}


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_dashboard_shows_the_jurisdictions_indicators(world) -> None:  # type: ignore[no-untyped-def]
    gov = make_government_user(region=world["regions"]["laixi"])
    html = login(gov).get("/en/bureau/?period=month&month=2025-06").content.decode()
    assert "莱西市 Laixi · Jun 2025 – Jun 2025" in html
    assert "330" in html  # revenue 3 × 110
    assert "10.0%" in html  # YoY (330 / 300)


def test_bureau_pages_refuse_enterprises_and_buyers(world) -> None:  # type: ignore[no-untyped-def]
    member = make_enterprise_user(enterprise=world["ents"][0])
    client = login(member)
    assert client.get("/en/bureau/").status_code == 403
    assert client.get("/en/bureau/alerts/").status_code == 403
    assert client.get(f"/en/bureau/enterprises/{world['ents'][1].pk}/").status_code == 404


def test_county_bureau_cannot_open_another_countys_enterprise(world) -> None:  # type: ignore[no-untyped-def]
    gov = make_government_user(region=world["regions"]["laixi"])
    client = login(gov)
    assert client.get(f"/en/bureau/enterprises/{world['lanxi'].pk}/").status_code == 404
    assert client.get("/en/bureau/?scope=region:330781").status_code == 403
    listing = client.get("/en/bureau/enterprises/").content.decode()
    assert ("莱西0厂" in listing, "兰溪布厂" in listing) == (True, False)


def test_enterprise_list_query_count_is_constant(world) -> None:  # type: ignore[no-untyped-def]
    gov = make_government_user(region=world["regions"]["shandong"])
    client = login(gov)
    client.get("/en/bureau/enterprises/")
    with CaptureQueriesContext(connection) as few:
        client.get("/en/bureau/enterprises/")
    for i in range(4):
        e = make_enterprise(region=world["regions"]["jiaozhou"], name_zh=f"胶州{i}厂")
        make_figures(enterprise=e, month="2025-05", revenue=1)
        make_alert(enterprise=e)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/en/bureau/enterprises/")
    assert "胶州3厂" in response.content.decode()
    assert len(many) == len(few)


def test_alert_list_query_count_is_constant(world) -> None:  # type: ignore[no-untyped-def]
    client = login(make_operator())
    make_alert(enterprise=world["ents"][0])
    client.get("/en/bureau/alerts/")
    with CaptureQueriesContext(connection) as few:
        client.get("/en/bureau/alerts/")
    for e in world["ents"][1:]:
        make_alert(enterprise=e, level="red", reason="export_orders_drop",
                   details={"export_share": "80.0", "orders_change": "-50.0"})  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        html = client.get("/en/bureau/alerts/").content.decode()
    assert "export orders on hand changed -50.0% year on year" in html
    assert len(many) == len(few)


def test_opening_a_case_from_an_alert_routes_and_links_it(world) -> None:  # type: ignore[no-untyped-def]
    gov = make_government_user(region=world["regions"]["laixi"])
    alert = make_alert(enterprise=world["ents"][0], level="orange")
    response = login(gov).post(
        f"/en/bureau/alerts/{alert.pk}/case/", {"need_type": "export_market"}
    )
    case = SupportCase.objects.get()
    assert response["Location"] == f"/en/bureau/cases/{case.pk}/"
    assert (case.alert, case.level, case.source, case.status, case.title) == (
        alert,
        "orange",
        "alert",
        "received",
        alert.get_reason_display(),
    )
    alert.refresh_from_db()
    assert alert.status == "in_case"


def test_figures_form_submits_then_requires_a_reason_to_correct(world) -> None:  # type: ignore[no-untyped-def]
    enterprise = world["ents"][0]
    client = login(make_enterprise_user(enterprise=enterprise))
    url = f"/en/bureau/figures/{enterprise.pk}/2025-03/"
    data = {"revenue": "500", "domestic_tmall": "200", "export_general_trade": "US=300"}
    assert client.post(url, data).status_code == 302
    f = MonthlyFigures.objects.get(enterprise=enterprise, month=dt.date(2025, 3, 1))
    assert (f.revenue, f.export_sales, f.version) == (D("500.00"), D("300.00"), 1)
    refused = client.post(url, {**data, "revenue": "550", "expected_version": "1"})
    assert refused.status_code == 422
    assert "A correction needs a reason." in refused.content.decode()
    ok = client.post(url, {**data, "revenue": "550", "expected_version": "1", "reason": "typo"})
    assert ok.status_code == 302
    page = client.get(url).content.decode()
    assert "revenue: 500.00 → 550.00" in page


def test_chain_page_names_missing_and_weak_links(world) -> None:  # type: ignore[no-untyped-def]
    chain = make_chain(region=world["regions"]["laixi"])
    up, mid, _down = chain.links.all()
    mid.enterprises.set(world["ents"][:2])
    up.enterprises.set(world["ents"][:1])
    up.sourced_outside = True
    up.save()
    html = login(make_operator()).get(f"/en/bureau/chains/{chain.pk}/").content.decode()
    assert "Missing: no local enterprise" in html
    assert "Weak: only 1 local enterprises; the belt buys it from outside" in html
    assert html.count('class="state-strong"') == 1
    assert str(ChainStage.UPSTREAM.label) in html


def test_report_states_headlines_in_both_languages_and_exports(world) -> None:  # type: ignore[no-untyped-def]
    client = login(make_government_user(region=world["regions"]["laixi"]))
    query = "scope=region:370285&period=month&month=2025-06"
    html = client.get(f"/en/bureau/report/?{query}").content.decode()
    assert "莱西市 Laixi当月出口180元，同比增长0.0%。" in html
    assert "莱西市 Laixi: exports reached CN¥180 in the month, up 0.0 percent" in html
    assert "SELECT" in html  # the query behind each number
    xlsx = client.get(f"/en/bureau/report.xlsx?{query}")
    assert xlsx.content[:2] == b"PK"
    pdf = client.get(f"/en/bureau/report.pdf?{query}")
    assert pdf.content[:5] == b"%PDF-"


def test_api_put_figures_conflict_then_correction(world) -> None:  # type: ignore[no-untyped-def]
    enterprise = world["ents"][0]
    headers = bearer(make_enterprise_user(enterprise=enterprise))
    client = Client()
    body = {"revenue": 1000, "exports": [{"country": "vn", "amount": 400}], "domestic": {"jd": 600}}
    url = f"/api/bureau/figures/{enterprise.pk}/2025-04"
    first = client.put(url, json.dumps(body), content_type="application/json", headers=headers)
    assert (first.status_code, first.json()["figures"]["export_sales"]) == (200, "400.00")
    body["revenue"] = 1200
    conflict = client.put(url, json.dumps(body), content_type="application/json", headers=headers)
    assert (conflict.status_code, conflict.json()["errors"][0]["field"]) == (
        409,
        "expected_version",
    )
    body |= {"expected_version": 1, "reason": "audit"}
    fixed = client.put(url, json.dumps(body), content_type="application/json", headers=headers)
    assert (fixed.json()["action"], fixed.json()["figures"]["version"]) == ("corrected", 2)


def test_api_figures_and_indicators_refuse_outsiders(world) -> None:  # type: ignore[no-untyped-def]
    other = make_enterprise_user(enterprise=world["ents"][1])
    client = Client()
    mine = world["ents"][0].pk
    assert client.get(f"/api/bureau/figures/{mine}", headers=bearer(other)).status_code == 403
    gov = bearer(make_government_user(region=world["regions"]["lanxi"]))
    refused = client.get("/api/bureau/indicators?scope=region:370285", headers=gov)
    assert refused.status_code == 403
    own = client.get(
        "/api/bureau/indicators?scope=region:330781&period=month&month=2025-06", headers=gov
    ).json()
    assert (own["enterprises"], own["suppressed"]) == (1, True)


def test_api_indicators_for_a_region(world) -> None:  # type: ignore[no-untyped-def]
    gov = bearer(make_government_user(region=world["regions"]["laixi"]))
    data = (
        Client()
        .get("/api/bureau/indicators?scope=region:370285&period=month&month=2025-06", headers=gov)
        .json()
    )
    assert data["totals"]["revenue"] == "330.00"
    assert data["yoy"]["revenue"]["rate"] == "10.0"
    assert data["destinations"] == {"US": "180.00"}
    assert data["hhi"] == "10000"


def test_api_case_from_the_enterprise_itself(world) -> None:  # type: ignore[no-untyped-def]
    enterprise = world["ents"][0]
    response = Client().post(
        "/api/bureau/cases",
        json.dumps({"enterprise": enterprise.pk, "need_type": "financing", "title": "Loan"}),
        content_type="application/json",
        headers=bearer(make_enterprise_user(enterprise=enterprise)),
    )
    assert (response.status_code, response.json()["status"]) == (201, "received")
    refused = Client().post(
        "/api/bureau/cases",
        json.dumps({"enterprise": world["lanxi"].pk, "need_type": "financing", "title": "x"}),
        content_type="application/json",
        headers=bearer(make_enterprise_user(enterprise=enterprise)),
    )
    assert refused.status_code == 403


def test_refresh_alerts_feeds_the_dashboard(world) -> None:  # type: ignore[no-untyped-def]
    e = world["ents"][0]
    for month, orders in (("2025-03", 100), ("2025-04", 90), ("2025-05", 80)):
        make_figures(enterprise=e, month=month, revenue=1, orders_domestic=orders)
    MonthlyFigures.objects.filter(enterprise=e, month=dt.date(2025, 6, 1)).update(
        orders_domestic=70
    )
    refresh_alerts(month=month_index(2025, 6), today=dt.date(2025, 7, 1))
    gov = make_government_user(region=world["regions"]["laixi"])
    html = login(gov).get("/en/bureau/?period=month&month=2025-06").content.decode()
    assert "Orders on hand fell 3 months running, from 100 to 70 yuan." in html
