"""The organiser's meeting settings and the scheduler's rules against the database: slot lengths
and days (also across a daylight-saving change in the organiser's zone), room capacity,
per-person caps, availability typed in each person's own zone (page and API), and a cancelled
meeting's slot going to another pair on the next run."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.test import Client

from dualcirc.core.api_auth import issue_api_token
from dualcirc.core.errors import InvalidInput
from dualcirc.fair import domain
from dualcirc.fair.enums import MeetingStatus, Wish
from dualcirc.fair.models import Meeting, Registration
from tests.factories.fair import FairWorld, make_exhibitor, make_organiser, make_visitor

pytestmark = pytest.mark.django_db


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def must(owner: Registration, other: Registration) -> None:
    domain.set_meeting_wish(actor=owner.contact, owner=owner, other=other, wish=Wish.MUST)


def only_free(reg: Registration, start: datetime, minutes: int = 30) -> None:
    domain.set_availability(
        actor=reg.contact,
        registration=reg,
        intervals=[(start, start + timedelta(minutes=minutes))],
    )


def placed(fair_id: int) -> set[tuple[frozenset[int], datetime]]:
    return {
        (frozenset((m.first_id, m.second_id)), m.slot.starts_at)
        for m in Meeting.objects.filter(fair_id=fair_id)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("slot")
    }


@pytest.mark.parametrize(
    ("minutes", "per_day"),
    [(15, 8), (20, 6), (30, 4)],
)
def test_configure_meetings_cuts_the_chosen_days_into_slots_of_the_chosen_length(
    minutes: int, per_day: int
) -> None:
    world = FairWorld()

    slots = domain.configure_meetings(
        actor=world.organiser,
        fair=world.fair,
        slot_minutes=minutes,
        start=time(15),
        end=time(17),
        meeting_cap=4,
        days=[date(2025, 10, 25), date(2025, 10, 27)],
    )

    # 15:00–17:00 Shanghai = 07:00–09:00 UTC, on the two chosen days only.
    assert len(slots) == 2 * per_day
    assert {s.starts_at.date() for s in slots} == {date(2025, 10, 25), date(2025, 10, 27)}
    assert all(s.ends_at - s.starts_at == timedelta(minutes=minutes) for s in slots)
    assert slots[0].starts_at == utc(2025, 10, 25, 7, 0)
    assert slots[per_day - 1].ends_at == utc(2025, 10, 25, 9, 0)
    world.fair.refresh_from_db()
    assert (world.fair.slot_minutes, world.fair.meeting_cap) == (minutes, 4)


def test_configure_meetings_refuses_a_day_outside_the_fair() -> None:
    world = FairWorld()

    with pytest.raises(InvalidInput) as bad:
        domain.configure_meetings(
            actor=world.organiser,
            fair=world.fair,
            slot_minutes=30,
            start=time(15),
            end=time(17),
            meeting_cap=3,
            days=[date(2025, 10, 24), date(2025, 10, 30)],
        )

    assert [(e.field, e.row) for e in bad.value.errors] == [("days", 2)]
    assert world.fair.slots.count() == 8  # the factory's slots are untouched


def test_configure_meetings_keeps_slots_exact_on_the_organisers_dst_change_day() -> None:
    organiser = make_organiser()
    fair = domain.create_fair(
        actor=organiser,
        organiser=organiser.memberships.get().organisation,
        name_zh="柏林秋季展",
        starts_on=date(2025, 10, 26),
        ends_on=date(2025, 10, 26),
        time_zone="Europe/Berlin",
    )

    slots = domain.configure_meetings(
        actor=organiser,
        fair=fair,
        slot_minutes=30,
        start=time(1),
        end=time(4),
        meeting_cap=3,
    )

    # 01:00 CEST (23:00 UTC) to 04:00 CET (03:00 UTC): three hours on the wall, four real ones.
    assert [s.starts_at for s in slots] == [
        utc(2025, 10, 25, 23, 0) + timedelta(minutes=30 * i) for i in range(8)
    ]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=30) for s in slots)


def test_run_scheduler_fills_a_slot_only_up_to_its_rooms_capacity() -> None:
    world = FairWorld()  # room "A": 2 meetings at once
    exhibitors = [*world.exhibitors, make_exhibitor(fair=world.fair, actor=world.organiser)]
    visitors = [*world.visitors, make_visitor(fair=world.fair, actor=world.organiser)]
    first_slot = utc(2025, 10, 24, 7, 0)
    for visitor, exhibitor in zip(visitors, exhibitors, strict=True):
        must(visitor, exhibitor)
        only_free(visitor, first_slot)

    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)
    two = Meeting.objects.count()
    domain.add_room(actor=world.organiser, fair=world.fair, name="B", kind="video", capacity=1)
    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)

    assert two == 2
    meetings = list(Meeting.objects.select_related("slot", "room"))
    assert {m.slot.starts_at for m in meetings} == {first_slot}
    assert sorted(m.room.name for m in meetings) == ["A", "A", "B"]
    assert world.fair.last_run["unplaced"] == 0


def test_run_scheduler_respects_the_fair_cap_and_a_registrations_own_cap() -> None:
    world = FairWorld()
    oak = world.exhibitors[0]
    third = make_visitor(fair=world.fair, actor=world.organiser, zone="Asia/Tokyo")
    for visitor in (*world.visitors, third):
        must(visitor, oak)
    domain.configure_meetings(
        actor=world.organiser,
        fair=world.fair,
        slot_minutes=30,
        start=time(15),
        end=time(17),
        meeting_cap=1,
        days=[date(2025, 10, 24), date(2025, 10, 27)],
    )

    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)
    with_fair_cap = (
        Meeting.objects.filter(first=oak).count() + Meeting.objects.filter(second=oak).count()
    )
    oak.meeting_cap = 2
    oak.save(update_fields=["meeting_cap"])
    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)
    with_own_cap = Meeting.objects.count()

    assert with_fair_cap == 1
    assert with_own_cap == 2
    assert world.fair.last_run["unplaced"] == 1


def test_availability_typed_in_each_persons_own_zone_is_stored_in_utc_across_dst() -> None:
    world = FairWorld()
    berlin, new_york = world.visitors
    oak, sofa = world.exhibitors
    must(berlin, oak)
    must(new_york, sofa)

    # Berlin, after its clocks went back (CET, +01:00): 08:00–08:30 is 07:00–07:30 UTC.
    signed_in(berlin.contact).post(
        f"/en/fair/{world.fair.pk}/meetings/?as={berlin.pk}",
        {"availability": "2025-10-27 08:00 - 2025-10-27 08:30\n"},
    )
    # New York, still on summer time (EDT, -04:00) on Friday 24th: 03:30–04:00 is 07:30 UTC.
    signed_in(new_york.contact).post(
        f"/en/fair/{world.fair.pk}/meetings/?as={new_york.pk}",
        {"availability": "2025-10-24T03:30 - 2025-10-24T04:00"},
    )
    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)
    scheduled = placed(world.fair.pk)
    # The night of Berlin's change: 01:00 CEST to 04:00 CET is four real hours.
    night = signed_in(berlin.contact)
    night.post(
        f"/en/fair/{world.fair.pk}/meetings/?as={berlin.pk}",
        {"availability": "2025-10-26 01:00 - 2025-10-26 04:00"},
    )

    assert scheduled == {
        (frozenset((berlin.pk, oak.pk)), utc(2025, 10, 27, 7, 0)),
        (frozenset((new_york.pk, sofa.pk)), utc(2025, 10, 24, 7, 30)),
    }
    assert list(berlin.availability.values_list("starts_at", "ends_at")) == [
        (utc(2025, 10, 25, 23, 0), utc(2025, 10, 26, 3, 0))
    ]
    page = night.get(f"/en/fair/{world.fair.pk}/meetings/?as={berlin.pk}").content.decode()
    assert "2025-10-26 01:00 - 2025-10-26 04:00" in page  # shown back in Berlin time


def test_api_availability_with_offsets_is_stored_as_the_same_instants() -> None:
    world = FairWorld()
    berlin = world.visitors[0]
    token = issue_api_token(user=berlin.contact, name="t")

    response = Client().put(
        f"/api/fair-registrations/{berlin.pk}/availability",
        json.dumps(
            {
                "intervals": [
                    {"start": "2025-10-24T09:00:00+02:00", "end": "2025-10-24T10:00:00+02:00"},
                    {"start": "2025-10-27T08:00:00+01:00", "end": "2025-10-27T09:00:00+01:00"},
                ]
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 204
    assert list(berlin.availability.values_list("starts_at", "ends_at")) == [
        (utc(2025, 10, 24, 7, 0), utc(2025, 10, 24, 8, 0)),
        (utc(2025, 10, 27, 7, 0), utc(2025, 10, 27, 8, 0)),
    ]


def test_cancelled_meeting_frees_its_slot_for_another_pair_on_the_next_run() -> None:
    world = FairWorld()
    berlin, new_york = world.visitors
    oak = world.exhibitors[0]
    # One slot only; both visitors must meet oak, who can be in one meeting at a time.
    domain.configure_meetings(
        actor=world.organiser,
        fair=world.fair,
        slot_minutes=30,
        start=time(15),
        end=time(15, 30),
        meeting_cap=3,
        days=[date(2025, 10, 24)],
    )
    must(berlin, oak)
    must(new_york, oak)
    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)
    domain.publish_agendas(actor=world.organiser, fair=world.fair)
    first = Meeting.objects.get()
    winner = first.other_side(oak.pk)
    loser = new_york if winner.pk == berlin.pk else berlin
    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)
    while_confirmed = placed(world.fair.pk)

    cancelled = Client().post(
        f"/api/fair-meetings/{first.pk}/cancel",
        HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user=winner.contact, name='t')}",
    )
    domain.run_scheduler(actor=world.organiser, fair=world.fair, time_limit_s=2)

    slot_start = utc(2025, 10, 24, 7, 0)
    assert while_confirmed == {(frozenset((winner.pk, oak.pk)), slot_start)}
    assert cancelled.json() == {"id": first.pk, "status": "cancelled"}
    assert placed(world.fair.pk) == {(frozenset((loser.pk, oak.pk)), slot_start)}
    new = Meeting.objects.get(status=MeetingStatus.SCHEDULED)
    assert (new.slot_id, new.room_id) == (first.slot_id, first.room_id)
