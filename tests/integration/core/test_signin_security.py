"""Sign-in lock-out, optional TOTP two-factor sign-in, and the audit log of both."""

from __future__ import annotations

import json

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from dualcirc.core import twofactor
from dualcirc.core.enums import AuditAction
from dualcirc.core.errors import InvalidInput
from dualcirc.core.models import AuditEvent, TotpDevice, User
from tests.factories import PASSWORD, make_region, make_user
from tests.factories.api import make_buyer, make_government_user, make_operator

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str, **extra: str) -> object:
    return client.post(
        reverse("login"), {"username": username, "password": password, **extra}, **{}
    )


def _actions(username: str) -> list[str]:
    return list(
        AuditEvent.objects.filter(username=username).order_by("id").values_list("action", flat=True)
    )


def _enable_totp(user: User) -> pyotp.TOTP:
    device = twofactor.begin_totp_setup(actor=user)
    totp = pyotp.TOTP(device.secret)
    twofactor.confirm_totp_setup(actor=user, code=totp.now())
    return totp


def test_signin_success_is_audited_with_address_and_request_id() -> None:
    user = make_user(username="alice")
    client = Client(REMOTE_ADDR="203.0.113.7")

    response = _sign_in(client, "alice", PASSWORD)

    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN)
    assert (event.actor, event.username, event.address) == (user, "alice", "203.0.113.7")
    assert len(event.request_id) == 32


def test_signin_locks_the_account_after_max_failures_even_with_the_right_password(
    settings,
) -> None:
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_DELAY_MAX_SECONDS = 0  # the lock alone (the delay: ops/test_signin_hardening)
    make_user(username="bob")
    client = Client()

    for _ in range(3):
        _sign_in(client, "bob", "wrong-password")
    response = _sign_in(client, "bob", PASSWORD)

    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-ins for this account" in response.content.decode()
    assert _actions("bob") == [AuditAction.SIGN_IN_FAILED] * 3 + [AuditAction.SIGN_IN_REFUSED]


def test_signin_success_resets_the_failure_count(settings) -> None:
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_DELAY_MAX_SECONDS = 0  # the count alone (the delay: ops/test_signin_hardening)
    make_user(username="carol")
    client = Client()
    _sign_in(client, "carol", "wrong")
    _sign_in(client, "carol", "wrong")
    _sign_in(client, "carol", PASSWORD)
    client.logout()

    _sign_in(client, "carol", "wrong")
    response = _sign_in(client, "carol", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="carol").pk)


def test_signin_refuses_an_address_with_too_many_failures_on_any_accounts(settings) -> None:
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 4
    make_user(username="dave")
    client = Client(REMOTE_ADDR="198.51.100.9")
    for n in range(4):
        _sign_in(client, f"nobody{n}", "guess")

    response = _sign_in(client, "dave", PASSWORD)

    assert "Too many failed sign-ins from your network" in response.content.decode()
    assert (
        Client(REMOTE_ADDR="198.51.100.10")
        .post(reverse("login"), {"username": "dave", "password": PASSWORD})
        .status_code
        == 302
    )


def test_api_token_for_password_obeys_the_lock_out(settings) -> None:
    settings.LOGIN_MAX_FAILURES = 2
    make_user(username="erin")
    client = Client()
    body = {"username": "erin", "password": "wrong"}
    for _ in range(2):
        client.post("/api/tokens", json.dumps(body), content_type="application/json")

    response = client.post(
        "/api/tokens",
        json.dumps({"username": "erin", "password": PASSWORD}),
        content_type="application/json",
    )

    assert response.status_code == 429
    assert response.json()["code"] == "too_many_failures"


def test_totp_setup_is_refused_to_buyers() -> None:
    from dualcirc.core.access import AccessDenied

    with pytest.raises(AccessDenied):
        twofactor.begin_totp_setup(actor=make_buyer())


def test_totp_confirm_with_a_wrong_code_names_the_code_field() -> None:
    user = make_operator()
    twofactor.begin_totp_setup(actor=user)

    with pytest.raises(InvalidInput) as raised:
        twofactor.confirm_totp_setup(actor=user, code="000000")

    assert [e.field for e in raised.value.errors] == ["code"]
    assert not twofactor.is_enabled(user)


def test_signin_with_totp_asks_for_the_code_before_signing_in() -> None:
    user = make_government_user(region=make_region(), username="gov")
    totp = _enable_totp(user)
    TotpDevice.objects.filter(user=user).update(last_used_step=0)  # the set-up code is spent
    client = Client()

    first = _sign_in(client, "gov", PASSWORD, next="/en/bureau/")
    signed_in_after_password = "_auth_user_id" in client.session
    second = client.post(reverse("login-verify"), {"code": totp.now()})

    assert first.url == reverse("login-verify")
    assert signed_in_after_password is False
    assert second.status_code == 302
    assert second.url == "/en/bureau/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert _actions("gov")[-1] == AuditAction.SIGN_IN


def test_signin_with_totp_refuses_a_wrong_code_and_counts_it_as_a_failure() -> None:
    user = make_operator(username="op")
    _enable_totp(user)
    client = Client()
    _sign_in(client, "op", PASSWORD)

    response = client.post(reverse("login-verify"), {"code": "123456"})

    assert "_auth_user_id" not in client.session
    assert "Enter the 6-digit code" in response.content.decode()
    failure = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).get()
    assert (failure.username, failure.detail) == ("op", {"step": "totp"})


def test_totp_code_is_accepted_only_once() -> None:
    user = make_operator()
    totp = pyotp.TOTP(twofactor.begin_totp_setup(actor=user).secret)
    code = totp.now()
    twofactor.confirm_totp_setup(actor=user, code=code)

    assert twofactor.verify_sign_in_code(user=user, code=code) is False


def test_totp_page_turns_two_factor_on_and_off_and_audits_both() -> None:
    user = make_operator(username="opx")
    client = Client()
    client.force_login(user)
    url = reverse("two-factor")

    page = client.post(url, {"action": "begin"})
    secret = TotpDevice.objects.get(user=user).secret
    client.post(url, {"action": "confirm", "code": pyotp.TOTP(secret).now()})
    enabled = twofactor.is_enabled(user)
    TotpDevice.objects.filter(user=user).update(last_used_step=0)
    client.post(url, {"action": "disable", "code": pyotp.TOTP(secret).now()})

    assert secret in page.content.decode()
    assert "<svg" in page.content.decode()
    assert enabled is True
    assert TotpDevice.objects.filter(user=user).exists() is False
    assert _actions("opx")[-2:] == [
        AuditAction.TWO_FACTOR_ENABLED,
        AuditAction.TWO_FACTOR_DISABLED,
    ]


def test_api_token_for_password_is_refused_when_two_factor_is_on() -> None:
    user = make_operator(username="opt")
    _enable_totp(user)

    response = Client().post(
        "/api/tokens",
        json.dumps({"username": "opt", "password": PASSWORD}),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"


def test_admin_login_page_sends_people_to_the_site_sign_in() -> None:
    response = Client().get(reverse("admin:login") + "?next=/en/admin/core/user/")

    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=%2Fen%2Fadmin%2Fcore%2Fuser%2F"


def test_passwords_are_hashed_with_argon2_in_the_real_settings() -> None:
    import dualcirc.settings as real

    assert real.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
