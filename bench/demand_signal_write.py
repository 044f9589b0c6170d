"""What a demand signal costs the answer it observes: the time spent before the response
(median of ``--repeat`` writes, one at a time, autocommit like a request) for

- ``insert``: the signal written before answering (one INSERT in a savepoint: what the
  search page and API did before ``demand.after_response``);
- ``task``: handing it to django-tasks instead (``DatabaseBackend``: one INSERT of the task
  row before answering, then a worker's INSERT of the signal);
- ``after_response``: queueing it to run once the response is sent (what they do now; the
  INSERT itself then runs after the last byte).

    DATABASE_URL=… dualcirc migrate && DATABASE_URL=… python bench/demand_signal_write.py

on a migrated database (a scratch one: signals and task rows are written and deleted).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualcirc.settings")
django.setup()

from django.db import connection  # noqa: E402 (after django.setup)
from django.test.utils import override_settings  # noqa: E402

from dualcirc.demand import after_response as hook  # noqa: E402
from dualcirc.demand.domain import _insert  # noqa: E402
from dualcirc.demand.enums import SignalKind  # noqa: E402
from dualcirc.demand.models import DemandSignal  # noqa: E402

FIELDS = {"kind": SignalKind.SEARCH, "language": "vi", "product_type": "nón lá", "market": "VN"}


def timed(write: Callable[[], object], repeat: int) -> float:
    """Median milliseconds of ``write``."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        write()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    from django_tasks_db.models import DBTaskResult

    from dualcirc.search.tasks import index_products_task  # any task: the cost is its row

    backend = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def queue_one() -> None:
        hook.start_queue()
        hook.after_response(lambda: _insert(**FIELDS))
        hook._queue.set(None)  # dropped unrun: only the cost before the response is timed

    with override_settings(TASKS=backend):
        figures = {
            "insert": timed(lambda: _insert(**FIELDS), args.repeat),
            "task": timed(lambda: index_products_task.enqueue([1]), args.repeat),
            "after_response": timed(queue_one, args.repeat),
        }
    DemandSignal.objects.filter(product_type="nón lá").delete()
    DBTaskResult.objects.filter(task_path__endswith="index_products_task").delete()
    print(f"{connection.vendor}: ms before the response, median of {args.repeat}")
    for name, ms in figures.items():
        print(f"  {name:15} {ms:9.4f}")


if __name__ == "__main__":
    main()
