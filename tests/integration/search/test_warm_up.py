"""A server worker's warm-up (ops.gunicorn_hooks): in a thread of its own, as gunicorn's
post_worker_init starts it, it loads the search index from the database (and runs a query in
each language through the model); with DUALCIRC_WARM_UP off no thread is started."""

from __future__ import annotations

import threading

import pytest

from dualcirc.ops import gunicorn_hooks
from dualcirc.search.service import get_service
from tests.factories.search import make_catalog

pytestmark = pytest.mark.django_db(transaction=True)


def _warm_up_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "warm-up"]


def test_post_worker_init_warms_the_search_up_in_a_thread(settings, fake_model, caplog):
    make_catalog()
    get_service().reset()
    settings.WARM_UP = True
    fake_model.queries.clear()
    with caplog.at_level("INFO", logger="dualcirc.ops.server"):
        gunicorn_hooks.post_worker_init(worker=None)
        threads = _warm_up_threads()
        assert len(threads) == 1
        threads[0].join(timeout=60)
    assert get_service()._index is not None and len(get_service()._index) == 5
    assert any(q.startswith("khăn bông") for q in fake_model.queries)  # the model ran
    assert "warmed up in" in caplog.text


def test_warm_up_off_starts_nothing(settings):
    settings.WARM_UP = False
    gunicorn_hooks.post_worker_init(worker=None)
    assert _warm_up_threads() == []
    assert get_service()._index is None


def test_a_failed_warm_up_is_logged_and_leaves_the_worker_serving(settings, caplog, monkeypatch):
    def broken() -> float:
        raise RuntimeError("no index today")

    monkeypatch.setattr(get_service(), "warm", broken)
    with caplog.at_level("WARNING", logger="dualcirc.ops.server"):
        gunicorn_hooks.warm_up()  # raises nothing
    assert "warm-up failed" in caplog.text and "no index today" in caplog.text
