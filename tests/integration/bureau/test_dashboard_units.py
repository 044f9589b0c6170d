"""The dashboard in officials' units: 万元/亿元 in Chinese, millions in English, every chart
with a table view that reads without JavaScript."""

from __future__ import annotations

import json
import re
from decimal import Decimal as D

import pytest
from django.test import Client

from dualcirc.catalog.models import Enterprise
from tests.factories.api import make_government_user
from tests.integration.bureau.conftest import REVENUES

pytestmark = pytest.mark.django_db


def tables(html: str) -> dict[str, list[list[str]]]:
    """Each chart's table view, by chart key: rows of cell texts."""
    out = {}
    for key, body in re.findall(r'data-chart-key="(\w+)".*?<tbody>(.*?)</tbody>', html, re.S):
        rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
        cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S) for r in rows]
        out[key] = [[re.sub(r"<[^>]+>", "", c).strip() for c in row] for row in cells]
    return out


def test_chinese_dashboard_reads_in_yi_and_english_in_millions(client_and_regions) -> None:  # type: ignore[no-untyped-def]
    client, _regions = client_and_regions
    query = "?scope=region:3702&period=month&month=2025-06"
    total = sum(REVENUES)
    assert total == D(817_969_149)
    zh = client.get(f"/zh-hans/bureau/{query}").content.decode()
    en = client.get(f"/en/bureau/{query}").content.decode()
    assert f'data-amount="{total}.00"' in zh  # the raw figure the text is made from
    assert "8.18亿元" in zh
    assert "CN¥817.97 million" in en
    assert "817969149" not in re.sub(r'data-amount="[^"]*"', "", en)
    # Growth is a rate; the change of the domestic share is in points.
    assert "+7.9%" in en  # revenue 817.97 / 757.97 million − 1
    assert re.search(r"[+−±]\d+\.\d pp", en)
    assert re.search(r"[+−±]\d+\.\d个百分点", zh)


def test_every_chart_has_a_table_view_with_its_unit(client_and_regions) -> None:  # type: ignore[no-untyped-def]
    client, _regions = client_and_regions
    html = client.get("/en/bureau/?scope=region:3702&period=month&month=2025-06").content.decode()
    found = tables(html)
    assert set(found) == {"trend", "mix", "destinations", "channels", "counties"}
    june = next(r for r in found["trend"] if r[0] == "Jun 2025")
    # domestic + exports of June 2025 and June 2024, in CN¥ million.
    assert june[1:] == ["817.97", "750.00", "+9.1%"]
    mix = next(r for r in found["mix"] if r[0] == "Jun 2025")
    assert mix[1:] == ["216.00", "601.97"]
    assert found["destinations"][0] == ["United States", "480.00", "79.7%"]
    assert [r[0] for r in found["channels"]] == ["Tmall", "JD.com"]
    assert sorted(found["counties"]) == [["Jiaozhou", "1"], ["Laixi", "2"]]
    assert "Unit: CN¥ million" in html
    assert "Same month last year (CN¥ million)" in html
    # The chart's data is JSON for the static script (no inline script), scaled like the table.
    spec = re.search(r'<script id="chart-spec-trend" type="application/json">(.*?)</script>',
                     html, re.S)  # fmt: skip
    assert spec is not None
    data = json.loads(spec.group(1))
    assert data["series"][0]["data"][-1] == "817.97"
    assert data["unit"] == "CN¥ million"
    assert "echarts.min.js" in html and "bureau/charts.js" in html


def test_chinese_chart_tables_use_wan_or_yi(client_and_regions) -> None:  # type: ignore[no-untyped-def]
    client, _regions = client_and_regions
    html = client.get(
        "/zh-hans/bureau/?scope=region:3702&period=month&month=2025-06"
    ).content.decode()
    found = tables(html)
    assert "单位" in html or "Unit" in html
    june = next(r for r in found["mix"] if "2025" in r[0] and "6" in r[0])
    assert june[1:] == ["2.16", "6.02"]  # 亿元
    assert "亿元" in html


def test_chain_diagram_marks_missing_links_in_its_table(client_and_regions) -> None:  # type: ignore[no-untyped-def]
    from tests.factories.api import make_operator
    from tests.factories.bureau import make_chain

    _client, regions = client_and_regions
    chain = make_chain(region=regions["laixi"])
    up, _mid, _down = chain.links.all()
    up.enterprises.set(Enterprise.objects.filter(region=regions["laixi"]))
    client = Client()
    client.force_login(make_operator())
    html = client.get(f"/en/bureau/chains/{chain.pk}/").content.decode()
    rows = tables(html)["chain"]
    assert [r[2] for r in rows] == ["Strong", "Missing", "Missing"]
    spec = re.search(r'<script id="chart-spec-chain" type="application/json">(.*?)</script>',
                     html, re.S)  # fmt: skip
    assert spec is not None
    states = [n["state"] for n in json.loads(spec.group(1))["nodes"]]
    assert states.count("missing") == [r[2] for r in rows].count("Missing")


