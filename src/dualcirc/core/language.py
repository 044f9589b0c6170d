"""The interface language follows the reader from page to page.

Every page lives under a language prefix (/zh-hans/, /en/, /vi/); an address without one
(``/``, ``/admin/``, a link typed by hand) is sent by Django's LocaleMiddleware to the language
of the language cookie, else of the browser, else Chinese. Django sets that cookie only when the
language switcher is used, so someone who arrived on /en/ or /vi/ by a link was sent to the
Chinese site by ``/admin/``. This middleware keeps the cookie at the language of the last page
read, so that unprefixed addresses, sign-in, sign-out and the admin continue in it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language_from_path


def remember_language(response: HttpResponse, language: str) -> None:
    """Set the language cookie as Django's own language switcher (``set_language``) does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class RememberLanguageMiddleware:
    """Remember the language of each page read under a language prefix in the language cookie
    (only when it changes, so that most responses set no cookie and stay cacheable)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = get_language_from_path(request.path_info)
        if (
            language
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
            and settings.LANGUAGE_COOKIE_NAME not in response.cookies  # the switcher's choice
        ):
            remember_language(response, language)
        return response
