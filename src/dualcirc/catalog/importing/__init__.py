"""Catalog import: a factory's own spreadsheet (CSV or XLSX) → enterprises and products.

One call, :func:`import_catalog`, reads the file and maps its header
(:mod:`dualcirc.catalog.import_format`), parses every cell, checks every product with the same
rules as :func:`dualcirc.catalog.domain.check_product`, and writes everything in one transaction
with bulk inserts and updates. By default nothing is written when any row is invalid
(:class:`CatalogImportRejected` carries the report); ``partial=True`` writes the valid rows and
reports the others. Every error names the spreadsheet row (the header is row 1), the column as
written in the file's header, and the reason.

Who may import (core.access): an operator imports anything and creates missing enterprises; an
enterprise admin imports only into enterprises they administer; anyone else is refused.

Identity: an enterprise is the one with the row's credit code, else its Chinese name, else its
English name; a product is (enterprise, SKU). Columns the file has overwrite the product's
fields (an empty cell clears one); columns it lacks leave them alone. A new product is
published unless its status cell says draft; an existing product keeps its status unless its
status cell says otherwise. Re-importing the same file changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dualcirc.catalog.import_format import check_source_size, map_header, read_table
from dualcirc.catalog.importing.held import hold_rows, summarise_held
from dualcirc.catalog.importing.importer import Importer
from dualcirc.catalog.importing.report import (
    BATCH_SIZE,
    PROGRESS_EVERY,
    CatalogImportRejected,
    ImportCancelled,
    ImportReport,
    Progress,
    rejection_message,
)
from dualcirc.catalog.models import Enterprise, ImportJob
from dualcirc.core.access import can_admin_enterprise, can_import_catalog, require
from dualcirc.core.errors import Conflict

__all__ = [
    "BATCH_SIZE",
    "PROGRESS_EVERY",
    "CatalogImportRejected",
    "ImportCancelled",
    "ImportReport",
    "Progress",
    "import_catalog",
    "rejection_message",
]


def import_catalog(
    *,
    actor: Any,
    file: bytes | IO[bytes] | Path | str,
    partial: bool = False,
    enterprise: Enterprise | None = None,
    progress: Progress | None = None,
    filename: str = "",
    hold_in: ImportJob | None = None,
) -> ImportReport:
    """Import a catalog spreadsheet (CSV or XLSX); the module docstring states the rules.

    ``progress`` is told the rows read, checked and written as the import goes
    (:data:`Progress`); it stops the import by raising ImportCancelled, and nothing is written
    then.

    ``enterprise`` sends every row there (rows naming another enterprise are errors); without
    it, rows go to the enterprise their cells name, or to the actor's own enterprise when the
    file has no enterprise columns.

    Raises AccessDenied unless ``actor`` is an operator or administers an enterprise (and
    ``enterprise``, when given); InvalidInput (field ``file``) when the file is over a limit of
    the reader (size, rows: docs/operations.md; the size before anything is read), cannot be
    read, or its header is not valid; CatalogImportRejected (an InvalidInput carrying the
    report) when rows are invalid and ``partial`` is false — nothing is written then; Conflict
    when a concurrent change collides with the import (nothing is written).

    A valid row whose new enterprise has no province or city cell gets the region its credit
    code or registered name gives (catalog.divisions); when neither does, the row is held, not
    refused: kept in ``hold_in`` (the running background job) or a new import job named
    ``filename`` for the operator to confirm (catalog.importing.held; ``report.held``).

    Writes, in one transaction: new Regions, IndustrialBelts, Organisations and Enterprises as
    needed, changed enterprise profiles, new and changed products (``updated_at`` changes only
    for products whose values change). After commit, sends products_changed once with the ids
    of created and updated products and those of enterprises whose names changed.
    """
    require(can_import_catalog(actor))
    if enterprise is not None:
        require(can_admin_enterprise(actor, enterprise))
    check_source_size(file)
    table = read_table(file)
    if progress is not None:
        progress("read", len(table.rows), len(table.rows))
    columns = map_header(table.header)
    importer = Importer(
        actor=actor, table=table, columns=columns, enterprise=enterprise, progress=progress
    )
    importer.check()
    summarise_held(importer)
    report = importer.report
    if report.errors and not partial:
        raise CatalogImportRejected(report)
    writable, held = importer.writable(), importer.held()
    if writable or held:
        try:
            with transaction.atomic():
                if writable:
                    importer.write()
                if held:
                    hold_rows(
                        actor=actor, importer=importer, table=table, filename=filename, job=hold_in
                    )
        except IntegrityError as exc:
            raise Conflict(
                _("The catalog changed while the file was imported; import it again.")
            ) from exc
    return report
