"""Support policies in a real browser: the enterprise confirms a policy from the link in its
notification, the official records the payment on the policy's page. Screenshots go to
$BUREAU_SCREENSHOTS (else a temporary folder)."""

from __future__ import annotations

import os
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from dualcirc.bureau.domain import policies
from dualcirc.bureau.enums import PolicyMode
from dualcirc.bureau.models import SupportPolicy
from dualcirc.bureau.models.cases import PolicyDelivery
from tests.e2e.pages import sign_in
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import make_enterprise_user, make_government_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_enterprise_confirms_and_official_records_the_payment(
    page: Any, live_server: Any, language: str, tmp_path: Any
) -> None:
    shots = Path(os.environ.get("BUREAU_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    regions = make_region_tree()
    factory = make_enterprise(region=regions["laixi"], name_zh="莱西沙发厂", employees=120)
    make_enterprise_user(enterprise=factory, username="sofa", preferred_language=language)
    make_government_user(username="laixi-bureau", region=regions["laixi"])
    grant = SupportPolicy.objects.create(
        title="跨境电商发展专项资金", summary="确认收款账户后拨付。", mode=PolicyMode.CONFIRM,
        amount=D("200000"),
    )  # fmt: skip
    SupportPolicy.objects.create(title="研发费用加计扣除奖励", needs_data=["rd_spending"])
    policies.match_policies()
    base = live_server.url

    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        sign_in(page, base, language, "sofa")
        page.goto(f"{base}/{language}/notifications/")
        page.click("text=跨境电商发展专项资金")
        page.wait_for_load_state()
        assert page.url.endswith(f"/{language}/bureau/my-policies/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(shots / f"my-policies-{language}-{width}.png"), full_page=True)
        page.context.clear_cookies()
    sign_in(page, base, language, "sofa")
    page.goto(f"{base}/{language}/bureau/my-policies/")
    page.click("table.my-policies button[type=submit]")
    page.wait_for_load_state()
    assert PolicyDelivery.objects.get().state == "confirmed"
    page.context.clear_cookies()

    sign_in(page, base, language, "laixi-bureau")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/{language}/bureau/policies/")
    page.screenshot(path=str(shots / f"policies-{language}-1366.png"), full_page=True)
    page.click(f"table.policies >> text={grant.title}")
    page.wait_for_load_state()
    page.fill("form.payment-form input[name=paid_on]", "2025-06-30")
    page.fill("form.payment-form input[name=reference]", "财拨-2025-088")
    page.click("form.payment-form button[type=submit]")
    page.wait_for_load_state()
    delivery = PolicyDelivery.objects.get()
    assert (delivery.state, delivery.paid_amount, delivery.payment_reference) == (
        "paid", D("200000"), "财拨-2025-088"
    )  # fmt: skip
    assert page.inner_text("[data-state=paid]") == "1"
    page.screenshot(path=str(shots / f"policy-{language}-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/{language}/bureau/policies/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / f"policies-{language}-390.png"), full_page=True)


def test_operator_adds_a_policy_whose_rule_needs_data_the_platform_lacks(
    page: Any, live_server: Any, tmp_path: Any
) -> None:
    from tests.factories.api import make_operator

    shots = Path(os.environ.get("BUREAU_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    regions = make_region_tree()
    make_enterprise(region=regions["laixi"], employees=500)
    make_operator(username="op")
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, base, "en", "op")

    page.goto(f"{base}/en/bureau/settings/policies/new/")
    page.fill("#id_title", "高新技术企业奖励")
    page.select_option("#id_mode", "automatic")
    page.fill("#id_amount", "300000")
    page.fill("#id_min_employees", "100")
    page.check("input[name=needs_data][value=high_tech]")
    page.screenshot(path=str(shots / "policy-form-en-1366.png"), full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    policy = SupportPolicy.objects.get(title="高新技术企业奖励")
    assert (policy.mode, policy.amount, policy.needs_data) == ("automatic", D("300000"),
                                                               ["high_tech"])  # fmt: skip

    page.goto(f"{base}/en/bureau/policies/{policy.pk}/")
    notice = page.inner_text(".missing-data")
    assert "High-tech enterprise certificate" in notice
    assert PolicyDelivery.objects.count() == 0  # never matched on a guess
    page.screenshot(path=str(shots / "policy-missing-data-en-1366.png"), full_page=True)
