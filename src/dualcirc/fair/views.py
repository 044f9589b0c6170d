"""Fair pages: visitors browse halls, booths and sessions; participants set wishes and
availability and read their agenda; exhibitors run their booth; organisers set up, approve,
schedule and follow the figures. Each POST calls one domain function; a domain error is shown
on the page (messages) rather than raised."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dualcirc.catalog.models import Product
from dualcirc.core.access import (
    AccessDenied,
    can_act_for_registration,
    can_create_sourcing_request,
    can_manage_fair,
    can_view_fair,
    member_organisation_ids,
)
from dualcirc.core.errors import DomainError, FieldError, InvalidInput
from dualcirc.core.models import Organisation
from dualcirc.fair import domain
from dualcirc.fair.domain.documents import record_document_open
from dualcirc.fair.domain.fairs import session_event
from dualcirc.fair.enums import (
    RegistrationKind,
    RegistrationStatus,
    Wish,
)
from dualcirc.fair.forms import (
    BoothForm,
)
from dualcirc.fair.ics import build_calendar
from dualcirc.fair.models import (
    Booth,
    BoothDocument,
    Fair,
    Hall,
    Lead,
    Meeting,
    MeetingPreference,
    Session,
    SessionRegistration,
)
from dualcirc.fair.pages import (
    nonblank_lines,
    show_error_on_form,
    shows_errors,
    signed_in_user,
    viewable_fair,
)
from dualcirc.fair.queries import (
    agenda_calendar,
    agenda_for,
    booth_stats,
    my_registrations,
    recommended_counterparts,
    sessions_of,
    user_zone,
)


def _session_fair(request: HttpRequest, pk: int) -> str:
    return reverse("fair:detail", args=[get_object_or_404(Session, pk=pk).fair_id])


def _booth_page(request: HttpRequest, pk: int) -> str:
    return reverse("fair:booth", args=[pk])


def _fair_page(request: HttpRequest, pk: int) -> str:
    return reverse("fair:detail", args=[pk])


def _meeting_agenda(request: HttpRequest, pk: int) -> str:
    return reverse("fair:agenda", args=[get_object_or_404(Meeting, pk=pk).fair_id])


def _local_datetime(value: str, zone: str, field: str) -> datetime:
    """``2025-10-24 15:00`` (or the datetime-local ``T`` form) in ``zone`` → aware."""
    try:
        naive = datetime.fromisoformat(value.strip().replace("T", " "))
    except ValueError as exc:
        raise InvalidInput(
            _("Not a date and time."), [FieldError(field, _("Write YYYY-MM-DD HH:MM."))]
        ) from exc
    return naive.replace(tzinfo=ZoneInfo(zone))


def _fmt(value: datetime, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")


# --- browsing ------------------------------------------------------------------------------


def fair_list(request: HttpRequest) -> HttpResponse:
    fairs = [f for f in Fair.objects.select_related("organiser") if can_view_fair(request.user, f)]
    return render(request, "fair/fair_list.html", {"fairs": fairs})


def fair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fair = viewable_fair(request, pk)
    user = request.user
    mine = list(my_registrations(user, fair))
    registered = {(r.organisation_id, r.kind) for r in mine}
    can_register = [
        (org, kind)
        for org in Organisation.objects.filter(pk__in=member_organisation_ids(user))
        for kind in RegistrationKind
        if (org.pk, kind) not in registered
        and org.kind == ("enterprise" if kind == RegistrationKind.EXHIBITOR else "buyer")
    ]
    booked = set(
        SessionRegistration.objects.filter(user_id=user.pk or 0, session__fair=fair).values_list(
            "session_id", flat=True
        )
    )
    return render(
        request,
        "fair/fair_detail.html",
        {
            "fair": fair,
            "halls": fair.halls.all(),
            "sessions": sessions_of(fair),
            "booked": booked,
            "mine": mine,
            "can_register": can_register,
            "can_manage": can_manage_fair(user, fair),
            "zone": user_zone(user),
        },
    )


def hall_detail(request: HttpRequest, pk: int, hall_pk: int) -> HttpResponse:
    fair = viewable_fair(request, pk)
    hall = get_object_or_404(Hall, pk=hall_pk, fair=fair)
    booths = (
        Booth.objects.filter(
            registration__hall=hall, registration__status=RegistrationStatus.APPROVED
        )
        .select_related("enterprise")
        .prefetch_related("products__images")
    )
    return render(
        request,
        "fair/hall_detail.html",
        {
            "fair": fair,
            "hall": hall,
            "booths": booths,
            "sessions": sessions_of(fair, hall=hall),
            "zone": user_zone(request.user),
        },
    )


def booth_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booth = get_object_or_404(
        Booth.objects.select_related(
            "enterprise__region", "registration__fair", "registration__hall"
        ),
        pk=pk,
    )
    fair = viewable_fair(request, booth.registration.fair_id)
    domain.record_booth_visit(booth=booth, visitor=signed_in_user(request))
    now = timezone.now()
    approved = [
        r
        for r in my_registrations(request.user, fair)
        if r.status == RegistrationStatus.APPROVED and r.kind != booth.registration.kind
    ]
    return render(
        request,
        "fair/booth_detail.html",
        {
            "fair": fair,
            "booth": booth,
            "hall": booth.registration.hall,
            "products": booth.products.select_related(
                "enterprise__region", "enterprise__belt"
            ).prefetch_related("images"),
            "files": booth.files.all(),
            "can_edit": can_act_for_registration(request.user, booth.registration),
            "meets_as": approved[0] if approved else None,
            "can_request_quote": can_create_sourcing_request(request.user),
            "is_live": bool(
                booth.live_stream_url
                and booth.live_starts_at
                and booth.live_ends_at
                and booth.live_starts_at <= now < booth.live_ends_at
            ),
            "zone": user_zone(request.user),
        },
    )


@login_required
@require_POST
@shows_errors(back=_booth_page)
def lead_create(request: HttpRequest, pk: int) -> HttpResponse:
    booth = get_object_or_404(Booth, pk=pk)
    domain.create_lead(
        actor=signed_in_user(request), booth=booth, message=request.POST.get("message", "")
    )
    messages.success(request, _("Your contact request was sent to the exhibitor."))
    return redirect("fair:booth", pk=booth.pk)


# --- participants --------------------------------------------------------------------------


@login_required
@require_POST
@shows_errors(back=_fair_page)
def register(request: HttpRequest, pk: int) -> HttpResponse:
    fair = viewable_fair(request, pk)
    org = get_object_or_404(Organisation, pk=request.POST.get("organisation"))
    domain.register_for_fair(
        actor=signed_in_user(request),
        fair=fair,
        organisation=org,
        kind=request.POST.get("kind", ""),
        note=request.POST.get("note", ""),
    )
    messages.success(request, _("Registered; the organiser will confirm."))
    return redirect("fair:detail", pk=fair.pk)


@login_required
@require_POST
@shows_errors(back=_session_fair)
def session_book(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session, pk=pk)
    domain.register_for_session(actor=signed_in_user(request), session=session)
    messages.success(request, _("Your seat is booked."))
    return redirect("fair:detail", pk=session.fair_id)


def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session, pk=pk)
    viewable_fair(request, session.fair_id)
    lang = request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "zh-hans"
    body = build_calendar([session_event(session, lang)], zone=user_zone(request.user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


@login_required
def meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """Wishes and availability of the user's approved registration(s)."""
    fair = viewable_fair(request, pk)
    zone = user_zone(request.user)
    mine = [
        r for r in my_registrations(request.user, fair) if r.status == RegistrationStatus.APPROVED
    ]
    reg = next((r for r in mine if str(r.pk) == request.GET.get("as")), mine[0] if mine else None)
    if reg is None:
        messages.info(request, _("Meetings are for approved participants."))
        return redirect("fair:detail", pk=fair.pk)
    if request.method == "POST":
        return _meetings_post(request, fair, reg, zone)
    others = (
        fair.registrations.filter(status=RegistrationStatus.APPROVED)
        .exclude(pk=reg.pk)
        .exclude(kind=reg.kind)
        .select_related("organisation")
    )
    wishes = dict(MeetingPreference.objects.filter(owner=reg).values_list("other_id", "wish"))
    tz = ZoneInfo(zone)
    return render(
        request,
        "fair/meetings.html",
        {
            "fair": fair,
            "reg": reg,
            "mine": mine,
            "others": [(o, wishes.get(o.pk, "")) for o in others],
            "wish_choices": Wish.choices,
            "recommended": recommended_counterparts(user=signed_in_user(request), registration=reg),
            "availability": "\n".join(
                f"{_fmt(a.starts_at, tz)} - {_fmt(a.ends_at, tz)}" for a in reg.availability.all()
            ),
            "zone": zone,
        },
    )


