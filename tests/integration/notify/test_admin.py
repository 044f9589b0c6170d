"""The notify admin: a superuser sees who was told what; a normal user is sent to log in."""

from __future__ import annotations

import pytest
from django.test import Client

from dualcirc.notify.domain import notify
from tests.factories import make_user

pytestmark = pytest.mark.django_db


class Target:
    pk = 7

    def __str__(self) -> str:
        return "DC-2026-000007"


def test_notify_admin_changelist_shows_notifications_to_a_superuser() -> None:
    reader = make_user(username="reader")
    notify([reader], "order_changed", Target(), "/en/deals/orders/7/")
    admin = make_user(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)

    response = client.get("/en/admin/notify/notification/?q=reader")

    page = response.content.decode()
    assert response.status_code == 200
    assert "DC-2026-000007" in page
    assert "order_changed" in page
    assert "1 notification" in page


def test_notify_admin_is_refused_to_a_normal_user() -> None:
    client = Client()
    client.force_login(make_user())

    response = client.get("/en/admin/notify/notification/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/admin/login/")
