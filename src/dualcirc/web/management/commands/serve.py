"""``dualcirc serve [addrport]``: serve the site over HTTP (default 127.0.0.1:8000).

In development this is Django's development server plus, in a thread of the same process, the
background task worker, so that one command (``make run``) gives a site whose search index
follows the catalog. With ``DUALCIRC_ENV=production`` it collects the static files and becomes
gunicorn (``dualcirc.ops.server``: ``DUALCIRC_WEB_WORKERS`` processes); the task worker is then
a service of its own, ``dualcirc db_worker`` (docs/operations.md).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

DEFAULT_ADDRPORT = "127.0.0.1:8000"


def split_addrport(addrport: str) -> tuple[str, str]:
    """``8000`` → (127.0.0.1, 8000); ``0.0.0.0:8000`` → (0.0.0.0, 8000); ``[::1]:80`` too."""
    host, sep, port = addrport.rpartition(":")
    if not sep:
        host, port = "127.0.0.1", addrport
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(
            _("%(addrport)r is not an address and port such as 127.0.0.1:8000.")
            % {"addrport": addrport}
        )
    return host or "127.0.0.1", port


def site_url(addrport: str) -> str:
    """The URL to open in a browser for a server listening on ``addrport``."""
    host, port = split_addrport(addrport)
    if host in ("0.0.0.0", "[::]"):  # listening everywhere: this machine answers locally
        host = "127.0.0.1"
    return f"http://{host}:{port}/"


@dataclass
class TaskWorkerThread:
    """The database task worker running in a daemon thread of this process."""

    worker: Any  # django_tasks_db's Worker
    thread: threading.Thread

    def stop(self, timeout: float = 30) -> None:
        """Finish the running task, if any, then stop."""
        self.worker.running = False
        self.thread.join(timeout)


def _run_worker(worker: Any) -> None:
    try:
        worker.run()
    except Exception:  # a dead worker must not take the site down: say so and stop
        log.exception(_("The background task worker stopped; run `dualcirc db_worker`."))
    finally:
        connections.close_all()  # this thread's connections only


def start_task_worker(*, interval: float = 1.0) -> TaskWorkerThread | None:
    """Process the database task queue (every queue) in a daemon thread, for development.

    Returns None, starting nothing, when tasks do not go to the database backend or its table
    does not exist yet (migrations not applied). Failed tasks are retried and tasks left
    running by a process that died are queued again (``dualcirc.ops.worker.TaskWorker``).
    """
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    if not isinstance(task_backends["default"], DatabaseBackend):
        return None
    from django_tasks_db.models import DBTaskResult

    from dualcirc.ops.worker import TaskWorker

    if DBTaskResult._meta.db_table not in connection.introspection.table_names():
        log.warning(_("No task table yet (run `dualcirc migrate`): background tasks wait."))
        return None
    worker = TaskWorker(
        queue_names=["*"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        excluded_queue_names=[],
    )
    thread = threading.Thread(
        target=_run_worker, args=(worker,), name="dualcirc-task-worker", daemon=True
    )
    thread.start()
    return TaskWorkerThread(worker, thread)


class Command(BaseCommand):
    help = (
        "Serve dualcirc over HTTP (default 127.0.0.1:8000): the development server, with the "
        "background task worker in the same process."
    )
    requires_system_checks: list[str] = []  # runserver runs them itself

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "addrport",
            nargs="?",
            default=DEFAULT_ADDRPORT,
            help=f"address and port to listen on (default {DEFAULT_ADDRPORT})",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not run background tasks in this process (when `dualcirc db_worker` runs)",
        )
        parser.add_argument(
            "--skip-collectstatic",
            action="store_true",
            help="production: do not collect static files before starting",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        addrport = options["addrport"]
        host, port = split_addrport(addrport)
        if settings.PRODUCTION:
            self.serve_production(host, port, collect=not options["skip_collectstatic"])
            return
        if not options["no_worker"] and start_task_worker() is not None:
            self.stdout.write(_("Background tasks run in this process."))
        if not options["no_worker"]:
            from dualcirc.web.management.commands.periodic import start_periodic_thread

            start_periodic_thread()  # `dualcirc periodic` every minute
        self.stdout.write(
            _("Serving dualcirc at %(url)s (press Ctrl+C to stop).") % {"url": site_url(addrport)}
        )
        # No autoreloader: it would fork a second process that loads everything twice.
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)

    def serve_production(self, host: str, port: str, *, collect: bool) -> None:
        """Collect static files, then replace this process with gunicorn (never returns)."""
        from dualcirc.ops.demo_logins import demo_logins_problem
        from dualcirc.ops.server import gunicorn_argv, worker_count

        problem = demo_logins_problem()  # the demo's published passwords must not go live
        if problem:
            raise CommandError(
                "dualcirc refuses to start in production mode (DUALCIRC_ENV=production):\n"
                f"  - {problem}"
            )
        if collect:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(
            _("Serving dualcirc in production mode at %(url)s with %(n)d worker processes.")
            % {"url": site_url(f"{host}:{port}"), "n": worker_count()}
        )
        self.stdout.flush()
        sys.stdout.flush()
        sys.stderr.flush()
        argv = gunicorn_argv(host, port)
        connections.close_all()  # gunicorn's workers open their own
        os.execv(argv[0], argv)
