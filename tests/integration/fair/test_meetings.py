"""Meetings against the database: the scheduler run, publishing, re-runs, cancelling, agendas
in each person's time zone (across Europe's daylight-saving change) and .ics files."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core import mail

from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import Conflict, InvalidInput
from dualcirc.fair import domain
from dualcirc.fair.enums import MeetingStatus, Wish
from dualcirc.fair.models import Meeting
from dualcirc.fair.queries import agenda_calendar, agenda_for, fair_stats
from tests.factories import make_user
from tests.factories.fair import FairWorld

pytestmark = pytest.mark.django_db


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def unfolded(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


def wish(world: FairWorld, owner, other, value=Wish.WOULD) -> None:  # type: ignore[no-untyped-def]
    domain.set_meeting_wish(actor=owner.contact, owner=owner, other=other, wish=value)


def test_run_scheduler_places_wished_meetings_inside_both_availabilities() -> None:
    world = FairWorld()
    berlin, new_york = world.visitors
    oak, sofa = world.exhibitors
    wish(world, berlin, oak, Wish.MUST)
    wish(world, oak, berlin)
    wish(world, new_york, sofa)
    wish(world, berlin, sofa, Wish.NO)
    wish(world, sofa, berlin, Wish.MUST)  # one side says no: never scheduled
    # Berlin can meet only on Monday 27th, 07:30–08:30 UTC (08:30–09:30 CET).
    domain.set_availability(
        actor=berlin.contact,
        registration=berlin,
        intervals=[(utc(2025, 10, 27, 7, 30), utc(2025, 10, 27, 8, 30))],
    )

    schedule = domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)

    meetings = {
        frozenset((m.first_id, m.second_id)): m
        for m in Meeting.objects.select_related("slot", "room")
    }
    assert set(meetings) == {frozenset((berlin.pk, oak.pk)), frozenset((new_york.pk, sofa.pk))}
    m = meetings[frozenset((berlin.pk, oak.pk))]
    assert m.slot.starts_at in (utc(2025, 10, 27, 7, 30), utc(2025, 10, 27, 8, 0))
    assert (m.status, m.weight, m.room.name) == (MeetingStatus.SCHEDULED, 26, "A")
    assert schedule.total_weight == 26 + 3
    assert world.fair.last_run["placed"] == 2


def test_rerun_keeps_confirmed_meetings_and_cancelled_pairs_stay_apart() -> None:
    world = FairWorld()
    berlin, new_york = world.visitors
    oak, sofa = world.exhibitors
    wish(world, berlin, oak)
    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)
    assert domain.publish_agendas(actor=world.organiser, fair=world.fair) == 1
    confirmed = Meeting.objects.get()
    wish(world, new_york, sofa)
    wish(world, new_york, oak, Wish.MUST)

    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)

    confirmed.refresh_from_db()
    assert confirmed.status == MeetingStatus.CONFIRMED
    assert Meeting.objects.filter(status=MeetingStatus.SCHEDULED).count() == 2
    domain.cancel_meeting(actor=oak.contact, meeting=confirmed)
    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)
    pairs = {
        frozenset((m.first_id, m.second_id))
        for m in Meeting.objects.filter(status=MeetingStatus.SCHEDULED)
    }
    assert frozenset((berlin.pk, oak.pk)) not in pairs
    assert fair_stats(world.fair)["meetings_cancelled"] == 1


def test_agenda_and_ics_show_each_person_their_own_zone_across_dst_change() -> None:
    world = FairWorld()
    berlin = world.visitors[0]
    oak = world.exhibitors[0]
    slots = list(world.fair.slots.all())
    friday = next(s for s in slots if s.starts_at == utc(2025, 10, 24, 7, 0))  # 15:00 Shanghai
    monday = next(s for s in slots if s.starts_at == utc(2025, 10, 27, 7, 0))
    room = world.fair.rooms.get()
    for slot, exhibitor in ((friday, oak), (monday, world.exhibitors[1])):
        Meeting.objects.create(
            fair=world.fair,
            slot=slot,
            room=room,
            first=berlin,
            second=exhibitor,
            status=MeetingStatus.CONFIRMED,
        )

    agenda = agenda_for(user=berlin.contact, fair=world.fair)
    ics = unfolded(agenda_calendar(user=berlin.contact, fair=world.fair))
    oak_agenda = agenda_for(user=oak.contact, fair=world.fair)

    assert [(e.starts_at.strftime("%Y-%m-%d %H:%M %Z")) for e in agenda] == [
        "2025-10-24 09:00 CEST",
        "2025-10-27 08:00 CET",
    ]
    assert [e.starts_at.strftime("%H:%M %Z") for e in oak_agenda] == ["15:00 CST"]
    assert "DTSTART;TZID=Europe/Berlin:20251024T090000" in ics
    assert "DTEND;TZID=Europe/Berlin:20251024T093000" in ics
    assert "DTSTART;TZID=Europe/Berlin:20251027T080000" in ics
    tz_block = ics[ics.index("BEGIN:VTIMEZONE") : ics.index("END:VTIMEZONE") + 1]
    change = tz_block.index("DTSTART:20251026T030000")
    assert tz_block[change - 1 : change + 5] == [
        "BEGIN:STANDARD",
        "DTSTART:20251026T030000",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "END:STANDARD",
    ]
    assert tz_block[1:7] == [
        "TZID:Europe/Berlin",
        "BEGIN:DAYLIGHT",
        "DTSTART:20251023T090000",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
    ]
    assert ics.count("BEGIN:VEVENT") == 2


def test_publish_agendas_emails_each_contact_their_agenda_with_ics(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    world = FairWorld()
    berlin = world.visitors[0]
    wish(world, berlin, world.exhibitors[0], Wish.MUST)
    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        domain.publish_agendas(actor=world.organiser, fair=world.fair)

    to_berlin = next(m for m in mail.outbox if m.to == [berlin.contact.email])
    assert to_berlin.subject == "Your meetings at 莱西家具线上展"
    assert "Times are in Europe/Berlin." in to_berlin.body
    name, content, mimetype = to_berlin.attachments[0]
    assert (name, mimetype) == ("agenda.ics", "text/calendar; charset=utf-8")
    assert "TZID=Europe/Berlin" in content
    assert len(mail.outbox) == 4


def test_fair_permissions_refuse_outsiders() -> None:
    world = FairWorld()
    berlin, new_york = world.visitors
    oak = world.exhibitors[0]
    wish(world, berlin, oak)
    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)
    domain.publish_agendas(actor=world.organiser, fair=world.fair)
    meeting = Meeting.objects.get()
    stranger = make_user()

    with pytest.raises(AccessDenied):
        domain.run_scheduler(actor=berlin.contact, fair=world.fair)
    with pytest.raises(AccessDenied):
        domain.cancel_meeting(actor=new_york.contact, meeting=meeting)
    with pytest.raises(AccessDenied):
        domain.set_meeting_wish(actor=stranger, owner=berlin, other=oak, wish=Wish.MUST)
    with pytest.raises(AccessDenied):
        domain.update_booth(actor=berlin.contact, booth=oak.booth, headline="hijacked")
    with pytest.raises(AccessDenied):
        domain.decide_registration(actor=oak.contact, registration=new_york, approve=False)
    with pytest.raises(AccessDenied):
        domain.register_for_fair(
            actor=berlin.contact,
            fair=world.fair,
            organisation=berlin.organisation,
            kind="exhibitor",
        )
    assert Meeting.objects.get().status == MeetingStatus.CONFIRMED


def test_configure_meetings_refuses_changes_once_published_and_bad_lengths() -> None:
    world = FairWorld()
    wish(world, world.visitors[0], world.exhibitors[0])
    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)
    domain.publish_agendas(actor=world.organiser, fair=world.fair)

    with pytest.raises(InvalidInput) as bad:
        domain.configure_meetings(
            actor=world.organiser,
            fair=world.fair,
            slot_minutes=25,
            start=world.fair.meetings_start,
            end=world.fair.meetings_end,
            meeting_cap=3,
        )
    with pytest.raises(Conflict):
        domain.configure_meetings(
            actor=world.organiser,
            fair=world.fair,
            slot_minutes=15,
            start=world.fair.meetings_start,
            end=world.fair.meetings_end,
            meeting_cap=3,
        )

    assert [e.field for e in bad.value.errors] == ["slot_minutes"]
    assert world.fair.slots.count() == 8


def test_agenda_and_session_ics_from_the_pages_parse_back_to_the_same_instants() -> None:
    import icalendar
    from django.test import Client

    world = FairWorld()
    new_york, sofa = world.visitors[1], world.exhibitors[1]
    slot = world.fair.slots.get(starts_at=utc(2025, 10, 27, 8, 30))  # 16:30 Shanghai
    Meeting.objects.create(
        fair=world.fair,
        slot=slot,
        room=world.fair.rooms.get(),
        first=sofa,
        second=new_york,
        status=MeetingStatus.CONFIRMED,
    )
    world.fair.ends_on = date(2025, 11, 3)  # a session must fall within the fair's days
    world.fair.save(update_fields=["ends_on"])
    session = domain.create_session(
        actor=world.organiser,
        fair=world.fair,
        title_zh="青岛家电路演",
        title_en="Qingdao appliances roadshow, live; Q&A",
        starts_at=utc(2025, 11, 3, 13, 0),  # after the US change: 08:00 EST
        ends_at=utc(2025, 11, 3, 14, 0),
    )
    domain.register_for_session(actor=new_york.contact, session=session)
    client = Client()
    client.force_login(new_york.contact)

    agenda = client.get(f"/en/fair/{world.fair.pk}/agenda.ics")
    single = client.get(f"/en/fair/sessions/{session.pk}.ics")

    assert agenda["Content-Type"] == "text/calendar; charset=utf-8"
    events = icalendar.Calendar.from_ical(agenda.content.decode()).walk("VEVENT")
    assert [(e.decoded("DTSTART"), e.decoded("DTEND"), str(e["SUMMARY"])) for e in events] == [
        (slot.starts_at, slot.ends_at, f"Meeting with {sofa.organisation.name}"),
        (session.starts_at, session.ends_at, "Qingdao appliances roadshow, live; Q&A"),
    ]
    assert [e["DTSTART"].params["TZID"] for e in events] == ["America/New_York"] * 2
    lines = unfolded(agenda.content.decode())
    assert "DTSTART;TZID=America/New_York:20251027T043000" in lines  # EDT
    assert "DTSTART;TZID=America/New_York:20251103T080000" in lines  # EST
    (one,) = icalendar.Calendar.from_ical(single.content.decode()).walk("VEVENT")
    assert (str(one["UID"]), one.decoded("DTSTART")) == (
        f"session-{session.pk}@dualcirc",
        session.starts_at,
    )