@shows_errors
def _meetings_post(request: HttpRequest, fair: Fair, reg: Any, zone: str) -> HttpResponse:
    user = signed_in_user(request)
    if "availability" in request.POST:
        intervals = []
        for i, line in enumerate(nonblank_lines(request.POST["availability"])):
            start, sep, end = line.partition(" - ")
            if not sep:
                raise InvalidInput(
                    _("The availability is not valid."),
                    [FieldError("availability", _("Write START - END on each line."), i + 1)],
                )
            intervals.append(
                (
                    _local_datetime(start, zone, "availability"),
                    _local_datetime(end, zone, "availability"),
                )
            )
        domain.set_availability(actor=user, registration=reg, intervals=intervals)
        messages.success(request, _("Availability saved."))
    else:
        other = get_object_or_404(fair.registrations, pk=request.POST.get("other"))
        domain.set_meeting_wish(actor=user, owner=reg, other=other, wish=request.POST.get("wish"))
        messages.success(request, _("Wish saved."))
    return redirect(reverse("fair:meetings", args=[fair.pk]) + f"?as={reg.pk}")


@login_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    fair = viewable_fair(request, pk)
    return render(
        request,
        "fair/agenda.html",
        {
            "fair": fair,
            "entries": agenda_for(user=request.user, fair=fair),
            "zone": user_zone(request.user),
            "now": timezone.now(),  # meetings over by now can be rated
        },
    )


