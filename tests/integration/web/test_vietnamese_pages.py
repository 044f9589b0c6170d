"""/vi/ serves the interface in Vietnamese, for every demo role.

Each demo login opens, under /vi/, the home page, every page its menu links to, its profile and
its notifications (real requests through the middleware, the demo data in the database). A page
fails when it does not answer 200, is not marked ``lang="vi"``, lacks the Vietnamese header, or
shows in its chrome (header, menu, headings, buttons, labels, table heads, footer) a UI string
left in English: a text that is, word for word, an English message the Vietnamese catalog
translates — the menu labels of the base template first of all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from dualcirc.core.models import User
from dualcirc.demo.loader import DemoSummary, load_demo
from tests.factories.translations import english_ui_strings

pytestmark = pytest.mark.django_db

CHROME_TAGS = {"header", "nav", "footer", "h1", "h2", "h3", "button", "label", "th", "legend"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# The menu and header of web/base.html as a Vietnamese reader must see them.
VIETNAMESE_HEADER = ["Sản phẩm", "Tìm kiếm", "Hội chợ", "Đăng xuất", "Tiếng Việt"]
ENGLISH_HEADER = ["Products", "Search", "Find suppliers", "Enterprises", "Fairs", "Sign out"]


class _ChromeText(HTMLParser):
    """Text of the page chrome, less what the page marks as written in another language
    (``lang="en"``: the language switcher's "English", HS descriptions, product data)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool, bool]] = []  # tag, in chrome, in another language
        self.texts: list[str] = []
        self._current: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        chrome = tag in CHROME_TAGS or (bool(self.stack) and self.stack[-1][1])
        lang = dict(attrs).get("lang")
        foreign = (lang is not None and not (lang or "").startswith("vi")) or (
            bool(self.stack) and self.stack[-1][2]
        )
        self._flush()
        self.stack.append((tag, chrome, foreign))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        self._flush()
        if any(top == tag for top, _chrome, _foreign in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][1] and not self.stack[-1][2]:
            if self.stack[-1][0] in ("script", "style"):
                return
            self._current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.texts.append(text)
        self._current = []


def chrome_texts(html: str) -> list[str]:
    parser = _ChromeText()
    parser.feed(html)
    parser.close()
    return parser.texts


def menu_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S)
    assert nav is not None, "the page has no main menu"
    return re.findall(r'href="(/vi/[^"]*)"', nav.group(0))


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """The demo loaded once for this module's read-only tests, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def test_the_chrome_parser_finds_english_left_in_a_menu() -> None:
    html = (
        '<header><nav class="mainnav"><a href="/vi/">Products</a><a href="/vi/s/">Tìm kiếm</a>'
        '</nav><button><span lang="en">English</span></button></header>'
        "<main><p>Products</p><h2>Hồ sơ</h2></main>"
    )

    assert chrome_texts(html) == ["Products", "Tìm kiếm", "Hồ sơ"]
    assert "Products" in english_ui_strings("vi")


def _logins(demo: DemoSummary) -> list[Any]:
    return list({login.role: login for login in reversed(demo.logins)}.values())


def test_every_demo_role_reads_its_pages_in_vietnamese(demo: DemoSummary) -> None:
    english = english_ui_strings("vi")
    problems: list[str] = []
    pages = 0
    for login in _logins(demo):
        client = Client()
        client.force_login(User.objects.get(username=login.username))
        home = client.get("/vi/")
        assert home.status_code == 200, login.role
        targets = ["/vi/", *menu_links(home.content.decode())]
        targets += ["/vi/accounts/profile/", "/vi/notifications/"]
        for url in dict.fromkeys(targets):
            response = client.get(url)
            pages += 1
            if response.status_code != 200:
                problems.append(f"{login.role} {url}: answers {response.status_code}")
                continue
            html = response.content.decode()
            if '<html lang="vi"' not in html:
                problems.append(f"{login.role} {url}: not marked lang=vi")
            missing = [word for word in ("Đăng xuất", "Tiếng Việt") if word not in html]
            if missing:
                problems.append(f"{login.role} {url}: no Vietnamese header {missing}")
            # The header names the user: a username ("operator") is data, not UI text.
            left = sorted(set(chrome_texts(html)) & english - {login.username})
            if left:
                problems.append(f"{login.role} {url}: English left {left}")

    assert pages >= 4 * len(_logins(demo))
    assert not problems, "\n".join(problems)


def test_the_menu_of_the_base_template_is_vietnamese_and_not_english(demo: DemoSummary) -> None:
    buyer = next(login for login in demo.logins if login.role == "buyer")
    client = Client()
    client.force_login(User.objects.get(username=buyer.username))

    html = client.get("/vi/").content.decode()
    header = re.search(r"<header.*?</header>", html, re.S)

    assert header is not None
    texts = chrome_texts(header.group(0))
    assert [word for word in VIETNAMESE_HEADER if word not in texts] == []
    assert [word for word in ENGLISH_HEADER if word in texts] == []


def test_a_visitor_reads_the_public_pages_in_vietnamese(demo: DemoSummary) -> None:
    english = english_ui_strings("vi")
    client = Client()
    home = client.get("/vi/").content.decode()

    left = {}
    for url in dict.fromkeys(["/vi/", *menu_links(home), "/vi/accounts/login/"]):
        response = client.get(url)
        assert response.status_code == 200, url
        found = sorted({t for t in chrome_texts(response.content.decode()) if t in english})
        if found:
            left[url] = found

    assert "Đăng nhập" in home
    assert not left, left
