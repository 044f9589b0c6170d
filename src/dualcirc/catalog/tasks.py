"""Background tasks of the catalog app: thin wrappers that take ids and call a domain function.

Run by the task worker (``dualcirc db_worker``), never inside the request that queued them.
"""

from __future__ import annotations

from django_tasks import task

from dualcirc.catalog.import_jobs import run_import_job


@task()
def run_import_job_task(job_id: int) -> str | None:
    """Run the catalog import ``job_id`` (catalog.import_jobs.run_import_job); returns its final
    state, or None when it was no longer waiting (cancelled before it started)."""
    job = run_import_job(job_id=job_id)
    return None if job is None else job.state
