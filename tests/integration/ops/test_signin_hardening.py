"""Lock-out an outsider cannot turn against a user, X-Forwarded-For only from a trusted proxy,
API tokens revoked when two-factor sign-in is turned on, HSTS with includeSubDomains."""

from __future__ import annotations

import time

import pyotp
import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from dualcirc.core import twofactor
from dualcirc.core.enums import AuditAction
from dualcirc.core.models import ApiToken, AuditEvent
from dualcirc.core.signin import sign_in_delay
from dualcirc.ops.context import client_address
from tests.factories import PASSWORD, make_region, make_user
from tests.factories.api import bearer, make_government_user

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_an_outsider_failing_on_a_username_does_not_lock_its_owner_out(settings):
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_DELAY_MAX_SECONDS = 1
    user = make_user(username="alice")
    outsider = Client(REMOTE_ADDR="198.51.100.66")
    for _ in range(6):
        _sign_in(outsider, "alice", "guess")
    owner = Client(REMOTE_ADDR="203.0.113.7")

    refused = _sign_in(outsider, "alice", PASSWORD)
    started = time.perf_counter()
    response = _sign_in(owner, "alice", PASSWORD)
    waited = time.perf_counter() - started

    assert "Too many failed sign-ins for this account" in refused.content.decode()
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(user.pk)
    assert waited >= 1.0  # delayed, not locked
    assert sign_in_delay(username="alice") == 0  # the success reset the count


def test_sign_in_delay_doubles_up_to_its_maximum(settings):
    settings.LOGIN_MAX_FAILURES = 2
    settings.LOGIN_DELAY_MAX_SECONDS = 4
    make_user(username="bob")
    delays = []
    for n in range(6):
        AuditEvent.objects.create(
            action=AuditAction.SIGN_IN_FAILED, username="bob", address=f"192.0.2.{n}"
        )
        delays.append(sign_in_delay(username="bob"))

    assert delays == [0, 1, 2, 4, 4, 4]


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
