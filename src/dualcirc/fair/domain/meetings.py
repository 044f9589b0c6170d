"""1:1 meetings: wishes, availability, slots and rooms, the scheduler run, agendas, cancelling.

Meeting states (one transition function, :func:`_move`): scheduled → confirmed (publish),
confirmed → cancelled (either side or the organiser); a scheduled meeting is replaced by the
next run (deleted), never cancelled.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone, translation
from django.utils.timezone import is_naive
from django.utils.translation import gettext as _

from dualcirc.core.access import (
    AccessDenied,
    can_act_for_registration,
    can_cancel_meeting,
    can_manage_fair,
    require,
)
from dualcirc.core.errors import Conflict, FieldError, InvalidInput
from dualcirc.core.models import User
from dualcirc.demand.after_response import after_commit_and_response
from dualcirc.demand.domain import record_meeting_request_signal
from dualcirc.fair.domain.fairs import _check_url, _language, _mail
from dualcirc.fair.enums import SLOT_MINUTES, MeetingStatus, RegistrationStatus, RoomKind, Wish
from dualcirc.fair.models import (
    Availability,
    Fair,
    Meeting,
    MeetingPreference,
    MeetingSlot,
    Registration,
    Room,
)
from dualcirc.fair.scheduling import (
    Interval,
    KeptMeeting,
    Participant,
    Preference,
    Problem,
    Request,
    Schedule,
    Slot,
    schedule_meetings,
)
from dualcirc.l10n import format_datetime

ALLOWED_MOVES = {
    (MeetingStatus.SCHEDULED, MeetingStatus.CONFIRMED),
    (MeetingStatus.CONFIRMED, MeetingStatus.CANCELLED),
}


def _move(meeting: Meeting, to: str, *, by: User | None = None) -> None:
    if (meeting.status, to) not in ALLOWED_MOVES:
        raise Conflict(
            _("A meeting that is %(state)s cannot become %(to)s.")
            % {"state": meeting.get_status_display(), "to": MeetingStatus(to).label}
        )
    meeting.status = to
    fields = ["status"]
    if to == MeetingStatus.CANCELLED:
        meeting.cancelled_by = by
        meeting.cancelled_at = timezone.now()
        fields += ["cancelled_by", "cancelled_at"]
    meeting.save(update_fields=fields)


def set_meeting_wish(
    *, actor: User, owner: Registration, other: Registration, wish: str | None
) -> MeetingPreference | None:
    """``owner`` must / would like / does not want to meet ``other``; None or "" removes the
    wish. Both must be approved registrations of the same fair. Side effects: the
    MeetingPreference row written or deleted."""
    require(can_act_for_registration(actor, owner))
    if other.fair_id != owner.fair_id or other.pk == owner.pk:
        raise InvalidInput(_("Unknown participant."), [FieldError("other", _("Not in this fair."))])
    if not owner.status == other.status == RegistrationStatus.APPROVED:
        raise InvalidInput(_("Both sides need an approved registration."))
    if not wish:
        MeetingPreference.objects.filter(owner=owner, other=other).delete()
        return None
    if wish not in Wish.values:
        raise InvalidInput(_("Unknown wish."), [FieldError("wish", _("must, would or no."))])
    pref, created = MeetingPreference.objects.update_or_create(
        owner=owner, other=other, defaults={"wish": wish}
    )
    if created and wish != Wish.NO:  # a new meeting request counts as demand (demand.domain)
        # once committed and the page sent (demand.after_response)
        after_commit_and_response(lambda: record_meeting_request_signal(actor=actor, other=other))
    return pref


@transaction.atomic
def set_availability(
    *, actor: User, registration: Registration, intervals: Sequence[tuple[datetime, datetime]]
) -> list[Availability]:
    """Replace when ``registration``'s contact can meet (aware datetimes; the pages convert from
    the person's own zone). No availability at all means "any slot". Side effects: the
    registration's Availability rows replaced."""
    require(can_act_for_registration(actor, registration))
    errors = []
    for i, (start, end) in enumerate(intervals, start=1):
        if is_naive(start) or is_naive(end):  # the message says which end lacks its zone
            message = (
                _("The start has no offset or time zone; give it as 2025-10-24T09:00:00+08:00.")
                if is_naive(start)
                else _("The end has no offset or time zone; give it as 2025-10-24T10:00:00+08:00.")
            )
            errors.append(FieldError("intervals", message, i))
        elif end <= start:
            errors.append(FieldError("intervals", _("Each period must end after it starts."), i))
    if errors:
        raise InvalidInput(_("The availability is not valid."), errors)
    registration.availability.all().delete()
    return Availability.objects.bulk_create(
        Availability(registration=registration, starts_at=s, ends_at=e) for s, e in intervals
    )


