"""The bureau dashboard's own-brand and channel-readiness panel agrees with the raw rows, stays
inside the user's jurisdiction, and the enterprise file carries the same figures."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from dualcirc.catalog.models import Product
from dualcirc.channels.models import ProductBranding
from dualcirc.channels.queries import assess_product, with_listing_data
from tests.factories import make_enterprise, make_product, make_region_tree
from tests.factories.api import make_belt, make_enterprise_user, make_government_user
from tests.factories.brands import make_brand, make_listed_table, put_under_brand

pytestmark = pytest.mark.django_db


def chart_rows(html: str, key: str) -> list[list[str]]:
    body = re.search(rf'data-chart-key="{key}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert body is not None, key
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
        for r in rows
    ]


def pct(part: int, whole: int) -> str:
    return f"{(Decimal(100) * part / whole).quantize(Decimal('0.1'))}%"


@pytest.fixture
def belts():
    regions = make_region_tree()
    laixi = make_belt(region=regions["laixi"], slug="laixi-furniture")
    lanxi = make_belt(
        region=regions["lanxi"], slug="lanxi-denim", name_zh="兰溪纺织", name_en="Lanxi textiles"
    )
    a = make_enterprise(region=regions["laixi"], belt=laixi, name_en="Laixi A")
    b = make_enterprise(region=regions["laixi"], belt=laixi, name_en="Laixi B")
    c = make_enterprise(region=regions["lanxi"], belt=lanxi, name_en="Lanxi C")
    member_a = make_enterprise_user(enterprise=a)
    brand = make_brand(actor=member_a, enterprise=a)
    ready = make_listed_table(actor=member_a, enterprise=a, sku="A-1")
    oem = make_product(enterprise=a, sku="A-2")
    put_under_brand(actor=member_a, products=[ready], brand=brand)
    for n in range(3):
        make_product(enterprise=b, sku=f"B-{n}")
    member_c = make_enterprise_user(enterprise=c)
    c_brand = make_brand(actor=member_c, enterprise=c, name="兰牛")
    put_under_brand(actor=member_c, products=[make_product(enterprise=c, sku="C-1")], brand=c_brand)
    return {"regions": regions, "a": a, "b": b, "c": c, "oem": oem}


def raw_figures(enterprise_ids: list[int]) -> dict[str, dict[str, object]]:
    """Own-brand share and readiness per belt, counted straight from the rows."""
    out: dict[str, dict[str, object]] = {}
    products = with_listing_data(Product.objects.filter(enterprise__in=enterprise_ids))
    for product in products.select_related("enterprise__belt"):
        belt = product.enterprise.belt.name_en
        row = out.setdefault(belt, {"products": 0, "own": 0, "ready": {}})
        row["products"] += 1  # type: ignore[operator]
        own = ProductBranding.objects.filter(product=product, kind="own_brand").exists()
        row["own"] += own  # type: ignore[operator]
        for key, r in assess_product(product).items():
            row["ready"][key] = row["ready"].get(key, 0) + r.ready  # type: ignore[union-attr,attr-defined]
    return out


def test_dashboard_own_brand_share_and_readiness_per_belt_match_the_rows(belts):
    client = Client()
    client.force_login(make_government_user(region=belts["regions"]["shandong"]))

    html = client.get("/en/bureau/?scope=region:37").content.decode()
    own = chart_rows(html, "own-brand")
    ready = chart_rows(html, "channel-readiness")

    raw = raw_figures([belts["a"].pk, belts["b"].pk])["Laixi furniture"]
    assert own == [["Laixi furniture", "5", "1", pct(1, 5)]]
    assert raw["products"] == 5 and raw["own"] == 1
    assert ready == [
        ["Laixi furniture", "5"]
        + [pct(raw["ready"][k], 5) for k in ("tmall", "jd", "douyin", "pdd", "1688")]  # type: ignore[index]
    ]
    assert ready[0][2:] == ["20.0%"] * 5  # the listed table alone is ready everywhere


def test_a_government_sees_only_the_belts_of_its_region(belts):
    client = Client()
    client.force_login(make_government_user(region=belts["regions"]["jinhua"]))

    html = client.get("/en/bureau/?scope=region:3307").content.decode()

    assert chart_rows(html, "own-brand") == [["Lanxi textiles", "1", "1", "100.0%"]]
    assert "Laixi A" not in html


def test_enterprise_file_shows_its_own_brand_share_and_readiness(belts):
    client = Client()
    client.force_login(make_government_user(region=belts["regions"]["qingdao"]))

    html = client.get(f"/en/bureau/enterprises/{belts['a'].pk}/").content.decode()
    block = html[html.index('own-brand-block"') :]

    stats = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block)
    assert stats[:3] == [
        ("Products", "2"),
        ("Own-brand share", "50.0%"),
        ("Ready for Tmall", "50.0%"),
    ]