@login_required
def agenda_ics(request: HttpRequest, pk: int) -> HttpResponse:
    fair = viewable_fair(request, pk)
    response = HttpResponse(
        agenda_calendar(user=request.user, fair=fair), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="agenda-{fair.pk}.ics"'
    return response


@login_required
@require_POST
@shows_errors(back=_meeting_agenda)
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("first", "second", "fair"), pk=pk)
    domain.cancel_meeting(actor=signed_in_user(request), meeting=meeting)
    messages.success(request, _("The meeting is cancelled; its slot is free again."))
    return redirect(request.POST.get("next") or reverse("fair:agenda", args=[meeting.fair_id]))


# --- exhibitors ----------------------------------------------------------------------------


def _booth_form(booth: Booth, zone: str, data: Any = None) -> BoothForm:
    tz = ZoneInfo(zone)
    initial = {
        "headline": booth.headline,
        "products": list(booth.products.values_list("pk", flat=True)),
        "video_links": "\n".join(booth.video_links),
        "live_stream_url": booth.live_stream_url,
        # datetime-local inputs show only the ISO form with a "T".
        "live_starts_at": _fmt(booth.live_starts_at, tz).replace(" ", "T")
        if booth.live_starts_at
        else "",
        "live_ends_at": _fmt(booth.live_ends_at, tz).replace(" ", "T")
        if booth.live_ends_at
        else "",
        "documents": "\n".join(f"{d['title']} | {d['url']}" for d in booth.documents),
        "staff_on_duty": "\n".join(booth.staff_on_duty),
    }
    # Only the exhibitor's own products are offered (and accepted: another id is an error).
    products = Product.objects.filter(enterprise=booth.enterprise).order_by("title_zh", "pk")
    return BoothForm(data, initial=initial, zone=zone, products=products)


