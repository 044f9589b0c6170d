"""Fairs, halls, registrations, booths, leads and sessions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.timezone import is_naive
from django.utils.translation import gettext as _

from dualcirc.catalog.models import Enterprise, IndustrialBelt, Product
from dualcirc.core.access import (
    can_act_for_registration,
    can_manage_fair,
    can_register_for_fair,
    can_view_fair,
    is_operator,
    member_organisation_ids,
    require,
)
from dualcirc.core.errors import Conflict, FieldError, InvalidInput
from dualcirc.core.models import Organisation, User
from dualcirc.demand.after_response import after_commit_and_response
from dualcirc.demand.domain import record_booth_visit_signal
from dualcirc.fair.enums import (
    ORGANISER_KINDS,
    MeetingStatus,
    RegistrationKind,
    RegistrationStatus,
    SessionKind,
)
from dualcirc.fair.ics import CalendarEvent, build_calendar
from dualcirc.fair.models import (
    Booth,
    BoothVisit,
    Fair,
    Hall,
    Lead,
    Meeting,
    Registration,
    Session,
    SessionRegistration,
)
from dualcirc.l10n import format_date, format_datetime, local_name


def check_time_zone(value: str, field: str = "time_zone") -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(
            _("Unknown time zone."),
            [FieldError(field, _("Unknown time zone %(tz)s.") % {"tz": value})],
        ) from exc
    return value


def _check_url(value: str, field: str) -> None:
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError as exc:
            raise InvalidInput(
                _("Not a web link."), [FieldError(field, _("Enter an http(s) link."))]
            ) from exc


def _language(user: User) -> str:
    return user.preferred_language or "zh-hans"


def _mail(user: User, subject: Any, body: Any, attachment: tuple[str, str] | None = None) -> None:
    """E-mail ``user`` in their language (text built inside translation.override)."""
    if not user.email:
        return
    if attachment is None:
        send_mail(str(subject), str(body), None, [user.email])
        return
    message = EmailMessage(str(subject), str(body), to=[user.email])
    message.attach(attachment[0], attachment[1], "text/calendar; charset=utf-8")
    message.send()


def create_fair(
    *,
    actor: User,
    organiser: Organisation,
    name_zh: str,
    starts_on: date,
    ends_on: date,
    name_en: str = "",
    description_zh: str = "",
    description_en: str = "",
    time_zone: str = "Asia/Shanghai",
) -> Fair:
    """Create a draft fair run by ``organiser`` (a government body or the operator), of which
    ``actor`` must be a member. Side effects: one Fair row."""
    require(
        organiser.kind in ORGANISER_KINDS
        and (is_operator(actor) or organiser.pk in member_organisation_ids(actor)),
        _("Only a bureau, a park or the platform operator organises fairs."),
    )
    errors = []
    if not name_zh.strip():
        errors.append(FieldError("name_zh", _("Give the fair a Chinese name.")))
    if ends_on < starts_on:
        errors.append(FieldError("ends_on", _("The last day cannot come before the first.")))
    if errors:
        raise InvalidInput(_("The fair is not valid."), errors)
    check_time_zone(time_zone)
    return Fair.objects.create(
        organiser=organiser,
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        description_zh=description_zh,
        description_en=description_en,
        starts_on=starts_on,
        ends_on=ends_on,
        time_zone=time_zone,
    )


def publish_fair(*, actor: User, fair: Fair) -> Fair:
    """Open the fair to everyone (visible, registration open). Side effects: is_published."""
    require(can_manage_fair(actor, fair))
    fair.is_published = True
    fair.save(update_fields=["is_published"])
    return fair


def add_hall(
    *,
    actor: User,
    fair: Fair,
    name_zh: str,
    name_en: str = "",
    industry: str = "",
    belt: IndustrialBelt | None = None,
) -> Hall:
    require(can_manage_fair(actor, fair))
    if not name_zh.strip():
        raise InvalidInput(_("The hall needs a name."), [FieldError("name_zh", _("Required."))])
    return Hall.objects.create(
        fair=fair, name_zh=name_zh.strip(), name_en=name_en.strip(), industry=industry, belt=belt
    )


def register_for_fair(
    *,
    actor: User,
    fair: Fair,
    organisation: Organisation,
    kind: str,
    hall: Hall | None = None,
    note: str = "",
) -> Registration:
    """Ask to take part: an enterprise as exhibitor, a buyer as visitor; ``actor`` becomes the
    contact person. Waits for the organiser's approval. Raises Conflict if already registered.
    Side effects: one Registration row (pending)."""
    require(can_view_fair(actor, fair))
    require(
        can_register_for_fair(actor, organisation, kind),
        _("Enterprises register as exhibitors and buyers as visitors, by their own members."),
    )
    if hall is not None and hall.fair_id != fair.pk:
        raise InvalidInput(_("Unknown hall."), [FieldError("hall", _("Not a hall of this fair."))])
    if Registration.objects.filter(fair=fair, organisation=organisation, kind=kind).exists():
        raise Conflict(_("%(org)s is already registered.") % {"org": organisation.name})
    return Registration.objects.create(
        fair=fair, organisation=organisation, kind=kind, contact=actor, hall=hall, note=note
    )


def _withdraw_registration(*, actor: User, registration: Registration) -> None:
    """Take back a registration's booth and meetings (it is being rejected)."""
    from dualcirc.fair.domain.meetings import cancel_meeting  # meetings imports this module

    ours = Meeting.objects.filter(fair_id=registration.fair_id).filter(
        Q(first=registration) | Q(second=registration)
    )
    ours.filter(status=MeetingStatus.SCHEDULED).delete()  # proposals, replaced by the next run
    for meeting in ours.filter(status=MeetingStatus.CONFIRMED).select_related(
        "slot", "first__contact", "second__contact"
    ):
        cancel_meeting(actor=actor, meeting=meeting)
    booth = Booth.objects.filter(registration=registration).first()
    if booth is not None:
        files = [doc.file for doc in booth.files.all()]
        booth.delete()

        def remove_files() -> None:
            for file in files:
                file.delete(save=False)

        transaction.on_commit(remove_files)


