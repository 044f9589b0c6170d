"""The interface language is kept through sign-in, sign-out and the admin.

Each language lives under its own prefix (/zh-hans/, /en/, /vi/). Someone reading /en/ or /vi/
stays in that language when they sign in (whatever their profile's preferred language, and
whatever language the page they are sent on to was addressed in), when they sign out, and when
they open /admin/ — which used to land on the Chinese site. Real requests through the whole
middleware stack (Django test client), real database.
"""

from __future__ import annotations

import re
from typing import Any

import pyotp
import pytest
from django.conf import settings
from django.test import Client

from dualcirc.core import twofactor
from dualcirc.core.models import TotpDevice, User
from tests.factories import PASSWORD, make_region, make_user
from tests.factories.api import make_government_user

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en", "vi"]
# A word of the page header in each language: the sign-out button, the sign-in link.
SIGN_OUT = {"zh-hans": "退出", "en": "Sign out", "vi": "Đăng xuất"}
SIGN_IN = {"zh-hans": "登录", "en": "Sign in", "vi": "Đăng nhập"}
# The admin's own title, from Django's catalogs.
ADMIN_TITLE = {"zh-hans": "站点管理", "en": "Site administration", "vi": "Site quản trị hệ thống"}
OTHER = {"zh-hans": "en", "en": "vi", "vi": "zh-hans"}


def _html_lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match is not None, html[:200]
    return match.group(1)


