"""A Vietnamese reader stays in Vietnamese in a real browser: signing in from /vi/ ends on a /vi/
page in Vietnamese (whatever the profile's preferred language and the browser's own language),
the admin opened by its bare address /admin/ is in Vietnamese, and signing out stays in /vi/."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from dualcirc.core.models import User
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _path(page: Any) -> str:
    return urlsplit(page.url).path


def _sign_in_from_vietnamese_home(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/vi/")
    assert page.get_attribute("html", "lang") == "vi"
    page.click("header >> text=Đăng nhập")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()


def test_signing_in_from_vi_ends_on_a_vietnamese_page(page: Any, live_server: Any) -> None:
    # The profile prefers Chinese and the browser asks for English: the page being read wins.
    make_user(username="lan", preferred_language="zh-hans")

    _sign_in_from_vietnamese_home(page, live_server.url, "lan")

    assert _path(page).startswith("/vi/")
    assert "/accounts/login/" not in _path(page)
    assert page.get_attribute("html", "lang") == "vi"
    header = page.inner_text("header")
    assert "Đăng xuất" in header and "Sản phẩm" in header
    assert "Sign out" not in header and "退出" not in header

    page.click("header >> text=Đăng xuất")
    page.wait_for_load_state()

    assert _path(page) == "/vi/"
    assert "Đăng nhập" in page.inner_text("header")


def test_the_admin_opens_in_vietnamese_after_signing_in_from_vi(
    page: Any, live_server: Any
) -> None:
    User.objects.create_superuser(
        username="minh", password=PASSWORD, email="minh@example.com", preferred_language="zh-hans"
    )
    _sign_in_from_vietnamese_home(page, live_server.url, "minh")

    page.goto(f"{live_server.url}/admin/")

    assert _path(page) == "/vi/admin/"
    assert page.get_attribute("html", "lang") == "vi"
    assert "Site quản trị hệ thống" in page.content()
    assert "Site administration" not in page.content()
