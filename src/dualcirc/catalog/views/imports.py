"""The catalog import page: upload a CSV/XLSX file, see what was imported and every problem."""

from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dualcirc.catalog.divisions import division_choices
from dualcirc.catalog.import_jobs import (
    cancel_import_job,
    import_jobs_visible_to,
    runs_in_background,
    start_import_job,
)
from dualcirc.catalog.importing import CatalogImportRejected, ImportReport, import_catalog
from dualcirc.catalog.importing.held import confirm_held_rows
from dualcirc.catalog.models import Enterprise, ImportJob, ImportJobState
from dualcirc.core.access import administered_enterprises, can_import_catalog, is_operator, require
from dualcirc.core.errors import DomainError, InvalidInput
from dualcirc.core.forms import SanitizedForm

MAX_ERRORS_SHOWN = 1000


class ImportForm(SanitizedForm):
    file = forms.FileField(
        label=_("Catalog file"), help_text=_("CSV (UTF-8 or GBK) or Excel .xlsx, header in row 1")
    )
    partial = forms.BooleanField(
        label=_("Import the valid rows even if some rows have errors"), required=False
    )
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        required=False,
        empty_label=_("As named in the file"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        if is_operator(user):
            # Operators name the enterprises in the file: a list of every one would be useless.
            del self.fields["enterprise"]
            return
        field.queryset = administered_enterprises(user, Enterprise.objects.all())
        if field.queryset.count() < 2:
            del self.fields["enterprise"]


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: import, then show the report (counts and errors); a file
    over IMPORT_BACKGROUND_BYTES is queued instead and the answer is its progress page."""
    require(can_import_catalog(request.user))
    report: ImportReport | None = None
    failure: DomainError | None = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            partial = form.cleaned_data["partial"]
            enterprise = form.cleaned_data.get("enterprise")
            try:
                if runs_in_background(upload):
                    job = start_import_job(
                        actor=request.user, file=upload, partial=partial, enterprise=enterprise
                    )
                    return redirect("catalog-import-job", pk=job.pk)
                report = import_catalog(
                    actor=request.user,
                    file=upload,
                    partial=partial,
                    enterprise=enterprise,
                    filename=upload.name or "upload",
                )
                if report.held_job_id is not None:  # rows kept: their page asks for regions
                    return redirect("catalog-import-job", pk=report.held_job_id)
            except CatalogImportRejected as exc:  # only import_catalog: a job keeps its report
                report, failure = exc.report, exc
            except DomainError as exc:
                failure = exc
    else:
        form = ImportForm(user=request.user)
    errors = (report.errors if report else failure.errors if failure else [])[:MAX_ERRORS_SHOWN]
    total_errors = len(report.errors) + report.errors_omitted if report else len(errors)
    return render(
        request,
        "catalog/import.html",
        {
            "form": form,
            "report": report,
            "failure": failure,
            "errors": errors,
            "more_errors": max(0, total_errors - len(errors)),
        },
        status=422 if failure is not None or form.errors else 200,
    )


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A queued import's page: its progress panel, which htmx refreshes until it finishes, then
    its report — and the rows held for their new enterprise's region, each enterprise with a
    region picker (POST to import_job_regions). 404 for a job the user may not see
    (catalog.import_jobs)."""
    job = get_object_or_404(import_jobs_visible_to(request.user), pk=pk)
    return _render_job(request, job)


def _render_job(
    request: HttpRequest,
    job: ImportJob,
    *,
    typed: dict[str, str] | None = None,
    region_errors: dict[str, str] | None = None,
    failure: DomainError | None = None,
    status: int = 200,
) -> HttpResponse:
    report = job.report or {}
    errors = list(failure.errors if failure else report.get("errors", []))[:MAX_ERRORS_SHOWN]
    held = []
    if job.state == ImportJobState.AWAITING:
        for n, entry in enumerate(report.get("held", [])):
            held.append(
                {
                    **entry,
                    "field": f"region-{n}",
                    "value": (typed or {}).get(entry["key"], ""),
                    "error": (region_errors or {}).get(entry["key"], ""),
                }
            )
    return render(
        request,
        "catalog/import.html",
        {
            "form": ImportForm(user=request.user),
            "job": job,
            "report": report
            if job.state in (ImportJobState.DONE, ImportJobState.AWAITING)
            else None,
            "errors": errors,
            "more_errors": report.get("errors_omitted", 0) if not failure else 0,
            "held": held,
            "division_choices": division_choices() if held else [],
            "failure": failure,
        },
        status=status,
    )


@login_required
@require_POST
def import_job_regions(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the regions of the rows a job holds (catalog.importing.held): all of them or
    nothing; a missing or unknown region is shown on its enterprise (422)."""
    job = get_object_or_404(import_jobs_visible_to(request.user), pk=pk)
    keys = [entry["key"] for entry in (job.report or {}).get("held", [])]
    typed = {key: request.POST.get(f"region-{n}", "") for n, key in enumerate(keys)}
    try:
        confirm_held_rows(actor=request.user, job=job, regions=typed)
    except InvalidInput as exc:
        by_key = {
            (e.field or "").removeprefix("region:"): e.message
            for e in exc.errors
            if (e.field or "").startswith("region:")
        }
        return _render_job(
            request,
            job,
            typed=typed,
            region_errors=by_key,
            failure=None if by_key else exc,
            status=422,
        )
    except DomainError as exc:
        return _render_job(request, job, typed=typed, failure=exc, status=409)
    return redirect("catalog-import-job", pk=job.pk)


@login_required
@require_POST
def import_job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a queued or running import, then show its page; nothing is written."""
    job = get_object_or_404(import_jobs_visible_to(request.user), pk=pk)
    with contextlib.suppress(DomainError):  # finished meanwhile: its page says how
        cancel_import_job(actor=request.user, job=job)
    return redirect("catalog-import-job", pk=job.pk)
