"""Rows kept for the operator to confirm: a new enterprise's region that neither the file's
province/city cells, its credit code nor its registered name give.

The rest of the file is written as usual; these rows are kept as read (header and cells) in an
:class:`~dualcirc.catalog.models.ImportJob` in state ``awaiting`` — the job of a background
import, or one created for an import run in the request — with one entry per enterprise in its
report (``held``: name, credit code, row numbers, candidate divisions of an ambiguous name).
:func:`confirm_held_rows` imports them with the divisions the operator picked, all or nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.catalog.divisions import division_table
from dualcirc.catalog.import_format import Table, map_header
from dualcirc.catalog.importing.importer import Importer
from dualcirc.catalog.importing.report import CatalogImportRejected, ImportReport
from dualcirc.catalog.models import ImportJob, ImportJobState
from dualcirc.core.access import can_import_catalog, is_operator, require
from dualcirc.core.errors import Conflict, FieldError, InvalidInput


def summarise_held(importer: Importer) -> None:
    """Fill the report's ``held_rows`` and ``held`` (one entry per enterprise)."""
    table = division_table()
    entries: dict[str, dict[str, Any]] = {}
    rows = importer.held()
    for row in rows:
        assert row.target is not None
        t = row.target
        entry = entries.get(t.key)
        if entry is None:
            entry = entries[t.key] = {
                "key": t.key,
                "name_zh": t.enterprise.name_zh,
                "name_en": t.enterprise.name_en,
                "credit_code": t.enterprise.credit_code or "",
                "rows": [],
                "candidates": [
                    {"code": c, "name": table.full_name(table.by_code[c])} for c in t.candidates
                ],
            }
        entry["rows"].append(row.number)
    importer.report.held_rows = len(rows)
    importer.report.held = list(entries.values())


def hold_rows(
    *, actor: Any, importer: Importer, table: Table, filename: str, job: ImportJob | None
) -> ImportJob:
    """Keep the held rows in ``job`` (a running background job) or a new job; call inside the
    import's transaction. The job's state becomes ``awaiting`` when its run ends
    (catalog.import_jobs) — at once for a new one."""
    kept = {
        "header": list(table.header),
        "header_row": table.header_row,
        "rows": [[row.number, list(row.values)] for row in importer.held()],
    }
    report = importer.report
    if job is None:
        job = ImportJob.objects.create(
            created_by=actor,
            filename=filename[-255:] or "upload",
            state=ImportJobState.AWAITING,
            rows_total=report.rows,
            rows_read=report.rows,
            rows_checked=report.rows,
            rows_written=len(importer.writable()) if report.written else 0,
            options={"held_table": kept},
            finished_at=timezone.now(),
        )
    else:
        job.options = {**job.options, "held_table": kept}
        ImportJob.objects.filter(pk=job.pk).update(options=job.options)
    report.held_job_id = job.pk
    if job.state == ImportJobState.AWAITING:
        ImportJob.objects.filter(pk=job.pk).update(report=report.as_dict())
    return job


def read_division(text: str) -> str:
    """A division the operator typed or picked: its code (``370285``, ``370285 山东省 青岛市
    莱西市``) or a name that names one place (``莱西市``). Raises ValueError with the reason."""
    table = division_table()
    text = text.strip()
    first = text.split()[0] if text else ""
    if first.isdigit():
        found = table.real(first) if len(first) in (2, 4) else table.at_code(first)
        if found is None or (len(first) == 6 and found.code != first):
            raise ValueError(_("%(code)s is not a GB/T 2260 division code.") % {"code": first})
        return found.code
    inference = table.infer(text)
    if inference.division is None:
        if inference.candidates:
            raise ValueError(
                _("%(name)s could be several places: %(places)s.")
                % {
                    "name": text,
                    "places": "; ".join(table.full_name(d) for d in inference.candidates),
                }
            )
        raise ValueError(_("Pick a province, city or county from the list."))
    return inference.division.code


def confirm_held_rows(*, actor: Any, job: ImportJob, regions: Mapping[str, str]) -> ImportReport:
    """Import ``job``'s held rows with the division the operator gave each new enterprise
    (``regions``: enterprise key → what they typed or picked, read by :func:`read_division`).

    Raises AccessDenied unless ``actor`` may import and may see the job (its creator or an
    operator; callers look jobs up in import_jobs_visible_to: a 404); Conflict when the job
    holds no rows to confirm (already confirmed); InvalidInput naming ``region:<key>`` for each
    enterprise without a readable division; CatalogImportRejected when a held row is no longer
    valid (the catalog changed since). Nothing is written then and the job keeps its rows.

    Writes in one transaction what import_catalog writes for those rows, then the job: state
    ``done``, its report's counts added to the first run's, the held rows dropped.
    """
    require(can_import_catalog(actor))
    require(is_operator(actor) or job.created_by_id == getattr(actor, "pk", None))
    if job.state != ImportJobState.AWAITING:
        raise Conflict(_("This import has no rows waiting for a region."))
    held = (job.report or {}).get("held", [])
    codes: dict[str, str] = {}
    errors: list[FieldError] = []
    for entry in held:
        key = entry["key"]
        try:
            codes[key] = read_division(regions.get(key, ""))
        except ValueError as exc:
            errors.append(FieldError(f"region:{key}", str(exc)))
    if errors:
        raise InvalidInput(_("Give each enterprise its region."), errors)
    kept = job.options.get("held_table") or {}
    table = Table(
        header=list(kept.get("header", [])),
        header_row=int(kept.get("header_row", 1)),
        rows=[(int(n), list(values)) for n, values in kept.get("rows", [])],
    )
    importer = Importer(
        actor=actor,
        table=table,
        columns=map_header(table.header),
        enterprise=None,
        regions=codes,
    )
    importer.check()
    report = importer.report
    if report.errors or importer.held():
        raise CatalogImportRejected(report)
    try:
        with transaction.atomic():
            claimed = ImportJob.objects.filter(pk=job.pk, state=ImportJobState.AWAITING).update(
                state=ImportJobState.DONE, finished_at=timezone.now()
            )
            if not claimed:
                raise Conflict(_("This import has no rows waiting for a region."))
            importer.write()
            first = dict(job.report or {})
            for count in ("created", "updated", "unchanged", "enterprises_created"):
                first[count] = int(first.get(count, 0)) + getattr(report, count)
            first.update(held_rows=0, held=[], held_job_id=None, written=True)
            options = {k: v for k, v in job.options.items() if k != "held_table"}
            ImportJob.objects.filter(pk=job.pk).update(
                report=first,
                options=options,
                rows_written=job.rows_written + len(importer.writable()),
            )
    except IntegrityError as exc:
        raise Conflict(
            _("The catalog changed while the file was imported; import it again.")
        ) from exc
    job.refresh_from_db()
    return report
