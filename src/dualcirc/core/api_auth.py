"""API authentication: a bearer token (``Authorization: Bearer <token>``) or the session."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, django_auth


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


class OptionalAuth:
    """Lets anonymous callers through (as AnonymousUser) for public reads."""

    def __call__(self, request: HttpRequest) -> Any:
        return request.user if request.user.is_authenticated else True


auth_methods = [TokenAuth(), django_auth]
public_auth = [TokenAuth(), django_auth, OptionalAuth()]
