"""Lock-out an outsider cannot turn against a user, X-Forwarded-For only from a trusted proxy,
API tokens revoked when two-factor sign-in is turned on, HSTS with includeSubDomains."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from dualcirc.core import twofactor
from dualcirc.core.enums import AuditAction
from dualcirc.core.models import ApiToken, AuditEvent
from dualcirc.ops.context import client_address
from tests.factories import PASSWORD, make_region, make_user
from tests.factories.api import bearer, make_government_user

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def _fail(username: str, address: str, times: int, seconds_ago: int = 0) -> None:
    """Failed sign-ins in the audit log, as the sign-in page records them."""
    for _ in range(times):
        event = AuditEvent.objects.create(
            action=AuditAction.SIGN_IN_FAILED, username=username, address=address
        )
        AuditEvent.objects.filter(pk=event.pk).update(
            created_at=timezone.now() - dt.timedelta(seconds=seconds_ago)
        )


def test_an_outsider_failing_on_a_username_does_not_lock_or_delay_its_owner(settings):
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_DELAY_MAX_SECONDS = 60
    user = make_user(username="alice")
    outsider = Client(REMOTE_ADDR="198.51.100.66")
    _fail("alice", "198.51.100.66", 6)  # and from many more addresses
    for n in range(20):
        _fail("alice", f"192.0.2.{n}", 2)
    owner = Client(REMOTE_ADDR="203.0.113.7")

    refused = _sign_in(outsider, "alice", PASSWORD)
    response = _sign_in(owner, "alice", PASSWORD)

    assert refused.status_code == 429
    assert "Too many failed sign-ins for this account" in refused.content.decode()
    assert response.status_code == 302  # at once: no delay, no lock for the owner's address
    assert owner.session["_auth_user_id"] == str(user.pk)


def _wait(username: str, seconds: int) -> None:
    """As if ``seconds`` had passed since the failed sign-ins of ``username``."""
    AuditEvent.objects.filter(username=username, action=AuditAction.SIGN_IN_FAILED).update(
        created_at=F("created_at") - dt.timedelta(seconds=seconds)
    )


def test_each_failure_doubles_the_wait_up_to_its_maximum(settings):
    settings.LOGIN_MAX_FAILURES = 10
    settings.LOGIN_DELAY_MAX_SECONDS = 4
    user = make_user(username="bob")
    client = Client(REMOTE_ADDR="192.0.2.1")
    first = _sign_in(client, "bob", "guess")  # no wait after the first failure
    steps = []
    for _ in range(5):
        failed = _sign_in(client, "bob", "guess")  # 200: a wrong password, not a refusal
        page = _sign_in(client, "bob", PASSWORD)
        api = client.post(
            "/api/tokens",
            {"username": "bob", "password": PASSWORD},
            content_type="application/json",
        )
        steps.append(
            (
                failed.status_code,
                page.status_code,
                page["Retry-After"],
                api.status_code,
                api["Retry-After"],
                api.json()["code"],
            )
        )
        _wait("bob", int(page["Retry-After"]))
    elsewhere = Client(REMOTE_ADDR="192.0.2.2")
    other_address = _sign_in(elsewhere, "bob", PASSWORD)

    assert first.status_code == 200
    assert steps == [
        (200, 429, "1", 429, "1", "too_many_failures"),  # after the 2nd failure
        (200, 429, "2", 429, "2", "too_many_failures"),
        (200, 429, "4", 429, "4", "too_many_failures"),
        (200, 429, "4", 429, "4", "too_many_failures"),  # the maximum
        (200, 429, "4", 429, "4", "too_many_failures"),
    ]
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 6
    assert other_address.status_code == 302  # another address: no wait
    assert elsewhere.session["_auth_user_id"] == str(user.pk)


def test_a_delayed_sign_in_is_refused_at_once_with_when_to_try_again(settings):
    settings.LOGIN_MAX_FAILURES = 10
    settings.LOGIN_DELAY_MAX_SECONDS = 60
    make_user(username="dora")
    client = Client(REMOTE_ADDR="198.51.100.8")
    _fail("dora", "198.51.100.8", 4)  # the 4th failure: the next try waits 4 s

    page = _sign_in(client, "dora", PASSWORD)
    api = client.post(
        "/api/tokens",
        {"username": "dora", "password": PASSWORD},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )

    assert page.status_code == 429
    assert page["Retry-After"] in ("3", "4")
    assert "Too many failed sign-ins. Try again in " in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert api.status_code == 429
    assert api["Retry-After"] in ("3", "4")
    assert api.json()["code"] == "too_many_failures"
    assert (
        list(AuditEvent.objects.filter(username="dora").values_list("action", flat=True)).count(
            AuditAction.SIGN_IN_FAILED
        )
        == 4
    )  # refusals are not failures


def test_once_the_delay_has_passed_the_right_password_signs_in(settings):
    settings.LOGIN_MAX_FAILURES = 10
    settings.LOGIN_DELAY_MAX_SECONDS = 60
    user = make_user(username="erin")
    client = Client(REMOTE_ADDR="198.51.100.9")
    _fail("erin", "198.51.100.9", 4, seconds_ago=5)  # waited 5 s of the 4 s delay

    response = _sign_in(client, "erin", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


NUL_MESSAGE = "The text contains a NUL character, which is not allowed."


@pytest.mark.parametrize(
    ("field", "username", "password"),
    [("username", "fay\x00", PASSWORD), ("password", "fay", f"{PASSWORD}\x00")],
    ids=["username", "password"],
)
def test_a_nul_in_the_username_or_password_is_an_error_beside_it_not_a_failed_sign_in(
    settings, field: str, username: str, password: str
):
    settings.LOGIN_MAX_FAILURES = 10
    settings.LOGIN_DELAY_MAX_SECONDS = 60
    make_user(username="fay")
    _fail("fay", "198.51.100.10", 3)  # the address's next try on "fay" would be refused
    client = Client(REMOTE_ADDR="198.51.100.10", headers={"Accept-Language": "en"})

    response = _sign_in(client, username, password)
    wrong = _sign_in(Client(REMOTE_ADDR="198.51.100.11"), "fay", "guess")  # another invalid form

    html = response.content.decode()
    form = response.context["form"]
    recorded = AuditEvent.objects.filter(address="198.51.100.10").values_list("action", flat=True)
    assert response.status_code == wrong.status_code == 200
    assert "Retry-After" not in response
    assert form.errors == {field: [NUL_MESSAGE]}  # not "enter a correct username…"
    assert NUL_MESSAGE in html.split(f'id="id_{field}_error"')[1][:300]
    assert "_auth_user_id" not in client.session
    assert list(recorded) == [AuditAction.SIGN_IN_FAILED] * 3  # no new failure, no refusal


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    factory = RequestFactory()
    direct = factory.get("/", REMOTE_ADDR="198.51.100.5", HTTP_X_FORWARDED_FOR="10.9.9.9")
    proxied = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")

    assert client_address(direct) == "198.51.100.5"
    assert client_address(proxied) == "5.6.7.8"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(proxied) == "127.0.0.1"


def test_forged_forwarded_for_cannot_spread_failures_over_addresses(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_MAX_FAILURES = 2
    settings.LOGIN_DELAY_MAX_SECONDS = 0
    make_user(username="carol")
    client = Client(REMOTE_ADDR="198.51.100.77")
    for n in range(2):
        client.post(
            reverse("login"),
            {"username": "carol", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )

    response = client.post(
        reverse("login"),
        {"username": "carol", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.0.0.99",
    )

    assert "Too many failed sign-ins for this account" in response.content.decode()
    assert set(AuditEvent.objects.filter(username="carol").values_list("address", flat=True)) == {
        "198.51.100.77"
    }


def test_turning_on_two_factor_revokes_the_api_tokens(client: Client):
    user = make_government_user(region=make_region(), username="gov")
    headers = bearer(user)
    assert client.get("/api/me", headers=headers).status_code == 200

    device = twofactor.begin_totp_setup(actor=user)
    twofactor.confirm_totp_setup(actor=user, code=pyotp.TOTP(device.secret).now())

    assert ApiToken.objects.filter(user=user).count() == 0
    assert client.get("/api/me", headers=headers).status_code == 401
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REVOKED).count() == 1


def test_hsts_includes_subdomains_when_configured(client: Client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get("/health/live", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
