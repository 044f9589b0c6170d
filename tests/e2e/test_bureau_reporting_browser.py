"""Monthly reporting in a real browser: an enterprise admin opens the form pre-filled from last
month, submits a jump and confirms it; the county official finds the month from the dashboard's
coverage, returns it for correction; the enterprise reads the reason and resubmits."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dualcirc.bureau.domain.reporting import collecting_month
from dualcirc.bureau.models import FiguresRevision, MonthlyFigures
from tests.e2e.pages import sign_in
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import make_enterprise_user, make_government_user
from tests.factories.bureau import make_figures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MONTH = collecting_month()
LABEL = f"{MONTH:%Y-%m}"
PREVIOUS = f"{(MONTH - dt.timedelta(days=1)):%Y-%m}"
WIDTHS = (1366, 390)
FITS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
WIDE = (
    "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right"
    " > document.documentElement.clientWidth + 1).slice(0, 5).map(e => e.tagName + '.' +"
    " String(e.className) + '#' + e.id)"
)


def shoot(page: Any, shots: Path, name: str) -> None:
    """Screenshots at desktop and phone width; the page must not scroll sideways."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        # Charts redraw on the resize event: wait until the page fits, or fail below.
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(FITS, timeout=5_000)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        wide = page.evaluate(WIDE)
        assert overflow <= 0, f"{name} overflows by {overflow}px at {width}px: {wide}"
        page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def fill_scaled(page: Any, scale: int) -> None:
    page.fill("#id_revenue", str(1_000_000 * scale))
    page.fill("#id_output_value", str(1_100_000 * scale))
    page.fill("#id_domestic_tmall", str(400_000 * scale))
    page.fill("#id_export_general_trade", f"US={600_000 * scale}")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_enterprise_confirms_a_jump_official_returns_it_enterprise_resubmits(
    browser: Any, page: Any, live_server: Any, language: str, tmp_path: Any
) -> None:
    shots = Path(os.environ.get("BUREAU_SCREENSHOTS") or tmp_path) / f"reporting-{language}"
    shots.mkdir(parents=True, exist_ok=True)
    regions = make_region_tree()
    firm = make_enterprise(region=regions["laixi"], name_zh="莱西木业", name_en="Laixi Wood")
    make_enterprise(region=regions["laixi"], name_zh="莱西家具", name_en="Laixi Furniture")
    make_figures(enterprise=firm, month=PREVIOUS, revenue=1_000_000, output_value=1_100_000,
                 domestic={"tmall": 400_000}, exports={"US": 600_000})  # fmt: skip
    make_enterprise_user(enterprise=firm, role="admin", username="firm-admin")
    make_government_user(username="qingdao-bureau", region=regions["qingdao"])
    base = live_server.url
    form_url = f"{base}/{language}/bureau/figures/{firm.pk}/{LABEL}/"

    # The enterprise: the form starts from last month's figures.
    sign_in(page, base, language, "firm-admin")
    page.goto(form_url)
    assert page.input_value("#id_revenue") == "1000000.00"
    assert page.locator("#prefill-note").is_visible()
    fill_scaled(page, 3)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    # Tripled: refused until confirmed; nothing is stored yet.
    assert page.locator("#confirm-jumps").is_visible()
    assert "+200.0%" in page.inner_text("#confirm-jumps")
    assert not MonthlyFigures.objects.filter(enterprise=firm, month=MONTH).exists()
    shoot(page, shots, "confirm-jump")
    page.check("#id_confirm_jumps")
    page.fill("#id_jump_explanation", "A large one-off export order")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    figures = MonthlyFigures.objects.get(enterprise=firm, month=MONTH)
    assert (figures.status, figures.jumps_confirmed) == ("submitted", True)

    # The official: coverage on the dashboard, the missing one a click away, then the review.
    official = browser.new_context(locale="en-US").new_page()
    sign_in(official, base, language, "qingdao-bureau")
    official.goto(f"{base}/{language}/bureau/?region=3702&period=month&month={LABEL}")
    assert official.inner_text("#coverage-reported") == "1"
    assert official.inner_text("#coverage-expected") == "2"
    shoot(official, shots, "dashboard")
    official.click("#coverage-missing")
    official.wait_for_load_state()
    assert "莱西家具" in official.inner_text("#reporting-rows") or "Laixi Furniture" in (
        official.inner_text("#reporting-rows")
    )
    assert "莱西木业" not in official.inner_text("#reporting-rows")
    shoot(official, shots, "missing")
    official.goto(f"{base}/{language}/bureau/reporting/{firm.pk}/{LABEL}/")
    assert "A large one-off export order" in official.inner_text("#figures-jumps")
    official.fill("#id_reason", "Exports do not match the customs declarations")
    official.click("#return-form button[type=submit]")
    official.wait_for_load_state()
    figures.refresh_from_db()
    assert figures.status == "returned"
    shoot(official, shots, "review")

    # The enterprise reads the reason, corrects, confirms the jump again and resubmits.
    page.goto(form_url)
    assert "Exports do not match the customs declarations" in page.inner_text("#return-reason")
    shoot(page, shots, "returned")
    fill_scaled(page, 2)
    page.fill("#id_reason", "Exports corrected from the customs declarations")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    page.check("#id_confirm_jumps")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    figures.refresh_from_db()
    assert (figures.status, figures.revenue) == ("resubmitted", 2_000_000)
    assert list(
        FiguresRevision.objects.filter(figures=figures).order_by("version")
        .values_list("event", flat=True)
    ) == ["submitted", "returned", "resubmitted"]  # fmt: skip
    official.goto(f"{base}/{language}/bureau/reporting/?region=3702&period=month&month={LABEL}")
    assert official.locator("#reporting-rows .state-resubmitted").count() == 1
    shoot(official, shots, "reporting")
    official.context.close()
