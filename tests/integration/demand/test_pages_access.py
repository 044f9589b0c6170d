"""Who sees what: a buyer sees no radar, an enterprise only its own gaps, a government only
its region's enterprises; the CSV export, bad filters and the retention job."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from dualcirc.catalog.enums import ListingLanguage
from dualcirc.demand.domain import buyer_key, month_of, refresh_demand_radar
from dualcirc.demand.enums import SignalKind
from dualcirc.demand.models import DemandSignal
from tests.factories import make_enterprise, make_product, make_region_tree
from tests.factories.api import (
    make_buyer,
    make_enterprise_user,
    make_government_user,
    make_operator,
)

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs: int) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add(n: int, **fields) -> None:
    today = timezone.localdate()
    DemandSignal.objects.bulk_create(
        DemandSignal(
            kind=SignalKind.SEARCH,
            month=month_of(today),
            recorded_on=today,
            language="en",
            buyer_key=buyer_key(500 + i),
            **fields,
        )
        for i in range(n)
    )
    refresh_demand_radar()


@pytest.fixture
def world():
    regions = make_region_tree()
    laixi = make_enterprise(region=regions["laixi"], export_markets=["US"])
    lanxi = make_enterprise(region=regions["lanxi"], export_markets=["US"])
    make_product(enterprise=laixi, hs_code="940360")
    make_product(enterprise=lanxi, hs_code="940390")
    add(3, hs_heading="9403", market="FR")  # both miss France
    return regions, laixi, lanxi


def test_a_buyer_sees_no_radar_no_gaps_no_bureau_page_and_no_menu_entry(world):
    _regions, laixi, _lanxi = world
    buyer = logged_in(make_buyer())

    pages = [
        buyer.get(url("demand:radar")),
        buyer.get(url("demand:enterprise-gaps", enterprise_id=laixi.pk)),
        buyer.get(url("demand:bureau")),
    ]
    home = buyer.get(url("search:search")).content.decode()

    assert [p.status_code for p in pages] == [403, 403, 403]
    assert url("demand:radar") not in home
    assert buyer.get(url("demand:opt-out")).status_code == 200


def test_visitors_who_are_not_signed_in_are_sent_to_sign_in():
    response = Client().get(url("demand:radar"))

    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_an_enterprise_sees_the_radar_and_only_its_own_gaps(world):
    _regions, laixi, lanxi = world
    maker = logged_in(make_enterprise_user(enterprise=laixi))

    radar = maker.get(url("demand:radar"))
    own = maker.get(url("demand:gaps"))
    own_by_id = maker.get(url("demand:enterprise-gaps", enterprise_id=laixi.pk))
    other = maker.get(url("demand:enterprise-gaps", enterprise_id=lanxi.pk))

    assert radar.status_code == 200
    assert f'href="{url("demand:radar")}"' in radar.content.decode()  # the menu entry
    assert (own.status_code, own_by_id.status_code, other.status_code) == (200, 200, 403)
    assert own.context["enterprise"] == laixi
    assert [(g.product.enterprise_id, g.detail, g.buyers) for g in own.context["gaps"]] == [
        (laixi.pk, "FR", 3)
    ]
    assert maker.get(url("demand:bureau")).status_code == 403
    assert maker.get(url("demand:opt-out")).status_code == 403


def test_a_government_sees_only_its_regions_enterprises(world):
    regions, laixi, lanxi = world
    shandong = logged_in(make_government_user(region=regions["shandong"]))

    inside = shandong.get(url("demand:enterprise-gaps", enterprise_id=laixi.pk))
    outside = shandong.get(url("demand:enterprise-gaps", enterprise_id=lanxi.pk))
    bureau = shandong.get(url("demand:bureau"))
    everything = logged_in(make_operator()).get(url("demand:bureau"))

    assert (inside.status_code, outside.status_code) == (200, 403)
    assert [r.enterprise for r in bureau.context["rows"]] == [laixi]
    assert sorted(r.enterprise.pk for r in everything.context["rows"]) == sorted(
        [laixi.pk, lanxi.pk]
    )


def test_the_radar_exports_its_rows_as_csv_with_what_was_asked_and_offered(world, settings):
    settings.DEMAND_CURRENCY = "USD"
    _regions, laixi, _lanxi = world
    maker = logged_in(make_enterprise_user(enterprise=laixi))
    add(2, hs_heading="6505", market="VN")  # under three buyers: not exported either
    # the same three buyers ask again, with terms; a fourth asks for CE alone (not shown)
    add(
        3,
        hs_heading="9403",
        market="FR",
        quantity=Decimal("20"),
        unit="pcs",
        price_max=Decimal("100"),
        currency="USD",
        certifications=["FSC"],
    )
    add(1, hs_heading="9403", market="FR", certifications=["CE"])

    response = maker.get(url("demand:radar"), {"market": "fr", "format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    month = timezone.localdate().strftime("%Y-%m")
    assert rows == [
        [
            "month",
            "subject",
            "market",
            "language",
            "volume",
            "previous_month",
            "change",
            "unmet",
            "buyers",
            "listings",
            "per_listing",
            "asked_quantity_low",
            "asked_quantity_high",
            "asked_unit",
            "asked_price_low",
            "asked_price_high",
            "asked_certifications",
            "offered_moq_low",
            "offered_moq_high",
            "offered_unit",
            "offered_price_low",
            "offered_price_high",
            "offered_certifications",
            "currency",
        ],
        [
            *[month, "9403", "FR", "en", "7", "0", "", "7", "3", "2", "3.50"],
            *["20.00", "20.00", "pcs", "100.00", "100.00", "FSC"],  # asked
            *["50.00", "50.00", "pcs", "120.00", "150.00", "", "USD"],  # offered
        ],
    ]


def test_bad_radar_filters_answer_400_naming_the_field(world):
    _regions, laixi, _lanxi = world
    maker = logged_in(make_enterprise_user(enterprise=laixi))

    response = maker.get(url("demand:radar"), {"from": "2026-13"})

    assert response.status_code == 400
    assert (
        '<ul class="errorlist" id="f-from-error"><li>Write the month as YYYY-MM.</li></ul>'
        in response.content.decode()
    )


def options(html: str, name: str) -> list[tuple[str, str, bool]]:
    """The options of the radar form's ``name`` menu: (value, label, selected)."""
    menu = re.search(rf'<select id="f-{name}" name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert menu is not None, name
    return [
        (value, label, bool(selected))
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', menu.group(1)
        )
    ]


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("zh-hans", ("全部", "欧盟", "法国", "越南")),
        ("en", ("All", "European Union", "France", "Vietnam")),
        ("vi", ("Tất cả", "Liên Minh Châu Âu", "Pháp", "Việt Nam")),
    ],
)
def test_the_radar_offers_the_markets_asked_for_and_the_query_languages_as_menus(
    world, language, names
):
    _regions, laixi, _lanxi = world
    add(3, hs_heading="9403", market="VN")
    add(4, hs_heading="6505", market="EU")  # groups buyers named: the locale's name, or the code
    add(3, hs_heading="6505", market="ASEAN")
    add(2, hs_heading="9403", market="JP")  # two buyers: a market not to be named
    maker = logged_in(make_enterprise_user(enterprise=laixi))
    with translation.override(language):
        radar = reverse("demand:radar")
        query_languages = [("", names[0], False)] + [
            (str(code), str(label), False) for code, label in ListingLanguage.choices
        ]

    page = maker.get(radar).content.decode()
    in_vietnam = maker.get(radar, {"market": "vn", "language": "EN"})
    japan = maker.get(radar, {"market": "JP"})  # a country nobody asked for (enough): valid

    every, eu, france, vietnam = names
    markets = options(page, "market")
    assert markets[0] == ("", every, False)
    assert sorted(markets[1:]) == [
        ("ASEAN", "ASEAN", False),
        ("EU", eu, False),
        ("FR", france, False),
        ("VN", vietnam, False),
    ]
    labels = [label for _v, label, _s in markets[1:]]
    assert labels == sorted(labels)
    assert options(page, "language") == query_languages
    assert [v for v, _l, _s in query_languages] == ["", "zh", "en", "vi"]
    assert in_vietnam.status_code == 200
    assert [(r.market, r.language) for r in in_vietnam.context["radar"].rows] == [("VN", "en")]
    assert [v for v, _l, s in options(in_vietnam.content.decode(), "market") if s] == ["VN"]
    assert [v for v, _l, s in options(in_vietnam.content.decode(), "language") if s] == ["en"]
    assert japan.status_code == 200 and japan.context["radar"].rows == []
    assert [v for v, _l, s in options(japan.content.decode(), "market") if s] == ["JP"]


