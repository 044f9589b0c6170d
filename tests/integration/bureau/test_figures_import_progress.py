"""The bureau figures import reports its progress (rows read, checked, written) like the catalog
import, and stops with nothing written when its caller cancels it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dualcirc.bureau.domain.figures_import import import_figures
from dualcirc.bureau.models import MonthlyFigures
from dualcirc.catalog.import_jobs import (
    cancel_import_job,
    run_import_job,
    start_figures_import_job,
)
from dualcirc.catalog.importing import PROGRESS_EVERY, ImportCancelled
from tests.factories import make_enterprise
from tests.factories.api import bearer, make_enterprise_user, make_operator

pytestmark = pytest.mark.django_db

ROWS = PROGRESS_EVERY + 20


@pytest.fixture
def member():
    return make_operator()


@pytest.fixture
def big_file(tmp_path) -> Path:
    """ROWS months of two enterprises (2001 onwards: the months a bureau takes)."""
    enterprises = [make_enterprise(), make_enterprise()]
    path = tmp_path / "figures.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["credit_code", "month", "revenue", "output_value"])
        for i in range(ROWS):
            code = enterprises[i % 2].credit_code
            month = i // 2
            writer.writerow([code, f"{2001 + month // 12}-{month % 12 + 1:02d}", 1000 + i, 2000])
    return path


def test_figures_import_reports_rows_read_checked_and_written(member, big_file):
    told: list[tuple[str, int, int]] = []

    report = import_figures(actor=member, file=big_file, progress=lambda *p: told.append(p))

    assert (report.created, report.errors) == (ROWS, [])
    assert told == [
        ("read", ROWS, ROWS),
        ("checked", PROGRESS_EVERY, ROWS),
        ("checked", ROWS, ROWS),
        ("written", PROGRESS_EVERY, ROWS),
        ("written", ROWS, ROWS),
    ]


@pytest.mark.parametrize("stage", ["checked", "written"])
def test_cancelled_figures_import_writes_nothing(member, big_file, stage):
    def cancel(at: str, done: int, total: int) -> None:
        if at == stage and done == total:
            raise ImportCancelled("stopped by the user")

    with pytest.raises(ImportCancelled):
        import_figures(actor=member, file=big_file, progress=cancel)

    assert MonthlyFigures.objects.count() == 0


def test_figures_import_job_through_the_api_with_progress_and_access(member, big_file):
    client = Client()
    upload = SimpleUploadedFile("figures.csv", big_file.read_bytes(), content_type="text/csv")

    queued = client.post(
        "/api/bureau/figures/import-jobs", {"file": upload}, headers=bearer(member)
    )

    assert queued.status_code == 202, queued.content
    job_id = queued.json()["id"]
    assert (queued.json()["kind"], queued.json()["state"]) == ("figures", "queued")
    stranger = make_enterprise_user(enterprise=make_enterprise())
    assert (
        client.get(f"/api/catalog/import-jobs/{job_id}", headers=bearer(stranger)).status_code
        == 404
    )

    run_import_job(job_id=job_id)

    done = client.get(f"/api/catalog/import-jobs/{job_id}", headers=bearer(member)).json()
    assert (done["state"], done["rows_read"], done["rows_checked"], done["rows_written"]) == (
        "done",
        ROWS,
        ROWS,
        ROWS,
    )
    assert done["report"]["created"] == ROWS
    assert MonthlyFigures.objects.count() == ROWS


def test_cancelled_figures_job_writes_nothing(member, big_file):
    upload = SimpleUploadedFile("figures.csv", big_file.read_bytes(), content_type="text/csv")
    job = start_figures_import_job(actor=member, file=upload)

    cancelled = cancel_import_job(actor=member, job=job)

    assert cancelled.state == "cancelled"
    assert run_import_job(job_id=job.pk) is None
    assert MonthlyFigures.objects.count() == 0


def test_a_user_who_edits_no_figures_cannot_queue_a_figures_job(big_file):
    from dualcirc.core.access import AccessDenied
    from tests.factories.api import make_buyer

    upload = SimpleUploadedFile("figures.csv", big_file.read_bytes(), content_type="text/csv")
    with pytest.raises(AccessDenied):
        start_figures_import_job(actor=make_buyer(), file=upload)
