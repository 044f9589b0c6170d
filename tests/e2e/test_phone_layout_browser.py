"""The pages a Vietnamese official meets first, on a phone (390 px), in a real browser with the
demo's data (the dashboard, a chain, an at-risk enterprise's file): nothing scrolls the page
sideways, no box cuts its content off without a way to scroll, the charts keep every label
inside the chart and clear of the others (long Vietnamese country names, bilingual chain
links), an alert's action is not squeezed to a word a line; a fair hall's booth cards keep their
pictures within their borders. Screenshots go under
DUALCIRC_SCREENSHOTS/phone (else var/screenshots/)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from dualcirc.bureau.models import IndustrialChain
from dualcirc.demo.loader import load_demo
from dualcirc.fair.models import Hall

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Boxes that hide what does not fit (overflow-x hidden or clip) while their content is wider:
# text cut off with no way to reach it. A visually hidden label (1 px, clipped) is meant so.
CLIPPED_BOXES = """() => [...document.querySelectorAll('body *')].filter(e => {
  if (e.offsetParent === null) return false;
  const cs = getComputedStyle(e);
  return (cs.overflowX === 'hidden' || cs.overflowX === 'clip') && e.clientWidth > 2
    && cs.clip !== 'rect(0px, 0px, 0px, 0px)' && e.scrollWidth > e.clientWidth + 1;
}).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}: ` +
            `${e.scrollWidth}px in ${e.clientWidth}px`)"""

# The charts' words (axis names, category names, values, legends, node labels): each inside its
# chart and none on top of another.
CHART_TEXT = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('.chart-canvas svg')) {
    const box = svg.getBoundingClientRect();
    const chart = svg.closest('figure').id;
    const texts = [...svg.querySelectorAll('text')]
      .map(t => ({t: t.textContent.trim(), r: t.getBoundingClientRect()}))
      .filter(x => x.t && x.r.width > 0);
    for (const x of texts) {
      const r = x.r;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
          || r.bottom > box.bottom + 1) out.push(`${chart}: "${x.t}" runs outside the chart`);
    }
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i].r, b = texts[j].r;
      if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2
          && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2)
        out.push(`${chart}: "${texts[i].t}" overlaps "${texts[j].t}"`);
    }
  }
  return out;
}"""


def shot(page: Any, name: str) -> None:
    root = Path(os.environ.get("DUALCIRC_SCREENSHOTS", Path.cwd() / "var" / "screenshots"))
    out = root / "phone"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)


def phone_page(browser: Any, base: str, username: str, password: str) -> Any:
    """A 390 px wide page signed in on the Vietnamese site."""
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/vi/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()
    return page


def layout_problems(page: Any, name: str) -> list[str]:
    """Sideways page scroll and boxes that cut their content off, on the page shown now."""
    problems = []
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        problems.append(f"{name}: the page is {overflow}px wider than the phone")
    return problems + [f"{name}: {p}" for p in page.evaluate(CLIPPED_BOXES)]


def test_bureau_pages_fit_a_phone_in_vietnamese(browser: Any, live_server: Any) -> None:
    load_demo()
    chain = IndustrialChain.objects.filter(links__isnull=False).distinct().order_by("pk").first()
    assert chain is not None
    page = phone_page(browser, live_server.url, "qingdao-gov", "government-demo")
    problems: list[str] = []

    page.goto(f"{live_server.url}/vi/bureau/")
    at_risk = page.locator("ul.at-risk a").first.get_attribute("href")  # an enterprise's file
    pages = {"dashboard": "/vi/bureau/", "chain": f"/vi/bureau/chains/{chain.pk}/"}
    pages["enterprise"] = at_risk
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        charts = page.locator(".chart-canvas[data-spec]").count()
        assert charts > 0, f"{name}: no chart to check"
        # Every chart drawn (its table view folded away).
        page.wait_for_function(
            "n => document.querySelectorAll('.chart-drawn').length >= n", arg=charts
        )
        page.wait_for_timeout(300)  # ECharts' entry animation settles the labels' places
        problems += layout_problems(page, name)
        problems += [f"{name}: {p}" for p in page.evaluate(CHART_TEXT)]
        shot(page, f"{name}-vi-390")

    # The file's alerts: the action keeps its words on one line beside the level and the month.
    page.goto(f"{live_server.url}{at_risk}")
    buttons = page.locator("#file-alerts button")
    assert buttons.count() > 0
    lines = buttons.evaluate_all(
        "els => els.map(b => b.getBoundingClientRect().height"
        " / parseFloat(getComputedStyle(b).lineHeight))"
    )
    assert all(n < 2 for n in lines), lines
    page.context.close()
    assert problems == []


def test_fair_hall_fits_a_phone_in_vietnamese(browser: Any, live_server: Any) -> None:
    load_demo()
    hall = Hall.objects.filter(registrations__booth__products__isnull=False).order_by("pk").first()
    assert hall is not None
    page = phone_page(browser, live_server.url, "saigon-buyer", "buyer-demo")

    page.goto(f"{live_server.url}/vi/fair/{hall.fair_id}/halls/{hall.pk}/")
    page.wait_for_load_state("networkidle")

    problems = layout_problems(page, "hall")
    # Each booth card's strip of product pictures lies within the card's border.
    outside = page.eval_on_selector_all(
        ".booth-card",
        "cards => cards.filter(c => { const a = c.getBoundingClientRect(),"
        " t = c.querySelector('.booth-thumbs').getBoundingClientRect();"
        " return t.left < a.left || t.right > a.right; }).length",
    )
    shot(page, "hall-vi-390")
    page.context.close()
    assert page.url.endswith(f"/vi/fair/{hall.fair_id}/halls/{hall.pk}/")
    assert (problems, outside) == ([], 0)
