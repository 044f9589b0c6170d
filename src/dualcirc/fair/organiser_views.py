"""The organiser's pages: create a fair, then set it up (halls, sessions, meeting hours, rooms),
approve registrations, run the scheduler and publish the agendas. Each form is a Django form
(fair.forms) whose errors, the domain's included, are shown on its field with status 422."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dualcirc.core.access import (
    AccessDenied,
    can_manage_fair,
    can_organise_fair,
    is_operator,
    member_organisation_ids,
)
from dualcirc.core.errors import DomainError, InvalidInput
from dualcirc.core.models import Organisation
from dualcirc.fair import domain
from dualcirc.fair.domain.meetings import meeting_settings
from dualcirc.fair.enums import ORGANISER_KINDS, MeetingStatus
from dualcirc.fair.forms import FairForm, HallForm, MeetingSettingsForm, RoomForm, SessionForm
from dualcirc.fair.models import Fair
from dualcirc.fair.pages import (
    id_or_404,
    nonblank_lines,
    show_error_on_form,
    shows_errors,
    signed_in_user,
    viewable_fair,
)
from dualcirc.fair.queries import fair_stats, sessions_of

# --- organisers ----------------------------------------------------------------------------


@login_required
def fair_create(request: HttpRequest) -> HttpResponse:
    orgs = Organisation.objects.filter(
        pk__in=member_organisation_ids(request.user), kind__in=ORGANISER_KINDS
    )
    if is_operator(request.user) and not orgs:
        orgs = Organisation.objects.filter(kind__in=ORGANISER_KINDS)
    form = FairForm(request.POST or None, organisers=orgs)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                fair = domain.create_fair(actor=signed_in_user(request), **form.cleaned_data)
            except (DomainError, AccessDenied) as exc:
                show_error_on_form(form, exc)
            else:
                messages.success(request, _("The fair is created as a draft: add halls next."))
                return redirect("fair:manage", pk=fair.pk)
    return render(
        request,
        "fair/fair_form.html",
        {"orgs": orgs, "form": form, "can_organise": can_organise_fair(request.user)},
        status=status,
    )


def _manage_forms(fair: Fair, data: Any = None, action: str = "") -> dict[str, Any]:
    """The organiser's forms; the one named by ``action`` bound to ``data``."""

    def bound(name: str) -> Any:
        return data if action == name else None

    return {
        "hall_form": HallForm(bound("add_hall"), auto_id="hall_%s"),
        "room_form": RoomForm(bound("add_room"), auto_id="room_%s"),
        "session_form": SessionForm(
            bound("add_session"), zone=fair.time_zone, halls=fair.halls.all(), auto_id="session_%s"
        ),
        "settings_form": MeetingSettingsForm(
            bound("configure"), initial=meeting_settings(fair), auto_id="slots_%s"
        ),
    }


_FORM_ACTIONS = {
    "add_hall": "hall_form",
    "add_room": "room_form",
    "add_session": "session_form",
    "configure": "settings_form",
}


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    fair = viewable_fair(request, pk)
    if not can_manage_fair(request.user, fair):
        raise AccessDenied
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action and action not in _FORM_ACTIONS:
        return _manage_post(request, fair)
    forms = _manage_forms(fair, request.POST, action)
    status = 200
    if action:
        form = forms[_FORM_ACTIONS[action]]
        status = 422
        if form.is_valid():
            try:
                _manage_form_action(request, fair, action, form.cleaned_data)
            except (DomainError, AccessDenied) as exc:
                show_error_on_form(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("fair:manage", args=[fair.pk]) + f"#{action}")
    tz = ZoneInfo(fair.time_zone)
    return render(
        request,
        "fair/manage.html",
        {
            "fair": fair,
            "stats": fair_stats(fair),
            "registrations": fair.registrations.select_related("organisation", "contact", "hall"),
            "halls": fair.halls.all(),
            "rooms": fair.rooms.all(),
            "slots": [s.starts_at.astimezone(tz) for s in fair.slots.all()],
            "sessions": sessions_of(fair),
            "meetings": fair.meetings.exclude(status=MeetingStatus.CANCELLED).select_related(
                "slot", "room", "first__organisation", "second__organisation"
            ),
            "action": action,
            **forms,
        },
        status=status,
    )


def _manage_form_action(
    request: HttpRequest, fair: Fair, action: str, data: dict[str, Any]
) -> None:
    user = signed_in_user(request)
    if action == "add_hall":
        domain.add_hall(actor=user, fair=fair, **data)
    elif action == "add_room":
        domain.add_room(actor=user, fair=fair, **data)
    elif action == "add_session":
        domain.create_session(
            actor=user, fair=fair, **(data | {"speakers": nonblank_lines(data["speakers"])})
        )
    else:
        domain.configure_meetings(actor=user, fair=fair, **data)


@shows_errors
def _manage_post(request: HttpRequest, fair: Fair) -> HttpResponse:
    p = request.POST
    user = signed_in_user(request)
    action = p.get("action")
    if action == "publish_fair":
        domain.publish_fair(actor=user, fair=fair)
    elif action == "decide":
        reg = get_object_or_404(fair.registrations, pk=id_or_404(p.get("registration")))
        hall = fair.halls.filter(pk=id_or_404(p["hall"])).first() if p.get("hall") else None
        domain.decide_registration(
            actor=user, registration=reg, approve=p.get("approve") == "1", hall=hall
        )
    elif action == "run_scheduler":
        schedule = domain.run_scheduler(actor=user, fair=fair)
        messages.success(
            request,
            _("%(n)d meetings proposed (%(method)s).")
            % {"n": fair.last_run["placed"], "method": schedule.method},
        )
        return redirect("fair:manage", pk=fair.pk)
    elif action == "publish_agendas":
        n = domain.publish_agendas(actor=user, fair=fair)
        messages.success(request, _("%(n)d meetings confirmed; agendas sent.") % {"n": n})
        return redirect("fair:manage", pk=fair.pk)
    else:
        raise InvalidInput(_("Unknown action."))
    messages.success(request, _("Saved."))
    return redirect("fair:manage", pk=fair.pk)