# The daily meeting hours (the fair's local time) offered until the organiser sets them.
DEFAULT_MEETINGS_START = time(9, 0)
DEFAULT_MEETINGS_END = time(17, 0)


def meeting_settings(fair: Fair) -> dict[str, Any]:
    """The fair's meeting settings as :func:`configure_meetings` takes them (``slot_minutes``,
    ``start``, ``end``, ``meeting_cap``): what the organiser set, else the defaults (meetings
    from DEFAULT_MEETINGS_START to DEFAULT_MEETINGS_END). Reads only the fair."""
    return {
        "slot_minutes": fair.slot_minutes,
        "start": fair.meetings_start or DEFAULT_MEETINGS_START,
        "end": fair.meetings_end or DEFAULT_MEETINGS_END,
        "meeting_cap": fair.meeting_cap,
    }


@transaction.atomic
def configure_meetings(
    *,
    actor: User,
    fair: Fair,
    slot_minutes: int,
    start: time,
    end: time,
    meeting_cap: int,
    days: Sequence[date] | None = None,
) -> list[MeetingSlot]:
    """Set the meeting slots: ``slot_minutes`` (15, 20 or 30) from ``start`` to ``end`` on each
    of ``days`` (default: every day of the fair), in the organiser's time zone; and the cap per
    person. Once meetings are published the slots cannot change (Conflict), the cap still can.
    Side effects: the fair's settings; its MeetingSlot rows and scheduled meetings replaced."""
    require(can_manage_fair(actor, fair))
    errors: list[FieldError] = []
    if slot_minutes not in SLOT_MINUTES:
        errors.append(FieldError("slot_minutes", _("Choose 15, 20 or 30 minutes.")))
    if end <= start:
        errors.append(FieldError("end", _("Meetings must end after they start.")))
    if meeting_cap < 1:
        errors.append(FieldError("meeting_cap", _("At least one meeting per person.")))
    days = list(days) if days else _fair_days(fair)
    for i, d in enumerate(days):
        if not fair.starts_on <= d <= fair.ends_on:
            errors.append(FieldError("days", _("Not a day of the fair."), i + 1))
    if errors:
        raise InvalidInput(_("The meeting settings are not valid."), errors)
    tz = ZoneInfo(fair.time_zone)
    length = timedelta(minutes=slot_minutes)
    wanted: list[tuple[datetime, datetime]] = []
    for d in days:
        # Step in UTC: adding minutes to a zoned datetime is wall-clock arithmetic, which on a
        # daylight-saving day would make a slot an hour longer or shorter than it says.
        t = datetime.combine(d, start, tz).astimezone(UTC)
        stop = datetime.combine(d, end, tz).astimezone(UTC)
        while t + length <= stop:
            wanted.append((t, t + length))
            t += length
    current = [(s.starts_at, s.ends_at) for s in fair.slots.all()]
    published = Meeting.objects.filter(fair=fair).exclude(status=MeetingStatus.SCHEDULED)
    if published.exists():
        if current != wanted:
            raise Conflict(_("Meetings are published: the slots can no longer change."))
    else:
        Meeting.objects.filter(fair=fair).delete()
        fair.slots.all().delete()
        MeetingSlot.objects.bulk_create(
            MeetingSlot(fair=fair, starts_at=s, ends_at=e) for s, e in wanted
        )
    fair.slot_minutes = slot_minutes
    fair.meetings_start = start
    fair.meetings_end = end
    fair.meeting_cap = meeting_cap
    fair.save(update_fields=["slot_minutes", "meetings_start", "meetings_end", "meeting_cap"])
    return list(fair.slots.all())


def _lock(fair: Fair) -> None:
    """Hold ``fair``'s row until the transaction ends (a no-op on SQLite, which serialises
    writing transactions anyway)."""
    Fair.objects.select_for_update().filter(pk=fair.pk).values_list("pk", flat=True).get()