def test_an_unknown_market_or_language_is_a_form_error_beside_its_menu(world):
    _regions, laixi, _lanxi = world
    maker = logged_in(make_enterprise_user(enterprise=laixi))

    response = maker.get(url("demand:radar"), {"market": "Narnia", "language": "fr"})
    html = response.content.decode()

    assert response.status_code == 400
    assert 'id="f-market" name="market" aria-invalid="true"' in html
    assert re.findall(r'<ul class="errorlist" id="f-(\w+)-error"><li>([^<]*)</li>', html) == [
        ("market", "NARNIA is not a country code or a market buyers asked for."),
        ("language", "One of: zh, en, vi."),
    ]
    assert options(html, "market") == [("", "All", False), ("FR", "France", False)]
    assert "at least 3 different buyers" in html  # the subtitle, on an error too


def test_the_periodic_command_deletes_signals_past_retention(settings):
    settings.DEMAND_RETENTION_DAYS = 10
    old = timezone.localdate() - timedelta(days=11)
    DemandSignal.objects.create(kind=SignalKind.SEARCH, month=month_of(old), recorded_on=old)
    add(1)
    out = io.StringIO()

    call_command("periodic", only=["demand-retention"], stdout=out)

    assert out.getvalue() == "demand-retention: 1 demand signals past their retention deleted.\n"
    assert list(DemandSignal.objects.values_list("recorded_on", flat=True)) == [
        timezone.localdate()
    ]
    assert date.today() >= old


def test_the_radar_pages_its_rows(world):
    _regions, laixi, _lanxi = world
    maker = logged_in(make_enterprise_user(enterprise=laixi))
    markets = [f"{a}{b}" for a in "ABCDEFGH" for b in "ABCDEFGH"][:50]  # with FR: 51 rows
    for market in markets:
        add(3, hs_heading="6505", market=market)

    first = maker.get(url("demand:radar"), {"kind": "search"})
    second = maker.get(url("demand:radar"), {"kind": "search", "page": "2"})
    past = maker.get(url("demand:radar"), {"kind": "search", "page": "3"})
    bad = maker.get(url("demand:radar"), {"page": "x"})

    assert len(first.context["radar"].rows) == 50
    assert len(second.context["radar"].rows) == 1
    assert "Page 1 of 2" in first.content.decode()
    assert 'rel="next" href="?kind=search&amp;page=2"' in first.content.decode()
    assert 'rel="prev" href="?kind=search&amp;page=1"' in second.content.decode()
    assert (past.status_code, bad.status_code) == (404, 400)
    assert [e.field for e in bad.context["errors"]] == ["page"]
