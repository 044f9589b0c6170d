"""A county bureau official goes from the dashboard to an at-risk enterprise and opens a
support case — in a real browser against a real server."""

from __future__ import annotations

from typing import Any

import pytest

from dualcirc.bureau.models import SupportCase
from tests.factories import PASSWORD, make_enterprise, make_region_tree
from tests.factories.api import make_government_user
from tests.factories.bureau import make_alert, make_figures

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

    page.goto(f"{base}/en/accounts/login/")
    page.fill("#id_username", "laixi-bureau")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()

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
