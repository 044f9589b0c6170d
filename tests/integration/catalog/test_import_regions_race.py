"""Two operators confirming the same held rows at once: one import, the other a Conflict; the
products and the enterprise are written once. Needs PostgreSQL's row locks."""

from __future__ import annotations

import pytest
from django.db import connection

from dualcirc.catalog.importing import import_catalog
from dualcirc.catalog.importing.held import confirm_held_rows
from dualcirc.catalog.models import Enterprise, ImportJob, ImportJobState, Product
from dualcirc.core.errors import Conflict
from tests.factories.api import make_operator
from tests.factories.catalog_import import catalog_row, write_csv
from tests.factories.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL (set DATABASE_URL)")


def test_racing_confirmations_import_the_held_rows_once(tmp_path):
    operator = make_operator()
    rows = [
        catalog_row(enterprise="好工匠家具有限公司", province="", city="", sku=f"B{n}")
        for n in range(1, 6)
    ]
    path = write_csv(tmp_path / "c.csv", rows)
    job_id = import_catalog(actor=operator, file=path).held_job_id
    key = ImportJob.objects.get(pk=job_id).report["held"][0]["key"]

    def confirm() -> str:
        job = ImportJob.objects.get(pk=job_id)
        try:
            confirm_held_rows(actor=operator, job=job, regions={key: "莱西市"})
        except Conflict:
            return "conflict"
        return "done"

    outcomes = race(*([confirm] * 4))

    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "done"], outcomes
    assert Enterprise.objects.filter(name_zh="好工匠家具有限公司").count() == 1
    assert Product.objects.count() == 5
    assert ImportJob.objects.get(pk=job_id).state == ImportJobState.DONE
