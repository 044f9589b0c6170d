"""Session reminders: e-mailed once, with an .ics entry in the registrant's own zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from dualcirc.core.errors import Conflict, InvalidInput
from dualcirc.fair import domain
from tests.factories.fair import FairWorld

pytestmark = pytest.mark.django_db


def test_send_session_reminders_emails_each_registrant_once_in_their_zone() -> None:
    world = FairWorld()
    start = datetime(2025, 10, 27, 2, 0, tzinfo=UTC)
    session = domain.create_session(
        actor=world.organiser,
        fair=world.fair,
        title_zh="兰溪纺织直播",
        title_en="Lanxi live",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        link="https://live.example.com/1",
    )
    berlin, new_york = (v.contact for v in world.visitors)
    domain.register_for_session(actor=berlin, session=session)
    domain.register_for_session(actor=new_york, session=session)
    mail.outbox.clear()

    sent = domain.send_session_reminders(now=start - timedelta(hours=3))
    again = domain.send_session_reminders(now=start - timedelta(hours=2))

    assert (sent, again) == (2, 0)
    by_to = {m.to[0]: m for m in mail.outbox}
    assert (  # the site's date style (babel), in each registrant's zone
        by_to[berlin.email].subject
        == "Reminder: Lanxi live starts at Oct 27, 2025, 3:00\u202fAM (Europe/Berlin)"
    )
    assert by_to[new_york.email].subject == (
        "Reminder: Lanxi live starts at Oct 26, 2025, 10:00\u202fPM (America/New_York)"
    )
    ics = by_to[berlin.email].attachments[0][1]
    assert "DTSTART;TZID=Europe/Berlin:20251027T030000" in ics


def test_register_for_session_books_once_and_refuses_past_capacity() -> None:
    world = FairWorld()
    start = datetime(2025, 10, 24, 2, 0, tzinfo=UTC)
    session = domain.create_session(
        actor=world.organiser,
        fair=world.fair,
        title_zh="兰溪坯布路演",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=2,
    )
    berlin, new_york = (v.contact for v in world.visitors)

    first = domain.register_for_session(actor=berlin, session=session)
    again = domain.register_for_session(actor=berlin, session=session)  # no second seat
    second = domain.register_for_session(actor=new_york, session=session)
    with pytest.raises(Conflict):
        domain.register_for_session(actor=world.exhibitors[0].contact, session=session)

    assert again.pk == first.pk
    assert list(session.attendees.order_by("id").values_list("user", flat=True)) == [
        berlin.pk,
        new_york.pk,
    ]
    assert second.session_id == session.pk


def test_create_session_refuses_a_hall_of_another_fair() -> None:
    world = FairWorld()
    other = FairWorld()

    with pytest.raises(InvalidInput) as bad:
        domain.create_session(
            actor=world.organiser,
            fair=world.fair,
            title_zh="路演",
            starts_at=datetime(2025, 10, 24, 2, 0, tzinfo=UTC),
            ends_at=datetime(2025, 10, 24, 3, 0, tzinfo=UTC),
            hall=other.hall,
        )

    assert [e.field for e in bad.value.errors] == ["hall"]
    assert not world.fair.sessions.exists()
