"""``POST /api/catalog/imports``: import a catalog file (multipart ``file``).

200 with the report when the import ran (also a partial one with errors); 422
``{code, message, errors: [{row, field, message}]}`` when it was refused (an invalid row
without ``partial``, an unreadable file or header); 403 for a caller who may not import.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from dualcirc.catalog.importing import import_catalog
from dualcirc.catalog.models import Enterprise

router = Router(tags=["catalog import"])


class ImportErrorOut(Schema):
    row: int | None = None
    field: str | None
    message: str


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
    report = import_catalog(actor=request.user, file=file, partial=partial, enterprise=enterprise)
    return report.as_dict()
