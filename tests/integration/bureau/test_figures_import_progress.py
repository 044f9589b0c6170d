"""The bureau figures import reports its progress (rows read, checked, written) like the catalog
import, and stops with nothing written when its caller cancels it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dualcirc.bureau.domain.figures_import import import_figures
from dualcirc.bureau.models import MonthlyFigures
from dualcirc.catalog.importing import PROGRESS_EVERY, ImportCancelled
from tests.factories import make_enterprise
from tests.factories.api import make_operator

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
