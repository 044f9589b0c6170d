"""Signals are written after the response has been sent: through the real WSGI handler (as
gunicorn and the live server drive it) the page or API answer is complete while no signal
exists, and the signal is there once the server closes the response (a real live server
too); a write that fails is logged and the answer stays a 200."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from asgiref.sync import async_to_sync
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import AsyncClient, Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from dualcirc.demand.after_response import run_queue, start_queue
from dualcirc.demand.enums import SignalKind
from dualcirc.demand.models import DemandSignal
from tests.factories.deals import make_deal_world, make_request
from tests.factories.search import make_catalog

pytestmark = pytest.mark.django_db

UNLISTED_VI = "nón lá xuất khẩu sang Việt Nam"


@contextmanager
def keeping_the_test_transaction() -> Iterator[None]:
    """What Django's test client does around a request: the test's transaction must not be
    closed by ``close_old_connections`` when the request starts and finishes."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def serve(path: str, params: dict[str, str]) -> tuple[Any, bytes]:
    """The WSGI handler's response to a GET and its body as the server would send it, before
    the server closes the response."""
    environ = RequestFactory().get(path, params).environ
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda data: None

    response = WSGIHandler()(environ, start_response)
    body = b"".join(response)
    assert statuses == ["200 OK"]
    return response, body


def test_the_search_page_is_sent_before_its_signal_is_written():
    make_catalog()
    with translation.override("vi"):
        path = reverse("search:search")

    with keeping_the_test_transaction():
        response, body = serve(path, {"q": UNLISTED_VI})
        while_sending = DemandSignal.objects.count()
        response.close()  # the server has sent the last byte

    assert b"</html>" in body
    assert while_sending == 0
    assert list(DemandSignal.objects.values_list("product_type", "market")) == [("nón lá", "VN")]


def test_the_search_api_answers_before_its_signal_is_written():
    make_catalog()

    with keeping_the_test_transaction():
        response, body = serve("/api/search/products", {"q": UNLISTED_VI})
        while_sending = DemandSignal.objects.count()
        response.close()

    assert b'"hits"' in body
    assert while_sending == 0
    assert DemandSignal.objects.count() == 1


def refuse_signal_inserts() -> None:
    """A real database failure: a trigger that rejects every insert of a signal (rolled back
    with the test's transaction)."""
    table = DemandSignal._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION dc_refuse_signal() RETURNS trigger AS "
                "$$ BEGIN RAISE EXCEPTION 'signal refused'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER dc_refuse BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION dc_refuse_signal()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER dc_refuse BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'signal refused'); END"
            )


def test_a_failing_signal_write_is_logged_and_the_search_still_answers(caplog):
    make_catalog()
    refuse_signal_inserts()
    with translation.override("vi"):
        path = reverse("search:search")

    with caplog.at_level(logging.ERROR, logger="dualcirc.demand"):
        page = Client().get(path, {"q": UNLISTED_VI})
        api = Client().get("/api/search/products", {"q": UNLISTED_VI})

    assert (page.status_code, api.status_code) == (200, 200)
    assert "nón lá" in page.content.decode()
    assert [r.getMessage() for r in caplog.records if r.name.startswith("dualcirc.demand")] == [
        "Demand signal not recorded"
    ] * 2
    assert "signal refused" in caplog.text
    assert DemandSignal.objects.count() == 0  # and the test's transaction is still usable


def test_a_sourcing_request_is_counted_once_committed_and_its_response_sent(
    django_capture_on_commit_callbacks,
):
    world = make_deal_world()
    start_queue()  # request_started: publishing within a request

    try:
        with django_capture_on_commit_callbacks(execute=True):
            make_request(world)
        committed = DemandSignal.objects.count()
    finally:
        run_queue()  # request_finished: the response has been sent

    assert committed == 0
    assert list(DemandSignal.objects.values_list("kind", flat=True)) == [
        SignalKind.SOURCING_REQUEST
    ]


def test_under_asgi_the_signal_is_still_written():
    """ASGI sends ``request_started`` from a task of its own, so the view sees no queue and
    the signal is written at once (docs/demand.md): never lost. dualcirc is served by WSGI."""
    make_catalog()

    async def search() -> int:
        response = await AsyncClient().get("/api/search/products", {"q": UNLISTED_VI})
        return response.status_code

    # async_to_sync: the view runs in this thread, on the test's connection and transaction
    assert async_to_sync(search)() == 200
    assert DemandSignal.objects.count() == 1


def get_until_closed(base_url: str, path_and_query: str) -> bytes:
    """An HTTP/1.0 GET read to the end of the stream: the server shuts the connection only
    after it has closed the response (and so run what was queued after it)."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as sock:
        sock.sendall(f"GET {path_and_query} HTTP/1.0\r\nHost: {parts.netloc}\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_real_server_writes_the_signal_once_it_has_sent_the_page(live_server):
    make_catalog()
    with translation.override("vi"):
        path = reverse("search:search")

    answer = get_until_closed(live_server.url, f"{path}?{urlencode({'q': UNLISTED_VI})}")

    assert answer.startswith(b"HTTP/1.1 200") and answer.rstrip().endswith(b"</html>")
    assert list(DemandSignal.objects.values_list("product_type", "market")) == [("nón lá", "VN")]
