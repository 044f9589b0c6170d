"""The bureau's side of monthly reporting: who reported a month and who did not, and the
review of one enterprise's month (return for correction, accept)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dualcirc.bureau.domain.figures import parse_month
from dualcirc.bureau.domain.jumps import describe_jump
from dualcirc.bureau.domain.reporting import (
    REPORTING_STATES,
    accept_figures,
    reporting_coverage,
    reporting_rows,
    return_figures,
)
from dualcirc.bureau.enums import FIGURES_REVIEW_MOVES, FiguresStatus
from dualcirc.bureau.forms import AcceptFiguresForm, ReturnFiguresForm
from dualcirc.bureau.models import MonthlyFigures
from dualcirc.bureau.queries import month_date
from dualcirc.bureau.views.common import (
    bad_scope_is_400,
    flash_domain_error,
    managed_region_filter,
    scope_and_period,
)
from dualcirc.bureau.views.pages import picker_form
from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import can_use_bureau, require
from dualcirc.core.errors import DomainError


@login_required
@bad_scope_is_400
def reporting_overview(request: HttpRequest) -> HttpResponse:
    """The picked scope's enterprises expected to report the period's last month, with what
    each sent (or ``missing``); ``?state=missing`` lists only those that did not report."""
    require(can_use_bureau(request.user))
    scope, kind, anchor = scope_and_period(request)
    month = month_date(anchor)
    state = request.GET.get("state", "")
    if state not in REPORTING_STATES:
        state = ""
    rows = reporting_rows(enterprises=scope.enterprises, month=month, state=state)
    query = request.GET.copy()
    query.pop("state", None)
    return render(
        request,
        "bureau/reporting.html",
        {"scope": scope, "month": month, "rows": rows, "state": state,
         "coverage": reporting_coverage(enterprises=scope.enterprises, month=month),
         "states": [("missing", _("Not reported")), *FiguresStatus.choices],
         "query": query.urlencode(), "form": picker_form(request, scope, kind, anchor)},
    )  # fmt: skip


def _reviewed_figures(request: HttpRequest, enterprise_pk: int, month: str) -> MonthlyFigures:
    """The month of an enterprise in a region the user manages; 404 for any other."""
    require(can_use_bureau(request.user))
    enterprise = get_object_or_404(
        Enterprise.objects.filter(managed_region_filter(request.user, prefix="region__"))
        .select_related("region"),
        pk=enterprise_pk,
    )  # fmt: skip
    try:
        when = parse_month(month)
    except ValueError:
        raise Http404(_("Not a month.")) from None
    figures = get_object_or_404(
        MonthlyFigures.objects.prefetch_related("domestic", "exports"),
        enterprise=enterprise, month=when,
    )  # fmt: skip
    figures.enterprise = enterprise
    return figures


@login_required
def figures_review(request: HttpRequest, enterprise_pk: int, month: str) -> HttpResponse:
    """An official's view of a month: the figures, their jumps and the enterprise's
    explanation, the history, and the forms to return or accept it."""
    figures = _reviewed_figures(request, enterprise_pk, month)
    moves = FIGURES_REVIEW_MOVES.get(figures.status, ())
    return render(
        request,
        "bureau/figures_review.html",
        {"figures": figures, "enterprise": figures.enterprise, "month": month,
         "jumps": [describe_jump(j) for j in figures.jumps],
         "revisions": figures.revisions.select_related("changed_by"),
         "can_return": FiguresStatus.RETURNED in moves,
         "can_accept": FiguresStatus.ACCEPTED in moves,
         "return_form": ReturnFiguresForm(initial={"expected_version": figures.version}),
         "accept_form": AcceptFiguresForm(initial={"expected_version": figures.version})},
    )  # fmt: skip


@login_required
@require_POST
def figures_return(request: HttpRequest, enterprise_pk: int, month: str) -> HttpResponse:
    figures = _reviewed_figures(request, enterprise_pk, month)
    form = ReturnFiguresForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the enterprise must correct."))
    else:
        try:
            return_figures(
                actor=request.user, figures=figures, reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data.get("expected_version"),
            )  # fmt: skip
        except DomainError as exc:
            flash_domain_error(request, exc)
        else:
            messages.success(request, _("The figures are returned to the enterprise."))
    return redirect("bureau:figures-review", enterprise_pk=enterprise_pk, month=month)


@login_required
@require_POST
def figures_accept(request: HttpRequest, enterprise_pk: int, month: str) -> HttpResponse:
    figures = _reviewed_figures(request, enterprise_pk, month)
    form = AcceptFiguresForm(request.POST)
    form.is_valid()
    try:
        accept_figures(
            actor=request.user, figures=figures,
            expected_version=form.cleaned_data.get("expected_version"),
        )  # fmt: skip
    except DomainError as exc:
        flash_domain_error(request, exc)
    else:
        messages.success(request, _("The figures are accepted."))
    return redirect("bureau:figures-review", enterprise_pk=enterprise_pk, month=month)
