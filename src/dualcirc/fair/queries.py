"""Reads of the fair app: agendas (in each person's zone), stats, recommendations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from dualcirc.core.access import member_organisation_ids
from dualcirc.core.models import User
from dualcirc.fair.enums import MeetingStatus, RegistrationKind, RegistrationStatus, Wish
from dualcirc.fair.ics import CalendarEvent, build_calendar
from dualcirc.fair.models import (
    BoothVisit,
    Fair,
    Hall,
    Lead,
    Meeting,
    MeetingPreference,
    Registration,
    Session,
    SessionRegistration,
)
from dualcirc.l10n import format_datetime, format_time, local_name


def user_zone(user: Any) -> str:
    zone = getattr(user, "time_zone", "") or "Asia/Shanghai"
    try:
        ZoneInfo(zone)
    except (ValueError, KeyError):  # a bad stored zone must not break a page
        return "UTC"
    return zone


def my_registrations(user: Any, fair: Fair) -> QuerySet[Registration]:
    """The registrations ``user`` acts for: their organisations', or where they are the contact."""
    if not getattr(user, "is_authenticated", False):
        return Registration.objects.none()
    return (
        Registration.objects.filter(fair=fair)
        .filter(Q(contact=user) | Q(organisation_id__in=member_organisation_ids(user)))
        .select_related("organisation", "contact")
    )


@dataclass(frozen=True)
class AgendaEntry:
    """One line of a person's agenda, times already in their zone."""

    kind: str  # "meeting" or "session"
    uid: str
    starts_at: datetime
    ends_at: datetime
    title: str
    where: str
    link: str
    meeting: Meeting | None = None
    session: Session | None = None
    cancelled: bool = False


def agenda_for(
    *, user: Any, fair: Fair, zone: str | None = None, cancelled: bool = False
) -> list[AgendaEntry]:
    """Confirmed meetings of the user's registrations and the sessions they booked, in
    ``zone`` (default: the user's own), in time order; ``cancelled``: cancelled meetings too
    (the .ics keeps them as STATUS:CANCELLED so calendars remove them)."""
    tz = ZoneInfo(zone or user_zone(user))
    regs = {r.pk: r for r in my_registrations(user, fair)}
    shown = [MeetingStatus.CONFIRMED, *([MeetingStatus.CANCELLED] if cancelled else [])]
    meetings = (
        Meeting.objects.filter(fair=fair, status__in=shown)
        .filter(Q(first_id__in=regs) | Q(second_id__in=regs))
        .select_related("slot", "room", "first__organisation", "second__organisation")
    )
    out = []
    for m in meetings:
        mine = m.first_id if m.first_id in regs else m.second_id
        other = m.other_side(mine)
        out.append(
            AgendaEntry(
                kind="meeting",
                uid=f"meeting-{m.pk}@dualcirc",
                starts_at=m.slot.starts_at.astimezone(tz),
                ends_at=m.slot.ends_at.astimezone(tz),
                title=_("Meeting with %(other)s") % {"other": other.organisation.name},
                where=m.room.name if m.room else "",
                link=m.room.link if m.room else "",
                meeting=m,
                cancelled=m.status == MeetingStatus.CANCELLED,
            )
        )
    booked = SessionRegistration.objects.filter(user=user, session__fair=fair).select_related(
        "session__hall"
    )
    for b in booked:
        s = b.session
        hall = local_name(s.hall) if s.hall else ""
        out.append(
            AgendaEntry(
                kind="session",
                uid=f"session-{s.pk}@dualcirc",
                starts_at=s.starts_at.astimezone(tz),
                ends_at=s.ends_at.astimezone(tz),
                title=local_name(s, "title"),
                where=" · ".join(str(part) for part in (s.get_kind_display(), hall) if part),
                link=s.link,
                session=s,
            )
        )
    return sorted(out, key=lambda e: (e.starts_at, e.uid))


def agenda_calendar(*, user: Any, fair: Fair) -> str:
    """The agenda as an .ics file in the user's own time zone."""
    zone = user_zone(user)
    events = [
        CalendarEvent(
            uid=e.uid,
            start=e.starts_at,
            end=e.ends_at,
            summary=e.title,
            location=e.where,
            url=e.link,
            cancelled=e.cancelled,
            sequence=1 if e.cancelled else 0,  # cancelling is the one change after publishing
        )
        for e in agenda_for(user=user, fair=fair, zone=zone, cancelled=True)
    ]
    return build_calendar(events, zone=zone, name=str(fair))


def agenda_text(*, user: Any, fair: Fair) -> str:
    """The agenda as plain text (for the e-mail), in the user's zone."""
    zone = user_zone(user)
    lines = [_("Times are in %(zone)s.") % {"zone": zone}, ""]
    for e in agenda_for(user=user, fair=fair, zone=zone):
        lines.append(
            f"{format_datetime(e.starts_at, zone=zone)}–{format_time(e.ends_at, zone=zone)}"
            f"  {e.title}" + (f"  ({e.where})" if e.where else "")
        )
    if len(lines) == 2:
        lines.append(_("No meetings yet."))
    return "\n".join(lines)


