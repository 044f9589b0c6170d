"""The background task worker: django_tasks_db's database worker, made fit for production.

``dualcirc db_worker`` (ops/management/commands/db_worker.py) runs :class:`TaskWorker`, which
adds three things to django_tasks_db 0.13 (which has none of them):

- **Retries with backoff.** A task that raises is put back in the queue (same row, status
  READY, ``run_after`` = now + ``TASK_RETRY_SECONDS`` × 2^(attempt − 1), at most an hour) until
  it has been tried ``TASK_MAX_ATTEMPTS`` times; then it stays FAILED. The attempts are the
  row's ``worker_ids`` (one per claim), so they are counted by django-tasks itself
  (``TaskResult.attempts``). Every task of the project is idempotent, so running one again
  is always safe.
- **Recovery of abandoned tasks.** A worker killed in the middle of a task (kill -9, a crash,
  a lost machine) leaves its row RUNNING for ever. At start, and every ``RECOVERY_PERIOD``
  seconds, the worker re-queues each RUNNING task whose worker is gone: a worker of this
  machine whose process no longer exists (or is a newer process with the same id), or, on any
  machine, a task running for longer than ``TASK_STALE_MINUTES``. A task abandoned on its last
  attempt is marked FAILED instead, so a task that kills its worker cannot loop for ever.
- **Database outages.** When the database goes away (a PostgreSQL restart), the worker logs
  it, waits and carries on, instead of exiting; the task it was running is re-queued.

Worker ids are ``host:pid:random``, which is what lets a worker tell a dead one of its own
machine from a live one.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 3600
RECOVERY_PERIOD = 60  # seconds between two looks for abandoned tasks
OUTAGE_PAUSE = 2.0  # seconds to wait after losing the database before trying again


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how late a failed task is tried again."""

    max_attempts: int
    base_seconds: int

    @classmethod
    def from_settings(cls) -> RetryPolicy:
        return cls(
            max_attempts=int(getattr(settings, "TASK_MAX_ATTEMPTS", 5)),
            base_seconds=int(getattr(settings, "TASK_RETRY_SECONDS", 30)),
        )

    def delay(self, attempts: int) -> timedelta:
        """The wait before the next try, after ``attempts`` tries (1, 2, …) failed."""
        seconds = self.base_seconds * 2 ** max(attempts - 1, 0)
        return timedelta(seconds=min(seconds, MAX_BACKOFF_SECONDS))


def this_host() -> str:
    """This machine's name as worker ids carry it."""
    return socket.gethostname().split(".")[0][:40] or "localhost"


def worker_identity() -> str:
    """A new worker id: ``host:pid:random`` (django_tasks_db allows 64 characters)."""
    return f"{this_host()}:{os.getpid()}:{get_random_string(8)}"


def lower_priority(nice: int) -> int:
    """Lower this process's CPU priority by ``nice`` (0: unchanged); returns the new niceness.

    The worker's heaviest work is embedding passages for the search index: on a machine shared
    with web processes it should take the CPU they leave, never the other way round.
    """
    if nice <= 0 or not hasattr(os, "nice"):
        return 0
    niceness = os.nice(nice)
    log.info("Task worker runs at niceness %d", niceness)
    return niceness


def _process_start(pid: int) -> float | None:
    """When process ``pid`` started (a Unix time), or None where /proc cannot tell."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
        ticks = int(stat.rpartition(")")[2].split()[19])  # field 22: start time, clock ticks
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def process_is_alive(pid: int, *, since: datetime | None = None) -> bool:
    """Whether process ``pid`` exists on this machine and, when ``since`` is given, had already
    started by then (a newer process that reused the number is not the one we look for)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    if since is not None:
        started = _process_start(pid)
        if started is not None and started > since.timestamp() + 1:
            return False
    return True


def is_abandoned(
    worker_id: str,
    started_at: datetime | None,
    *,
    now: datetime,
    stale_after: timedelta,
    own_worker_id: str = "",
) -> bool:
    """Whether a task RUNNING under ``worker_id`` since ``started_at`` has lost its worker.

    ``own_worker_id``: the asking worker, which knows it runs nothing at the time it asks.
    """
    if started_at is None or now - started_at > stale_after:
        return True
    if own_worker_id and worker_id == own_worker_id:
        return True
    host, _sep, rest = worker_id.partition(":")
    pid, _sep, _suffix = rest.partition(":")
    if host != this_host() or not pid.isdigit():
        return False  # another machine's (or an older kind of) id: only the age rule applies
    return not process_is_alive(int(pid), since=started_at)


