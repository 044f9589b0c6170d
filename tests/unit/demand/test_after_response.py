"""The after-response queue: per request, in order, failures logged and never raised, at once
outside a request."""

from __future__ import annotations

import logging
import threading

from dualcirc.demand.after_response import after_response, run_queue, start_queue


def test_outside_a_request_the_work_runs_at_once():
    done: list[str] = []

    after_response(lambda: done.append("now"))

    assert done == ["now"]


def test_in_a_request_the_work_waits_for_the_response_and_a_failure_is_logged(caplog):
    done: list[str] = []

    def fail() -> None:
        raise RuntimeError("disk full")

    start_queue()
    after_response(lambda: done.append("first"))
    after_response(fail)
    after_response(lambda: done.append("after the failure"))
    queued = list(done)
    with caplog.at_level(logging.ERROR, logger="dualcirc.demand.after_response"):
        run_queue()  # request_finished: the response has been sent
    after_response(lambda: done.append("outside again"))

    assert queued == []
    assert done == ["first", "after the failure", "outside again"]
    assert [r.getMessage() for r in caplog.records] == ["Work after the response failed"]
    assert "disk full" in caplog.text


def test_each_thread_has_its_own_queue():
    done: list[str] = []
    start_queue()
    after_response(lambda: done.append("main"))

    other = threading.Thread(target=lambda: after_response(lambda: done.append("other")))
    other.start()
    other.join()
    in_between = list(done)
    run_queue()

    assert in_between == ["other"]  # the other thread serves no request: at once
    assert done == ["other", "main"]


def test_a_new_request_drops_the_queue_of_a_response_never_closed():
    done: list[str] = []
    start_queue()
    after_response(lambda: done.append("lost"))

    start_queue()
    after_response(lambda: done.append("kept"))
    run_queue()

    assert done == ["kept"]


def test_queued_work_runs_before_django_closes_the_request_database_connections(monkeypatch):
    """The queued writes use the request's connection before ``close_old_connections``
    closes or keeps it (``after_response.connect``): the order of the receivers as the apps
    wired them, not a copy of it."""
    import django.db
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started

    events: list[str] = []

    class Connection:
        queries_log: list[str] = []  # request_started's reset_queries clears it

        def close_if_unusable_or_obsolete(self) -> None:
            events.append("connections closed")

    class Connections:
        def all(self, initialized_only: bool = False) -> list[Connection]:
            return [Connection()]

    # close_old_connections reads django.db.connections when it runs: watch it, touch nothing
    monkeypatch.setattr(django.db, "connections", Connections())

    request_started.send(sender=WSGIHandler)
    after_response(lambda: events.append("queued work"))
    request_finished.send(sender=WSGIHandler)

    assert events == ["connections closed", "queued work", "connections closed"]