def fair_stats(fair: Fair) -> dict[str, Any]:
    """Figures for the organiser's report."""
    regs = Registration.objects.filter(fair=fair)
    by = {
        (row["kind"], row["status"]): row["n"]
        for row in regs.values("kind", "status").annotate(n=Count("id"))
    }
    meetings = {
        row["status"]: row["n"]
        for row in Meeting.objects.filter(fair=fair).values("status").annotate(n=Count("id"))
    }
    leads = Lead.objects.filter(booth__registration__fair=fair)
    return {
        "exhibitors": by.get((RegistrationKind.EXHIBITOR, RegistrationStatus.APPROVED), 0),
        "visitors": by.get((RegistrationKind.VISITOR, RegistrationStatus.APPROVED), 0),
        "pending": sum(n for (_k, st), n in by.items() if st == RegistrationStatus.PENDING),
        "booth_visits": BoothVisit.objects.filter(booth__registration__fair=fair).aggregate(
            n=Sum("count")
        )["n"]
        or 0,
        "leads": leads.count(),
        "leads_answered": leads.exclude(answered_at=None).count(),
        "session_bookings": SessionRegistration.objects.filter(session__fair=fair).count(),
        "meetings_scheduled": meetings.get(MeetingStatus.SCHEDULED, 0),
        "meetings_confirmed": meetings.get(MeetingStatus.CONFIRMED, 0),
        "meetings_cancelled": meetings.get(MeetingStatus.CANCELLED, 0),
        "wishes": MeetingPreference.objects.filter(owner__fair=fair).count(),
        "last_run": fair.last_run,
    }


def booth_stats(registration: Registration) -> dict[str, int]:
    booth = registration.booth
    return {
        "visits": booth.visits.aggregate(n=Sum("count"))["n"] or 0,
        "visitors": booth.visits.exclude(visitor=None).values("visitor").distinct().count(),
        "leads": booth.leads.count(),
        "leads_open": booth.leads.filter(answered_at=None).count(),
    }


@dataclass(frozen=True)
class Counterpart:
    registration: Registration
    reasons: list[str]


def recommended_counterparts(
    *, user: User, registration: Registration, limit: int = 10
) -> list[Counterpart]:
    """Whom ``registration`` might meet, with reasons: for a visitor, the fair's exhibitors
    whose products match what the visitor wrote they look for (the matching engine, via
    search.queries.suppliers_for_need); for everyone, those who asked to meet them."""
    others = Registration.objects.filter(
        fair=registration.fair, status=RegistrationStatus.APPROVED
    ).exclude(pk=registration.pk)
    out: dict[int, Counterpart] = {}
    for p in (
        MeetingPreference.objects.filter(other=registration, owner__in=others)
        .exclude(wish=Wish.NO)
        .select_related("owner__organisation")
    ):
        out[p.owner_id] = Counterpart(p.owner, [_("asked to meet you")])
    if registration.kind == RegistrationKind.VISITOR and registration.note.strip():
        from dualcirc.search.queries import suppliers_for_need

        exhibitors = {
            r.organisation_id: r
            for r in others.filter(kind=RegistrationKind.EXHIBITOR).select_related("organisation")
        }
        for match in suppliers_for_need(user=user, text=registration.note, limit=50):
            reg = exhibitors.get(match.enterprise.organisation_id)
            if reg is None:
                continue
            reasons = match_reasons(match)
            if reg.pk in out:
                out[reg.pk].reasons.extend(reasons)
            else:
                out[reg.pk] = Counterpart(reg, reasons)
    return list(out.values())[:limit]


def match_reasons(match: Any) -> list[str]:
    """Why the matching engine put an exhibitor forward (a search.queries.SupplierMatch), in
    the reader's language: the words that matched (the supplier's, else its products') and its
    best-matching product."""
    terms = list(
        dict.fromkeys(
            [
                *match.explanation.matched_terms,
                *(t for p in match.products for t in p.explanation.matched_terms),
            ]
        )
    )
    reasons = [
        _("matches what you look for: %(terms)s") % {"terms": ", ".join(terms[:5])}
        if terms
        else _("products similar to what you look for")
    ]
    if match.products:
        product = match.products[0].product
        title = local_name(product, "title")
        reasons.append(_("best match: %(product)s") % {"product": title})
    return reasons


def sessions_of(fair: Fair, *, hall: Hall | None = None) -> QuerySet[Session]:
    """The fair's sessions (of one ``hall`` when given) with ``booked`` seats, their hall and
    speaking enterprises."""
    sessions = fair.sessions.all() if hall is None else fair.sessions.filter(hall=hall)
    return (
        sessions.annotate(booked=Count("attendees"))
        .select_related("hall")
        .prefetch_related("speaker_enterprises")
    )
