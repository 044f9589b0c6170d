"""Long catalog imports run in the task worker: progress (rows read, checked, written) on the
upload page and in the API, cancel with nothing written, and a job seen only by its owner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks import default_task_backend

from dualcirc.catalog.import_jobs import run_import_job, start_import_job
from dualcirc.catalog.importing import PROGRESS_EVERY
from dualcirc.catalog.models import Enterprise, ImportJob, ImportJobState, Product
from dualcirc.catalog.tasks import run_import_job_task
from tests.factories import make_enterprise
from tests.factories.api import bearer, make_operator
from tests.factories.catalog_import import catalog_row, make_enterprise_admin, write_csv

pytestmark = pytest.mark.django_db

ROWS = PROGRESS_EVERY + 20
API = "/api/catalog/import-jobs"
PAGE = "/en/import/"


def big_upload(tmp_path, rows: int = ROWS, **overrides: str) -> SimpleUploadedFile:
    path = write_csv(
        tmp_path / "big.csv", [catalog_row(sku=f"S{i}", **overrides) for i in range(rows)]
    )
    return SimpleUploadedFile("big.csv", path.read_bytes(), content_type="text/csv")


@pytest.fixture
def admin():
    return make_enterprise_admin(enterprise=make_enterprise(name_zh="莱西好工匠家具有限公司"))


def test_job_is_queued_then_run_by_the_task_with_its_counts(
    admin, tmp_path, django_capture_on_commit_callbacks
):
    default_task_backend.clear()  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):
        job = start_import_job(actor=admin, file=big_upload(tmp_path))

    assert job.state == ImportJobState.QUEUED and job.file.storage.exists(job.file.name)
    queued = list(default_task_backend.results)  # type: ignore[attr-defined]
    assert [(r.task.name, r.args) for r in queued] == [("run_import_job_task", [job.pk])]
    assert Product.objects.count() == 0  # nothing before the worker runs it

    assert run_import_job_task.call(job.pk) == ImportJobState.DONE

    job.refresh_from_db()
    assert (job.rows_total, job.rows_read, job.rows_checked, job.rows_written) == (ROWS,) * 4
    assert job.report is not None and (job.report["created"], job.report["written"]) == (
        ROWS,
        True,
    )
    assert Product.objects.count() == ROWS
    assert not job.file  # the stored upload is deleted once imported
    assert run_import_job(job_id=job.pk) is None  # a finished job is not run again


def test_rejected_job_keeps_its_errors_and_writes_nothing(admin, tmp_path):
    rows = [catalog_row(sku=f"S{i}") for i in range(ROWS)] + [catalog_row(sku="X", moq="-1")]
    path = write_csv(tmp_path / "bad.csv", rows)
    upload = SimpleUploadedFile("bad.csv", path.read_bytes(), content_type="text/csv")
    job = start_import_job(actor=admin, file=upload)

    run_import_job(job_id=job.pk)

    job.refresh_from_db()
    assert job.state == ImportJobState.REJECTED
    assert (job.rows_checked, job.rows_written) == (ROWS + 1, 0)
    assert [(e["row"], e["field"]) for e in job.report["errors"]] == [(ROWS + 2, "moq")]
    assert "nothing was imported" in job.message
    assert Product.objects.count() == 0


def test_cancel_while_running_stops_at_the_next_report_and_writes_nothing(
    admin, tmp_path, client: Client
):
    job = start_import_job(actor=admin, file=big_upload(tmp_path))
    client.force_login(admin)
    asked: list[int] = []

    def cancel_after_first_rows_checked(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not asked and sql.startswith("UPDATE") and "rows_checked" in sql:
            asked.append(1)  # another request, through the real page, while the import runs
            response = client.post(f"{PAGE}jobs/{job.pk}/cancel/")
            assert response.status_code == 302
        return result

    with connection.execute_wrapper(cancel_after_first_rows_checked):
        finished = run_import_job(job_id=job.pk)

    assert finished is not None and finished.state == ImportJobState.CANCELLED
    assert finished.rows_checked == PROGRESS_EVERY  # stopped at the report after the cancel
    assert finished.rows_written == 0 and finished.report is None
    assert (Product.objects.count(), Enterprise.objects.count()) == (0, 1)
    assert not finished.file


def test_cancel_while_queued_cancels_at_once_and_the_task_does_nothing(admin, tmp_path):
    job = start_import_job(actor=admin, file=big_upload(tmp_path))
    client = Client()

    response = client.post(f"{API}/{job.pk}/cancel", headers=bearer(admin))

    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["cancel_requested"]) == ("cancelled", True)
    assert run_import_job_task.call(job.pk) is None
    assert Product.objects.count() == 0
    job.refresh_from_db()
    assert not job.file


def test_api_queues_reports_progress_and_refuses_to_cancel_a_finished_job(admin, tmp_path):
    client = Client()

    response = client.post(API, {"file": big_upload(tmp_path)}, headers=bearer(admin))

    assert response.status_code == 202
    job_id = response.json()["id"]
    assert response.json()["state"] == "queued"
    ImportJob.objects.filter(pk=job_id).update(state="running", rows_total=ROWS, rows_read=ROWS)
    running = client.get(f"{API}/{job_id}", headers=bearer(admin)).json()
    assert (running["state"], running["rows_read"], running["rows_checked"]) == (
        "running",
        ROWS,
        0,
    )
    ImportJob.objects.filter(pk=job_id).update(state="queued")
    run_import_job(job_id=job_id)

    done = client.get(f"{API}/{job_id}", headers=bearer(admin)).json()
    assert (done["state"], done["rows_written"], done["report"]["created"]) == ("done", ROWS, ROWS)
    conflict = client.post(f"{API}/{job_id}/cancel", headers=bearer(admin))
    assert conflict.status_code == 409 and conflict.json()["code"] == "conflict"


def test_another_enterprise_cannot_see_or_cancel_a_job(admin, tmp_path):
    job = start_import_job(actor=admin, file=big_upload(tmp_path))
    stranger = make_enterprise_admin()
    client = Client()

    assert client.get(f"{API}/{job.pk}", headers=bearer(stranger)).status_code == 404
    assert client.post(f"{API}/{job.pk}/cancel", headers=bearer(stranger)).status_code == 404
    client.force_login(stranger)
    assert client.get(f"{PAGE}jobs/{job.pk}/").status_code == 404
    assert client.post(f"{PAGE}jobs/{job.pk}/cancel/").status_code == 404
    job.refresh_from_db()
    assert (job.state, job.cancel_requested) == (ImportJobState.QUEUED, False)
    # an operator sees every job
    assert client.get(f"{API}/{job.pk}", headers=bearer(make_operator())).status_code == 200


def test_page_queues_a_large_upload_and_polls_its_progress_panel(
    admin, tmp_path, client: Client, settings
):
    settings.IMPORT_BACKGROUND_BYTES = 1024
    client.force_login(admin)

    response = client.post(PAGE, {"file": big_upload(tmp_path)})

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{PAGE}jobs/{job.pk}/"
    waiting = client.get(response["Location"]).content.decode()
    assert f'hx-get="{PAGE}jobs/{job.pk}/"' in waiting and 'hx-select="#import-outcome"' in waiting
    assert "Cancel the import" in waiting
    assert '<td class="rows-read">0</td>' in waiting

    run_import_job(job_id=job.pk)

    finished = client.get(response["Location"]).content.decode()
    assert "hx-get" not in finished.split('id="import-outcome"')[1].split(">")[0]
    assert "Cancel the import" not in finished
    assert f'<td class="rows-written">{ROWS}</td>' in finished
    assert f'<td class="created">{ROWS}</td>' in finished


def test_page_imports_a_small_upload_within_the_request(admin, tmp_path, client: Client):
    client.force_login(admin)

    response = client.post(PAGE, {"file": big_upload(tmp_path, rows=3)})

    assert response.status_code == 200 and ImportJob.objects.count() == 0
    assert Product.objects.count() == 3


def test_a_job_whose_worker_died_is_run_again_but_not_a_live_one(admin, tmp_path, settings):
    job = start_import_job(actor=admin, file=big_upload(tmp_path))
    long_ago = timezone.now() - timedelta(minutes=settings.TASK_STALE_MINUTES + 1)
    ImportJob.objects.filter(pk=job.pk).update(state="running", started_at=timezone.now())

    assert run_import_job(job_id=job.pk) is None  # another worker has it
    assert Product.objects.count() == 0

    ImportJob.objects.filter(pk=job.pk).update(started_at=long_ago)  # that worker was killed
    finished = run_import_job(job_id=job.pk)

    assert finished is not None and finished.state == ImportJobState.DONE
    assert Product.objects.count() == ROWS
