"""Schemathesis against the project's own OpenAPI document: no 5xx on any generated input.

Bounded: a few generated cases per operation, in-process through the WSGI application (no
network), as a signed-in operator (every endpoint reachable) on a small catalog.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualcirc.wsgi import application
from tests.factories import make_product
from tests.factories.api import bearer, make_operator

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 3


@pytest.fixture
def _keep_test_connection() -> Iterator[None]:
    """Calling the WSGI application directly would close the test's database connection at the
    end of each request (Django's test client disconnects that receiver the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_keep_test_connection")
def test_api_answers_no_generated_request_with_a_server_error() -> None:
    make_product(title_en="Oak chair")
    headers = bearer(make_operator())
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    server_errors: list[str] = []
    calls: list[int] = []

    def check(operation: object) -> None:
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(data=st.data())
        def run(data: st.DataObject) -> None:
            case = data.draw(operation.as_strategy())  # type: ignore[attr-defined]
            response = case.call(headers=headers)
            calls.append(response.status_code)
            if response.status_code >= 500:
                server_errors.append(
                    f"{case.method} {case.formatted_path} → {response.status_code}: "
                    f"{response.text[:200]}"
                )

        run()

    for operation in operations:
        check(operation)

    assert len(calls) >= len(operations)
    assert server_errors == []
