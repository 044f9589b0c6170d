"""The JSON API root: one NinjaAPI with a router per app, OpenAPI at /api/openapi.json.

Every error is rendered as ``{"code", "message", "errors": [{"field", "message", "row"?}]}``
(docs/api.md).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from dualcirc.core.api_auth import auth_methods
from dualcirc.core.errors import DomainError, InvalidInput
from dualcirc.core.sanitize import find_bad_text


class CheckedJSONParser(Parser):
    """JSON bodies parsed once, here: numbers read as Decimal (a price sent as ``12.30`` never
    passes a float), then every text in the body, keys included, checked for what cannot be
    stored (a NUL character, a lone surrogate: core.sanitize.find_bad_text).

    Bad text raises InvalidInput with a field error per bad value. django-ninja turns whatever
    a parser raises into a 400 "cannot parse" HttpError whose cause is the original error;
    :func:`on_http_error` answers a DomainError cause as the domain error it is (422)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body, parse_float=Decimal)
        if not isinstance(data, dict):
            raise ValueError("The body must be a JSON object.")
        bad = find_bad_text(data, None)
        if bad:
            raise InvalidInput(_("The input is not valid."), bad)
        return data


# Every operation may answer these, always in the error shape (ops.middleware makes sure of it
# for errors raised outside the handlers): documented on every operation, so that generated
# clients and fuzzers know them.
ERROR_RESPONSES = {
    400: "The request cannot be read (e.g. a body that is not JSON).",
    401: "No valid session or API token.",
    403: "The caller may not do this (or a CSRF check failed).",
    404: "No such object, or not one the caller may see.",
    405: "The method is not allowed on this path.",
    409: "A conflicting change: a stale version, a state that no longer allows this, or a "
    "request that crossed another one; reload and try again.",
    422: "The input is not valid: one entry in errors per bad field (and row, for imports).",
    429: "Too many failed sign-ins (POST /api/tokens).",
    503: "The database is briefly unreachable; try again after Retry-After seconds.",
}
ERROR_SCHEMA = {
    "type": "object",
    "title": "Error",
    "required": ["code", "message", "errors"],
    "properties": {
        "code": {"type": "string", "description": "invalid, conflict, not_found, forbidden, …"},
        "message": {"type": "string", "description": "In the caller's language."},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {
                    "field": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                    "row": {"type": "integer", "description": "Spreadsheet row (imports)."},
                },
            },
        },
    },
}


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error shape and ERROR_RESPONSES to every operation of an OpenAPI document."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status, description in ERROR_RESPONSES.items():
                if status not in responses and str(status) not in responses:
                    responses[status] = {"description": description, "content": reference}
    return schema


class DualcircAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI document states the error responses of every operation."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return document_errors(super().get_openapi_schema(*args, **kwargs))


api = DualcircAPI(
    title="dualcirc API",
    version="1",
    description="Catalog, matching, deals, fairs and the bureau's figures.",
    auth=auth_methods,
    urls_namespace="api",
    parser=CheckedJSONParser(),
)

# Where a request parameter comes from, as django-ninja reports it in an error's ``loc``.
_PARAM_SOURCES = {"query", "path", "header", "cookie", "form", "file"}


def _error(
    request: HttpRequest, status: int, code: str, message: str, errors: list[dict[str, Any]]
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "errors": errors}, status=status
    )


def _field_of(loc: tuple[Any, ...]) -> str | None:
    """``("body", "payload", "title")`` → ``title``; ``("query", "page")`` → ``page``.

    A missing body, ``("body", "payload")``, concerns no field: None.
    """
    if not loc:
        return None
    source, rest = loc[0], list(loc[1:])
    if source == "body":
        rest = rest[1:]  # the handler's parameter name, meaningless to the caller
    elif source not in _PARAM_SOURCES and source != "body":
        rest = list(loc)
    return ".".join(str(p) for p in rest) or None


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = _error(request, exc.status, exc.code, str(exc), exc.details())
    retry_after = getattr(exc, "retry_after", None)  # a refusal that ends by itself (429)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


@api.exception_handler(ValidationError)
def on_django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            errors.extend(
                {"field": None if field == "__all__" else field, "message": m} for m in errs
            )
    else:
        errors = [{"field": None, "message": m} for m in exc.messages]
    return _error(request, 422, "invalid", _("The input is not valid."), errors)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for e in exc.errors:
        loc = tuple(e.get("loc", ()))
        field = _field_of(loc)
        message = e.get("msg", "")
        if field is None and loc[:1] == ("body",) and e.get("type") == "missing":
            message = _("The request needs a JSON object as its body.")
        errors.append({"field": field, "message": message})
    return _error(request, 422, "invalid", _("The input is not valid."), errors)


@api.exception_handler(IntegrityError)
def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # Domain functions check uniqueness first; a constraint still firing means a concurrent
    # request saved the same thing (e.g. the same SKU) in between.
    return _error(
        request,
        409,
        "conflict",
        _("Someone saved a conflicting change at the same time; reload and try again."),
        [],
    )


@api.exception_handler(PermissionDenied)
def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", str(exc) or _("You may not do this."), [])


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", _("Sign in or send a valid API token."), [])


_HTTP_ERROR_CODES = {400: "bad_request", 403: "forbidden", 405: "method_not_allowed"}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja raises these itself: an unreadable body (400), a failed CSRF check (403).
    if isinstance(exc.__cause__, DomainError):  # refused by CheckedJSONParser, not unreadable
        return on_domain_error(request, exc.__cause__)
    if exc.status_code == 403 and "CSRF" in exc.message:
        return _error(
            request,
            403,
            "csrf_failed",
            _(
                "CSRF check failed: a write authenticated by the session needs the X-CSRFToken "
                "header; API clients should send a bearer token instead."
            ),
            [],
        )
    if exc.status_code == 400 and exc.message.startswith("Cannot parse request body"):
        message = _("The request body is not a JSON object.")
    else:
        message = str(exc)
    return _error(
        request, exc.status_code, _HTTP_ERROR_CODES.get(exc.status_code, "error"), message, []
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", str(exc) or _("Not found."), [])


def _register_routers() -> None:
    from dualcirc.bureau.api import router as bureau_router
    from dualcirc.catalog.api import router as catalog_router
    from dualcirc.catalog.api_imports import router as catalog_import_router
    from dualcirc.channels.api import router as channels_router
    from dualcirc.channels.api_pricing import router as channels_pricing_router
    from dualcirc.core.api import router as core_router
    from dualcirc.deals.api import router as deals_router
    from dualcirc.demand.api import router as demand_router
    from dualcirc.fair.api import router as fair_router
    from dualcirc.fair.outcome_api import router as fair_outcome_router
    from dualcirc.search.api import router as search_router

    api.add_router("/", core_router)
    api.add_router("/", catalog_router)
    api.add_router("/", catalog_import_router)
    api.add_router("/", search_router)
    api.add_router("/", deals_router)
    api.add_router("/", fair_router)
    api.add_router("/", fair_outcome_router)
    api.add_router("/", bureau_router)
    api.add_router("/", channels_router)
    api.add_router("/", channels_pricing_router)
    api.add_router("/", demand_router)


_register_routers()
