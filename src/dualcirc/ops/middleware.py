"""Middleware of the production stack: request ids and access lines, security headers, and the
short-lived cache of public pages shown to signed-out visitors."""

from __future__ import annotations

import hashlib
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import (  # type: ignore[attr-defined]  # private, stable since 4.1
    _unmask_cipher_token,
    get_token,
)

from dualcirc.core.errors import FieldError
from dualcirc.core.sanitize import find_bad_text, text_problem
from dualcirc.ops.context import client_address, current_request
from dualcirc.ops.locks import is_lock_conflict, lock_conflict_message
from dualcirc.ops.logs import current_request_id

access_log = logging.getLogger("dualcirc.request")

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
Handler = Callable[[HttpRequest], HttpResponse]


class RequestIdMiddleware:
    """Give each request an id (the caller's ``X-Request-ID`` when well-formed, else a new
    one), return it in ``X-Request-ID``, attach it to every log line written meanwhile, and log
    one access line per request (method, path, status, duration, user, address)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _VALID_REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]  # read by views and logs
        # Left set after the response: Django logs 4xx/5xx responses after the middleware has
        # returned, and that line should carry the id too; the next request sets its own.
        current_request_id.set(request_id)
        request_token = current_request.set(request)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            return response
        finally:
            user = getattr(request, "user", None)
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": getattr(user, "pk", None) if user is not None else None,
                    "client": client_address(request),
                },
            )
            current_request.reset(request_token)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response that has none.

    django-csp's CSPMiddleware adds Content-Security-Policy (settings.CONTENT_SECURITY_POLICY);
    Django's SecurityMiddleware adds HSTS (on HTTPS), nosniff, the referrer and opener
    policies; XFrameOptionsMiddleware adds X-Frame-Options.
    """

    PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        return response


# Masked CSRF tokens as the templates write them (form fields and htmx's header attribute).
_TOKEN = re.compile(r"[A-Za-z0-9]{64}")
_PLACEHOLDER = "__DUALCIRC_CSRF_TOKEN__"


