"""Pages of the work behind the figures: entering figures, support cases, contacts, projects."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dualcirc.bureau.domain import cases as case_domain
from dualcirc.bureau.domain import projects as project_domain
from dualcirc.bureau.domain.figures import (
    figures_input,
    parse_month,
    prefill_figures,
    submit_figures,
)
from dualcirc.bureau.domain.figures_import import FiguresImportRejected, import_figures
from dualcirc.bureau.domain.jumps import JumpsToConfirm, describe_jump
from dualcirc.bureau.domain.reporting import collecting_month, due_date
from dualcirc.bureau.enums import CASE_TRANSITIONS, FiguresSource
from dualcirc.bureau.forms import (
    ContactForm,
    FiguresForm,
    FiguresImportForm,
    MoveCaseForm,
    OpenCaseForm,
    ProjectForm,
    RateCaseForm,
)
from dualcirc.bureau.indicators import month_label
from dualcirc.bureau.models import ChainLink, InvestmentProject, MonthlyFigures, SupportCase
from dualcirc.bureau.scopes import default_region, last_complete_month
from dualcirc.bureau.views.common import (
    flash_domain_error,
    managed_region_filter,
    managed_regions,
    show_errors,
    visible_enterprises,
)
from dualcirc.catalog.import_jobs import (
    cancel_import_job,
    import_jobs_visible_to,
    runs_in_background,
    start_figures_import_job,
)
from dualcirc.catalog.models import Enterprise, ImportJob, ImportJobKind, ImportJobState
from dualcirc.core.access import (
    can_enter_figures,
    can_manage_in_region,
    can_rate_case,
    can_use_bureau,
    can_view_case,
    editable_enterprises,
    require,
)
from dualcirc.core.errors import Conflict, DomainError

MAX_ERRORS_SHOWN = 500


# Figures --------------------------------------------------------------------------------------


@login_required
def figures_home(request: HttpRequest) -> HttpResponse:
    """An enterprise's months: what was reported, what is missing, links to enter each."""
    enterprises = list(editable_enterprises(request.user, Enterprise.objects.all())[:50])
    last = last_complete_month()
    months = [month_label(last - i) for i in range(12)]
    reported = {
        (f.enterprise_id, f"{f.month:%Y-%m}"): f
        for f in MonthlyFigures.objects.filter(enterprise__in=enterprises)
    }
    rows = [(e, [(m, reported.get((e.pk, m))) for m in months]) for e in enterprises]
    collecting = collecting_month()
    return render(
        request,
        "bureau/figures_home.html",
        {"rows": rows, "collecting": collecting, "due": due_date(collecting)},
    )


@login_required
def figures_edit(request: HttpRequest, enterprise_pk: int, month: str) -> HttpResponse:
    """Enter a month, or correct a submitted one (with the version it starts from and a
    reason); shows the month's revision history."""
    enterprise = get_object_or_404(Enterprise, pk=enterprise_pk)
    require(can_enter_figures(request.user, enterprise))
    try:
        when = parse_month(month)
    except ValueError:
        raise Http404(_("Not a month.")) from None
    existing = (
        MonthlyFigures.objects.filter(enterprise=enterprise, month=when)
        .prefetch_related("domestic", "exports")
        .first()
    )
    failure: DomainError | None = None
    jumps_to_confirm: list[str] = []
    prefilled_from: str = ""
    if request.method == "POST":
        form = FiguresForm(request.POST)
        if form.is_valid():
            try:
                result = submit_figures(
                    actor=request.user, enterprise=enterprise, month=when, data=form.figures(),
                    source=FiguresSource.FORM,
                    expected_version=form.cleaned_data.get("expected_version"),
                    reason=form.cleaned_data.get("reason") or "",
                    enforce_jumps=True,
                    confirm_jumps=form.cleaned_data.get("confirm_jumps") or False,
                    jump_explanation=form.cleaned_data.get("jump_explanation") or "",
                )  # fmt: skip
            except JumpsToConfirm as exc:
                failure, jumps_to_confirm = exc, [describe_jump(j) for j in exc.jumps]
            except DomainError as exc:
                failure = exc
                for e in exc.errors:  # a conflict without field errors is shown as ``failure``
                    form.add_error(e.field if e.field in form.fields else None, e.message)
            else:
                messages.success(
                    request,
                    {
                        "created": _("The figures for %(month)s are submitted."),
                        "corrected": _("The figures for %(month)s are corrected."),
                        "unchanged": _("Nothing changed in %(month)s."),
                    }[result.action]
                    % {"month": month},
                )
                return redirect("bureau:figures-edit", enterprise_pk=enterprise.pk, month=month)
    elif existing is not None:
        form = FiguresForm(initial=FiguresForm.initial_from(figures_input(existing),
                                                            existing.version))  # fmt: skip
    else:
        prefill, prefilled_from = prefill_figures(enterprise=enterprise, month=when)
        form = FiguresForm(initial=FiguresForm.initial_from(prefill, 0) if prefill else None)
    revisions = existing.revisions.select_related("changed_by") if existing else []
    return render(
        request,
        "bureau/figures_form.html",
        {"enterprise": enterprise, "month": month, "existing": existing, "form": form,
         "revisions": revisions, "failure": failure, "prefilled_from": prefilled_from,
         "jumps_to_confirm": jumps_to_confirm,
         "stored_jumps": [describe_jump(j) for j in existing.jumps] if existing else [],
         "due": due_date(when),
         "is_conflict": isinstance(failure, Conflict)},
        status=422 if failure is not None or form.errors else 200,
    )  # fmt: skip


