"""A lock conflict (deadlock, serialisation failure) is told apart from a database outage."""

from __future__ import annotations

import psycopg.errors
from django.db import OperationalError
from django.test import RequestFactory

from dualcirc.ops.locks import is_lock_conflict
from dualcirc.ops.middleware import DatabaseUnavailableMiddleware


def _wrapped(cause: Exception) -> OperationalError:
    """How Django re-raises a driver error: its own class, the driver's error as the cause."""
    try:
        try:
            raise cause
        except Exception as exc:
            raise OperationalError(str(exc)) from exc
    except OperationalError as wrapped:
        return wrapped


def test_deadlock_and_serialisation_failure_are_lock_conflicts():
    assert is_lock_conflict(_wrapped(psycopg.errors.DeadlockDetected("deadlock detected")))
    assert is_lock_conflict(_wrapped(psycopg.errors.SerializationFailure("could not serialize")))
    assert is_lock_conflict(OperationalError("database is locked"))


def test_an_unreachable_database_is_not_a_lock_conflict():
    assert not is_lock_conflict(_wrapped(psycopg.OperationalError("connection refused")))
    assert not is_lock_conflict(OperationalError("server closed the connection unexpectedly"))


def test_outage_middleware_answers_a_deadlock_with_409_in_the_api_shape():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    request = RequestFactory().post("/api/deals/quotes/1/accept")

    deadlock = middleware.process_exception(
        request, _wrapped(psycopg.errors.DeadlockDetected("deadlock detected"))
    )
    outage = middleware.process_exception(
        request, _wrapped(psycopg.OperationalError("connection refused"))
    )

    assert deadlock is not None and outage is not None
    assert deadlock.status_code == 409
    assert deadlock["Content-Type"] == "application/json"
    assert outage.status_code == 503
