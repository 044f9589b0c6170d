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
from dualcirc.catalog.models import ImportJob
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


PAGE = "/en/bureau/figures/import/"


def _upload_on_the_page(client: Client, path: Path):
    with path.open("rb") as f:
        return client.post(PAGE, {"file": f})


def test_a_large_upload_on_the_figures_page_becomes_a_job_with_the_progress_panel(
    member, big_file, settings
):
    settings.IMPORT_BACKGROUND_BYTES = 1024
    client = Client()
    client.force_login(member)

    queued = _upload_on_the_page(client, big_file)

    job = ImportJob.objects.get()
    assert (queued.status_code, queued["Location"]) == (302, f"{PAGE}jobs/{job.pk}/")
    assert (job.kind, job.state) == ("figures", "queued")
    waiting = client.get(queued["Location"]).content.decode()
    outcome_tag = waiting.split('<div id="import-outcome"')[1].split(">")[0]
    assert f'hx-get="{PAGE}jobs/{job.pk}/"' in outcome_tag
    assert 'hx-select="#import-outcome"' in outcome_tag
    assert '<span class="state">Waiting</span>' in waiting
    assert f'action="{PAGE}jobs/{job.pk}/cancel/"' in waiting
    assert MonthlyFigures.objects.count() == 0

    run_import_job(job_id=job.pk)  # the task worker's part
    finished = client.get(queued["Location"]).content.decode()

    assert "hx-get" not in finished.split('<div id="import-outcome"')[1].split(">")[0]
    assert '<span class="state">Done</span>' in finished
    assert f'<td class="rows-written">{ROWS}</td>' in finished
    assert f"{ROWS} months submitted, 0 corrected, 0 unchanged." in finished
    assert "Cancel the import" not in finished
    assert MonthlyFigures.objects.count() == ROWS


def test_cancelling_on_the_figures_page_writes_nothing(member, big_file, settings):
    settings.IMPORT_BACKGROUND_BYTES = 1024
    client = Client()
    client.force_login(member)
    job_page = _upload_on_the_page(client, big_file)["Location"]

    cancelled = client.post(f"{job_page}cancel/", follow=True)

    html = cancelled.content.decode()
    assert '<span class="state">Cancelled</span>' in html
    assert "The import was cancelled; nothing was written." in html
    assert run_import_job(job_id=ImportJob.objects.get().pk) is None
    assert MonthlyFigures.objects.count() == 0


def test_figures_job_pages_are_404_to_others_and_for_catalog_jobs(member, big_file, settings):
    settings.IMPORT_BACKGROUND_BYTES = 1024
    owner = Client()
    owner.force_login(member)
    job_page = _upload_on_the_page(owner, big_file)["Location"]
    stranger = Client()
    stranger.force_login(make_enterprise_user(enterprise=make_enterprise()))
    catalog_job = ImportJob.objects.create(created_by=member, filename="c.csv")

    assert stranger.get(job_page).status_code == 404
    assert stranger.post(f"{job_page}cancel/").status_code == 404
    assert owner.get(f"{PAGE}jobs/{catalog_job.pk}/").status_code == 404
    assert ImportJob.objects.get(kind="figures").state == "queued"


def test_a_small_upload_on_the_figures_page_is_still_imported_at_once(member, tmp_path):
    enterprise = make_enterprise()
    path = tmp_path / "small.csv"
    path.write_text(f"credit_code,month,revenue\n{enterprise.credit_code},2024-01,1000\n")
    client = Client()
    client.force_login(member)

    response = _upload_on_the_page(client, path)

    assert response.status_code == 200
    assert "1 months submitted, 0 corrected, 0 unchanged." in response.content.decode()
    assert ImportJob.objects.count() == 0
