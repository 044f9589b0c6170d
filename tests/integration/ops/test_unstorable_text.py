"""Text the database cannot store, where the request meets it: a page's query answers the site's
error page (HTML, translated, 422) while the API keeps its JSON error shape; a JSON body is
parsed and checked once, by the API's parser; the database's refusal is recognised by its
SQLSTATE, not by the words of its message."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import DataError, connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory

from dualcirc.api import CheckedJSONParser
from dualcirc.core.errors import InvalidInput
from dualcirc.ops.middleware import HostileTextMiddleware, is_unstorable_text_error
from tests.factories.api import bearer, make_operator

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "The text contains a NUL character, which is not allowed."


def test_nul_in_a_page_query_answers_the_sites_error_page_in_html():
    response = Client().get("/en/products/?keyword=a%00b")

    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<p class="error-code">422</p>' in html
    assert f"<code>keyword</code>: {NUL_MESSAGE}</p>" in html
    assert 'href="/en/products/"' in html  # the page again, without the bad parameters


def test_nul_in_a_page_query_is_refused_in_the_visitors_language():
    operator = make_operator()
    client = Client()
    client.force_login(operator)

    response = client.get("/zh-hans/products/?keyword=a%00b")

    assert response.status_code == 422
    html = response.content.decode()
    assert '<html lang="zh-hans"' in html
    assert operator.username in html  # the site's own layout, signed in


def test_nul_in_an_api_query_keeps_the_json_error_shape():
    response = Client().get(
        "/api/products?keyword=a%00b", headers={**bearer(make_operator()), "Accept-Language": "en"}
    )

    assert response.status_code == 422
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "invalid",
        "message": "The input is not valid.",
        "errors": [{"field": "keyword", "message": NUL_MESSAGE}],
    }


def test_the_middleware_leaves_json_bodies_to_the_api_parser():
    body = json.dumps({"title": "oak\x00table"})
    request = RequestFactory().post("/api/products", body, content_type="application/json")
    seen = []

    def view(req):
        seen.append(req)
        return HttpResponse("reached")

    response = HostileTextMiddleware(view)(request)

    assert response.content == b"reached"
    assert seen == [request]


def test_the_api_parser_reads_decimals_and_refuses_bad_text_naming_the_field():
    parser = CheckedJSONParser()
    factory = RequestFactory()
    good = factory.post(
        "/api/x", '{"price": 12.30, "tags": ["a"]}', content_type="application/json"
    )
    bad = factory.post(
        "/api/x",
        json.dumps({"attributes": {"material": "oak\x00"}, "title": "ok"}),
        content_type="application/json",
    )

    assert parser.parse_body(good) == {"price": Decimal("12.30"), "tags": ["a"]}
    with pytest.raises(InvalidInput) as refused:
        parser.parse_body(bad)
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("attributes.material", NUL_MESSAGE)
    ]


def test_bad_text_in_a_json_body_is_one_422_with_the_field():
    response = Client().post(
        "/api/products",
        json.dumps({"title_zh": "oak\ud800"}),
        content_type="application/json",
        headers={**bearer(make_operator()), "Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "title_zh",
            "message": "The text contains an invalid character (a lone surrogate).",
        }
    ]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refusals_of_text_are_recognised_by_their_sqlstate():
    refusals = []
    for sql, params in [
        ("select convert_from('\\x00'::bytea, 'UTF8')", []),  # 22021
        ("""select '{"a": "\\u0000"}'::jsonb ->> 'a'""", []),  # 22P05
        ("select %s::text", ["a\x00b"]),  # psycopg's own refusal, before sending
    ]:
        with pytest.raises(DataError) as refused, transaction.atomic(), connection.cursor() as c:
            c.execute(sql, params)
        refusals.append(refused.value)
    with pytest.raises(DataError) as overflow, transaction.atomic(), connection.cursor() as c:
        c.execute("select 40000::smallint")  # 22003: not about text

    assert [is_unstorable_text_error(e) for e in refusals] == [True, True, True]
    assert is_unstorable_text_error(overflow.value) is False


def test_a_lone_surrogate_the_driver_cannot_encode_is_recognised():
    try:
        "a\ud800".encode()
    except UnicodeEncodeError as exc:
        encode_error = exc

    assert is_unstorable_text_error(encode_error) is True
    assert is_unstorable_text_error(ValueError("NUL 0x00 surrogate")) is False
