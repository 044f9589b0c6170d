"""API errors come back in the JSON shape ``{code, message, errors}`` in development and
production modes alike: never an HTML page, never a traceback."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories.api import bearer, make_operator

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[True, False], ids=["development", "production"])
def mode(request, settings):
    settings.DEBUG = request.param
    return request.param


def _shape(response) -> dict:
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"code", "message", "errors"}
    assert "Traceback" not in body["message"]
    return body


def test_unknown_api_path_is_a_json_404(client: Client, mode):
    response = client.get("/api/no-such-thing", headers=bearer(make_operator()))

    assert response.status_code == 404
    assert _shape(response)["code"] == "not_found"


def test_unexpected_error_in_an_api_handler_is_a_json_500(mode, monkeypatch):
    from dualcirc.catalog import api as catalog_api

    def broken(*args, **kwargs):
        raise RuntimeError("boom: internal detail")

    # The one stand-in of this file: a bug in a handler, which the code base does not have.
    monkeypatch.setattr(catalog_api, "_paginate", broken)
    client = Client(raise_request_exception=False)

    response = client.get("/api/enterprises", headers=bearer(make_operator()))

    assert response.status_code == 500
    body = _shape(response)
    assert body["code"] == "server_error"
    assert "boom" not in body["message"]


def test_page_errors_keep_html(client: Client, mode):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_every_operation_documents_its_error_responses_with_the_error_schema(client: Client):
    document = client.get("/api/openapi.json").json()
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}

    operations = [op for ops in document["paths"].values() for op in ops.values()]
    missing = [
        (op.get("operationId"), status)
        for op in operations
        for status in ("400", "401", "403", "404", "409", "422", "503")
        if op["responses"].get(status, {}).get("content") != error
    ]

    assert len(operations) > 60
    assert missing == []
    assert document["components"]["schemas"]["Error"]["required"] == ["code", "message", "errors"]


def test_the_document_states_field_limits(client: Client):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]

    price = schemas["QuoteIn"]["properties"]["unit_price"]
    assert {"pattern": r"^-?\d{1,14}(\.\d{1,4})?$", "type": "string"} in price["anyOf"]
    assert schemas["MessageIn"]["properties"]["body"]["maxLength"] == 10000
    assert schemas["QuoteIn"]["additionalProperties"] is False