class AnonymousPageCacheMiddleware:
    """Serve the public pages listed in ``PAGE_CACHE_URL_NAMES`` to signed-out visitors from
    the cache for ``PAGE_CACHE_SECONDS`` (off when 0, the development default).

    Only GET requests without a session or messages cookie are served from or stored in the
    cache, and only 200 HTML responses that set no cookie but the CSRF one. The page's CSRF
    token is stored as a placeholder and each visitor gets their own, so the language switcher
    and sign-out forms keep working. A change shows to signed-out visitors within
    ``PAGE_CACHE_SECONDS``; signed-in users (the only ones who see private data) are never
    served from the cache.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)  # set by process_view on a miss
        if key is not None and self._cacheable_response(request, response):
            body = self._tokens_to_placeholder(request, response.content.decode(response.charset))
            cache.set(key, (body, response["Content-Type"]), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        """Answer from the cache, or mark the request for storing. Runs after Django resolved
        the URL (``request.resolver_match``), so the path is not resolved a second time; a hit
        still passes through the middleware below this one (X-Frame-Options, …)."""
        if not settings.PAGE_CACHE_SECONDS or not self._eligible_request(request):
            return None
        key = self._key(request)
        cached = cache.get(key)
        if cached is None:
            request._page_cache_key = key  # type: ignore[attr-defined]  # read by __call__
            return None
        body, content_type = cached
        response = HttpResponse(
            body.replace(_PLACEHOLDER, get_token(request)), content_type=content_type
        )
        response["X-Page-Cache"] = "hit"
        return response

    @staticmethod
    def _eligible_request(request: HttpRequest) -> bool:
        if request.method != "GET":
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
            return False
        match = request.resolver_match
        return match is not None and match.view_name in settings.PAGE_CACHE_URL_NAMES

    @staticmethod
    def _key(request: HttpRequest) -> str:
        raw = "|".join(
            (request.get_host(), request.get_full_path(), request.headers.get("HX-Request", ""))
        )
        return "dualcirc:page:" + hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming:
            return False
        if not response.get("Content-Type", "").startswith("text/html"):
            return False
        if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
            return False
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)

    @staticmethod
    def _tokens_to_placeholder(request: HttpRequest, body: str) -> str:
        """The body with this visitor's (masked) CSRF tokens replaced by the placeholder."""
        secret = request.META.get("CSRF_COOKIE")
        if not secret:
            return body

        def swap(match: re.Match[str]) -> str:
            token = match.group(0)
            return _PLACEHOLDER if _unmask_cipher_token(token) == secret else token

        return _TOKEN.sub(swap, body)


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached (restarting, failing over) is a temporary outage, not
    a bug: answer 503 with ``Retry-After`` so that load balancers and clients retry, and log it
    once per request. Other errors keep Django's normal 500 handling."""

    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import InterfaceError, OperationalError
        from django.utils.translation import gettext as _

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if is_lock_conflict(exception):
            # Two requests crossed (deadlock, serialisation failure): not an outage. The deal
            # moves retry once before it gets here (deals.domain.common.retry_on_lock_conflict).
            access_log.warning("lock conflict: %s", exception)
            return _error_response(request, 409, "conflict", lock_conflict_message(), [])
        access_log.warning("database unavailable: %s", exception)
        response = HttpResponse(
            _("The service is briefly unavailable. Please try again in a few seconds."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response


class HostileTextMiddleware:
    """Refuse a request whose query parameters or form fields hold text that cannot be stored
    (a NUL character, a lone surrogate: core.sanitize), before any view or query sees it: 422
    with a field error per bad field. API requests get the API's JSON error shape, pages the
    site's error page (web/templates/request_error.html) in the visitor's language.

    JSON bodies are checked where they are parsed, once: the API's parser
    (dualcirc.api.CheckedJSONParser). A page's form post goes on to its form, so that the error
    is shown beside the field with what was typed (every project form is a
    core.forms.SanitizedFormMixin; a lone surrogate cannot arrive in a form post: it is decoded
    as U+FFFD). Should the bad text reach the database anyway (a view that reads the post
    without a form), the driver's refusal is answered as before: 422, never 500.

    Placed after AuthenticationMiddleware, so that the error page knows who is signed in.
    """

    MARK = "_dualcirc_unstorable_post"

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        errors = _bad_fields(request.GET.lists())
        form_errors = self._bad_form(request)
        if form_errors and not _is_api(request) and not errors:
            setattr(request, self.MARK, form_errors)  # the page's form shows them
        else:
            errors.extend(form_errors)
        if errors:
            return self._refuse(request, errors)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        errors = getattr(request, self.MARK, None)
        if errors and is_unstorable_text_error(exception):
            return self._refuse(request, errors)
        return None

    @staticmethod
    def _bad_form(request: HttpRequest) -> list[FieldError]:
        content_type = request.content_type or ""
        if request.method in ("POST", "PUT", "PATCH") and content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            return _bad_fields(request.POST.lists())
        return []

    @staticmethod
    def _refuse(request: HttpRequest, errors: list[FieldError]) -> HttpResponse:
        from django.utils.translation import gettext as _

        errors_out = [e.as_dict() for e in errors]
        return _error_response(request, 422, "invalid", _("The input is not valid."), errors_out)


# SQLSTATEs of text PostgreSQL cannot store: character_not_in_repertoire (an invalid byte such
# as 0x00 in UTF-8), untranslatable_character (``\u0000`` in a JSON value).
UNSTORABLE_TEXT_SQLSTATES = frozenset({"22021", "22P05"})


def is_unstorable_text_error(exception: BaseException) -> bool:
    """Whether the database or its driver refused text it cannot store: PostgreSQL's SQLSTATE
    (:data:`UNSTORABLE_TEXT_SQLSTATES`), psycopg's own refusal of a NUL before sending (a
    ``psycopg.DataError`` of the client, which has no SQLSTATE), or a lone surrogate that
    cannot be encoded (``UnicodeEncodeError``). Follows the chain of causes: Django wraps the
    driver's error. Callers only ask this for a request that held such text."""
    try:
        import psycopg
    except ImportError:  # SQLite only: it stores both
        psycopg = None  # type: ignore[assignment]
    seen: BaseException | None = exception
    while seen is not None:
        if isinstance(seen, UnicodeEncodeError):
            return True
        sqlstate = getattr(seen, "sqlstate", None) or getattr(seen, "pgcode", None)
        if sqlstate in UNSTORABLE_TEXT_SQLSTATES:
            return True
        if psycopg is not None and isinstance(seen, psycopg.DataError) and sqlstate is None:
            return True
        seen = seen.__cause__
    return False


def _bad_fields(fields: Iterable[tuple[str, list[str]]]) -> list[FieldError]:
    """A field error for each (name, values) pair holding unstorable text; a bad name is not
    repeated back as the field."""
    errors = []
    for name, values in fields:
        found = find_bad_text([name, *values], None)
        if found:
            field = name if not text_problem(name) else None
            errors.append(FieldError(field=field, message=found[0].message))
    return errors


# The API's error shape, whatever went wrong ----------------------------------------------------

_API_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large",
              500: "server_error", 503: "unavailable"}  # fmt: skip


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _error_response(
    request: HttpRequest, status: int, code: str, message: str, errors: list[dict[str, Any]]
) -> HttpResponse:
    """The API's JSON error shape under ``/api/``; for a page, the site's error page
    (web/templates/request_error.html) in the visitor's language."""
    if _is_api(request):
        return JsonResponse({"code": code, "message": message, "errors": errors}, status=status)
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    titles = {
        409: _("Someone else changed this at the same time"),
        422: _("The input is not valid"),
    }
    context = {
        "status": status,
        "title": titles.get(status, message),
        "message": message,
        "errors": errors,
    }
    return render(request, "request_error.html", context, status=status)


class ApiErrorShapeMiddleware:
    """Every error under ``/api/`` in the API's JSON shape ``{code, message, errors}``, in
    development and production alike: an unknown path or method (Django's 404/405 pages), a
    request Django refuses before the API sees it (400), and an unexpected exception (500,
    logged with its traceback, never shown). Place it outermost but for the request id, so
    that it sees the final response."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            _is_api(request)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            from django.utils.translation import gettext as _

            messages = {
                404: _("Not found."),
                405: _("This method is not allowed here."),
                500: _("Something went wrong on the server; it has been logged."),
            }
            status = response.status_code
            code = _API_CODES.get(status, "error")
            message = messages.get(status) or _("The request was refused.")
            shaped = _error_response(request, status, code, message, [])
            for header in ("Retry-After", "Allow", "WWW-Authenticate"):
                if header in response:
                    shaped[header] = response[header]
            return shaped
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import InterfaceError, OperationalError

        if not _is_api(request) or isinstance(exception, (OperationalError, InterfaceError)):
            return None  # pages keep Django's handling; outages are DatabaseUnavailable's
        from django.utils.translation import gettext as _

        logging.getLogger("django.request").error(
            "Internal Server Error: %s", request.path, exc_info=exception
        )
        return _error_response(
            request,
            500,
            "server_error",
            _("Something went wrong on the server; it has been logged."),
            [],
        )
