"""Catalog imports run by the task worker, with their progress and a way to cancel them.

An upload over ``IMPORT_BACKGROUND_BYTES`` (docs/operations.md, "Limits") becomes an
:class:`~dualcirc.catalog.models.ImportJob`: the file is stored, the job queued
(``catalog.tasks.run_import_job_task``) and the upload page and the API poll its counts of
rows read, checked and written. Smaller files are imported in the request, as before.

Bureau figures imports (``kind="figures"``, bureau.domain.figures_import) run the same way:
``start_figures_import_job``, then the same progress, cancel and access rules.

Who sees a job: the user who started it, and operators; to anyone else it does not exist
(404). Cancelling sets a flag that the running import reads at every progress report (every
``importing.PROGRESS_EVERY`` rows checked or written, and after reading); the import then stops
with ImportCancelled and nothing is written, its writes being one transaction. A job still
waiting is cancelled at once.

While the rows are written the counts are not saved: the job row is not updated inside the
import's transaction, so that a cancel request never waits for that transaction's lock. The
number written is saved when the transaction commits (it is only true from then on).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.catalog.import_format import check_source_size, source_size
from dualcirc.catalog.importing import ImportCancelled, import_catalog
from dualcirc.catalog.models import Enterprise, ImportJob, ImportJobKind, ImportJobState
from dualcirc.core.access import (
    can_admin_enterprise,
    can_import_catalog,
    editable_enterprises,
    is_operator,
    require,
)
from dualcirc.core.errors import Conflict, DomainError, InvalidInput
from dualcirc.core.sanitize import check_length

logger = logging.getLogger(__name__)


def runs_in_background(file: UploadedFile) -> bool:
    """Uploads larger than ``settings.IMPORT_BACKGROUND_BYTES`` run as an ImportJob; smaller
    ones in the request."""
    size = source_size(file)
    return size is None or size > settings.IMPORT_BACKGROUND_BYTES


def import_jobs_visible_to(actor: Any) -> models.QuerySet[ImportJob]:
    """The jobs ``actor`` may see and cancel: their own; every job for an operator."""
    jobs = ImportJob.objects.all()
    if is_operator(actor):
        return jobs
    if not getattr(actor, "is_authenticated", False):
        return jobs.none()
    return jobs.filter(created_by=actor)


def start_import_job(
    *,
    actor: Any,
    file: UploadedFile,
    partial: bool = False,
    enterprise: Enterprise | None = None,
) -> ImportJob:
    """Store ``file`` and queue its import; returns the waiting job.

    Raises AccessDenied like import_catalog, and InvalidInput (field ``file``) when the file is
    over IMPORT_MAX_BYTES — both before anything is stored. Everything else (an unreadable file,
    invalid rows) ends up in the job's state, message and report.
    """
    require(can_import_catalog(actor))
    if enterprise is not None:
        require(can_admin_enterprise(actor, enterprise))
    check_source_size(file)
    job = ImportJob(created_by=actor, enterprise=enterprise, partial=partial)
    return _queue(job, file)


def start_figures_import_job(
    *,
    actor: Any,
    file: UploadedFile,
    correct: bool = False,
    reason: str = "",
    partial: bool = False,
) -> ImportJob:
    """Store ``file`` and queue its import as monthly figures (bureau.domain.figures_import,
    with ``correct``, ``reason`` and ``partial`` as there); returns the waiting job. Raises
    AccessDenied for a user who can edit no enterprise's figures, InvalidInput when the file
    is over IMPORT_MAX_BYTES or ``reason`` over TEXT_LIMITS["reason"]."""
    require(is_operator(actor) or editable_enterprises(actor, Enterprise.objects.all()).exists())
    too_long = check_length(reason, kind="reason", field="reason")
    if too_long is not None:
        raise InvalidInput(too_long.message, [too_long])
    check_source_size(file)
    job = ImportJob(
        created_by=actor,
        kind=ImportJobKind.FIGURES,
        partial=partial,
        options={"correct": correct, "reason": reason},
    )
    return _queue(job, file)


def _queue(job: ImportJob, file: UploadedFile) -> ImportJob:
    job.filename = (file.name or "upload")[-255:]
    job.file.save(file.name or "upload", file, save=False)
    job.save()
    job_id = job.pk

    def enqueue() -> None:
        from dualcirc.catalog.tasks import run_import_job_task

        run_import_job_task.enqueue(job_id)

    transaction.on_commit(enqueue)
    return job


def cancel_import_job(*, actor: Any, job: ImportJob) -> ImportJob:
    """Ask ``job`` to stop; a waiting job is cancelled at once, a running one at its next
    progress report. Raises AccessDenied for a job ``actor`` may not see (callers look jobs up
    in import_jobs_visible_to, so this is a 404 for them) and Conflict when it has finished."""
    require(import_jobs_visible_to(actor).filter(pk=job.pk).exists())
    now = timezone.now()
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk, state=ImportJobState.QUEUED).update(
            state=ImportJobState.CANCELLED,
            cancel_requested=True,
            finished_at=now,
            message=_("The import was cancelled; nothing was written."),
        )
        ImportJob.objects.filter(pk=job.pk, state=ImportJobState.RUNNING).update(
            cancel_requested=True
        )
    job.refresh_from_db()
    if job.state not in (ImportJobState.QUEUED, ImportJobState.RUNNING, ImportJobState.CANCELLED):
        raise Conflict(_("This import has already finished."))
    if job.state == ImportJobState.CANCELLED:
        _drop_file(job)
    return job


def run_import_job(*, job_id: int) -> ImportJob | None:
    """Run a waiting job (the task worker calls this); returns it finished, or None when it is
    no longer waiting (cancelled, finished, or running in another worker).

    A job left running longer than TASK_STALE_MINUTES is taken again: its worker died (the
    task worker hands such a task to another worker after that long, ops.worker) and its
    transaction was rolled back, so it is run from the start.

    Side effects: those of import_catalog; the job's counts as the import goes, then its final
    state, report and message; the stored file is deleted at the end.
    """
    now = timezone.now()
    abandoned = now - timedelta(minutes=settings.TASK_STALE_MINUTES)
    claimed = (
        ImportJob.objects.filter(pk=job_id)
        .filter(
            Q(state=ImportJobState.QUEUED)
            | Q(state=ImportJobState.RUNNING, started_at__lt=abandoned)
        )
        .update(state=ImportJobState.RUNNING, started_at=now)
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("created_by", "enterprise").get(pk=job_id)
    counts: dict[str, int] = {}

    def progress(stage: str, done: int, total: int) -> None:
        counts["rows_total"] = total
        counts[f"rows_{stage}"] = done
        jobs = ImportJob.objects.filter(pk=job_id)
        if stage != "written":  # writing is inside the import's transaction: see the docstring
            jobs.update(**counts)
        if jobs.filter(cancel_requested=True).exists():
            raise ImportCancelled(_("The import was cancelled; nothing was written."))

    state, report, message = ImportJobState.DONE, None, ""
    try:
        with job.file.open("rb") as file:
            report = _import(job, file, progress)
    except ImportCancelled as exc:
        state, message = ImportJobState.CANCELLED, str(exc)
        counts.pop("rows_written", None)
    except DomainError as exc:  # CatalogImportRejected, FiguresImportRejected carry a report
        state, message = ImportJobState.REJECTED, str(exc)
        rejected = getattr(exc, "report", None)
        report = (
            rejected.as_dict()
            if rejected is not None
            else {"errors": [e.as_dict() for e in exc.errors]}
        )
        counts.pop("rows_written", None)
    except Exception:
        logger.exception("catalog import job %s failed", job_id)
        state, message = ImportJobState.REJECTED, _("The import failed; nothing was written.")
        counts.pop("rows_written", None)
    if state == ImportJobState.DONE and report and report.get("held_rows"):
        state = ImportJobState.AWAITING  # catalog.importing.held: the operator confirms them
    ImportJob.objects.filter(pk=job_id).update(
        **counts, state=state, report=report, message=message, finished_at=timezone.now()
    )
    job.refresh_from_db()
    _drop_file(job)
    return job


def _import(job: ImportJob, file: Any, progress: Any) -> dict[str, Any]:
    if job.kind == ImportJobKind.FIGURES:
        # bureau builds on catalog, not the reverse: imported when a figures job runs
        from dualcirc.bureau.domain.figures_import import import_figures

        return import_figures(
            actor=job.created_by,
            file=file,
            correct=bool(job.options.get("correct", False)),
            reason=str(job.options.get("reason", "")),
            partial=job.partial,
            progress=progress,
        ).as_dict()
    return import_catalog(
        actor=job.created_by,
        file=file,
        partial=job.partial,
        enterprise=job.enterprise,
        progress=progress,
        filename=job.filename,
        hold_in=job,
    ).as_dict()


def job_as_dict(job: ImportJob) -> dict[str, Any]:
    """The job as the API answers it (catalog.api_imports.ImportJobOut)."""
    return {
        "id": job.pk,
        "kind": job.kind,
        "state": job.state,
        "filename": job.filename,
        "partial": job.partial,
        "enterprise_id": job.enterprise_id,
        "cancel_requested": job.cancel_requested,
        "rows_total": job.rows_total,
        "rows_read": job.rows_read,
        "rows_checked": job.rows_checked,
        "rows_written": job.rows_written,
        "message": job.message,
        "report": job.report
        if job.state in (ImportJobState.DONE, ImportJobState.AWAITING)
        else None,
        "errors": list((job.report or {}).get("errors", [])),
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


def _drop_file(job: ImportJob) -> None:
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
