"""The task worker (`dualcirc db_worker`): retries with backoff, recovery of the tasks of a
worker that died, on the real database queue."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dualcirc.ops.worker import (
    RetryPolicy,
    requeue_abandoned_tasks,
    this_host,
    worker_identity,
)
from tests.integration.ops.worker_tasks import flaky_task

pytestmark = pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_MAX_ATTEMPTS = 5
    settings.TASK_RETRY_SECONDS = 0
    settings.TASK_STALE_MINUTES = 60


def run_worker() -> None:
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)


def dead_pid() -> int:
    """The id of a process of this machine that has exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def claim(row: DBTaskResult, worker_id: str, *, started: timedelta = timedelta(0)) -> None:
    row.claim(worker_id)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - started)


def test_a_task_that_fails_twice_then_succeeds_is_retried_until_it_does(
    database_queue, tmp_path: Path
):
    calls = tmp_path / "calls.txt"
    result = flaky_task.enqueue(str(calls), 2)

    run_worker()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 3
    assert len(row.worker_ids) == 3  # three attempts, the first two failed
    assert row.traceback == ""
    assert calls.read_text().splitlines() == ["call", "call", "call"]


def test_a_failed_task_waits_its_backoff_before_the_next_attempt(
    database_queue, settings, tmp_path: Path
):
    settings.TASK_RETRY_SECONDS = 30
    result = flaky_task.enqueue(str(tmp_path / "calls.txt"), 10)
    before = timezone.now()

    run_worker()  # the first attempt fails; the retry is not due yet, so the batch ends

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY
    assert len(row.worker_ids) == 1
    assert timedelta(seconds=29) < row.run_after - before < timedelta(seconds=40)
    assert row.exception_class_path == "tests.integration.ops.worker_tasks.Flaky"

    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())
    run_worker()

    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    assert len(row.worker_ids) == 2
    assert timedelta(seconds=59) < row.run_after - timezone.now() < timedelta(seconds=70)


def test_a_task_that_keeps_failing_stops_after_the_last_attempt(
    database_queue, settings, tmp_path: Path
):
    settings.TASK_MAX_ATTEMPTS = 3
    calls = tmp_path / "calls.txt"
    result = flaky_task.enqueue(str(calls), 10)

    run_worker()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert len(row.worker_ids) == 3
    assert len(calls.read_text().splitlines()) == 3
    assert "call 3 of a task that fails 10 times" in row.traceback


def test_retry_delays_double_up_to_an_hour():
    policy = RetryPolicy(max_attempts=20, base_seconds=30)

    delays = [policy.delay(n).total_seconds() for n in (1, 2, 3, 4, 8, 12)]

    assert delays == [30, 60, 120, 240, 3600, 3600]


def test_a_task_left_running_by_a_dead_worker_is_picked_up_again(database_queue, tmp_path: Path):
    calls = tmp_path / "calls.txt"
    result = flaky_task.enqueue(str(calls), 0)
    row = DBTaskResult.objects.get(pk=result.id)
    host = this_host()
    claim(row, f"{host}:{dead_pid()}:killed9x")  # the worker was killed in the middle

    run_worker()

    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 1
    assert len(row.worker_ids) == 2  # the dead worker's attempt, then this one's
    assert row.worker_ids[0].endswith(":killed9x")
    assert row.worker_ids[1].startswith(f"{host}:")


def test_a_task_running_on_a_live_worker_is_left_alone(database_queue, tmp_path: Path):
    result = flaky_task.enqueue(str(tmp_path / "calls.txt"), 0)
    row = DBTaskResult.objects.get(pk=result.id)
    claim(row, worker_identity())  # this very process: alive

    assert requeue_abandoned_tasks() == 0

    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING


def test_a_task_of_another_machine_is_recovered_only_once_it_is_stale(
    database_queue, tmp_path: Path
):
    fresh = DBTaskResult.objects.get(pk=flaky_task.enqueue(str(tmp_path / "a"), 0).id)
    stale = DBTaskResult.objects.get(pk=flaky_task.enqueue(str(tmp_path / "b"), 0).id)
    claim(fresh, "elsewhere:4242:abcdefgh", started=timedelta(minutes=5))
    claim(stale, "elsewhere:4243:abcdefgh", started=timedelta(minutes=61))

    assert requeue_abandoned_tasks() == 1

    fresh.refresh_from_db()
    stale.refresh_from_db()
    assert (fresh.status, stale.status) == (TaskResultStatus.RUNNING, TaskResultStatus.READY)


def test_a_task_that_lost_its_worker_on_its_last_attempt_is_failed(
    database_queue, settings, tmp_path: Path
):
    settings.TASK_MAX_ATTEMPTS = 1
    row = DBTaskResult.objects.get(pk=flaky_task.enqueue(str(tmp_path / "calls"), 0).id)
    host = this_host()
    claim(row, f"{host}:{dead_pid()}:killed9x")

    assert requeue_abandoned_tasks() == 0

    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "dualcirc.ops.worker.WorkerLost"
    assert not (tmp_path / "calls").exists()
