"""Each demo role walks its menu in each interface language, in a real browser, at a desktop
(1366 px) and a phone (390 px) width. A page fails the walk when it answers 4xx/5xx, shows a UI
string that was left in English on a translated page, overflows horizontally, or shows an image
that did not load. Screenshots of every page are kept under `screenshots_dir()` (a CI artefact)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from dualcirc.demo.loader import load_demo
from tests.e2e.pages import sign_in
from tests.factories.translations import english_ui_strings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
# The page chrome whose text is UI, not data: a product title may be in any language, and the
# language switcher names each language in its own language on purpose.
CHROME = "header nav a, header button, h1, h2, h3, main button, main label, main th, legend, .badge"


def screenshots_dir() -> Path:
    """Where the walk's screenshots go: `DUALCIRC_SCREENSHOTS`, else var/screenshots."""
    root = Path(os.environ.get("DUALCIRC_SCREENSHOTS", Path.cwd() / "var" / "screenshots"))
    root.mkdir(parents=True, exist_ok=True)
    return root


@dataclass
class Walk:
    language: str
    problems: list[str] = field(default_factory=list)
    pages: int = 0

    def note(self, who: str, url: str, what: str) -> None:
        self.problems.append(f"[{self.language}] {who} {urlsplit(url).path}: {what}")


def settled_overflow(page: Any) -> int:
    """How far the page scrolls sideways once scripts have answered the resize (a chart redraws
    itself for the new width a moment after it): measured again for up to 2 s while it does."""
    overflow = 0
    for _ in range(8):
        overflow = page.evaluate(
            "() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
        )
        if overflow <= 1:
            break
        page.wait_for_timeout(250)
    return int(overflow)


def check_page(page: Any, walk: Walk, who: str, untranslated: set[str], shot: Path) -> None:
    """The checks at both widths for the page the browser shows now."""
    url = page.url
    broken = page.evaluate(
        "() => [...document.images].filter(i => i.complete && i.naturalWidth === 0)"
        ".map(i => i.getAttribute('src'))"
    )
    for src in broken:
        walk.note(who, url, f"image did not load: {src}")
    if untranslated:
        texts = page.eval_on_selector_all(
            CHROME,
            "els => els.filter(e => e.offsetParent !== null && !e.closest('.lang-switch'))"
            ".map(e => e.innerText.trim())",
        )
        for text in sorted({t for t in texts if t in untranslated}):
            walk.note(who, url, f"untranslated: {text!r}")
    for name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        overflow = settled_overflow(page)
        if overflow > 1:
            walk.note(who, url, f"overflows by {overflow}px at {width}px")
        page.screenshot(path=str(shot.with_name(f"{shot.name}-{name}.png")))
    page.set_viewport_size({"width": WIDTHS["desktop"][0], "height": WIDTHS["desktop"][1]})


def walk_role(page: Any, base: str, walk: Walk, login: Any, out: Path) -> None:
    failed: list[tuple[str, int]] = []
    origin = urlsplit(base).netloc

    def on_response(response: Any) -> None:
        if urlsplit(response.url).netloc == origin and response.status >= 400:
            failed.append((response.url, response.status))

    page.on("response", on_response)
    sign_in(page, base, walk.language, login.username, login.password)
    who = login.role
    if "/accounts/login/" in page.url:
        walk.note(who, page.url, "sign-in failed")
        return
    if not urlsplit(page.url).path.startswith(f"/{walk.language}/"):
        walk.note(who, page.url, f"sign-in left the {walk.language} site")
    untranslated = english_ui_strings(walk.language)
    links = page.eval_on_selector_all("header nav a[href]", "els => els.map(e => e.href)")
    targets = [page.url, *dict.fromkeys(h for h in links if urlsplit(h).netloc == origin)]
    for number, href in enumerate(targets):
        failed.clear()
        response = page.goto(href)
        page.wait_for_load_state("networkidle")
        walk.pages += 1
        if response is None or response.status >= 400:
            walk.note(who, href, f"answers {response.status if response else 'nothing'}")
            continue
        if not urlsplit(page.url).path.startswith(f"/{walk.language}/"):
            walk.note(who, page.url, f"left the {walk.language} site")
        for url, status in failed:
            walk.note(who, href, f"asset {urlsplit(url).path} answered {status}")
        slug = re.sub(r"[^a-z0-9]+", "-", urlsplit(page.url).path.lower()).strip("-") or "home"
        check_page(page, walk, who, untranslated, out / f"{number:02d}-{slug}")
    page.remove_listener("response", on_response)


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_each_role_walks_its_menu_without_errors(
    browser: Any, live_server: Any, language: str
) -> None:
    summary = load_demo()
    # One login per role: the first the demo lists for it.
    logins = list({login.role: login for login in reversed(summary.logins)}.values())
    walk = Walk(language)

    for login in logins:
        context = browser.new_context(locale="en-US")
        page = context.new_page()
        page.set_default_timeout(20_000)
        out = screenshots_dir() / language / login.role
        out.mkdir(parents=True, exist_ok=True)
        walk_role(page, live_server.url, walk, login, out)
        context.close()

    print(f"role walk [{language}]: {walk.pages} pages, screenshots in {screenshots_dir()}")
    assert walk.pages >= 2 * len(logins)
    assert walk.problems == [], "\n".join(walk.problems)