@transaction.atomic
def decide_registration(
    *, actor: User, registration: Registration, approve: bool, hall: Hall | None = None
) -> Registration:
    """Approve or reject a registration. An approved exhibitor gets its booth (in ``hall`` if
    given). Rejecting one that was approved withdraws what the approval gave: its booth is
    deleted (with its leads, visit counts and documents), its confirmed meetings are cancelled
    (:func:`cancel_meeting`, which e-mails the other side) and its unpublished ones dropped.
    Side effects: status, decided_at, a Booth row made or deleted, meetings cancelled, an
    e-mail to the contact person."""
    require(can_manage_fair(actor, registration.fair))
    if not approve:
        _withdraw_registration(actor=actor, registration=registration)
    registration.status = RegistrationStatus.APPROVED if approve else RegistrationStatus.REJECTED
    registration.decided_at = timezone.now()
    if hall is not None:
        registration.hall = hall
    registration.save(update_fields=["status", "decided_at", "hall"])
    if approve and registration.kind == RegistrationKind.EXHIBITOR:
        enterprise = Enterprise.objects.filter(organisation=registration.organisation).first()
        if enterprise is None:
            raise InvalidInput(_("This organisation has no enterprise profile to exhibit."))
        Booth.objects.get_or_create(registration=registration, defaults={"enterprise": enterprise})
    contact = registration.contact
    with translation.override(_language(contact)):
        subject = (
            _("Your registration for %(fair)s is approved")
            if approve
            else _("Your registration for %(fair)s was not accepted")
        ) % {"fair": registration.fair}
        transaction.on_commit(lambda: _mail(contact, subject, subject))
    return registration