@login_required
def figures_import_page(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: import, then show the report; a file over
    IMPORT_BACKGROUND_BYTES is queued instead (catalog.import_jobs.start_figures_import_job)
    and the answer is its page, with the progress panel and cancel button of the catalog's."""
    report = None
    failure: DomainError | None = None
    if request.method == "POST":
        form = FiguresImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload, options = (
                form.cleaned_data["file"],
                {
                    "correct": form.cleaned_data["correct"],
                    "reason": form.cleaned_data["reason"],
                    "partial": form.cleaned_data["partial"],
                },
            )
            try:
                if runs_in_background(upload):
                    job = start_figures_import_job(actor=request.user, file=upload, **options)
                    return redirect("bureau:figures-import-job", pk=job.pk)
                report = import_figures(actor=request.user, file=upload, **options)
            except FiguresImportRejected as exc:  # only import_figures: a job keeps its report
                report, failure = exc.report, exc
            except DomainError as exc:
                failure = exc
    else:
        form = FiguresImportForm()
    errors = (report.errors if report else failure.errors if failure else [])[:MAX_ERRORS_SHOWN]
    return render(
        request,
        "bureau/figures_import.html",
        {"form": form, "report": report, "failure": failure, "errors": errors},
        status=422 if failure is not None or form.errors else 200,
    )


def _figures_jobs(request: HttpRequest) -> QuerySet[ImportJob]:
    """The figures import jobs the user may see (catalog.import_jobs: their own, every one for
    an operator); a catalog job is not one of this page's."""
    return import_jobs_visible_to(request.user).filter(kind=ImportJobKind.FIGURES)


@login_required
def figures_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A queued figures import's page: the progress panel, which htmx refreshes until the job
    finishes, then its report or its errors. 404 for a job the user may not see."""
    job = get_object_or_404(_figures_jobs(request), pk=pk)
    report = job.report if job.state == ImportJobState.DONE else None
    return render(
        request,
        "bureau/figures_import.html",
        {
            "form": FiguresImportForm(),
            "job": job,
            "report": report,
            "errors": list((job.report or {}).get("errors", []))[:MAX_ERRORS_SHOWN],
        },
    )


@login_required
@require_POST
def figures_import_job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a queued or running figures import, then show its page; nothing is written."""
    job = get_object_or_404(_figures_jobs(request), pk=pk)
    with contextlib.suppress(DomainError):  # finished meanwhile: its page says how
        cancel_import_job(actor=request.user, job=job)
    return redirect("bureau:figures-import-job", pk=job.pk)


# Cases ----------------------------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    require(can_use_bureau(request.user))
    cases = SupportCase.objects.filter(
        enterprise__in=visible_enterprises(request.user)
    ).select_related("enterprise")
    status = request.GET.get("status", "")
    shown = cases.filter(status=status) if status else cases
    return render(
        request,
        "bureau/case_list.html",
        {"cases": shown[:300], "stats": case_domain.case_stats(cases), "status": status},
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(SupportCase.objects.select_related("enterprise__region"), pk=pk)
    require(can_view_case(request.user, case))
    manage = can_manage_in_region(request.user, case.enterprise.region)
    move_form = MoveCaseForm()
    move_form.fields["to"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
        (s, label) for s, label in move_form.fields["to"].choices  # type: ignore[attr-defined]
        if s in CASE_TRANSITIONS.get(case.status, ())
    ]  # fmt: skip
    return render(
        request,
        "bureau/case_detail.html",
        {"case": case, "events": case.events.select_related("by"), "manage": manage,
         "move_form": move_form, "rate_form": RateCaseForm(),
         "can_rate": can_rate_case(request.user, case) and case.status == "closed",
         "contacts": case.contacts.all()},
    )  # fmt: skip


@login_required
@require_POST
def case_open(request: HttpRequest, enterprise_pk: int) -> HttpResponse:
    enterprise = get_object_or_404(visible_enterprises(request.user), pk=enterprise_pk)
    form = OpenCaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what is needed and give a title."))
        return redirect("bureau:enterprise", pk=enterprise.pk)
    try:
        case = case_domain.open_case(
            actor=request.user, enterprise=enterprise, need_type=form.cleaned_data["need_type"],
            title=form.cleaned_data["title"], description=form.cleaned_data["description"],
            level=form.cleaned_data["level"] or "blue",
        )  # fmt: skip
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("bureau:enterprise", pk=enterprise.pk)
    return redirect("bureau:case", pk=case.pk)


@login_required
@require_POST
def case_move(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(SupportCase.objects.select_related("enterprise__region"), pk=pk)
    form = MoveCaseForm(request.POST)
    if form.is_valid():
        try:
            case_domain.move_case(
                actor=request.user, case=case, to=form.cleaned_data["to"],
                note=form.cleaned_data["note"], team=form.cleaned_data["team"],
                departments=[d for d in form.cleaned_data["departments"].replace("，", ",")
                             .split(",")] if form.cleaned_data["departments"] else None,
            )  # fmt: skip
        except DomainError as exc:
            flash_domain_error(request, exc)
    return redirect("bureau:case", pk=case.pk)


@login_required
@require_POST
def case_rate(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(SupportCase.objects.select_related("enterprise"), pk=pk)
    form = RateCaseForm(request.POST)
    if form.is_valid():
        try:
            case_domain.rate_case(
                actor=request.user, case=case, rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, str(exc))
    return redirect("bureau:case", pk=case.pk)


@login_required
@require_POST
def contact_add(request: HttpRequest, enterprise_pk: int) -> HttpResponse:
    enterprise = get_object_or_404(
        visible_enterprises(request.user).select_related("region"), pk=enterprise_pk
    )
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            case_domain.log_contact(actor=request.user, enterprise=enterprise, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, "; ".join(e.message for e in exc.errors) or str(exc))
    else:
        messages.error(request, _("Give the date, the department and a summary."))
    return redirect("bureau:enterprise", pk=enterprise.pk)


# Projects -------------------------------------------------------------------------------------


def _projects_for(user: object) -> QuerySet[InvestmentProject]:
    projects = InvestmentProject.objects.select_related("region", "chain_link__chain")
    return projects.filter(managed_region_filter(user, prefix="region__"))


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    require(can_use_bureau(request.user))
    return render(request, "bureau/project_list.html", {"projects": _projects_for(request.user)})


def _link(pk: int | None) -> ChainLink | None:
    return ChainLink.objects.filter(pk=pk).first() if pk else None


@login_required
def project_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Record a project in a region the user manages (an operator chooses any region), or
    change one: its fields, its stage, the departments' commitments."""
    require(can_use_bureau(request.user))
    project = get_object_or_404(_projects_for(request.user), pk=pk) if pk else None
    regions = None if project else managed_regions(request.user)
    if request.method == "POST":
        form = ProjectForm(request.POST, regions=regions)
        if form.is_valid():
            d = form.cleaned_data
            data = {k: d[k] for k in ("name", "investor", "amount", "currency", "official",
                                      "description")}  # fmt: skip
            data["chain_link"] = _link(d["chain_link"])
            try:
                if project is None:
                    project = project_domain.create_project(
                        actor=request.user, region=d["region"],
                        commitments=form.commitment_map(), **data,
                    )  # fmt: skip
                else:
                    project_domain.update_project(
                        actor=request.user, project=project, stage=d["stage"] or None,
                        note=d["note"], commitments=form.commitment_map(), **data,
                    )  # fmt: skip
                return redirect("bureau:project", pk=project.pk)
            except DomainError as exc:
                show_errors(form, exc)
    elif project is not None:
        form = ProjectForm(initial={
            "name": project.name, "investor": project.investor, "amount": project.amount,
            "currency": project.currency, "stage": project.stage,
            "chain_link": project.chain_link_id, "official": project.official,
            "description": project.description,
            "commitments": "\n".join(f"{c.department}: {c.commitment}"
                                     for c in project.commitments.all()),
        })  # fmt: skip
    else:
        form = ProjectForm(regions=regions, initial={"region": default_region(request.user)})
    return render(
        request,
        "bureau/project_form.html",
        {"form": form, "project": project,
         "changes": project.changes.select_related("by") if project else []},
        status=422 if form.errors else 200,
    )  # fmt: skip
