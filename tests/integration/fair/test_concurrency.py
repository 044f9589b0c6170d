"""Two people at once: the last seat of a session, both sides cancelling one meeting, first
anonymous visits of the day. Needs PostgreSQL's row locks (SQLite serialises whole
transactions instead)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection

from dualcirc.core.errors import Conflict
from dualcirc.fair import domain
from dualcirc.fair.enums import MeetingStatus, Wish
from dualcirc.fair.models import BoothVisit, Meeting, Session, SessionRegistration
from tests.factories import make_user
from tests.factories.concurrency import race
from tests.factories.fair import FairWorld

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL (set DATABASE_URL)")


def test_bookings_racing_for_the_last_seat_let_exactly_one_in() -> None:
    world = FairWorld()
    start = datetime(2025, 10, 24, 2, 0, tzinfo=UTC)
    session = domain.create_session(
        actor=world.organiser,
        fair=world.fair,
        title_zh="莱西家具路演",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=2,
    )
    domain.register_for_session(actor=world.exhibitors[0].contact, session=session)  # seat 1
    bookers = [make_user() for _ in range(6)]

    def book(user: Any) -> Callable[[], Any]:
        return lambda: domain.register_for_session(
            actor=user, session=Session.objects.get(pk=session.pk)
        )

    results = race(*(book(u) for u in bookers))

    booked = [r for r in results if isinstance(r, SessionRegistration)]
    full = [r for r in results if isinstance(r, Conflict)]
    assert (len(booked), len(full)) == (1, 5), results
    assert SessionRegistration.objects.filter(session=session).count() == 2


def test_both_sides_cancelling_one_meeting_cancel_it_once() -> None:
    world = FairWorld()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    domain.set_meeting_wish(actor=berlin.contact, owner=berlin, other=oak, wish=Wish.MUST)
    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)
    domain.publish_agendas(actor=world.organiser, fair=world.fair)
    pk = Meeting.objects.get().pk

    def cancel(user: Any) -> Any:
        meeting = Meeting.objects.select_related("first", "second", "fair", "slot").get(pk=pk)
        return domain.cancel_meeting(actor=user, meeting=meeting)

    results = race(lambda: cancel(berlin.contact), lambda: cancel(oak.contact))

    done = [r for r in results if isinstance(r, Meeting)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert (len(done), len(refused)) == (1, 1), results
    meeting = Meeting.objects.get()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.cancelled_by == done[0].cancelled_by


def test_simultaneous_first_anonymous_visits_share_one_counter() -> None:
    world = FairWorld()
    booth = world.exhibitors[0].booth

    results = race(*(lambda: domain.record_booth_visit(booth=booth, visitor=None),) * 4)

    assert results == [True] * 4
    assert list(BoothVisit.objects.values_list("visitor", "count")) == [(None, 4)]
