"""Schemathesis against the project's own OpenAPI document: no 5xx on any generated input, and
every answer's status code, content type and body as the document says (issue 12).

Bounded to fit CI: a few generated cases per operation, in-process through the WSGI application
(no network), on a small catalog; once as a signed-in operator (every endpoint reachable), then
with a token of each other role and without one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dualcirc.core.enums import Role
from dualcirc.wsgi import application
from tests.factories import make_enterprise, make_product
from tests.factories.api import (
    bearer,
    make_buyer,
    make_enterprise_user,
    make_government_user,
    make_operator,
)

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 3
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


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


def fuzz(
    operation: object,
    *,
    headers: dict[str, str],
    examples: int,
    label: str,
    failures: list[str],
    calls: list[int],
) -> None:
    """Call ``operation`` with ``examples`` generated requests; a server error or an answer
    unlike the document (status code, content type, body) is appended to ``failures``."""

    @settings(
        max_examples=examples,
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
        where = f"{label}{case.method} {case.formatted_path} → {response.status_code}"
        if response.status_code >= 500:
            failures.append(f"{where}: {response.text[:200]}")
        try:  # status code, content type and body as documented
            case.validate_response(response, checks=CHECKS, headers=headers)
        except Exception as exc:  # a failed check: collected, all reported at the end
            failures.append(f"{where}: {str(exc)[:300]}")

    run()


@pytest.mark.usefixtures("_keep_test_connection")
def test_api_answers_no_generated_request_with_a_server_error() -> None:
    make_product(title_en="Oak chair")
    headers = bearer(make_operator())
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    server_errors: list[str] = []
    calls: list[int] = []

    for operation in operations:
        fuzz(
            operation,
            headers=headers,
            examples=EXAMPLES_PER_OPERATION,
            label="",
            failures=server_errors,
            calls=calls,
        )

    assert len(calls) >= len(operations)
    assert server_errors == []


ROLE_EXAMPLES_PER_OPERATION = 2


def _callers() -> dict[str, dict[str, str]]:
    enterprise = make_enterprise()
    make_product(enterprise=enterprise, title_en="Oak chair")
    return {
        "enterprise-admin": bearer(make_enterprise_user(enterprise=enterprise, role=Role.ADMIN)),
        "government": bearer(make_government_user(region=enterprise.region)),
        "buyer": bearer(make_buyer()),
        "anonymous": {},
    }


@pytest.mark.usefixtures("_keep_test_connection")
def test_api_answers_every_role_as_its_document_says() -> None:
    callers = _callers()
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    failures: list[str] = []
    calls: list[int] = []

    for role, headers in callers.items():
        for operation in operations:
            fuzz(
                operation,
                headers=headers,
                examples=ROLE_EXAMPLES_PER_OPERATION,
                label=f"{role}: ",
                failures=failures,
                calls=calls,
            )

    assert len(calls) >= 4 * len(operations)
    assert failures == []