def schedule_retry(
    result: DBTaskResult, *, policy: RetryPolicy | None = None, now: datetime | None = None
) -> datetime | None:
    """Put a FAILED task back in the queue when it has attempts left; returns when it will run
    again, or None when it has had its ``max_attempts`` and stays FAILED.

    Side effects: the row's status → READY, ``run_after`` → the backoff time, ``finished_at``
    cleared (the last error's traceback is kept until an attempt succeeds). Logged either way.
    """
    policy = policy or RetryPolicy.from_settings()
    now = now or timezone.now()
    attempts = len(result.worker_ids)
    if attempts >= policy.max_attempts:
        log.error(
            "Task %s (%s) failed on attempt %d of %d: giving up (%s)",
            result.id,
            result.task_path,
            attempts,
            policy.max_attempts,
            result.exception_class_path,
        )
        return None
    run_after = now + policy.delay(attempts)
    updated = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=run_after, finished_at=None
    )
    if not updated:
        return None
    log.warning(
        "Task %s (%s) failed on attempt %d of %d (%s); retrying at %s",
        result.id,
        result.task_path,
        attempts,
        policy.max_attempts,
        result.exception_class_path,
        run_after.isoformat(timespec="seconds"),
    )
    return run_after


def requeue_abandoned_tasks(
    *,
    now: datetime | None = None,
    own_worker_id: str = "",
    policy: RetryPolicy | None = None,
) -> int:
    """Re-queue every RUNNING task whose worker is gone (see :func:`is_abandoned`); returns how
    many were re-queued. One abandoned on its last attempt is marked FAILED instead.

    Side effects: those rows' status → READY (``run_after`` now) or FAILED. Safe with several
    workers asking at once: a row is changed only while it is still the run that was judged.
    """
    now = now or timezone.now()
    policy = policy or RetryPolicy.from_settings()
    stale_after = timedelta(minutes=int(getattr(settings, "TASK_STALE_MINUTES", 60)))
    requeued = 0
    running = DBTaskResult.objects.running().values_list(
        "pk", "task_path", "worker_ids", "started_at"
    )
    for pk, task_path, worker_ids, started_at in running:
        last = worker_ids[-1] if worker_ids else ""
        if not is_abandoned(
            last, started_at, now=now, stale_after=stale_after, own_worker_id=own_worker_id
        ):
            continue
        same_run = DBTaskResult.objects.filter(
            pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
        )
        if len(worker_ids) >= policy.max_attempts:
            same_run.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="dualcirc.ops.worker.WorkerLost",
                traceback=f"The worker {last} stopped while running this task "
                f"(attempt {len(worker_ids)} of {policy.max_attempts}).",
            )
            log.error("Task %s (%s) lost its worker %s: giving up", pk, task_path, last)
            continue
        if same_run.update(status=TaskResultStatus.READY, run_after=now, finished_at=None):
            requeued += 1
            log.warning("Task %s (%s) lost its worker %s: queued again", pk, task_path, last)
    return requeued


class TaskWorker(Worker):
    """django_tasks_db's worker with retries, recovery of abandoned tasks, and patience with
    database outages (see the module's docstring). Takes the same arguments."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("worker_id", worker_identity())
        super().__init__(**kwargs)
        self.policy = RetryPolicy.from_settings()
        self._stop_recovery = threading.Event()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == TaskResultStatus.FAILED:
            schedule_retry(db_task_result, policy=self.policy)

    def recover(self) -> int:
        """Re-queue abandoned tasks now; a database error is logged, not raised."""
        try:
            return requeue_abandoned_tasks(policy=self.policy)
        except (OperationalError, InterfaceError) as exc:
            log.warning("Could not look for abandoned tasks: %s", exc)
            return 0

    def _recovery_loop(self) -> None:
        while not self._stop_recovery.wait(RECOVERY_PERIOD):
            try:
                self.recover()
            finally:
                connections.close_all()  # this thread's connections only

    def run(self) -> None:
        """Recover abandoned tasks, then process the queue until stopped (``batch``: until it
        is empty), riding out database outages."""
        self.recover()
        if not self.batch:
            threading.Thread(
                target=self._recovery_loop, name="dualcirc-task-recovery", daemon=True
            ).start()
        try:
            while True:
                try:
                    super().run()
                    return
                except (OperationalError, InterfaceError) as exc:
                    if not self.running:
                        return
                    log.warning("Task worker lost the database (%s); trying again", exc)
                    self._wait_for_database()
        finally:
            self._stop_recovery.set()

    def _wait_for_database(self) -> None:
        """Sleep until the database answers again, then re-queue the task this worker was
        running when it went away (its result could not be written)."""
        while self.running:
            time.sleep(OUTAGE_PAUSE)
            close_old_connections()
            try:
                requeue_abandoned_tasks(own_worker_id=self.worker_id, policy=self.policy)
            except (OperationalError, InterfaceError):
                continue  # still away; close_old_connections drops the broken connection
            log.warning("Task worker has the database back")
            return
