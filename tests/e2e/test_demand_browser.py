"""A factory reads the demand radar and its gaps in a real browser: the charts are drawn
(ECharts, SVG), the tables stay, and neither page scrolls sideways on a laptop or a phone."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from dualcirc.demand.domain import buyer_key, month_of, rebuild_demand_months
from dualcirc.demand.enums import SignalKind
from dualcirc.demand.models import DemandSignal
from tests.factories import PASSWORD, make_enterprise, make_product
from tests.factories.api import make_enterprise_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_factory_reads_the_radar_charts_and_its_gaps_on_laptop_and_phone(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    shots = Path(os.environ.get("DUALCIRC_SCREENSHOTS") or tmp_path) / "demand"
    shots.mkdir(parents=True, exist_ok=True)
    maker = make_enterprise(export_markets=["US"])
    table = make_product(enterprise=maker, hs_code="940360", moq=Decimal("50"), unit="pcs")
    make_enterprise_user(enterprise=maker, username="oak-maker")
    today = timezone.localdate()
    signals = []
    for month_back, n in ((1, 4), (0, 6)):
        month = month_of(today) - month_back
        for b in range(n):
            for market, language, quantity in (("VN", "vi", None), ("FR", "en", Decimal("20"))):
                signals.append(
                    DemandSignal(
                        kind=SignalKind.SEARCH,
                        month=month,
                        recorded_on=today,
                        language=language,
                        hs_heading="9403",
                        market=market,
                        quantity=quantity,
                        unit="pcs" if quantity else "",
                        good_matches=0 if market == "VN" else 3,
                        buyer_key=buyer_key(100 + b),
                    )
                )
    DemandSignal.objects.bulk_create(signals)
    rebuild_demand_months(months={month_of(today) - 1, month_of(today)})
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/en/accounts/login/")
    page.fill("#id_username", "oak-maker")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()

    page.goto(f"{base}/en/demand/")
    page.wait_for_selector("#chart-demand-trend .chart-canvas svg")
    assert page.locator(".chart-canvas svg").count() == 2
    rows = page.locator("#radar-table tbody tr")
    assert rows.count() == 4  # 9403 × (VN, FR) × two months
    first = rows.first.inner_text()
    assert "HS 9403" in first and "50.0%" in first
    page.screenshot(path=str(shots / "radar-laptop.png"), full_page=True)

    from dualcirc.demand.domain_alerts import send_weekly_digests

    assert send_weekly_digests(today=today) == 1
    page.goto(f"{base}/en/notifications/")
    page.get_by_text("This week's demand digest", exact=False).first.click()
    page.wait_for_load_state()
    assert "/demand/gaps/?week=" in page.url
    assert page.locator("#digest-table tbody tr").count() == 3
    page.screenshot(path=str(shots / "gaps-digest-laptop.png"), full_page=True)
    gaps = page.locator("#gap-table tbody tr")
    texts = [gaps.nth(i).inner_text() for i in range(gaps.count())]
    assert len(texts) == 3  # markets not served (Vietnam, France), MOQ above 20 pcs
    assert sum("Vietnam" in t for t in texts) == sum("France" in t for t in texts) == 1
    assert sum("20 pcs" in t for t in texts) == 1
    edit = f'a[href="/en/products/{table.pk}/edit/"]'
    assert page.locator(f"#gap-table {edit}").count() == 1  # the MOQ
    assert page.locator(f"#digest-table {edit}").count() == 1  # the same, in the digest

    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/en/demand/", "/en/demand/gaps/"):
        page.goto(f"{base}{path}")
        page.wait_for_load_state()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, f"{path} scrolls sideways on a phone ({wide}px)"
        name = "radar" if path == "/en/demand/" else "gaps"
        page.screenshot(path=str(shots / f"{name}-phone.png"), full_page=True)


def test_an_official_reads_alerts_rollups_and_asked_vs_offered_in_three_languages(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    from dualcirc.bureau.enums import ChainStage
    from dualcirc.bureau.models import ChainLink, IndustrialChain
    from dualcirc.catalog.models import IndustrialBelt
    from dualcirc.demand.domain_alerts import raise_unmet_demand_alerts
    from tests.factories import make_region_tree
    from tests.factories.api import make_government_user

    shots = Path(os.environ.get("DUALCIRC_SCREENSHOTS") or tmp_path) / "demand"
    shots.mkdir(parents=True, exist_ok=True)
    regions = make_region_tree()
    belt = IndustrialBelt.objects.create(
        slug="laixi-furniture", name_zh="莱西家具", name_en="Laixi furniture",
        industry="furniture", region=regions["laixi"],
    )  # fmt: skip
    maker = make_enterprise(region=regions["laixi"], belt=belt, export_markets=["US"])
    make_product(enterprise=maker, hs_code="940360", moq=Decimal("50"), certifications=["FSC"])
    chain = IndustrialChain.objects.create(name_zh="家具产业链", name_en="Furniture chain",
                                           region=regions["qingdao"])  # fmt: skip
    link = ChainLink.objects.create(chain=chain, stage=ChainStage.values[0], name_zh="家具制造")
    link.enterprises.add(maker)
    make_government_user(region=regions["qingdao"], username="qingdao-bureau")
    today = timezone.localdate()
    signals = []
    for b in range(4):
        signals.append(
            DemandSignal(
                kind=SignalKind.SEARCH, month=month_of(today), recorded_on=today,
                language="en", hs_heading="9403", market="FR", quantity=Decimal(20 + 10 * b),
                unit="pcs", price_max=Decimal("200"), currency="USD",
                certifications=["FSC"], good_matches=2, buyer_key=buyer_key(300 + b),
            )
        )  # fmt: skip
        signals.append(
            DemandSignal(
                kind=SignalKind.SEARCH, month=month_of(today), recorded_on=today,
                language="vi", product_type="nón lá", market="VN", good_matches=0,
                buyer_key=buyer_key(300 + b),
            )
        )  # fmt: skip
    DemandSignal.objects.bulk_create(signals)
    rebuild_demand_months(months={month_of(today)})
    raise_unmet_demand_alerts(today=today)
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/en/accounts/login/")
    page.fill("#id_username", "qingdao-bureau")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()

    page.goto(f"{base}/en/demand/")
    fr = page.locator("#radar-table tbody tr", has_text="France")
    assert "Quantity: 20–50 pcs" in fr.inner_text()
    assert "FSC" in fr.locator("td.asked").inner_text()
    assert "MOQ: 50 pcs" in fr.locator("td.offered").inner_text()
    assert "Vietnam" in page.locator("#unmet-alerts").inner_text()
    # the market and language filters are menus of what buyers asked, the URL as before
    assert page.locator("#f-market option").all_inner_texts() == ["All", "France", "Vietnam"]
    page.select_option("#f-market", label="Vietnam")
    page.select_option("#f-language", label="Vietnamese")
    page.click("#radar-filters button[type=submit]")
    page.wait_for_load_state()
    assert "market=VN" in page.url and "language=vi" in page.url
    assert [
        t.split("\t")[1:3] for t in page.locator("#radar-table tbody tr").all_inner_texts()
    ] == [["nón lá", "Vietnam"]]
    page.goto(f"{base}/en/demand/?market=ZZ")
    assert page.locator("#f-market-error").inner_text() == (
        "ZZ is not a country code or a market buyers asked for."
    )
    page.screenshot(path=str(shots / "official-radar-bad-market-en-1366.png"), full_page=True)

    page.goto(f"{base}/en/demand/bureau/")
    assert page.locator("#unmet-alerts tbody tr").count() == 1
    assert "nón lá" in page.locator("#unmet-alerts").inner_text()
    assert page.locator("#gaps-by-region tbody tr").count() == 1
    assert "Laixi furniture" in page.locator("#gaps-by-belt").inner_text()
    assert "Furniture chain" in page.locator("#gaps-by-chain").inner_text()

    for lang in ("zh-hans", "en", "vi"):
        for width, height in ((1366, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            for name, path in (("radar", "demand/"), ("bureau", "demand/bureau/")):
                page.goto(f"{base}/{lang}/{path}")
                page.wait_for_load_state()
                wide = page.evaluate("document.documentElement.scrollWidth")
                assert wide <= width, f"{lang} {path} scrolls sideways at {width}px ({wide}px)"
                page.screenshot(
                    path=str(shots / f"official-{name}-{lang}-{width}.png"), full_page=True
                )