@login_required
def booth_edit(request: HttpRequest, pk: int) -> HttpResponse:
    booth = get_object_or_404(
        Booth.objects.select_related("registration__fair", "enterprise"), pk=pk
    )
    if not can_act_for_registration(request.user, booth.registration):
        raise AccessDenied
    zone = user_zone(request.user)
    if request.method == "POST" and "answer" in request.POST:
        return _lead_answer(request, booth)
    form = _booth_form(booth, zone, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                domain.update_booth(
                    actor=signed_in_user(request),
                    booth=booth,
                    headline=data["headline"],
                    products=list(data["products"]),
                    video_links=nonblank_lines(data["video_links"]),
                    live_stream_url=data["live_stream_url"].strip(),
                    live_starts_at=data["live_starts_at"],
                    live_ends_at=data["live_ends_at"],
                    documents=form.document_list(),
                    staff_on_duty=nonblank_lines(data["staff_on_duty"]),
                )
            except (DomainError, AccessDenied) as exc:
                show_error_on_form(form, exc)
            else:
                messages.success(request, _("Booth saved."))
                return redirect("fair:booth-edit", pk=booth.pk)
    chosen = {str(v) for v in (form["products"].value() or [])}
    return render(
        request,
        "fair/booth_edit.html",
        {
            "booth": booth,
            "fair": booth.registration.fair,
            "form": form,
            "chosen": chosen,
            "leads": booth.leads.select_related("visitor"),
            "files": booth.files.all(),
            "stats": booth_stats(booth.registration),
            "zone": zone,
        },
        status=status,
    )


@shows_errors
def _lead_answer(request: HttpRequest, booth: Booth) -> HttpResponse:
    lead = get_object_or_404(Lead, pk=request.POST.get("lead"), booth=booth)
    domain.answer_lead(actor=signed_in_user(request), lead=lead, answer=request.POST["answer"])
    messages.success(request, _("Answer sent."))
    return redirect("fair:booth-edit", pk=booth.pk)


@login_required
@require_POST
@shows_errors(back=lambda request, pk: reverse("fair:booth-edit", args=[pk]))
def booth_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    booth = get_object_or_404(Booth.objects.select_related("registration"), pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        raise InvalidInput(_("No file was sent."), [FieldError("file", _("Choose a file."))])
    domain.add_booth_document(
        actor=signed_in_user(request),
        booth=booth,
        upload=upload,
        title=request.POST.get("title", ""),
    )
    messages.success(request, _("Document added."))
    return redirect("fair:booth-edit", pk=booth.pk)


@login_required
@require_POST
@shows_errors(back=lambda request, pk, doc_pk: reverse("fair:booth-edit", args=[pk]))
def booth_document_remove(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    document = get_object_or_404(
        BoothDocument.objects.select_related("booth__registration"), pk=doc_pk, booth_id=pk
    )
    domain.remove_booth_document(actor=signed_in_user(request), document=document)
    messages.success(request, _("Document removed."))
    return redirect("fair:booth-edit", pk=pk)


def booth_document(request: HttpRequest, pk: int, doc_pk: int) -> FileResponse:
    """A booth's document, for whoever may see the fair (inline: PDFs and images open in the
    browser; the stored content type was read from the file itself)."""
    document = get_object_or_404(
        BoothDocument.objects.select_related("booth__registration"), pk=doc_pk, booth_id=pk
    )
    viewable_fair(request, document.booth.registration.fair_id)
    record_document_open(document=document, reader=signed_in_user(request))
    response = FileResponse(
        document.file.open("rb"), filename=document.name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
