"""Production refuses to start while an account still has a password the demo published."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from dualcirc.core.models import ApiToken, User
from dualcirc.demo.loader import load_demo
from dualcirc.demo.places import LOGINS
from dualcirc.ops.checks import check_demo_logins
from dualcirc.ops.demo_logins import demo_accounts_with_published_passwords, demo_logins_problem
from tests.factories import make_user
from tests.factories.api import bearer

pytestmark = pytest.mark.django_db


def test_demo_database_refuses_production_then_disabling_the_logins_lets_it_start(settings):
    load_demo()
    operator = User.objects.get(username="operator")
    token_headers = bearer(operator)
    settings.PRODUCTION = True

    with pytest.raises(CommandError) as refused:
        call_command("serve", "127.0.0.1:8999", skip_collectstatic=True)
    errors = check_demo_logins()

    message = str(refused.value)
    assert message.startswith("dualcirc refuses to start in production mode")
    assert "operator" in message and "`dualcirc disable-demo-logins`" in message
    assert [e.id for e in errors] == ["dualcirc.E001"]

    call_command("disable_demo_logins")

    assert demo_logins_problem() is None
    assert check_demo_logins() == []
    assert not Client().login(username="operator", password="operator-demo")
    assert ApiToken.objects.filter(user=operator).count() == 0
    assert Client().get("/api/me", headers=token_headers).status_code == 401


def test_a_demo_account_given_a_new_password_no_longer_blocks_production():
    load_demo()
    for user in User.objects.filter(email__endswith="@demo.dualcirc.example"):
        user.set_password("a-long-private-passphrase-42")
        user.save()

    assert demo_logins_problem() is None


def test_accounts_not_made_by_the_demo_are_left_alone():
    user = make_user(username="someone")
    user.set_password("operator-demo")  # a weak choice, but not the demo's account
    user.save()

    assert demo_logins_problem() is None


def test_the_start_up_check_is_one_query_and_hashes_no_password(django_assert_num_queries):
    load_demo()
    marked = User.objects.exclude(demo_password="").count()
    for user in User.objects.exclude(demo_password="").order_by("pk")[:1]:
        # an unknown hash: a check that hashed passwords could not match it, the mark still does
        User.objects.filter(pk=user.pk).update(password="nohash$x", demo_password="nohash$x")

    with django_assert_num_queries(1):
        problem = demo_logins_problem()

    assert marked == len({spec.username for spec in LOGINS})
    assert problem is not None and problem.startswith(f"{marked} account(s) still sign in")


def test_django_rehashing_a_demo_password_at_sign_in_keeps_the_refusal(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = make_user(username="operator")
    weaker = PBKDF2PasswordHasher().encode("operator-demo", "somesalt", iterations=1000)
    User.objects.filter(pk=user.pk).update(password=weaker, demo_password=weaker)

    assert Client().login(username="operator", password="operator-demo")  # Django re-hashes

    user.refresh_from_db()
    assert user.password != weaker and user.password == user.demo_password
    assert demo_logins_problem() is not None


def test_a_new_password_through_changepassword_drops_the_mark():
    load_demo()
    operator = User.objects.get(username="operator")
    operator.set_password("a-long-private-passphrase-42")
    operator.save(update_fields=["password"])

    operator.refresh_from_db()
    assert operator.demo_password == ""
    still = set(demo_accounts_with_published_passwords().values_list("username", flat=True))
    assert "operator" not in still and "laixi-admin" in still
