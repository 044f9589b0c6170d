"""What a catalog import reports: counts, problems, and the errors that stop it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from dualcirc.catalog.import_format import cap_errors
from dualcirc.core.errors import Conflict, FieldError, InvalidInput

BATCH_SIZE = 1000
PROGRESS_EVERY = 500  # rows between two progress reports

# Progress of a long import: (stage, done, total) with stage "read", "checked" or "written".
# The callback may raise ImportCancelled (or any exception) to stop the import: nothing is
# written then — checking writes nothing, and writing is one transaction.
Progress = Callable[[str, int, int], None]


class ImportCancelled(Conflict):
    """The import was stopped by its caller; nothing was written."""


@dataclass
class RowsReport:
    """What a row-by-row import wrote (``written``), or would have, and every problem it found;
    the catalog's and the figures' import reports add their own counts."""

    rows: int = 0
    errors: list[FieldError] = field(default_factory=list)
    errors_omitted: int = 0
    invalid_rows: int = 0
    warnings: list[str] = field(default_factory=list)
    written: bool = False

    def set_errors(self, errors: list[FieldError]) -> None:
        """Keep the first IMPORT_MAX_ERRORS problems and count the rest."""
        self.invalid_rows = len({e.row for e in errors if e.row is not None})
        self.errors, self.errors_omitted = cap_errors(errors)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "invalid_rows": self.invalid_rows,
            "written": self.written,
            "warnings": list(self.warnings),
            "errors": [e.as_dict() for e in self.errors],
            "errors_omitted": self.errors_omitted,
        }


@dataclass
class ImportReport(RowsReport):
    """What a catalog import wrote, or would have, and every problem it found."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    enterprises_created: int = 0
    enterprises_updated: int = 0
    # Valid rows kept for the operator to confirm their new enterprise's region
    # (catalog.importing.held): one entry per enterprise, and the import job holding them.
    held_rows: int = 0
    held: list[dict[str, Any]] = field(default_factory=list)
    held_job_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            **super().as_dict(),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "enterprises_created": self.enterprises_created,
            "enterprises_updated": self.enterprises_updated,
            "held_rows": self.held_rows,
            "held": list(self.held),
            "held_job_id": self.held_job_id,
        }


def rejection_message(*, invalid_rows: int, rows: int, errors_omitted: int) -> str:
    """Why an all-or-nothing import wrote nothing, and how many problems are not listed."""
    message = _("%(rows)d of %(total)d rows are not valid; nothing was imported.") % {
        "rows": invalid_rows,
        "total": rows,
    }
    if errors_omitted:
        message += " " + _("%(count)d more problems are not listed.") % {"count": errors_omitted}
    return message


class RowsImportRejected(InvalidInput):
    """Rows are invalid and the import was not partial: nothing was written."""

    def __init__(self, report: RowsReport) -> None:
        super().__init__(
            rejection_message(
                invalid_rows=report.invalid_rows,
                rows=report.rows,
                errors_omitted=report.errors_omitted,
            ),
            report.errors,
        )
        self.report = report


class CatalogImportRejected(RowsImportRejected):
    """Catalog rows are invalid and the import was not partial: nothing was written."""

    report: ImportReport

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report)
