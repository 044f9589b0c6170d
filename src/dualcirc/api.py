"""The JSON API root: one NinjaAPI with a router per app, OpenAPI at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from dualcirc.core.api_auth import auth_methods
from dualcirc.core.errors import DomainError

api = NinjaAPI(
    title="dualcirc API",
    version="1",
    description="Catalog, matching, deals, fairs and the bureau's figures.",
    auth=auth_methods,
    urls_namespace="api",
)


def _error(
    request: HttpRequest, status: int, code: str, message: str, errors: list[Any]
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "errors": errors}, status=status
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.code, str(exc), exc.details())


@api.exception_handler(ValidationError)
def on_django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: list[dict[str, str | None]] = []
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            errors.extend({"field": field, "message": m} for m in errs)
    else:
        errors = [{"field": None, "message": m} for m in exc.messages]
    return _error(request, 422, "invalid", "The input is not valid.", errors)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ())[1:]) or None,
            "message": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    return _error(request, 422, "invalid", "The input is not valid.", errors)


@api.exception_handler(PermissionDenied)
def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", str(exc) or "Forbidden.", [])


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "Sign in or send a valid API token.", [])


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", str(exc) or "Not found.", [])


def _register_routers() -> None:
    from dualcirc.catalog.api import router as catalog_router
    from dualcirc.catalog.api_imports import router as catalog_import_router
    from dualcirc.core.api import router as core_router
    from dualcirc.search.api import router as search_router

    api.add_router("/", core_router)
    api.add_router("/", catalog_router)
    api.add_router("/", catalog_import_router)
    api.add_router("/", search_router)


_register_routers()