@transaction.atomic
def update_booth(
    *,
    actor: User,
    booth: Booth,
    headline: str = "",
    products: Sequence[Product] = (),
    video_links: Sequence[str] = (),
    live_stream_url: str = "",
    live_starts_at: datetime | None = None,
    live_ends_at: datetime | None = None,
    documents: Sequence[dict[str, str]] = (),
    staff_on_duty: Sequence[str] = (),
) -> Booth:
    """Replace what the booth shows. Only the exhibitor's own products; links must be http(s).
    Side effects: the Booth row and its product list."""
    require(can_act_for_registration(actor, booth.registration))
    errors: list[FieldError] = []
    for i, p in enumerate(products):
        if p.enterprise_id != booth.enterprise_id:
            errors.append(FieldError("products", _("Not one of your products."), i + 1))
    for i, link in enumerate(video_links):
        try:
            _check_url(link, "video_links")
        except InvalidInput:
            errors.append(FieldError("video_links", _("Enter an http(s) link."), i + 1))
    for i, doc in enumerate(documents):
        try:
            _check_url(doc.get("url", ""), "documents")
        except InvalidInput:
            errors.append(FieldError("documents", _("Enter an http(s) link."), i + 1))
    if live_starts_at and live_ends_at and live_ends_at <= live_starts_at:
        errors.append(FieldError("live_ends_at", _("The stream must end after it starts.")))
    try:
        _check_url(live_stream_url, "live_stream_url")
    except InvalidInput as exc:
        errors += exc.errors
    if errors:
        raise InvalidInput(_("The booth is not valid."), errors)
    booth.headline = headline.strip()
    booth.video_links = list(video_links)
    booth.live_stream_url = live_stream_url
    booth.live_starts_at = live_starts_at
    booth.live_ends_at = live_ends_at
    booth.documents = [{"title": d.get("title", ""), "url": d["url"]} for d in documents]
    booth.staff_on_duty = [s.strip() for s in staff_on_duty if s.strip()]
    booth.save()
    booth.products.set(products)
    return booth


@transaction.atomic
def record_booth_visit(*, booth: Booth, visitor: User | None) -> bool:
    """Count one visit (per visitor and day; anonymous visits share one counter). The
    exhibitor's own people (whoever acts for its registration) are not visitors: their views
    are not counted. Returns whether the visit was counted.
    Side effects: a BoothVisit row created or incremented (under a lock on the booth's row,
    so that concurrent first visits of a day cannot make two rows: the unique constraint does
    not hold for anonymous rows, whose visitor is NULL)."""
    user = visitor if visitor is not None and visitor.is_authenticated else None
    if user is not None and can_act_for_registration(user, booth.registration):
        return False
    Booth.objects.select_for_update().filter(pk=booth.pk).values_list("pk", flat=True).get()
    day = timezone.localdate()
    row, _created = BoothVisit.objects.get_or_create(booth=booth, visitor=user, day=day)
    BoothVisit.objects.filter(pk=row.pk).update(count=F("count") + 1)
    # Counted as demand once committed and the page sent (never fails or slows the visit).
    after_commit_and_response(lambda: record_booth_visit_signal(booth=booth, visitor=user))
    return True


def create_lead(*, actor: User, booth: Booth, message: str) -> Lead:
    """A visitor asks the exhibitor to get in touch. Side effects: a Lead row; an e-mail to the
    exhibitor's contact person."""
    require(actor.is_authenticated and can_view_fair(actor, booth.registration.fair))
    if not message.strip():
        raise InvalidInput(_("Write a message."), [FieldError("message", _("Required."))])
    lead = Lead.objects.create(booth=booth, visitor=actor, message=message.strip())
    contact = booth.registration.contact
    with translation.override(_language(contact)):
        subject = _("A visitor left a contact request at your booth")
    transaction.on_commit(lambda: _mail(contact, subject, lead.message))
    return lead


def answer_lead(*, actor: User, lead: Lead, answer: str) -> Lead:
    """The exhibitor answers a lead. Side effects: answer fields; an e-mail to the visitor."""
    require(can_act_for_registration(actor, lead.booth.registration))
    if not answer.strip():
        raise InvalidInput(_("Write an answer."), [FieldError("answer", _("Required."))])
    lead.answer = answer.strip()
    lead.answered_by = actor
    lead.answered_at = timezone.now()
    lead.save(update_fields=["answer", "answered_by", "answered_at"])
    visitor = lead.visitor
    with translation.override(_language(visitor)):
        subject = _("%(exhibitor)s answered you") % {"exhibitor": lead.booth.enterprise}
    transaction.on_commit(lambda: _mail(visitor, subject, lead.answer))
    return lead


def _outside_fair(fair: Fair, *, starts_at: datetime, ends_at: datetime) -> list[FieldError]:
    """Field errors for a session that starts or ends on a day (in the fair's time zone)
    outside the fair's days."""
    zone = ZoneInfo(fair.time_zone)
    days = {"first": format_date(fair.starts_on), "last": format_date(fair.ends_on)}
    message = _("The fair runs from %(first)s to %(last)s (its own time zone).") % days
    return [
        FieldError(name, message)
        for name, value in (("starts_at", starts_at), ("ends_at", ends_at))
        if not fair.starts_on <= value.astimezone(zone).date() <= fair.ends_on
    ]