def test_scope_picker_offers_the_region_tree_and_narrows_by_size(client_and_regions) -> None:  # type: ignore[no-untyped-def]
    client, regions = client_and_regions
    Enterprise.objects.filter(region=regions["laixi"]).update(employees=50)
    html = client.get("/en/bureau/?region=3702&period=month&month=2025-06").content.decode()
    # The government of Qingdao picks Qingdao and its counties, not another province.
    assert '<option value="3702" selected>Qingdao</option>' in html
    assert "\u3000Laixi</option>" in html
    assert "Lanxi" not in html
    assert 'name="scope"' not in html  # no more text box for region:3702
    # A shared URL with a size class: only the two small enterprises of Laixi are counted,
    # fewer than 3, so the figures are withheld.
    small = client.get("/en/bureau/?region=3702&size=small&period=month&month=2025-06")
    text = small.content.decode()
    assert "Small (20–299 employees)" in text
    assert "Only 2 enterprises reported" in text
    # The county alone, by the picker's region field.
    laixi = client.get("/en/bureau/?region=370285&period=month&month=2025-06").content.decode()
    assert "Only 2 enterprises reported" in laixi
    assert client.get("/en/bureau/?region=3702&size=huge").status_code == 400


def test_a_county_government_cannot_pick_the_city(client_and_regions) -> None:  # type: ignore[no-untyped-def]
    _client, regions = client_and_regions
    client = Client()
    client.force_login(make_government_user(region=regions["laixi"]))
    assert client.get("/en/bureau/?region=3702").status_code == 403


def test_enterprise_file_shows_figures_in_one_unit_with_a_chart(client_and_regions) -> None:  # type: ignore[no-untyped-def]
    client, _regions = client_and_regions
    enterprise = Enterprise.objects.order_by("pk").first()
    assert enterprise is not None
    html = client.get(f"/en/bureau/enterprises/{enterprise.pk}/").content.decode()
    assert "Revenue (CN¥ million)" in html
    assert ">272.66<" in html  # 272,656,383 yuan in June 2025
    mix = tables(html)["mix"]
    assert mix[-1][1:] == ["72.00", "200.66"]  # domestic, exports of June 2025
    zh = client.get(f"/zh-hans/bureau/enterprises/{enterprise.pk}/").content.decode()
    assert "(亿元)" in zh and ">2.73<" in zh


def test_vietnamese_dashboard_reads_in_trieu(client_and_regions) -> None:  # type: ignore[no-untyped-def]
    client, _regions = client_and_regions
    html = client.get("/vi/bureau/?region=3702&period=month&month=2025-06").content.decode()
    assert "817,97 triệu CN¥" in html
    assert "Đơn vị" in html or "Unit" in html


def test_dashboard_shows_one_coverage_and_who_has_figures_in_the_period(client_and_regions) -> None:  # type: ignore[no-untyped-def]
    """One panel: the month's coverage (reported / expected: one that joined the platform after
    the due day is not expected for June) and, beside it, the enterprises with figures in the
    period over all those in the scope — not a second 'Coverage'."""
    client, regions = client_and_regions
    from tests.factories import make_enterprise

    make_enterprise(region=regions["laixi"], name_zh="未报送厂")  # in the scope, no figures
    html = client.get("/en/bureau/?region=3702&period=month&month=2025-06").content.decode()
    assert html.count("Coverage") == 1
    assert '<span id="coverage-reported">3</span> / <span id="coverage-expected">3</span>' in html
    assert "Coverage 100.0%" in html
    period = html[html.index('id="period-reporting"') :]
    period = period[: period.index("</div>")]
    assert "Enterprises with figures for Jun 2025" in period
    assert '<span id="period-enterprises">3</span>' in period and "of 4 enterprises" in period
    assert "75.0% of the scope" in period
    indicators = client.get("/en/bureau/indicators/?region=3702&period=month&month=2025-06")
    assert "75.0% of the scope" in indicators.content.decode()


def test_enterprise_file_counts_its_platform_activity(client_and_regions) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_product

    client, _regions = client_and_regions
    enterprise = Enterprise.objects.order_by("pk").first()
    assert enterprise is not None
    make_product(enterprise=enterprise)
    make_product(enterprise=enterprise)
    html = client.get(f"/en/bureau/enterprises/{enterprise.pk}/").content.decode()
    products = re.search(r"<dt>Products listed</dt><dd>(\d+)</dd>", html)
    assert products is not None and products.group(1) == "2"
    assert re.search(r"<dt>Orders</dt><dd>0</dd>", html)


def test_indicators_page_is_the_dashboards_drill_down(client_and_regions) -> None:  # type: ignore[no-untyped-def]
    client, _regions = client_and_regions
    query = "region=3702&period=month&month=2025-06"
    dashboard = client.get(f"/en/bureau/?{query}").content.decode()
    assert f'href="/en/bureau/indicators/?{query.replace("&", "&amp;")}"' in dashboard
    html = client.get(f"/en/bureau/indicators/?{query}").content.decode()
    growth = re.search(r"<th scope=\"row\">Revenue</th>(.*?)</tr>", html, re.S)
    assert growth is not None
    cells = [re.sub(r"<[^>]+>", "", c).strip()
             for c in re.findall(r"<td[^>]*>(.*?)</td>", growth.group(1), re.S)]  # fmt: skip
    assert cells == ["CN¥817.97 million", "+7.9%", "3", "0", "—"]
    partial = client.get(f"/en/bureau/indicators/?{query}", HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert text.lstrip().startswith("<section") and "<html" not in text
