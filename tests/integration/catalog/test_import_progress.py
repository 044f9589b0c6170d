"""Long imports report their progress (rows read, checked, written) and can be cancelled:
nothing is written on cancel."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from dualcirc.catalog.importing import PROGRESS_EVERY, ImportCancelled, import_catalog
from dualcirc.catalog.models import Enterprise, Product
from tests.factories.api import make_operator
from tests.factories.catalog_import import catalog_row, write_csv

pytestmark = pytest.mark.django_db

ROWS = PROGRESS_EVERY + 20


@pytest.fixture
def big_file(tmp_path):
    return write_csv(tmp_path / "c.csv", [catalog_row(sku=f"S{i}") for i in range(ROWS)])


def test_import_reports_rows_read_checked_and_written(big_file):
    told: list[tuple[str, int, int]] = []

    report = import_catalog(
        actor=make_operator(), file=big_file, progress=lambda *p: told.append(p)
    )

    assert report.created == ROWS
    assert told == [
        ("read", ROWS, ROWS),
        ("checked", PROGRESS_EVERY, ROWS),
        ("checked", ROWS, ROWS),
        ("written", ROWS, ROWS),
    ]


@pytest.mark.parametrize("stage", ["checked", "written"])
def test_cancelled_import_writes_nothing(big_file, stage):
    def cancel(at: str, done: int, total: int) -> None:
        if at == stage:
            raise ImportCancelled("stopped by the user")

    with pytest.raises(ImportCancelled):
        import_catalog(actor=make_operator(), file=big_file, progress=cancel)

    assert (Product.objects.count(), Enterprise.objects.count()) == (0, 0)


def test_command_reports_progress_on_stderr(big_file, capsys):
    call_command("import_catalog", str(big_file), "--progress")

    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"read: {ROWS} of {ROWS} rows"
    assert err[-1] == f"written: {ROWS} of {ROWS} rows"
