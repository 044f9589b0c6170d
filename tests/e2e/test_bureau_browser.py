"""A county bureau official goes from the dashboard to an at-risk enterprise and opens a
support case — in a real browser against a real server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from dualcirc.bureau.models import SupportCase
from tests.e2e.pages import sign_in
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import make_government_user
from tests.factories.bureau import make_alert, make_figures


def _screenshots(tmp_path: Any) -> Path:
    """Where the screenshots go: $BUREAU_SCREENSHOTS to keep them, else the test's tmp_path."""
    shots = Path(os.environ.get("BUREAU_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    return shots


pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_official_walks_from_dashboard_to_at_risk_enterprise_and_opens_a_case(
    page: Any, live_server: Any
) -> None:
    regions = make_region_tree()
    ents = [make_enterprise(region=regions["laixi"], name_zh=f"莱西{i}号家具厂") for i in range(3)]
    for e in ents:
        make_figures(enterprise=e, month="2025-06", revenue=1000, domestic={"jd": 200},
                     exports={"US": 800}, orders_export=300)  # fmt: skip
    at_risk = ents[1]
    make_alert(
        enterprise=at_risk, month="2025-06", reason="export_orders_drop", level="red",
        details={"export_share": "80.0", "orders_change": "-45.0"},
    )  # fmt: skip
    make_government_user(username="laixi-bureau", region=regions["laixi"])
    base = live_server.url

    sign_in(page, base, "en", "laixi-bureau")

    page.click("nav.mainnav >> text=Bureau")
    page.goto(page.url + "?period=month&month=2025-06")
    assert "Bureau dashboard" in page.inner_text("main h1")
    page.click(f"ul.at-risk >> text={at_risk.name_zh}")
    page.wait_for_load_state()
    assert "export orders on hand changed -45.0% year on year" in page.inner_text("main")

    page.click("table.alerts >> text=Open a support case")
    page.wait_for_load_state()
    case = SupportCase.objects.get()
    assert page.url.endswith(f"/en/bureau/cases/{case.pk}/")
    assert (case.enterprise_id, case.level, case.source) == (at_risk.pk, "red", "alert")
    assert "Received" in page.inner_text("main .case-status")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_official_picks_a_scope_reads_the_charts_opens_an_enterprise_and_the_report(
    page: Any, live_server: Any, language: str, tmp_path: Any
) -> None:
    shots = _screenshots(tmp_path)
    regions = make_region_tree()
    ents = []
    for i, region in enumerate(["laixi", "laixi", "jiaozhou"]):
        e = make_enterprise(region=regions[region], name_zh=f"青岛{i}号家具厂", employees=80)
        ents.append(e)
        for year in (2024, 2025):
            for month in range(1, 13 if year == 2024 else 7):
                grow = 100 + (year - 2024) * 8 + month
                make_figures(enterprise=e, month=f"{year}-{month:02d}", revenue=grow * 1_000_000,
                             output_value=grow * 1_000_000,
                             domestic={"tmall": grow * 200_000, "jd": grow * 100_000},
                             exports={"US": grow * 500_000, "DE": grow * 200_000})  # fmt: skip
    make_government_user(username="qingdao-bureau", region=regions["qingdao"])
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, language, "qingdao-bureau")

    # The scope picker: Laixi from the region tree, the quarter to June 2025.
    page.goto(f"{base}/{language}/bureau/?month=2025-06")
    page.select_option("select[name=region]", "370285")
    page.select_option("select[name=period]", "quarter")
    page.click("form.scope-picker button[type=submit]")
    page.wait_for_load_state()
    assert "region=370285" in page.url and "period=quarter" in page.url  # a URL to share
    # Two enterprises are below the publication threshold: back to the city.
    page.select_option("select[name=region]", "3702")
    page.click("form.scope-picker button[type=submit]")
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert ("亿元" in main) if language == "zh-hans" else ("CN¥" in main and "million" in main)
    # ECharts drew the charts (SVG) and folded the tables away; the tables are still there.
    page.wait_for_selector("#chart-trend .chart-canvas svg")
    assert page.locator(".chart-canvas svg").count() == 5
    assert page.locator("#chart-trend details.chart-table").get_attribute("open") is None
    page.screenshot(path=str(shots / f"dashboard-{language}.png"), full_page=True)

    page.goto(f"{base}/{language}/bureau/enterprises/{ents[0].pk}/")
    assert ents[0].name_zh in page.inner_text("main")
    page.screenshot(path=str(shots / f"enterprise-{language}.png"), full_page=True)

    page.goto(f"{base}/{language}/bureau/report/?region=3702&period=month&month=2025-06")
    with page.expect_download() as download:
        page.click("a[href*='report.docx']")
    assert download.value.suggested_filename.endswith(".docx")
    page.screenshot(path=str(shots / f"report-{language}.png"), full_page=True)


# Each table of the indicators page: its header count, its first header and the cells whose
# right edge lies past its .table-wrap's (cut off, or only there by scrolling sideways).
TABLES = """() => [...document.querySelectorAll('#indicators .table-wrap')].map(wrap => {
  const table = wrap.querySelector('table');
  const edge = wrap.getBoundingClientRect().right;
  return {
    columns: table.querySelectorAll('thead th').length,
    header: table.querySelector('thead th').innerText,
    cut: [...table.querySelectorAll('th, td')]
      .filter(cell => cell.getBoundingClientRect().right > edge + 1)
      .map(cell => cell.innerText),
  };
})"""


@pytest.mark.parametrize("language", ["zh-hans", "en", "vi"])
def test_indicators_tables_show_every_amount_on_a_phone_and_fit_a_laptop(
    page: Any, live_server: Any, language: str, tmp_path: Any
) -> None:
    shots = _screenshots(tmp_path)
    regions = make_region_tree()
    for i in range(3):  # three, so that the destinations are published
        e = make_enterprise(region=regions["laixi"], name_zh=f"青岛{i}号家具厂")
        for year, grow in ((2024, 100), (2025, 112)):
            make_figures(enterprise=e, month=f"{year}-06", revenue=grow * 900_000,
                         output_value=grow * 1_000_000,
                         domestic={"tmall": grow * 200_000, "jd": grow * 100_000},
                         exports={"AE": grow * 142_300, "US": grow * 300_000,
                                  "DE:cross_border_ecommerce": grow * 157_700})  # fmt: skip
    make_government_user(username="qingdao-bureau", region=regions["qingdao"])
    base = live_server.url
    sign_in(page, base, language, "qingdao-bureau")
    page.goto(f"{base}/{language}/bureau/indicators/?scope=region:3702&period=month&month=2025-06")

    page.set_viewport_size({"width": 390, "height": 844})
    phone = page.evaluate(TABLES)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    page.screenshot(path=str(shots / f"indicators-{language}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    laptop = page.evaluate(TABLES)
    page.screenshot(path=str(shots / f"indicators-{language}-1366.png"), full_page=True)

    # Channels, modes, destinations and country groups: two columns, whole on a phone. The
    # six-column growth table may scroll inside its own box there, never the page.
    assert [t["columns"] for t in phone] == [6, 2, 2, 2, 2]
    assert {t["header"]: t["cut"] for t in phone if t["columns"] == 2} == {
        t["header"]: [] for t in phone if t["columns"] == 2
    }
    assert overflow <= 0
    assert {t["header"]: t["cut"] for t in laptop} == {t["header"]: [] for t in laptop}
