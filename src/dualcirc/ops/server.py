"""The production server: gunicorn serving ``dualcirc.wsgi``, configured from the settings.

``dualcirc serve`` runs it when ``DUALCIRC_ENV=production`` (web/management/commands/serve.py):
static files are collected into ``$DUALCIRC_DATA_DIR/static`` first (WhiteNoise serves them,
hashed and compressed), then the process becomes gunicorn. The background task worker is a
service of its own there: ``dualcirc db_worker``.
"""

from __future__ import annotations

import logging
import os
import sys
from logging.config import dictConfig
from typing import Any

from django.conf import settings
from gunicorn.glogging import Logger


def worker_count() -> int:
    """``DUALCIRC_WEB_WORKERS``, or 2 × CPU cores + 1 (gunicorn's rule of thumb) when 0."""
    return settings.WEB_WORKERS or 2 * (os.cpu_count() or 1) + 1


def gunicorn_argv(host: str, port: str) -> list[str]:
    """The gunicorn command line for listening on ``host:port``."""
    bind = f"[{host.strip('[]')}]:{port}" if ":" in host.strip("[]") else f"{host}:{port}"
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "dualcirc.wsgi:application",
        "--config",
        "python:dualcirc.ops.gunicorn_hooks",
        "--bind",
        bind,
        "--workers",
        str(worker_count()),
        "--threads",
        str(settings.WEB_THREADS),
        "--worker-class",
        "gthread" if settings.WEB_THREADS > 1 else "sync",
        "--timeout",
        str(settings.WEB_TIMEOUT),
        "--graceful-timeout",
        "30",
        # Recycle workers now and then so that a slow leak never grows without bound.
        "--max-requests",
        "5000",
        "--max-requests-jitter",
        "500",
        "--forwarded-allow-ips",
        "*" if settings.TRUSTED_PROXY_COUNT else "127.0.0.1",
        "--error-logfile",
        "-",
        "--log-level",
        str(settings.LOGGING["root"]["level"]).lower(),  # type: ignore[index]
        "--logger-class",
        "dualcirc.ops.server.JsonGunicornLogger",
    ]


class JsonGunicornLogger(Logger):
    """gunicorn's own messages (workers booting, timeouts) in the project's log format; the
    per-request access lines come from dualcirc.request, with the request id."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        dictConfig(settings.LOGGING)
        error_log = logging.getLogger("gunicorn.error")
        error_log.handlers = []
        error_log.propagate = True
