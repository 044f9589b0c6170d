"""The fair admin: a superuser browses fairs, halls, booths, sessions, registrations and
meetings; a normal user is sent to log in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from dualcirc.fair import domain
from dualcirc.fair.enums import MeetingStatus
from dualcirc.fair.models import Meeting
from tests.factories import make_user
from tests.factories.fair import FairWorld

pytestmark = pytest.mark.django_db

PAGES = [
    ("fair", "莱西家具线上展"),
    ("hall", "Furniture hall"),
    ("booth", "莱西橡木家具有限公司"),
    ("session", "Laixi furniture roadshow"),
    ("registration", "Berlin Möbel GmbH"),
    ("meeting", "NY Home Inc"),
    ("sessionregistration", "莱西家具路演"),
    ("lead", "莱西橡木家具有限公司"),
]


@pytest.mark.parametrize(("model", "expect"), PAGES)
def test_fair_admin_changelist_shows_rows_to_a_superuser(model: str, expect: str) -> None:
    world = FairWorld()
    session = domain.create_session(
        actor=world.organiser,
        fair=world.fair,
        title_zh="莱西家具路演",
        title_en="Laixi furniture roadshow",
        starts_at=datetime(2025, 10, 24, 2, 0, tzinfo=UTC),
        ends_at=datetime(2025, 10, 24, 3, 0, tzinfo=UTC),
        hall=world.hall,
    )
    domain.register_for_session(actor=world.visitors[0].contact, session=session)
    Meeting.objects.create(
        fair=world.fair,
        slot=world.fair.slots.first(),
        first=world.visitors[1],
        second=world.exhibitors[0],
        status=MeetingStatus.CONFIRMED,
    )
    domain.create_lead(
        actor=world.visitors[0].contact,
        booth=world.exhibitors[0].booth,
        message="Catalogue please",
    )
    admin = make_user(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)

    response = client.get(f"/en/admin/fair/{model}/")

    assert response.status_code == 200
    assert expect in response.content.decode()


def test_fair_admin_is_refused_to_a_normal_user() -> None:
    world = FairWorld()
    client = Client()
    client.force_login(world.organiser)

    response = client.get("/en/admin/fair/fair/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/admin/login/")