def _sign_in(client: Client, language: str, username: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/{language}/accounts/login/", {"username": username, "password": PASSWORD, **extra}
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_signing_in_lands_on_the_language_of_the_sign_in_page(language: str) -> None:
    # The profile prefers another language: the page being read wins.
    make_user(username="wang", preferred_language=OTHER[language])
    client = Client()

    response = _sign_in(client, language, "wang")
    page = client.get(response.url)

    assert response.status_code == 302
    assert response.url == f"/{language}/"
    html = page.content.decode()
    assert _html_lang(html) == language
    assert SIGN_OUT[language] in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_signing_in_goes_on_to_the_next_page_in_the_sign_in_pages_language(language: str) -> None:
    make_user(username="wang", preferred_language="zh-hans")
    next_page = f"/{OTHER[language]}/accounts/profile/?tab=tokens"

    response = _sign_in(Client(), language, "wang", next=next_page)

    assert response.url == f"/{language}/accounts/profile/?tab=tokens"


def test_signing_in_with_two_factor_keeps_the_language_through_the_code_step() -> None:
    user = make_government_user(region=make_region(), username="gov", preferred_language="en")
    device = twofactor.begin_totp_setup(actor=user)
    totp = pyotp.TOTP(device.secret)
    twofactor.confirm_totp_setup(actor=user, code=totp.now())
    TotpDevice.objects.filter(user=user).update(last_used_step=0)  # the set-up code is spent
    client = Client()

    first = _sign_in(client, "vi", "gov", next="/zh-hans/bureau/")
    code_page = client.get(first.url)
    second = client.post(first.url, {"code": totp.now()})

    assert first.url == "/vi/accounts/login/verify/"
    assert _html_lang(code_page.content.decode()) == "vi"
    assert second.status_code == 302
    assert second.url == "/vi/bureau/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_signing_out_stays_in_the_language(language: str) -> None:
    user = make_user(username="wang", preferred_language=OTHER[language])
    client = Client()
    client.force_login(user)
    header = client.get(f"/{language}/accounts/profile/").content.decode()
    assert f'action="/{language}/accounts/logout/"' in header

    response = client.post(f"/{language}/accounts/logout/")
    page = client.get(response.url)

    assert response.status_code == 302
    assert response.url == f"/{language}/"
    html = page.content.decode()
    assert "_auth_user_id" not in client.session
    assert _html_lang(html) == language
    assert SIGN_IN[language] in html
    assert SIGN_OUT[language] not in html


@pytest.fixture
def staff() -> User:
    return User.objects.create_superuser(
        username="admin", password=PASSWORD, email="admin@example.com", preferred_language="zh-hans"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_opens_in_the_language_being_read(language: str, staff: User) -> None:
    client = Client()
    client.force_login(staff)
    client.get(f"/{language}/")  # reading the site in this language

    response = client.get("/admin/")
    page = client.get(response.url)

    assert response.status_code == 302
    assert response.url == f"/{language}/admin/"
    assert page.status_code == 200
    assert ADMIN_TITLE[language] in page.content.decode()


@pytest.mark.parametrize("language", ["en", "vi"])
def test_admin_sign_in_from_a_language_ends_in_the_admin_in_that_language(
    language: str, staff: User
) -> None:
    client = Client()
    client.get(f"/{language}/")

    sign_in_page = client.get("/admin/", follow=True)
    login_url, _status = sign_in_page.redirect_chain[-1]
    signed_in = client.post(login_url, {"username": "admin", "password": PASSWORD})
    admin = client.get(signed_in.url)

    assert [url for url, _status in sign_in_page.redirect_chain] == [
        f"/{language}/admin/",
        f"/{language}/admin/login/?next=/{language}/admin/",
        f"/{language}/accounts/login/?next=%2F{language}%2Fadmin%2F",
    ]
    assert _html_lang(sign_in_page.content.decode()) == language
    assert signed_in.url == f"/{language}/admin/"
    assert ADMIN_TITLE[language] in admin.content.decode()


def test_an_address_without_language_follows_the_last_page_read() -> None:
    client = Client()

    first = client.get("/")
    client.get("/vi/fair/")
    then = client.get("/")
    client.get("/en/")
    last = client.get("/")

    assert first.url == f"/{settings.LANGUAGE_CODE}/"  # nothing read yet: the default
    assert then.url == "/vi/"
    assert last.url == "/en/"


def test_the_language_cookie_is_set_only_when_the_language_changes() -> None:
    client = Client()

    first = client.get("/vi/")
    again = client.get("/vi/")

    assert first.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    assert settings.LANGUAGE_COOKIE_NAME not in again.cookies


def test_the_language_switcher_still_chooses_the_language() -> None:
    client = Client()
    client.get("/en/")

    response = client.post("/i18n/setlang/", {"language": "vi", "next": "/en/fair/"})

    assert response.status_code == 302
    assert response.url == "/vi/fair/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    assert client.get("/").url == "/vi/"


def test_choosing_vietnamese_on_the_profile_shows_the_profile_in_vietnamese() -> None:
    user = make_user(username="wang")
    client = Client()
    client.force_login(user)

    response = client.post(
        "/en/accounts/profile/", {"preferred_language": "vi", "time_zone": "Asia/Ho_Chi_Minh"}
    )
    page = client.get(response.url)

    user.refresh_from_db()
    assert user.preferred_language == "vi"
    assert response.url == "/vi/accounts/profile/"
    assert "Đã lưu thiết lập của bạn." in page.content.decode()
    assert client.get("/").url == "/vi/"


@pytest.mark.parametrize(
    ("accept", "language"),
    [("vi-VN,vi;q=0.9,en;q=0.5", "vi"), ("en-US,en;q=0.9", "en"), ("zh-CN,zh;q=0.9", "zh-hans")],
)
def test_a_first_visit_follows_the_browsers_language(accept: str, language: str) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=accept).get("/")

    assert response.url == f"/{language}/"


def test_notification_mail_is_in_the_recipients_preferred_language_vietnamese_too(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core import mail

    from dualcirc.notify.domain import notify

    class Order:
        pk = 7

        def __str__(self) -> str:
            return "DC-2026-000007"

    lan = make_user(username="lan", preferred_language="vi")
    wang = make_user(username="wang", preferred_language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        notify([lan, wang], "order_changed", Order(), "/vi/deals/orders/7/")

    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[lan.email] == "[dualcirc] Đơn hàng DC-2026-000007 đã thay đổi trạng thái."
    assert subjects[wang.email] == "[dualcirc] 订单DC-2026-000007状态已变更。"
