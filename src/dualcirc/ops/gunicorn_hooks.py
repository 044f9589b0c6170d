"""gunicorn's server hooks for the production server (``gunicorn --config
python:dualcirc.ops.gunicorn_hooks``, as ``ops.server.gunicorn_argv`` writes it).

Each worker process warms up as it starts (``DUALCIRC_WARM_UP``, on by default), in a
thread of its own, so that no buyer's first search pays for loading: the URL configuration
(every view and the API), the search index with what a first search loads (jieba, the
lexicons, the model's weights), the exchange rates that searches convert prices with, and the
HS descriptions of the search filters. The worker answers requests meanwhile; a request that
comes before the warm-up is done loads what it needs, as without it. ``bench/first_search.py``
measures the difference.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

log = logging.getLogger("dualcirc.ops.server")


def post_worker_init(worker: Any) -> None:
    """gunicorn calls this in each worker once it has loaded the application."""
    from django.conf import settings

    if settings.WARM_UP:
        threading.Thread(target=warm_up, name="warm-up", daemon=True).start()


def warm_up() -> None:
    """Load what a process's first search page would load. A failure is logged and costs
    nothing more: the first request then loads what it needs."""
    from django.db import connections
    from django.urls import get_resolver

    from dualcirc.catalog.hs import load_hs
    from dualcirc.search.rates import current_rate_table
    from dualcirc.search.service import get_service

    started = time.perf_counter()
    try:
        get_resolver().url_patterns  # noqa: B018 (imports the URL configuration)
        search = get_service().warm()
        current_rate_table()
        load_hs()
    except Exception:
        log.warning("warm-up failed; the first requests load what they need", exc_info=True)
    else:
        log.info("warmed up in %.1f s (search %.1f s)", time.perf_counter() - started, search)
    finally:
        connections.close_all()  # this thread's own database connections