def _fair_days(fair: Fair) -> list[date]:
    return [
        fair.starts_on + timedelta(days=i) for i in range((fair.ends_on - fair.starts_on).days + 1)
    ]


def add_room(
    *,
    actor: User,
    fair: Fair,
    name: str,
    kind: str = RoomKind.TABLE,
    capacity: int = 1,
    link: str = "",
) -> Room:
    """Add tables or a video room (``capacity`` meetings at once). Side effects: a Room row."""
    require(can_manage_fair(actor, fair))
    errors = []
    if not name.strip():
        errors.append(FieldError("name", _("Required.")))
    if capacity < 1:
        errors.append(FieldError("capacity", _("At least one meeting at once.")))
    if kind not in RoomKind.values:
        errors.append(FieldError("kind", _("Unknown kind of room.")))
    try:
        _check_url(link, "link")
    except InvalidInput as exc:
        errors += exc.errors
    if errors:
        raise InvalidInput(_("The room is not valid."), errors)
    return Room.objects.create(
        fair=fair, name=name.strip(), kind=kind, capacity=capacity, link=link
    )


_PREFERENCE = {Wish.MUST: Preference.MUST, Wish.WOULD: Preference.WOULD, Wish.NO: Preference.NO}


def build_problem(fair: Fair) -> Problem:
    """The scheduler's input from the database: approved registrations, their wishes and
    availability, the slots with their rooms' capacity, the confirmed meetings to keep. A pair
    whose meeting was cancelled is not asked again. Reads only."""
    regs = list(
        Registration.objects.filter(fair=fair, status=RegistrationStatus.APPROVED)
        .select_related("contact")
        .prefetch_related("availability")
    )
    ids = {r.pk for r in regs}
    slots = list(fair.slots.all())
    capacity = sum(room.capacity for room in fair.rooms.all())
    people = []
    for r in regs:
        avail = tuple(Interval(a.starts_at, a.ends_at) for a in r.availability.all())
        if not avail and slots:  # said nothing: free whenever the fair holds meetings
            avail = (Interval(slots[0].starts_at, slots[-1].ends_at),)
        cap = r.meeting_cap if r.meeting_cap is not None else fair.meeting_cap
        people.append(Participant(id=r.pk, available=avail, cap=cap, time_zone=r.contact.time_zone))
    wishes: dict[tuple[int, int], str] = {
        (p.owner_id, p.other_id): p.wish
        for p in MeetingPreference.objects.filter(owner__fair=fair)
        if p.owner_id in ids and p.other_id in ids
    }
    meetings = list(Meeting.objects.filter(fair=fair).exclude(status=MeetingStatus.SCHEDULED))
    cancelled = {
        frozenset((m.first_id, m.second_id))
        for m in meetings
        if m.status == MeetingStatus.CANCELLED
    }
    kept = [
        KeptMeeting(m.first_id, m.second_id, m.slot_id)
        for m in meetings
        if m.status == MeetingStatus.CONFIRMED and m.first_id in ids and m.second_id in ids
    ]
    requests = []
    for a, b in sorted({tuple(sorted(k)) for k in wishes}):
        if frozenset((a, b)) in cancelled:
            continue
        pa = _PREFERENCE.get(Wish(wishes[a, b])) if (a, b) in wishes else None
        pb = _PREFERENCE.get(Wish(wishes[b, a])) if (b, a) in wishes else None
        requests.append(Request(a, b, pa or Preference.UNSTATED, pb or Preference.UNSTATED))
    return Problem(
        participants=people,
        requests=requests,
        slots=[Slot(s.pk, s.starts_at, s.ends_at, capacity) for s in slots],
        kept=kept,
    )


