"""A large catalog or bureau figures upload becomes an import job: the upload page's panel (the
same component on both pages) follows its progress by itself (htmx) until the report appears,
and its cancel button stops a waiting import with nothing written — in a real browser against a
real server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from dualcirc.bureau.models import MonthlyFigures
from dualcirc.catalog.import_jobs import run_import_job
from dualcirc.catalog.importing import PROGRESS_EVERY
from dualcirc.catalog.models import ImportJob, Product
from dualcirc.core.enums import Role
from tests.e2e.test_catalog_browser import sign_in
from tests.factories import make_enterprise, make_user
from tests.factories.api import make_operator
from tests.factories.catalog_import import catalog_row, write_csv

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROWS = PROGRESS_EVERY + 20


def upload(page: Any, base: str, path: Path) -> ImportJob:
    page.goto(f"{base}/en/import/")
    page.set_input_files("main input[type=file]", str(path))
    page.locator("main form[enctype='multipart/form-data'] [type=submit]").click()
    page.wait_for_url(re.compile(r"/en/import/jobs/\d+/$"))
    return ImportJob.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))


def test_progress_panel_follows_the_job_and_cancel_writes_nothing(
    page: Any, live_server: Any, tmp_path: Path, settings: Any
) -> None:
    settings.IMPORT_BACKGROUND_BYTES = 1024
    enterprise = make_enterprise(name_zh="莱西好工匠家具有限公司")
    make_user(username="carpenter", organisation=enterprise.organisation, role=Role.ADMIN)
    path = write_csv(tmp_path / "big.csv", [catalog_row(sku=f"S{i}") for i in range(ROWS)])
    base = live_server.url
    sign_in(page, base, "carpenter")

    job = upload(page, base, path)
    panel = page.locator("#import-outcome")
    assert panel.locator(".state").inner_text() == "Waiting"
    assert panel.get_by_role("button", name="Cancel the import").is_visible()

    run_import_job(job_id=job.pk)  # the task worker's part

    # no reload: the panel refreshes itself until the job is done, then stops
    expect(panel.locator(".state")).to_have_text("Done")
    assert panel.locator("td.rows-written").inner_text() == str(ROWS)
    assert panel.locator("td.created").inner_text() == str(ROWS)
    assert panel.get_by_role("button", name="Cancel the import").count() == 0
    assert panel.get_attribute("hx-get") is None
    assert Product.objects.count() == ROWS

    more = [catalog_row(sku=f"NEW-{i}") for i in range(20)]
    second = upload(page, base, write_csv(tmp_path / "more.csv", more))
    assert second.pk != job.pk
    page.get_by_role("button", name="Cancel the import").click()
    page.wait_for_load_state()

    assert page.locator("#import-outcome .state").inner_text() == "Cancelled"
    assert "nothing was written" in page.inner_text("#import-outcome")
    assert run_import_job(job_id=second.pk) is None
    assert not Product.objects.filter(sku__startswith="NEW-").exists()


def _figures_file(path: Path, rows: int, first_year: int) -> Path:
    enterprises = [make_enterprise(), make_enterprise()]
    lines = ["credit_code,month,revenue,output_value"]
    for i in range(rows):
        month = i // 2
        lines.append(
            f"{enterprises[i % 2].credit_code},{first_year + month // 12}-{month % 12 + 1:02d},"
            f"{1000 + i},2000"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def upload_figures(page: Any, base: str, path: Path) -> ImportJob:
    page.goto(f"{base}/en/bureau/figures/import/")
    page.set_input_files("main input[type=file]", str(path))
    page.locator("main form[enctype='multipart/form-data'] [type=submit]").click()
    page.wait_for_url(re.compile(r"/en/bureau/figures/import/jobs/\d+/$"))
    return ImportJob.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))


def test_figures_upload_page_has_the_same_progress_panel_and_cancel(
    page: Any, live_server: Any, tmp_path: Path, settings: Any
) -> None:
    settings.IMPORT_BACKGROUND_BYTES = 1024
    make_operator(username="clerk")
    base = live_server.url
    sign_in(page, base, "clerk")

    job = upload_figures(page, base, _figures_file(tmp_path / "figures.csv", ROWS, 2001))
    panel = page.locator("#import-outcome")
    assert panel.locator(".state").inner_text() == "Waiting"
    assert panel.get_by_role("button", name="Cancel the import").is_visible()

    run_import_job(job_id=job.pk)  # the task worker's part

    expect(panel.locator(".state")).to_have_text("Done")
    assert panel.locator("td.rows-written").inner_text() == str(ROWS)
    assert f"{ROWS} months submitted" in panel.inner_text()
    assert panel.get_attribute("hx-get") is None
    assert MonthlyFigures.objects.count() == ROWS

    second = upload_figures(page, base, _figures_file(tmp_path / "more.csv", 40, 2030))
    page.get_by_role("button", name="Cancel the import").click()
    page.wait_for_load_state()

    assert page.locator("#import-outcome .state").inner_text() == "Cancelled"
    assert "nothing was written" in page.inner_text("#import-outcome")
    assert run_import_job(job_id=second.pk) is None
    assert MonthlyFigures.objects.count() == ROWS
