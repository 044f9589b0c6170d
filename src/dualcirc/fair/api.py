"""The fair's JSON API (docs/fair.md): fairs, registrations, wishes, availability, the scheduler,
agendas (in the caller's time zone), sessions, leads. Handlers call one fair.domain or
fair.queries function; domain errors become the API's structured 4xx."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from dualcirc.core.access import (
    AccessDenied,
    can_act_for_registration,
    can_cancel_meeting,
    can_manage_fair,
    can_view_fair,
)
from dualcirc.core.api_auth import public_auth
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.core.models import Organisation, User
from dualcirc.core.sanitize import column_length, column_limits, list_limit, text_limit
from dualcirc.fair import domain
from dualcirc.fair.models import Booth, Fair, Hall, Lead, Meeting, Registration, Room, Session
from dualcirc.fair.queries import agenda_calendar, agenda_for, fair_stats, user_zone

router = Router(tags=["fair"])

# Input limits (core.sanitize): each text bounded by its column or TEXT_LIMITS, each number by
# its column's range; the OpenAPI document states them and a value past one is a 422.
Note = Annotated[str, text_limit("reason")]
LeadText = Annotated[str, text_limit("message")]
Description = Annotated[str, text_limit("description")]
HallName = Annotated[str, column_length(Hall, "name_zh")]
HallIndustry = Annotated[str, column_length(Hall, "industry")]
RoomName = Annotated[str, column_length(Room, "name")]
RoomKind = Annotated[str, column_length(Room, "kind")]
RoomCapacity = Annotated[int, column_limits(Room, "capacity")]
Link = Annotated[str, column_length(Session, "link")]
SessionTitle = Annotated[str, column_length(Session, "title_zh")]
SessionKind = Annotated[str, column_length(Session, "kind")]
SessionCapacity = Annotated[int, column_limits(Session, "capacity")]
Speaker = Annotated[str, text_limit("list_item")]
RegistrationKindText = Annotated[str, column_length(Registration, "kind")]
SlotMinutes = Annotated[int, column_limits(Fair, "slot_minutes")]
MeetingCap = Annotated[int, column_limits(Fair, "meeting_cap")]


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _fair(request: HttpRequest, fair_id: int) -> Fair:
    fair = get_object_or_404(Fair, pk=fair_id)
    if not can_view_fair(request.user, fair):
        raise Http404
    return fair


class HallOut(Schema):
    id: int
    name_zh: str
    name_en: str
    industry: str


class SessionOut(Schema):
    id: int
    kind: str
    title_zh: str
    title_en: str
    starts_at: datetime
    ends_at: datetime
    link: str
    capacity: int | None
    speakers: list[str]
    hall: int | None = Field(None, alias="hall_id")


class FairOut(Schema):
    id: int
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    starts_on: date
    ends_on: date
    time_zone: str
    is_published: bool
    slot_minutes: int
    meeting_cap: int


class FairDetailOut(FairOut):
    halls: list[HallOut]
    sessions: list[SessionOut]


@router.get("/fairs", response=list[FairOut], auth=public_auth, summary="List fairs")
def list_fairs(request: HttpRequest) -> list[Fair]:
    return [f for f in Fair.objects.all() if can_view_fair(request.user, f)]


@router.get("/fairs/{fair_id}", response=FairDetailOut, auth=public_auth, summary="A fair")
def get_fair(request: HttpRequest, fair_id: int) -> Fair:
    return _fair(request, fair_id)


class RegistrationIn(Schema):
    organisation: int
    kind: RegistrationKindText
    note: Note = ""


class RegistrationOut(Schema):
    id: int
    fair: int = Field(alias="fair_id")
    kind: str
    organisation: int = Field(alias="organisation_id")
    status: str


@router.post("/fairs/{fair_id}/registrations", response={201: RegistrationOut})
def register(request: HttpRequest, fair_id: int, payload: RegistrationIn) -> Status[Any]:
    reg = domain.register_for_fair(
        actor=_actor(request),
        fair=_fair(request, fair_id),
        organisation=get_object_or_404(Organisation, pk=payload.organisation),
        kind=payload.kind,
        note=payload.note,
    )
    return Status(201, reg)


class DecisionIn(Schema):
    approve: bool
    hall: int | None = None


@router.post("/fair-registrations/{registration_id}/decision", response=RegistrationOut)
def decide(request: HttpRequest, registration_id: int, payload: DecisionIn) -> Registration:
    reg = get_object_or_404(Registration, pk=registration_id)
    hall = reg.fair.halls.filter(pk=payload.hall).first() if payload.hall else None
    return domain.decide_registration(
        actor=_actor(request), registration=reg, approve=payload.approve, hall=hall
    )


class WishIn(Schema):
    other: int
    wish: Annotated[str, Field(max_length=10)] | None = None


@router.put("/fair-registrations/{registration_id}/wishes", response={204: None})
def set_wish(request: HttpRequest, registration_id: int, payload: WishIn) -> Status[None]:
    owner = get_object_or_404(Registration, pk=registration_id)
    other = get_object_or_404(Registration, pk=payload.other)
    domain.set_meeting_wish(actor=_actor(request), owner=owner, other=other, wish=payload.wish)
    return Status(204, None)


class IntervalIn(Schema):
    start: datetime
    end: datetime


class AvailabilityIn(Schema):
    intervals: Annotated[list[IntervalIn], Field(max_length=1000)]


@router.put("/fair-registrations/{registration_id}/availability", response={204: None})
def set_availability(
    request: HttpRequest, registration_id: int, payload: AvailabilityIn
) -> Status[None]:
    """Intervals with an offset (``2025-10-24T09:00:00+02:00``); a naive time is refused."""
    reg = get_object_or_404(Registration, pk=registration_id)
    domain.set_availability(
        actor=_actor(request),
        registration=reg,
        intervals=[(i.start, i.end) for i in payload.intervals],
    )
    return Status(204, None)


class ScheduleIn(Schema):
    time_limit_s: Annotated[float, Field(ge=1.0, le=60.0, allow_inf_nan=False)] = 20.0


class ScheduleOut(Schema):
    method: str
    placed: int
    kept: int
    unplaced: int
    total_weight: int
    upper_bound: int | None
    greedy_weight: int
    seconds: float


@router.post("/fairs/{fair_id}/schedule", response=ScheduleOut, summary="Run the scheduler")
def run_scheduler(request: HttpRequest, fair_id: int, payload: ScheduleIn) -> dict[str, Any]:
    fair = _fair(request, fair_id)
    domain.run_scheduler(actor=_actor(request), fair=fair, time_limit_s=payload.time_limit_s)
    return {k: v for k, v in fair.last_run.items() if k != "at"}


class CountOut(Schema):
    confirmed: int


@router.post("/fairs/{fair_id}/publish-agendas", response=CountOut)
def publish_agendas(request: HttpRequest, fair_id: int) -> dict[str, int]:
    n = domain.publish_agendas(actor=_actor(request), fair=_fair(request, fair_id))
    return {"confirmed": n}


class AgendaEntryOut(Schema):
    kind: str
    starts_at: str
    ends_at: str
    title: str
    where: str
    link: str
    meeting: int | None
    session: int | None


class AgendaOut(Schema):
    time_zone: str
    entries: list[AgendaEntryOut]


@router.get("/fairs/{fair_id}/agenda", response=AgendaOut, summary="My agenda, in my time zone")
def agenda(request: HttpRequest, fair_id: int) -> dict[str, Any]:
    fair = _fair(request, fair_id)
    zone = user_zone(request.user)
    return {
        "time_zone": zone,
        "entries": [
            {
                "kind": e.kind,
                "starts_at": e.starts_at.isoformat(),
                "ends_at": e.ends_at.isoformat(),
                "title": e.title,
                "where": e.where,
                "link": e.link,
                "meeting": e.meeting.pk if e.meeting else None,
                "session": e.session.pk if e.session else None,
            }
            for e in agenda_for(user=request.user, fair=fair, zone=zone)
        ],
    }


@router.get("/fairs/{fair_id}/agenda.ics", summary="My agenda as iCalendar")
def agenda_ics(request: HttpRequest, fair_id: int) -> HttpResponse:
    fair = _fair(request, fair_id)
    return HttpResponse(
        agenda_calendar(user=request.user, fair=fair), content_type="text/calendar; charset=utf-8"
    )


@router.get("/fairs/{fair_id}/stats", summary="The organiser's figures")
def stats(request: HttpRequest, fair_id: int) -> dict[str, Any]:
    fair = _fair(request, fair_id)
    if not can_manage_fair(request.user, fair):
        raise AccessDenied
    return fair_stats(fair)


class MeetingOut(Schema):
    id: int
    status: str


@router.post("/fair-meetings/{meeting_id}/cancel", response=MeetingOut)
def cancel_meeting(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    if not can_cancel_meeting(_actor(request), meeting):
        raise Http404  # like every object one may not see: its id is not confirmed
    meeting = domain.cancel_meeting(actor=_actor(request), meeting=meeting)
    return {"id": meeting.pk, "status": meeting.status}


@router.post("/fair-sessions/{session_id}/bookings", response={201: None})
def book_session(request: HttpRequest, session_id: int) -> Status[None]:
    domain.register_for_session(
        actor=_actor(request), session=get_object_or_404(Session, pk=session_id)
    )
    return Status(201, None)


class LeadIn(Schema):
    message: LeadText


class LeadOut(Schema):
    id: int
    message: str
    answer: str
    answered_at: datetime | None
    created_at: datetime


@router.post("/booths/{booth_id}/leads", response={201: LeadOut})
def create_lead(request: HttpRequest, booth_id: int, payload: LeadIn) -> Status[Lead]:
    booth = get_object_or_404(Booth, pk=booth_id)
    return Status(
        201, domain.create_lead(actor=_actor(request), booth=booth, message=payload.message)
    )


@router.get("/booths/{booth_id}/leads", response=list[LeadOut], summary="A booth's leads")
def list_leads(request: HttpRequest, booth_id: int) -> list[Lead]:
    booth = get_object_or_404(Booth, pk=booth_id)
    if not can_act_for_registration(request.user, booth.registration):
        raise AccessDenied
    return list(booth.leads.all())


class AnswerIn(Schema):
    answer: LeadText


@router.post("/fair-leads/{lead_id}/answer", response=LeadOut)
def answer_lead(request: HttpRequest, lead_id: int, payload: AnswerIn) -> Lead:
    lead = get_object_or_404(Lead, pk=lead_id)
    return domain.answer_lead(actor=_actor(request), lead=lead, answer=payload.answer)


# --- setting up a fair: halls, rooms, sessions, meeting slots (the organiser) ------------------


def _managed_fair(request: HttpRequest, fair_id: int) -> Fair:
    """The fair, for whoever manages it (403 for the others who may see it, 404 otherwise)."""
    fair = _fair(request, fair_id)
    if not can_manage_fair(request.user, fair):
        raise AccessDenied
    return fair


class HallIn(Schema):
    name_zh: HallName
    name_en: HallName = ""
    industry: HallIndustry = ""


@router.post("/fairs/{fair_id}/halls", response={201: HallOut}, summary="Add a hall")
def add_hall(request: HttpRequest, fair_id: int, payload: HallIn) -> Status[Any]:
    hall = domain.add_hall(
        actor=_actor(request), fair=_fair(request, fair_id), **payload.model_dump()
    )
    return Status(201, hall)


@router.get("/fairs/{fair_id}/halls", response=list[HallOut], auth=public_auth, summary="Halls")
def list_halls(request: HttpRequest, fair_id: int) -> list[Hall]:
    return list(_fair(request, fair_id).halls.all())


class RoomIn(Schema):
    name: RoomName
    kind: RoomKind = "table"
    capacity: RoomCapacity = 1
    link: Link = ""


class RoomOut(Schema):
    id: int
    name: str
    kind: str
    capacity: int
    link: str


@router.post("/fairs/{fair_id}/rooms", response={201: RoomOut}, summary="Add a meeting room")
def add_room(request: HttpRequest, fair_id: int, payload: RoomIn) -> Status[Any]:
    room = domain.add_room(
        actor=_actor(request), fair=_fair(request, fair_id), **payload.model_dump()
    )
    return Status(201, room)


@router.get("/fairs/{fair_id}/rooms", response=list[RoomOut], summary="The fair's meeting rooms")
def list_rooms(request: HttpRequest, fair_id: int) -> list[Room]:
    return list(_managed_fair(request, fair_id).rooms.all())


class SessionIn(Schema):
    """Times with an offset (``2025-10-24T10:00:00+08:00``); a naive time is refused."""

    title_zh: SessionTitle
    starts_at: datetime
    ends_at: datetime
    kind: SessionKind = "roadshow"
    title_en: SessionTitle = ""
    description: Description = ""
    speakers: Annotated[list[Speaker], list_limit()] = []
    link: Link = ""
    capacity: SessionCapacity | None = None
    hall: int | None = None


@router.post("/fairs/{fair_id}/sessions", response={201: SessionOut}, summary="Add a session")
def add_session(request: HttpRequest, fair_id: int, payload: SessionIn) -> Status[Any]:
    fair = _fair(request, fair_id)
    data = payload.model_dump()
    _require_aware(data, "starts_at", "ends_at")
    hall_id = data.pop("hall")
    hall = None
    if hall_id is not None:
        hall = fair.halls.filter(pk=hall_id).first()
        if hall is None:
            raise InvalidInput(
                _("The session is not valid."), [FieldError("hall", _("Not a hall of this fair."))]
            )
    session = domain.create_session(actor=_actor(request), fair=fair, hall=hall, **data)
    return Status(201, session)


class SlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime


class MeetingSlotsIn(Schema):
    """Meeting hours in the fair's own time zone (``HH:MM``), on ``days`` (default: every day
    of the fair)."""

    slot_minutes: SlotMinutes
    start: time
    end: time
    meeting_cap: MeetingCap
    days: Annotated[list[date], Field(max_length=366)] | None = None


class MeetingSlotsOut(Schema):
    time_zone: str
    slot_minutes: int
    meeting_cap: int
    slots: list[SlotOut]


def _slots_out(fair: Fair) -> dict[str, Any]:
    return {
        "time_zone": fair.time_zone,
        "slot_minutes": fair.slot_minutes,
        "meeting_cap": fair.meeting_cap,
        "slots": list(fair.slots.all()),
    }


@router.put("/fairs/{fair_id}/meeting-slots", response=MeetingSlotsOut, summary="Set slots")
def set_meeting_slots(request: HttpRequest, fair_id: int, payload: MeetingSlotsIn) -> Any:
    """Replaces the slots (and the not yet published meetings); 409 once meetings are
    published and the slots would change."""
    fair = _fair(request, fair_id)
    domain.configure_meetings(actor=_actor(request), fair=fair, **payload.model_dump())
    fair.refresh_from_db()
    return _slots_out(fair)


@router.get("/fairs/{fair_id}/meeting-slots", response=MeetingSlotsOut, summary="Meeting slots")
def meeting_slots(request: HttpRequest, fair_id: int) -> Any:
    return _slots_out(_managed_fair(request, fair_id))


def _require_aware(data: dict[str, Any], *fields: str) -> None:
    naive = [f for f in fields if data[f].tzinfo is None]
    if naive:
        raise InvalidInput(
            _("Give times with their offset."),
            [FieldError(f, _("Add the offset, e.g. +08:00.")) for f in naive],
        )
