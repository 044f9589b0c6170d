"""Pages of meeting outcomes: a side rates a held meeting; an exhibitor reads and exports its
scored leads; the organiser reads the fair's funnel. Each POST calls one domain function; a
meeting, leads or a funnel the reader has no part in is a 404 (its existence is not told)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.bureau.charts import Chart
from dualcirc.core.access import AccessDenied, can_manage_fair
from dualcirc.core.csvfiles import csv_bytes, xlsx_bytes
from dualcirc.core.errors import DomainError
from dualcirc.deals.models import Order
from dualcirc.fair import domain
from dualcirc.fair.domain.outcomes import meeting_held
from dualcirc.fair.enums import MeetingResult, PromptStage
from dualcirc.fair.forms import MeetingOutcomeForm
from dualcirc.fair.models import Meeting, MeetingOutcome
from dualcirc.fair.outcome_queries import (
    CAPS,
    POINTS,
    RESULT_POINTS,
    Funnel,
    exhibitor_registrations,
    fair_funnel,
    lead_scores,
    lead_table,
    meeting_with_side,
)
from dualcirc.fair.pages import show_error_on_form, signed_in_user, viewable_fair
from dualcirc.l10n import format_number
from dualcirc.l10n.amounts import format_amount
from dualcirc.l10n.money import format_money

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _orders_between(meeting: Meeting) -> Any:
    orgs = [meeting.first.organisation_id, meeting.second.organisation_id]
    return Order.objects.filter(
        Q(buyer_id=orgs[0], supplier__organisation_id=orgs[1])
        | Q(buyer_id=orgs[1], supplier__organisation_id=orgs[0])
    ).order_by("-created_at")


@login_required
def meeting_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Rate a held meeting and say what followed (the form the prompts link to)."""
    found = meeting_with_side(request.user, pk)
    if found is None:
        raise Http404  # only the two sides see that the meeting exists
    meeting, side = found
    other = meeting.other_side(side.pk)
    current = (
        MeetingOutcome.objects.select_related("order")
        .filter(meeting=meeting, registration=side)
        .first()
    )
    stage = request.GET.get("stage", "")
    initial: dict[str, Any] = {"stage": stage if stage in PromptStage.values else ""}
    if current is not None:
        initial |= {
            "rating": current.rating,
            "result": current.result,
            "order": current.order_id,
            "order_value": current.order_value,
            "order_currency": current.order_currency or "CNY",
            "note": current.note,
        }
    orders = _orders_between(meeting)
    form = MeetingOutcomeForm(
        request.POST if request.method == "POST" else None, initial=initial, orders=orders
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                domain.rate_meeting(
                    actor=signed_in_user(request),
                    meeting=meeting,
                    rating=data["rating"],
                    result=data["result"],
                    order=data["order"],
                    order_value=data["order_value"],
                    order_currency=data["order_currency"] if data["order_value"] else "",
                    note=data["note"],
                    stage=data["stage"],
                )
            except (DomainError, AccessDenied) as exc:
                show_error_on_form(form, exc)
            else:
                messages.success(request, _("Thank you: your rating is saved."))
                return redirect("fair:meeting-outcome", pk=meeting.pk)
    history = current.history.select_related("order") if current is not None else []
    return render(
        request,
        "fair/meeting_outcome.html",
        {
            "fair": meeting.fair,
            "meeting": meeting,
            "side": side,
            "other": other,
            "held": meeting_held(meeting),
            "form": form,
            "current": current,
            "history": history,
        },
        status=status,
    )


# --- leads --------------------------------------------------------------------------------


def _leads_registration(request: HttpRequest, pk: int) -> Any:
    fair = viewable_fair(request, pk)
    mine = exhibitor_registrations(request.user, fair)
    reg = next((r for r in mine if str(r.pk) == request.GET.get("as")), mine[0] if mine else None)
    if reg is None:
        raise Http404
    return fair, mine, reg


@login_required
def leads(request: HttpRequest, pk: int) -> HttpResponse:
    """The exhibitor's leads at a fair, scored and sortable; ``?format=csv|xlsx`` exports."""
    fair, mine, reg = _leads_registration(request, pk)
    sort = request.GET.get("sort", "-score")
    rows = lead_scores(reg, sort=sort)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        header, table = lead_table(rows)
        name = f"leads-fair{fair.pk}-{timezone.localdate():%Y%m%d}.{fmt}"
        if fmt == "csv":
            response = HttpResponse(csv_bytes(header, table), content_type="text/csv")
        else:
            response = HttpResponse(
                xlsx_bytes(header, table, title=str(_("Leads")), first_column_width=36),
                content_type=XLSX,
            )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    columns = [
        ("name", _("Buyer")),
        ("country", _("Country")),
        ("score", _("Score")),
        ("visits", _("Booth visits")),
        ("documents", _("Documents opened")),
        ("contacts", _("Contact requests")),
        ("conversations", _("Conversations")),
        ("requests", _("Meeting requests")),
        ("meetings", _("Meetings held")),
        ("result", _("What followed")),
    ]
    current = sort.lstrip("-")
    headers = [
        {
            "key": key,
            "label": label,
            "numeric": key not in ("name", "country", "result"),
            "sorted": "descending"
            if current == key and sort.startswith("-")
            else "ascending"
            if current == key
            else "",
            # a first click sorts descending (the most first), a second ascending
            "next": key if current == key and sort.startswith("-") else f"-{key}",
        }
        for key, label in columns
    ]
    rules = [
        (_("Booth visit"), POINTS["visits"], CAPS["visits"]),
        (_("Document opened"), POINTS["documents"], CAPS["documents"]),
        (_("Contact request"), POINTS["contacts"], None),
        (_("Conversation"), POINTS["conversations"], None),
        (_("Meeting request"), POINTS["requests"], None),
        (_("Meeting held"), POINTS["meetings"], None),
    ]
    result_rules = [(MeetingResult(k).label, v) for k, v in RESULT_POINTS.items()]
    return render(
        request,
        "fair/leads.html",
        {
            "fair": fair,
            "reg": reg,
            "mine": mine,
            "leads": rows,
            "headers": headers,
            "sort": sort,
            "rules": rules,
            "result_rules": result_rules,
        },
    )


# --- the organiser's funnel ----------------------------------------------------------------


def funnel_chart(funnel: Funnel) -> Chart:
    """The funnel as the bureau's chart shape (a table, and horizontal bars drawn by
    bureau/charts.js), the orders' value in the last row's note."""
    unit = _("count")
    value = format_money(funnel.orders.value, funnel.orders.currency)
    rows = [[s.label, format_number(s.count)] for s in funnel.stages]
    rows.append([_("Value of the orders"), value])
    note = _(
        "Orders: meetings either side says led to an order; their value comes from the deals "
        "order where it was made on the platform, else from the value a side stated, "
        "converted into %(currency)s."
    ) % {"currency": funnel.orders.currency}
    if funnel.orders.unpriced:
        note += " " + _("%(n)s orders have no known value and are counted without one.") % {
            "n": funnel.orders.unpriced
        }
    return Chart(
        "funnel",
        _("From registration to order"),
        "hbar",
        str(unit),
        [_("Stage"), _("Number")],
        rows,
        {
            "categories": [s.label for s in funnel.stages],
            "unit": str(unit),
            "series": [{"name": _("Number"), "data": [s.count for s in funnel.stages]}],
        },
        note=note,
        numeric=(1,),
    )


@login_required
def funnel(request: HttpRequest, pk: int) -> HttpResponse:
    fair = viewable_fair(request, pk)
    if not can_manage_fair(request.user, fair):
        raise Http404
    result = fair_funnel(fair)
    return render(
        request,
        "fair/funnel.html",
        {
            "fair": fair,
            "funnel": result,
            "chart": funnel_chart(result),
            # 15.97万元 / CN¥159,670 as on the bureau's cards; the table keeps the exact value
            "value_text": format_amount(result.orders.value, currency=result.orders.currency)
            if result.orders.currency == "CNY"
            else format_money(result.orders.value, result.orders.currency),
            "manage_url": reverse("fair:manage", args=[fair.pk]),
        },
    )
