"""``dualcirc db_worker``: run the background tasks (search indexing, alerts, …).

django_tasks_db's own command with the project's worker (``dualcirc.ops.worker.TaskWorker``):
failed tasks are retried with backoff, tasks left running by a worker that died are queued
again, and a database outage is waited out. Same options; the worker id defaults to
``host:pid:random``. (The ops app is listed before django_tasks_db in INSTALLED_APPS so that
this command is the one ``db_worker`` names.)
"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from dualcirc.ops.worker import TaskWorker, lower_priority, worker_identity


class Command(db_worker.Command):
    help = (
        "Run the background task worker: retries failed tasks with backoff and queues again "
        "the tasks of workers that died."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None)

    def handle(self, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        batch = options["batch"]
        reload = options["reload"] and not batch
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = TaskWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"] or worker_identity(),
            excluded_queue_names=excluded,
        )
        if not batch:  # a long-running worker of its own (not a one-off `--batch` run)
            lower_priority(int(getattr(settings, "TASK_WORKER_NICE", 0)))
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child process runs tasks
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