@transaction.atomic
def run_scheduler(*, actor: User, fair: Fair, time_limit_s: float = 20.0) -> Schedule:
    """Run the scheduler: confirmed meetings stay; every scheduled (unpublished) meeting is
    replaced by the new proposal, each given a room with a free table. Side effects: Meeting
    rows deleted and created (status scheduled), ``fair.last_run`` (figures of the run).
    ``time_limit_s`` is held between 1 and 60 seconds, so a page or API call answers within
    about a minute."""
    require(can_manage_fair(actor, fair))
    time_limit_s = min(max(time_limit_s, 1.0), 60.0)
    # One run (or publication) of a fair at a time: a second waits for the first to commit.
    _lock(fair)
    if not fair.slots.exists():
        raise InvalidInput(_("Set the meeting slots first."))
    rooms = list(fair.rooms.all())
    if not rooms:
        raise InvalidInput(_("Add at least one room or set of tables first."))
    Meeting.objects.filter(fair=fair, status=MeetingStatus.SCHEDULED).delete()
    problem = build_problem(fair)
    schedule = schedule_meetings(problem, time_limit_s=time_limit_s)
    used: dict[tuple[int, int], int] = defaultdict(int)  # (slot, room) → meetings
    for m in Meeting.objects.filter(fair=fair, status=MeetingStatus.CONFIRMED):
        if m.room_id is not None:
            used[m.slot_id, m.room_id] += 1
    new = []
    for p in schedule.placements:
        if p.kept:
            continue
        slot_id = cast(int, p.slot)
        room = next(r for r in rooms if used[slot_id, r.pk] < r.capacity)  # capacity checked
        used[slot_id, room.pk] += 1
        new.append(
            Meeting(
                fair=fair,
                slot_id=slot_id,
                room=room,
                first_id=cast(int, p.a),
                second_id=cast(int, p.b),
                weight=p.weight,
            )
        )
    Meeting.objects.bulk_create(new)
    fair.last_run = {
        "at": timezone.now().isoformat(),
        "method": schedule.method,
        "placed": len(new),
        "kept": sum(1 for p in schedule.placements if p.kept),
        "unplaced": len(schedule.unplaced),
        "total_weight": schedule.total_weight,
        "upper_bound": schedule.upper_bound,
        "greedy_weight": schedule.greedy_weight,
        "seconds": round(schedule.seconds, 2),
    }
    fair.save(update_fields=["last_run"])
    return schedule


@transaction.atomic
def publish_agendas(*, actor: User, fair: Fair) -> int:
    """Confirm every scheduled meeting and e-mail each contact person their agenda (in their
    own language and time zone, with an .ics file). Returns how many meetings were confirmed.
    Side effects: meetings confirmed; fair.agendas_published_at; e-mails after commit."""
    from dualcirc.fair.queries import agenda_calendar, agenda_text

    require(can_manage_fair(actor, fair))
    _lock(fair)
    meetings = list(Meeting.objects.filter(fair=fair, status=MeetingStatus.SCHEDULED))
    for m in meetings:
        _move(m, MeetingStatus.CONFIRMED)
    fair.agendas_published_at = timezone.now()
    fair.save(update_fields=["agendas_published_at"])
    contacts = {
        r.contact
        for r in Registration.objects.filter(
            fair=fair, status=RegistrationStatus.APPROVED
        ).select_related("contact")
    }

    def send() -> None:
        for user in contacts:
            with translation.override(_language(user)):
                subject = _("Your meetings at %(fair)s") % {"fair": fair}
                _mail(
                    user,
                    subject,
                    agenda_text(user=user, fair=fair),
                    ("agenda.ics", agenda_calendar(user=user, fair=fair)),
                )

    transaction.on_commit(send)
    return len(meetings)


@transaction.atomic
def cancel_meeting(*, actor: User, meeting: Meeting) -> Meeting:
    """Either side (or the organiser) cancels a confirmed meeting; its slot and table are free
    for the next run, and the pair is not scheduled again. Side effects: status cancelled; an
    e-mail to the other side(s)."""
    if not can_cancel_meeting(actor, meeting):
        raise AccessDenied(_("Only the two sides of a meeting or its organiser cancel it."))
    # Read the state under a row lock, so that two sides cancelling at once cannot both win.
    meeting.status = (
        Meeting.objects.select_for_update().values_list("status", flat=True).get(pk=meeting.pk)
    )
    _move(meeting, MeetingStatus.CANCELLED, by=actor)
    others = [r.contact for r in (meeting.first, meeting.second) if r.contact_id != actor.pk]
    notes = []
    for user in others:
        with translation.override(_language(user)):
            subject = _("A meeting on %(time)s was cancelled") % {
                "time": format_datetime(meeting.slot.starts_at, zone=user.time_zone)
            }
        notes.append((user, subject))

    def send() -> None:
        for user, subject in notes:
            _mail(user, subject, subject)

    transaction.on_commit(send)
    return meeting
