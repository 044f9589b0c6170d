"""Rules the fair domain knows and now enforces (issue 12, finding 9): a rejected exhibitor
loses its booth and meetings, sessions stay within their fair's days, a cancelled meeting stays
in the .ics as STATUS:CANCELLED, a naive availability time is named as such."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
from django.core import mail
from django.test import Client

from dualcirc.core.errors import InvalidInput
from dualcirc.fair import domain
from dualcirc.fair.enums import MeetingStatus, RegistrationStatus, Wish
from dualcirc.fair.models import Booth, Lead, Meeting, Registration
from dualcirc.fair.queries import agenda_calendar
from tests.factories.api import bearer
from tests.factories.fair import FairWorld

pytestmark = pytest.mark.django_db


def meet(world: FairWorld, visitor: Registration, exhibitor: Registration) -> Meeting:
    """Publish one confirmed meeting between ``visitor`` and ``exhibitor``."""
    domain.configure_meetings(
        actor=world.organiser,
        fair=world.fair,
        slot_minutes=30,
        start=time(15),
        end=time(16),
        meeting_cap=3,
        days=[date(2025, 10, 24)],
    )
    domain.set_meeting_wish(actor=visitor.contact, owner=visitor, other=exhibitor, wish=Wish.MUST)
    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)
    domain.publish_agendas(actor=world.organiser, fair=world.fair)
    return Meeting.objects.get(status=MeetingStatus.CONFIRMED)


# c. A rejected (previously approved) exhibitor -----------------------------------------------


def test_rejecting_an_approved_exhibitor_takes_its_booth_and_cancels_its_meetings(
    django_capture_on_commit_callbacks,
) -> None:
    world = FairWorld()
    exhibitor = world.exhibitors[0]
    visitor = world.visitors[0]
    booth = Booth.objects.get(registration=exhibitor)
    domain.create_lead(actor=visitor.contact, booth=booth, message="Price list please")
    meeting = meet(world, visitor, exhibitor)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        domain.decide_registration(actor=world.organiser, registration=exhibitor, approve=False)

    exhibitor.refresh_from_db()
    meeting.refresh_from_db()
    assert exhibitor.status == RegistrationStatus.REJECTED
    assert not Booth.objects.filter(registration=exhibitor).exists()
    assert Lead.objects.count() == 0
    assert (meeting.status, meeting.cancelled_by) == (MeetingStatus.CANCELLED, world.organiser)
    by_to: dict[str, list[str]] = {}
    for m in mail.outbox:
        by_to.setdefault(m.to[0], []).append(m.subject)
    assert set(by_to) == {visitor.contact.email, exhibitor.contact.email}
    assert [s for s in by_to[visitor.contact.email] if "was cancelled" in s], by_to
    assert len(by_to[exhibitor.contact.email]) == 2  # the refusal and the cancelled meeting
    # The next run does not place the rejected exhibitor again.
    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)
    assert not Meeting.objects.filter(status=MeetingStatus.SCHEDULED).exists()


def test_rejecting_drops_unpublished_meetings_and_leaves_other_exhibitors_alone() -> None:
    world = FairWorld()
    rejected, kept = world.exhibitors
    visitor = world.visitors[0]
    domain.configure_meetings(
        actor=world.organiser,
        fair=world.fair,
        slot_minutes=30,
        start=time(15),
        end=time(16),
        meeting_cap=3,
        days=[date(2025, 10, 24)],
    )
    for other in (rejected, kept):
        domain.set_meeting_wish(actor=visitor.contact, owner=visitor, other=other, wish=Wish.MUST)
    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)
    assert Meeting.objects.filter(status=MeetingStatus.SCHEDULED).count() == 2

    domain.decide_registration(actor=world.organiser, registration=rejected, approve=False)

    left = Meeting.objects.get()
    assert {left.first_id, left.second_id} == {visitor.pk, kept.pk}
    assert left.status == MeetingStatus.SCHEDULED
    assert Booth.objects.filter(registration=kept).exists()


# d. Sessions dated outside their fair ---------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_at", "fields"),
    [
        (datetime(2025, 10, 23, 2, 0, tzinfo=UTC), ["starts_at", "ends_at"]),  # the day before
        (datetime(2025, 10, 27, 15, 30, tzinfo=UTC), ["ends_at"]),  # ends on 28 Oct, Shanghai
        (datetime(2025, 10, 23, 15, 30, tzinfo=UTC), ["starts_at"]),  # 23:30 on the 23rd
    ],
)
def test_a_session_outside_the_fairs_days_is_refused_naming_the_field(
    starts_at: datetime, fields: list[str]
) -> None:
    world = FairWorld()  # 24–27 October 2025, Asia/Shanghai
    with pytest.raises(InvalidInput) as exc:
        domain.create_session(
            actor=world.organiser,
            fair=world.fair,
            title_zh="路演",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
        )
    assert [e.field for e in exc.value.errors] == fields


def test_a_session_on_the_fairs_first_morning_in_its_zone_is_accepted() -> None:
    world = FairWorld()
    start = datetime(2025, 10, 23, 16, 0, tzinfo=UTC)  # 00:00 on 24 Oct in Shanghai
    session = domain.create_session(
        actor=world.organiser,
        fair=world.fair,
        title_zh="路演",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    assert session.pk


def test_api_session_outside_the_fair_answers_422_naming_starts_at() -> None:
    world = FairWorld()
    response = Client().post(
        f"/api/fairs/{world.fair.pk}/sessions",
        json.dumps(
            {
                "title_zh": "路演",
                "starts_at": "2025-11-02T10:00:00+08:00",
                "ends_at": "2025-11-02T11:00:00+08:00",
            }
        ),
        content_type="application/json",
        headers=bearer(world.organiser),
    )
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["starts_at", "ends_at"]


# e. A cancelled meeting stays in the .ics ------------------------------------------------------


def events_of(ics: str) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(ics)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_a_cancelled_meeting_stays_in_the_ics_as_cancelled_with_a_higher_sequence() -> None:
    world = FairWorld()
    visitor, exhibitor = world.visitors[0], world.exhibitors[0]
    meeting = meet(world, visitor, exhibitor)
    uid = f"meeting-{meeting.pk}@dualcirc"
    before = events_of(agenda_calendar(user=visitor.contact, fair=world.fair))

    domain.cancel_meeting(actor=exhibitor.contact, meeting=meeting)
    response = Client().get(
        f"/api/fairs/{world.fair.pk}/agenda.ics", headers=bearer(visitor.contact)
    )
    after = events_of(response.content.decode())

    assert str(before[uid]["STATUS"]) == "CONFIRMED"
    assert str(after[uid]["STATUS"]) == "CANCELLED"
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    assert after[uid].decoded("DTSTART") == before[uid].decoded("DTSTART")
    assert after[uid].decoded("DTSTART").utcoffset() == timedelta(hours=2)  # Berlin, in October


# f. A naive datetime in availability -----------------------------------------------------------


def test_a_naive_availability_time_is_named_as_missing_its_zone() -> None:
    world = FairWorld()
    visitor = world.visitors[0]
    aware = datetime(2025, 10, 24, 7, 0, tzinfo=UTC)
    with pytest.raises(InvalidInput) as exc:
        domain.set_availability(
            actor=visitor.contact,
            registration=visitor,
            intervals=[
                (aware, aware + timedelta(hours=1)),
                (aware, datetime(2025, 10, 24, 9, 0)),  # aware start, naive end
            ],
        )
    (error,) = exc.value.errors
    assert (error.field, error.row) == ("intervals", 2)
    assert "end has no offset or time zone" in error.message
    assert "must end after" not in error.message


def test_api_naive_availability_answers_422_saying_the_start_lacks_its_zone() -> None:
    world = FairWorld()
    visitor = world.visitors[0]
    response = Client().put(
        f"/api/fair-registrations/{visitor.pk}/availability",
        json.dumps({"intervals": [{"start": "2025-10-27T08:00:00", "end": "2025-10-27T09:00:00"}]}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        headers=bearer(visitor.contact),
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "intervals"
    assert "start has no offset or time zone" in error["message"]
