"""An official opens an enterprise's one-page file (一企一档) from the dashboard, in Chinese
and English, on a desktop and a phone, and prints it — in a real browser against a real
server. Screenshots go to $BUREAU_SCREENSHOTS (else a temporary folder)."""

from __future__ import annotations

import os
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from dualcirc.bureau.domain import cases, policies
from dualcirc.bureau.enums import CaseStatus, NeedType, PolicyMode
from dualcirc.bureau.models import SupportPolicy
from tests.factories import PASSWORD, make_enterprise, make_product, make_region_tree
from tests.factories.api import make_enterprise_user, make_government_user
from tests.factories.bureau import make_alert, make_figures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_official_opens_the_enterprise_file_from_the_dashboard_and_prints_it(
    page: Any, live_server: Any, language: str, tmp_path: Any
) -> None:
    shots = Path(os.environ.get("BUREAU_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    regions = make_region_tree()
    ents = [
        make_enterprise(region=regions["laixi"], name_zh=f"莱西{i}号家具厂", employees=80,
                        export_share=D("60"), industries=["家具"])
        for i in range(3)
    ]  # fmt: skip
    for e in ents:
        for year in (2024, 2025):
            for month in range(1, 13 if year == 2024 else 7):
                grow = 100 + (year - 2024) * 8 + month
                make_figures(enterprise=e, month=f"{year}-{month:02d}", revenue=grow * 100_000,
                             domestic={"tmall": grow * 30_000}, exports={"US": grow * 50_000},
                             orders_export=grow * 10_000)  # fmt: skip
    subject = ents[1]
    make_enterprise_user(enterprise=subject)
    make_product(enterprise=subject, sku="SOFA-01", title_zh="三人布艺沙发",
                 title_en="Three-seat fabric sofa")  # fmt: skip
    make_alert(enterprise=subject, month="2025-06", reason="export_orders_drop", level="red",
               details={"export_share": "62.5", "orders_change": "-31.0"})  # fmt: skip
    gov = make_government_user(username="laixi-bureau", region=regions["laixi"])
    case = cases.open_case(actor=gov, enterprise=subject, need_type=NeedType.EXPORT_MARKET,
                           title="开拓东盟市场")  # fmt: skip
    for to in (CaseStatus.ASSIGNED, CaseStatus.HANDLING, CaseStatus.FEEDBACK):
        cases.move_case(actor=gov, case=case, to=to, team="外贸组", note="已对接东盟采购商3家")
    SupportPolicy.objects.create(title="外贸企业稳岗补贴", mode=PolicyMode.AUTOMATIC,
                                 amount=D("50000"), min_export_share=D("30"))  # fmt: skip
    policies.match_policies(enterprise_ids=[subject.pk])
    base = live_server.url

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/{language}/accounts/login/")
    page.fill("#id_username", "laixi-bureau")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()
    page.goto(f"{base}/{language}/bureau/?period=month&month=2025-06")
    page.click(f"ul.at-risk >> text={subject.name_zh}")
    page.wait_for_load_state()
    assert page.url.endswith(f"/{language}/bureau/enterprises/{subject.pk}/")

    main = page.inner_text("main")
    expected = {
        # data, not the new labels (their Chinese comes with the translation round)
        "zh-hans": ["三人布艺沙发", "已对接东盟采购商3家", "外贸企业稳岗补贴", "5.00万元"],
        "en": ["Enterprise file", "Three-seat fabric sofa", "已对接东盟采购商3家",
               "外贸企业稳岗补贴", "CN¥50,000"],
    }[language]  # fmt: skip
    for text in expected:
        assert text in main, text
    page.wait_for_selector("#chart-trend .chart-canvas svg")
    # the yearly table: 2025 (six months) against the same six months of 2024
    assert page.locator("table.years tbody tr").count() == 2
    page.screenshot(path=str(shots / f"enterprise-file-{language}-1366.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / f"enterprise-file-{language}-390.png"), full_page=True)

    # Printed: one clean document — no navigation, no forms; the tables all there.
    page.set_viewport_size({"width": 1000, "height": 1400})
    page.emulate_media(media="print")
    assert page.locator(".bureau-nav").is_visible() is False
    assert page.locator("header.topbar").is_visible() is False
    assert page.locator(".enterprise-file form").first.is_visible() is False
    assert page.locator("table.figures").is_visible()
    assert page.locator("table.deliveries").is_visible()
    page.screenshot(path=str(shots / f"enterprise-file-{language}-print.png"), full_page=True)
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
