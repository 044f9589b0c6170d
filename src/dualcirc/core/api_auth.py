"""API authentication: a bearer token (``Authorization: Bearer <token>``) or the session.

- A bearer token is not an ambient credential (a browser never sends it by itself), so requests
  authenticated by a token skip the CSRF check.
- A request authenticated by the session cookie must pass Django's CSRF check on unsafe methods
  (the ``X-CSRFToken`` header with the ``csrftoken`` cookie's value), as django-ninja's own
  session auth does. A caller without a signed-in session has nothing to forge, so it gets a 401,
  not a CSRF 403.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_api_token(*, user: Any, name: str) -> str:
    """Create a token for ``user`` and return its raw value (shown once; only a digest is kept)."""
    from dualcirc.core.models import ApiToken

    raw = "dct_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=hash_token(raw))
    return raw


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from dualcirc.core.models import ApiToken

        found = ApiToken.objects.select_related("user").filter(digest=hash_token(token)).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The signed-in session, with Django's CSRF check on unsafe methods."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # Only a signed-in session can be forged; anonymous callers fall through to a 401.
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


class OptionalAuth:
    """Lets anonymous callers through (as AnonymousUser) for public reads.

    A caller that sends an ``Authorization`` header the other methods refused is not let through:
    a wrong or revoked token answers 401 instead of silently reading as anonymous.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if request.user.is_authenticated:
            return request.user
        return "Authorization" not in request.headers


session_auth = SessionAuth()
auth_methods = [TokenAuth(), session_auth]
public_auth = [TokenAuth(), session_auth, OptionalAuth()]
