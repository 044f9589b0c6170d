"""``POST /api/catalog/imports``: import a catalog file (multipart ``file``).

200 with the report when the import ran (also a partial one with errors); 422
``{code, message, errors: [{row, field, message}]}`` when it was refused (an invalid row
without ``partial``, an unreadable file or header); 403 for a caller who may not import.

``POST /api/catalog/import-jobs`` queues the same import in the task worker (202 with the job);
``GET /api/catalog/import-jobs/{id}`` tells its state and rows read, checked and written, and
``POST /api/catalog/import-jobs/{id}/cancel`` stops it with nothing written (409 once finished).
Rows held for their new enterprise's region (state ``awaiting``) are imported by
``POST /api/catalog/import-jobs/{id}/regions`` with a region for each.
A job is seen only by the user who started it and by operators: 404 for anyone else.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from dualcirc.catalog.import_jobs import (
    cancel_import_job,
    import_jobs_visible_to,
    job_as_dict,
    start_import_job,
)
from dualcirc.catalog.importing import import_catalog
from dualcirc.catalog.importing.held import confirm_held_rows
from dualcirc.catalog.models import Enterprise

router = Router(tags=["catalog import"])


class ImportErrorOut(Schema):
    row: int | None = None
    field: str | None
    message: str


class HeldCandidateOut(Schema):
    code: str
    name: str


class HeldEnterpriseOut(Schema):
    key: str = Field(description="Names the enterprise in POST …/regions.")
    name_zh: str
    name_en: str
    credit_code: str
    rows: list[int]
    candidates: list[HeldCandidateOut] = Field(
        description="The places an ambiguous name could be (GB/T 2260 code and full name)."
    )


class ImportReportOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int
    enterprises_created: int
    enterprises_updated: int
    invalid_rows: int
    written: bool
    warnings: list[str]
    errors: list[ImportErrorOut]
    errors_omitted: int = Field(
        0, description="Problems beyond the first DUALCIRC_IMPORT_MAX_ERRORS, counted only."
    )
    held_rows: int = Field(
        0,
        description="Valid rows of new enterprises whose region neither the file, the credit "
        "code nor the name gives: kept, not written, for the operator to confirm.",
    )
    held: list[HeldEnterpriseOut] = Field(default_factory=list)
    held_job_id: int | None = Field(
        None,
        description="The import job holding them: POST /api/catalog/import-jobs/{id}/regions.",
    )


@router.post("/catalog/imports", response=ImportReportOut, summary="Import a catalog file")
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    partial: Form[bool] = False,
    enterprise_id: Form[int | None] = None,
) -> dict[str, object]:
    """Import a CSV or XLSX catalog; ``partial`` imports the valid rows and reports the rest;
    ``enterprise_id`` sends every row to that enterprise (docs/catalog-import.md)."""
    enterprise = None
    if enterprise_id is not None:
        enterprise = get_object_or_404(Enterprise, pk=enterprise_id)
    report = import_catalog(
        actor=request.user,
        file=file,
        partial=partial,
        enterprise=enterprise,
        filename=file.name or "upload",
    )
    return report.as_dict()


class ImportJobOut(Schema):
    id: int
    kind: str = Field(description="catalog, or figures (POST /api/bureau/figures/import-jobs).")
    state: str = Field(
        description="queued, running, done, rejected, cancelled, or awaiting (rows held for "
        "the operator to confirm their enterprise's region)."
    )
    filename: str
    partial: bool
    enterprise_id: int | None
    cancel_requested: bool
    rows_total: int = Field(description="Data rows in the file, once read.")
    rows_read: int
    rows_checked: int
    rows_written: int = Field(description="Set when the import's transaction has committed.")
    message: str = Field(description="Why a rejected or cancelled import wrote nothing.")
    report: dict[str, Any] | None = Field(
        None,
        description="The report once done: ImportReportOut for a catalog, the figures "
        "import's report for figures.",
    )
    errors: list[ImportErrorOut] = Field(description="Problems found (rejected or partial).")
    created_at: datetime
    finished_at: datetime | None


@router.post(
    "/catalog/import-jobs",
    response={202: ImportJobOut},
    summary="Queue a catalog import with progress",
)
def create_import_job(
    request: HttpRequest,
    file: File[UploadedFile],
    partial: Form[bool] = False,
    enterprise_id: Form[int | None] = None,
) -> Status[Any]:
    """Store the file and import it in the background; poll the job for its progress."""
    enterprise = None
    if enterprise_id is not None:
        enterprise = get_object_or_404(Enterprise, pk=enterprise_id)
    job = start_import_job(actor=request.user, file=file, partial=partial, enterprise=enterprise)
    return Status(202, job_as_dict(job))


@router.get("/catalog/import-jobs/{job_id}", response=ImportJobOut, summary="An import's progress")
def get_import_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    job = get_object_or_404(import_jobs_visible_to(request.user), pk=job_id)
    return job_as_dict(job)


@router.post(
    "/catalog/import-jobs/{job_id}/cancel", response=ImportJobOut, summary="Cancel an import"
)
def cancel_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    """Stop a queued or running import; nothing is written. 409 when it has finished."""
    job = get_object_or_404(import_jobs_visible_to(request.user), pk=job_id)
    return job_as_dict(cancel_import_job(actor=request.user, job=job))


class ConfirmRegionsIn(Schema):
    regions: dict[str, str] = Field(
        description="Held enterprise key → GB/T 2260 division code (370285) or a place name "
        "that names one place (莱西市)."
    )


@router.post(
    "/catalog/import-jobs/{job_id}/regions",
    response=ImportJobOut,
    summary="Confirm the regions of held rows",
)
def confirm_regions(request: HttpRequest, job_id: int, data: ConfirmRegionsIn) -> dict[str, Any]:
    """Import the rows an import held, with a region for each new enterprise; all or nothing.
    422 naming ``region:<key>`` for a missing or unknown region; 409 when nothing is held."""
    job = get_object_or_404(import_jobs_visible_to(request.user), pk=job_id)
    confirm_held_rows(actor=request.user, job=job, regions=data.regions)
    job.refresh_from_db()
    return job_as_dict(job)
