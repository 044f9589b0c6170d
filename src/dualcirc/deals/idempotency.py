"""Idempotent API creates: a retried request with the same ``Idempotency-Key`` gets the first
answer again and never makes a second row."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dualcirc.core.errors import Conflict, InvalidInput
from dualcirc.deals.models import IdempotencyKey

MAX_KEY_LENGTH = 100


def fingerprint(payload: Any) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()


def run_once(
    *,
    user: Any,
    key: str | None,
    scope: str,
    payload: Any,
    create: Callable[[], tuple[int, dict[str, Any]]],
) -> tuple[int, dict[str, Any]]:
    """Call ``create`` (returning status and JSON body) once per (user, scope, key).

    Without a key, just calls it. With one: a stored answer is returned as it was; the same key
    with another payload is refused (InvalidInput); the create and the stored answer commit
    together, so two concurrent retries yield one row and the loser returns the winner's answer.
    Domain errors are not stored: the caller may fix the input and retry with the same key.
    """
    if not key:
        return create()
    key = key.strip()
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(_("The Idempotency-Key header is longer than 100 characters."))
    digest = fingerprint(payload)

    def stored() -> tuple[int, dict[str, Any]] | None:
        found = IdempotencyKey.objects.filter(user=user, scope=scope, key=key).first()
        if found is None:
            return None
        if found.fingerprint != digest:
            raise InvalidInput(_("This Idempotency-Key was already used for a different request."))
        return found.status, found.response

    answer = stored()
    if answer is not None:
        return answer
    try:
        with transaction.atomic():
            status, body = create()
            IdempotencyKey.objects.create(
                user=user,
                scope=scope,
                key=key,
                fingerprint=digest,
                status=status,
                response=json.loads(json.dumps(body, default=str)),
            )
    except (IntegrityError, Conflict):
        # A concurrent request with the same key won: answer as it did.
        answer = stored()
        if answer is None:
            raise
        return answer
    return status, body
