"""After signing in each role lands where its work is — unless a safe ``next`` says otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from dualcirc.core.enums import Role
from dualcirc.fair.models import Fair
from tests.factories import PASSWORD, make_enterprise, make_region_tree
from tests.factories.api import (
    make_buyer,
    make_enterprise_user,
    make_government_user,
    make_operator,
)
from tests.factories.fair import make_organiser

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"


def _sign_in(user, next_url: str | None = None, lang: str = "en") -> str:  # type: ignore[no-untyped-def]
    data = {"username": user.username, "password": PASSWORD}
    url = f"/{lang}/accounts/login/" + (f"?next={next_url}" if next_url is not None else "")
    if next_url is not None:
        data["next"] = next_url
    response = Client().post(url, data)
    assert response.status_code == 302, response.content[:500]
    return str(response["Location"])


def test_government_lands_on_the_bureau_dashboard() -> None:
    user = make_government_user(region=make_region_tree()["qingdao"])
    assert _sign_in(user) == "/en/bureau/"
    assert _sign_in(user, lang="zh-hans") == "/zh-hans/bureau/"


def test_fair_organiser_lands_on_the_fair_on_now_else_the_last_one() -> None:
    organiser = make_organiser()
    body = organiser.memberships.get().organisation
    today = timezone.localdate()
    past = Fair.objects.create(name_zh="去年展会", organiser=body,
                               starts_on=today - dt.timedelta(days=400),
                               ends_on=today - dt.timedelta(days=398))  # fmt: skip
    assert _sign_in(organiser) == f"/en/fair/{past.pk}/manage/"
    live = Fair.objects.create(name_zh="在线展会", organiser=body, starts_on=today,
                               ends_on=today + dt.timedelta(days=2))  # fmt: skip
    assert _sign_in(organiser) == f"/en/fair/{live.pk}/manage/"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MEMBER])
def test_enterprise_people_land_on_their_enterprise(role: str) -> None:
    make_enterprise(name_zh="别人的厂")
    enterprise = make_enterprise(name_zh="自己的厂")
    user = make_enterprise_user(enterprise=enterprise, role=role)
    assert _sign_in(user) == f"/en/enterprises/{enterprise.pk}/"


def test_buyer_and_operator_land_on_the_home_page() -> None:
    assert _sign_in(make_buyer()) == "/en/"
    assert _sign_in(make_operator()) == "/en/"


def test_a_safe_next_wins_and_an_outside_one_is_ignored() -> None:
    user = make_government_user(region=make_region_tree()["qingdao"])
    assert _sign_in(user, next_url="/en/products/") == "/en/products/"
    assert _sign_in(user, next_url="https://evil.example/") == "/en/bureau/"