def create_session(
    *,
    actor: User,
    fair: Fair,
    title_zh: str,
    starts_at: datetime,
    ends_at: datetime,
    kind: str = SessionKind.ROADSHOW,
    title_en: str = "",
    description: str = "",
    speakers: Sequence[str] = (),
    speaker_enterprises: Sequence[Enterprise] = (),
    link: str = "",
    capacity: int | None = None,
    hall: Hall | None = None,
) -> Session:
    """Add a roadshow or live session. Side effects: a Session row."""
    require(can_manage_fair(actor, fair))
    errors: list[FieldError] = []
    if not title_zh.strip():
        errors.append(FieldError("title_zh", _("Give the session a Chinese title.")))
    naive = [name for name, v in (("starts_at", starts_at), ("ends_at", ends_at)) if is_naive(v)]
    for name in naive:
        errors.append(
            FieldError(name, _("Give the time with its offset or time zone (e.g. +08:00)."))
        )
    if not naive and ends_at <= starts_at:
        errors.append(FieldError("ends_at", _("The session must end after it starts.")))
    if not naive:
        errors += _outside_fair(fair, starts_at=starts_at, ends_at=ends_at)
    if capacity is not None and capacity < 1:
        errors.append(FieldError("capacity", _("At least one seat, or leave it empty.")))
    if kind not in SessionKind.values:
        errors.append(FieldError("kind", _("Unknown kind of session.")))
    if hall is not None and hall.fair_id != fair.pk:
        errors.append(FieldError("hall", _("Not a hall of this fair.")))
    try:
        _check_url(link, "link")
    except InvalidInput as exc:
        errors += exc.errors
    if errors:
        raise InvalidInput(_("The session is not valid."), errors)
    session = Session.objects.create(
        fair=fair,
        kind=kind,
        title_zh=title_zh.strip(),
        title_en=title_en.strip(),
        description=description,
        speakers=[s.strip() for s in speakers if s.strip()],
        starts_at=starts_at,
        ends_at=ends_at,
        link=link,
        capacity=capacity,
        hall=hall,
    )
    session.speaker_enterprises.set(speaker_enterprises)
    return session


@transaction.atomic
def register_for_session(*, actor: User, session: Session) -> SessionRegistration:
    """Book a seat. Raises Conflict when the session is full; booking twice returns the first
    booking. Side effects: a SessionRegistration row (the session row is locked meanwhile, so
    two last-seat bookings cannot both win)."""
    require(actor.is_authenticated and can_view_fair(actor, session.fair))
    locked = Session.objects.select_for_update().get(pk=session.pk)
    existing = SessionRegistration.objects.filter(session=locked, user=actor).first()
    if existing is not None:
        return existing
    if locked.capacity is not None and locked.attendees.count() >= locked.capacity:
        raise Conflict(_("This session is full."))
    return SessionRegistration.objects.create(session=locked, user=actor)


def session_event(session: Session, language: str) -> CalendarEvent:
    title = local_name(session, "title", language=language)
    return CalendarEvent(
        uid=f"session-{session.pk}@dualcirc",
        start=session.starts_at,
        end=session.ends_at,
        summary=title,
        description=session.description,
        url=session.link,
    )


def send_session_reminders(*, now: datetime | None = None, ahead: timedelta | None = None) -> int:
    """E-mail every registrant of a session starting within ``ahead`` (default 24 h) who has
    not been reminded, with an .ics entry in their own time zone. Returns how many were sent.
    Side effects: e-mails; reminded_at set."""
    now = now or timezone.now()
    ahead = ahead or timedelta(hours=24)
    due = SessionRegistration.objects.filter(
        reminded_at__isnull=True, session__starts_at__gt=now, session__starts_at__lte=now + ahead
    ).select_related("session", "user")
    sent = 0
    for reg in due:
        user = reg.user
        language = _language(user)
        event = session_event(reg.session, language)
        with translation.override(language):
            subject = _("Reminder: %(title)s starts at %(time)s (%(zone)s)") % {
                "title": event.summary,
                "time": format_datetime(reg.session.starts_at, zone=user.time_zone),
                "zone": user.time_zone,
            }
            body = "\n".join([subject, reg.session.link])
        ics = build_calendar([event], zone=user.time_zone)
        _mail(user, subject, body, ("session.ics", ics))
        reg.reminded_at = now
        reg.save(update_fields=["reminded_at"])
        sent += 1
    return sent
