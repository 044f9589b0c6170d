"""Structured logs: one JSON object per line, each carrying the id of the request it belongs to.

The request id comes from :class:`dualcirc.ops.middleware.RequestIdMiddleware` through a context
variable, so every log line written while a request is handled (by any module) carries it, and
the response's ``X-Request-ID`` header lets a user's report be matched with the server's lines.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
from typing import Any

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "dualcirc_request_id", default="-"
)

# Attributes every LogRecord has; anything else was passed in ``extra=`` and is logged as a field.
_STANDARD = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys()
    | {"message", "asctime", "request_id", "taskName"}
)


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id", …extra fields, "exception"}``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id.get()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
