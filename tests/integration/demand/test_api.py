"""The demand API: the same access rules as the pages, the 3-buyer rule, paging, bad filters
as 422 naming the field, and the error responses documented in the OpenAPI document."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from dualcirc.bureau.enums import ChainStage
from dualcirc.bureau.models import ChainLink, IndustrialChain
from dualcirc.catalog.models import IndustrialBelt
from dualcirc.demand.domain import buyer_key, month_of, refresh_demand_radar
from dualcirc.demand.enums import SignalKind
from dualcirc.demand.models import DemandSignal
from dualcirc.l10n.text import local_name
from tests.factories import make_enterprise, make_product, make_region_tree
from tests.factories.api import (
    bearer,
    make_buyer,
    make_enterprise_user,
    make_government_user,
    make_operator,
)

pytestmark = pytest.mark.django_db


def add(n: int, *, first: int = 500, **fields) -> None:
    """One signal from each of ``n`` distinct buyers (keys ``first``, ``first + 1``, …)."""
    today = timezone.localdate()
    DemandSignal.objects.bulk_create(
        DemandSignal(
            kind=SignalKind.SEARCH,
            month=month_of(today),
            recorded_on=today,
            language="en",
            buyer_key=buyer_key(first + i),
            **fields,
        )
        for i in range(n)
    )
    refresh_demand_radar()


@pytest.fixture
def world():
    regions = make_region_tree()
    belt = IndustrialBelt.objects.create(
        slug="laixi-furniture",
        name_zh="莱西家具",
        name_en="Laixi furniture",
        industry="furniture",
        region=regions["laixi"],
    )
    laixi = make_enterprise(region=regions["laixi"], export_markets=["US"], belt=belt)
    jiaozhou = make_enterprise(region=regions["jiaozhou"], export_markets=["US"])
    lanxi = make_enterprise(region=regions["lanxi"], export_markets=["US"])
    for e in (laixi, jiaozhou, lanxi):
        make_product(enterprise=e, hs_code="940360")
    chain = IndustrialChain.objects.create(
        name_zh="家具链", name_en="Furniture", region=regions["qingdao"]
    )
    link = ChainLink.objects.create(chain=chain, stage=ChainStage.values[0], name_zh="家具制造")
    link.enterprises.add(laixi, jiaozhou)
    return regions, laixi, jiaozhou, lanxi, belt, chain


def get(user, path: str, HTTP_ACCEPT_LANGUAGE: str = "", **params):
    headers = bearer(user)
    if HTTP_ACCEPT_LANGUAGE:
        headers["Accept-Language"] = HTTP_ACCEPT_LANGUAGE
    return Client().get(path, params, headers=headers)


def test_the_radar_answers_its_rows_with_asked_and_offered_paged(world, settings):
    settings.DEMAND_CURRENCY = "USD"
    _r, laixi, *_ = world
    maker = make_enterprise_user(enterprise=laixi)
    add(3, hs_heading="9403", market="DE", quantity=Decimal("20"), unit="pcs",
        price_max=Decimal("100"), currency="USD", certifications=["FSC"])  # fmt: skip
    add(3, hs_heading="9403", market="FR")
    add(2, hs_heading="6505", market="VN")  # two buyers: hidden

    first = get(maker, "/api/demand/radar", page_size=1)
    second = get(maker, "/api/demand/radar", page_size=1, page=2)
    past = get(maker, "/api/demand/radar", page_size=1, page=3)

    assert first.status_code == 200
    body = first.json()
    assert (body["count"], body["page"], body["hidden"], body["currency"]) == (2, 1, 1, "USD")
    assert [(r["subject"], r["market"], r["buyers"]) for r in body["results"]] == [
        ("9403", "DE", 3)
    ]
    row = body["results"][0]
    assert row["asked"] == {
        "quantity": {"low": "20.00", "high": "20.00", "unit": "pcs"},
        "price_ceiling": {"low": "100.00", "high": "100.00", "unit": "USD"},
        "certifications": ["FSC"],
    }
    assert row["offered"] == {
        "listings": 3,
        "moq": {"low": "50.00", "high": "50.00", "unit": "pcs"},
        "price": {"low": "120.00", "high": "150.00", "unit": "USD"},
        "certifications": [],
    }
    assert [r["market"] for r in second.json()["results"]] == ["FR"]
    assert past.json()["results"] == []


def test_radar_access_and_bad_filters(world):
    _r, laixi, *_ = world
    maker = make_enterprise_user(enterprise=laixi)

    buyer = get(make_buyer(), "/api/demand/radar")
    anonymous = Client().get("/api/demand/radar")
    bad = get(
        maker,
        "/api/demand/radar",
        **{"from": "2026-13", "kind": "phone", "market": "XX", "language": "fr"},
    )
    bad_page = get(maker, "/api/demand/radar", page=0)

    assert (buyer.status_code, anonymous.status_code) == (403, 401)
    assert buyer.json()["code"] == "forbidden"
    assert bad.status_code == 422
    assert sorted(e["field"] for e in bad.json()["errors"]) == [
        "from",
        "kind",
        "language",
        "market",
    ]
    assert bad_page.status_code == 422
    assert [e["field"] for e in bad_page.json()["errors"]] == ["page"]


def test_gaps_a_factory_sees_its_own_an_official_their_region(world):
    regions, laixi, jiaozhou, lanxi, *_ = world
    add(3, hs_heading="9403", market="FR")  # every enterprise misses France
    maker = make_enterprise_user(enterprise=laixi)
    qingdao = make_government_user(region=regions["qingdao"])

    own = get(maker, "/api/demand/gaps")
    own_by_id = get(maker, f"/api/demand/gaps/{laixi.pk}")
    other = get(maker, f"/api/demand/gaps/{jiaozhou.pk}")
    missing = get(maker, "/api/demand/gaps/999999")
    official_inside = get(qingdao, f"/api/demand/gaps/{jiaozhou.pk}")
    official_outside = get(qingdao, f"/api/demand/gaps/{lanxi.pk}")
    no_enterprise = get(qingdao, "/api/demand/gaps")

    assert own.status_code == 200
    assert own.json() == own_by_id.json()
    assert [(g["reason"], g["detail"], g["buyers"]) for g in own.json()["results"]] == [
        ("market", "FR", 3)
    ]
    assert (other.status_code, missing.status_code) == (403, 404)
    assert (official_inside.status_code, official_outside.status_code) == (200, 403)
    assert no_enterprise.status_code == 404


def test_gaps_under_three_buyers_are_hidden(world):
    _r, laixi, *_ = world
    add(2, hs_heading="9403", market="FR")

    body = get(make_enterprise_user(enterprise=laixi), "/api/demand/gaps").json()

    assert (body["results"], body["hidden"]) == ([], 1)


def test_the_bureau_rollup_by_region_belt_and_chain_counts_distinct_buyers(world):
    regions, laixi, jiaozhou, lanxi, belt, chain = world
    add(3, hs_heading="9403", market="FR")  # buyers 500–502: every enterprise misses France
    add(2, first=501, hs_heading="9403", market="BR")  # 501, 502 again: no new buyer
    add(1, first=600, hs_heading="9403", market="CA")  # one more buyer: 4 in all
    shandong = make_government_user(region=regions["shandong"])

    body = get(shandong, "/api/demand/bureau", HTTP_ACCEPT_LANGUAGE="en").json()
    everything = get(make_operator(), "/api/demand/bureau", HTTP_ACCEPT_LANGUAGE="en").json()
    maker = get(make_enterprise_user(enterprise=laixi), "/api/demand/bureau")

    # Qingdao holds Laixi and Jiaozhou, each missing France for the same 3 buyers: 3, not 6.
    # Brazil (2 buyers) and Canada (1) are gaps under the rule: their buyers are not counted.
    assert [
        (g["name"], g["enterprises"], g["buyers"], g["by_reason"]) for g in body["by_region"]
    ] == [(local_name(regions["qingdao"], language="en"), 2, 3, {"market": 3})]
    assert [(g["id"], g["enterprises"], g["buyers"]) for g in body["by_belt"]] == [(belt.pk, 1, 3)]
    assert [(g["id"], g["enterprises"], g["buyers"]) for g in body["by_chain"]] == [
        (chain.pk, 2, 3)
    ]
    assert sorted(e["enterprise"] for e in body["enterprises"]) == [laixi.pk, jiaozhou.pk]
    assert sorted(g["id"] for g in everything["by_region"]) == sorted(
        [regions["shandong"].pk, regions["zhejiang"].pk]
    )
    assert lanxi.pk in [e["enterprise"] for e in everything["enterprises"]]
    assert maker.status_code == 403


def test_the_openapi_document_states_the_error_responses():
    schema = Client().get("/api/openapi.json").json()
    paths = [
        "/api/demand/radar",
        "/api/demand/gaps",
        "/api/demand/gaps/{enterprise_id}",
        "/api/demand/bureau",
    ]

    for path in paths:
        responses = schema["paths"][path]["get"]["responses"]
        assert {"200", "401", "403", "404", "422"} <= {str(k) for k in responses}, path
        assert responses["403"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }


def test_an_official_gets_only_the_alerts_of_their_region(world):
    from dualcirc.demand.models import UnmetDemandAlert

    regions, *_ = world
    for region in (regions["laixi"], regions["lanxi"]):
        UnmetDemandAlert.objects.create(
            region=region, subject="nón lá", market="VN", buyers=3, signals=4
        )

    qingdao = get(make_government_user(region=regions["qingdao"]), "/api/demand/bureau").json()
    operator = get(make_operator(), "/api/demand/bureau").json()

    assert [(a["region"], a["subject"], a["buyers"]) for a in qingdao["alerts"]] == [
        (regions["laixi"].code, "nón lá", 3)
    ]
    assert sorted(a["region"] for a in operator["alerts"]) == sorted(
        [regions["laixi"].code, regions["lanxi"].code]
    )
