"""Times are shown in the signed-in user's own zone."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from dualcirc.web.middleware import UserTimeZoneMiddleware
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _zone_seen_by_view(user: object) -> str:
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(str(timezone.get_current_timezone()))
        return HttpResponse("ok")

    request = HttpRequest()
    request.user = user  # type: ignore[assignment]  # a real User or AnonymousUser
    UserTimeZoneMiddleware(view)(request)
    return seen[0]


def test_time_zone_middleware_activates_the_users_zone() -> None:
    berlin = make_user(time_zone="Europe/Berlin")
    assert _zone_seen_by_view(berlin) == "Europe/Berlin"
    assert str(timezone.get_current_timezone()) == "Asia/Shanghai"  # reset after the request


def test_time_zone_middleware_falls_back_on_an_unknown_zone() -> None:
    broken = make_user(time_zone="Mars/Olympus_Mons")
    assert _zone_seen_by_view(broken) == "Asia/Shanghai"


def test_time_zone_middleware_uses_default_for_anonymous() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert _zone_seen_by_view(AnonymousUser()) == "Asia/Shanghai"
