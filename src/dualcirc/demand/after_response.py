"""Work that runs once the response has been sent: a demand signal never delays an answer.

:func:`after_response` queues a callable for the request being served; it runs when Django
sends ``request_finished`` — from ``HttpResponse.close()``, which the WSGI server (gunicorn,
the development and live test servers) calls after the last byte of the body, and Django's
test client calls before it hands the response back. With no request being served (a
management command, the task worker, a test calling a domain function) it runs at once; under
ASGI too, whose ``request_started`` is sent from a task of its own (``Signal.asend`` gathers
its receivers), so its queue never reaches the view (dualcirc is served over WSGI).

Why this hook (docs/demand.md): ``request_started`` / ``request_finished`` are Django's
documented signals for exactly these two moments, per thread under WSGI, so a
``ContextVar`` holds each request's queue; a response's own ``_resource_closers`` list is
private. A background task (django-tasks with the database backend) would still insert a row
before the response — the task — and then a worker would insert the signal: twice the writes
and a worker's delay, for what one insert after the response does.

Each callable runs in its own ``try``: a failure is logged (``dualcirc.demand.after_response``)
and never reaches the response, which has been sent anyway. The queue is emptied before the
first callable runs, so a callable that queues more work runs that at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction

log = logging.getLogger(__name__)

# None outside a request: callables run at once.
_queue: ContextVar[list[Callable[[], object]] | None] = ContextVar(
    "dualcirc_after_response", default=None
)


def after_response(func: Callable[[], object]) -> None:
    """Run ``func`` once the current response has been sent (at once outside a request).
    Never raises: ``func``'s failure is logged."""
    queue = _queue.get()
    if queue is None:
        _run(func)
    else:
        queue.append(func)


def after_commit_and_response(func: Callable[[], object], *, using: str | None = None) -> None:
    """Run ``func`` once the current transaction commits (never if it rolls back) and the
    response has been sent — for a signal of a write that must exist first (a published
    sourcing request, a counted booth visit)."""
    transaction.on_commit(lambda: after_response(func), using=using)


def _run(func: Callable[[], object]) -> None:
    try:
        func()
    except Exception:  # the response is sent or the caller's work is done: log, carry on
        log.exception("Work after the response failed")


def start_queue(**kwargs: Any) -> None:
    """``request_started``: a fresh queue for this request (dropping one whose response was
    never closed)."""
    _queue.set([])


def run_queue(**kwargs: Any) -> None:
    """``request_finished``: run this request's queue, in order."""
    queue = _queue.get()
    _queue.set(None)
    for func in queue or ():
        _run(func)


def discard_queue() -> None:
    """Forget the current queue unrun, as if no request were being served (the test suite,
    after each test: a streamed response left unread is never closed, and its queue would
    otherwise hold back the work of the next test's domain calls)."""
    _queue.set(None)


def connect() -> None:
    """Connect the two receivers (``DemandConfig.ready``). ``close_old_connections`` is moved
    behind ``run_queue`` — with public ``disconnect``/``connect``, as Django's test client
    does — so that the queued writes use the request's database connection before Django
    closes or keeps it (``CONN_MAX_AGE``), rather than opening one that outlives the
    request."""
    request_started.connect(start_queue, dispatch_uid="dualcirc.demand.after_response.start")
    reconnect = request_finished.disconnect(close_old_connections)
    request_finished.connect(run_queue, dispatch_uid="dualcirc.demand.after_response.run")
    if reconnect:
        request_finished.connect(close_old_connections)
