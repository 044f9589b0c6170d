"""Business rules of people's own accounts: profile settings and API tokens.

Pages and the API parse input and call these functions; they check who may act (core.access)
and raise InvalidInput naming the bad field.
"""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from dualcirc.core.access import can_manage_api_token, require
from dualcirc.core.api_auth import issue_api_token
from dualcirc.core.audit import record_event
from dualcirc.core.enums import AuditAction
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.core.models import ApiToken, User

TOKEN_NAME_MAX = ApiToken._meta.get_field("name").max_length or 100


@cache
def available_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _require_signed_in(actor: Any) -> None:
    require(
        bool(getattr(actor, "is_authenticated", False) and actor.is_active),
        _("Sign in first."),
    )


@transaction.atomic
def update_profile(*, actor: Any, preferred_language: str, time_zone: str) -> User:
    """Set the actor's preferred UI language ("" = follow the page) and time zone.

    Raises InvalidInput naming ``preferred_language`` (not one of settings.LANGUAGES) or
    ``time_zone`` (not an IANA zone name). Writes only the actor's own user row.
    """
    _require_signed_in(actor)
    preferred_language = (preferred_language or "").strip()
    time_zone = (time_zone or "").strip()
    errors: list[FieldError] = []
    if preferred_language and preferred_language not in dict(settings.LANGUAGES):
        errors.append(
            FieldError(
                field="preferred_language",
                message=_("%(code)r is not one of the site's languages.")
                % {"code": preferred_language},
            )
        )
    if time_zone not in available_time_zones():
        errors.append(
            FieldError(
                field="time_zone",
                message=_("%(zone)r is not a time zone name such as Asia/Shanghai.")
                % {"zone": time_zone},
            )
        )
    if errors:
        raise InvalidInput(_("The profile is not valid."), errors)
    actor.preferred_language = preferred_language
    actor.time_zone = time_zone
    actor.save(update_fields=["preferred_language", "time_zone"])
    return actor


@transaction.atomic
def create_api_token(*, actor: Any, name: str) -> str:
    """Issue an API token named ``name`` for the actor and return its raw value.

    Side effects: an ApiToken row, an audit entry ``api_token_created``.
    The raw value is returned once and never stored (only its SHA-256 digest is kept), so the
    caller must show it now. Raises InvalidInput naming ``name`` when it is empty or too long.
    """
    _require_signed_in(actor)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(
            _("The token needs a name."),
            [FieldError(field="name", message=_("Name the token after where it is used."))],
        )
    if len(name) > TOKEN_NAME_MAX:
        raise InvalidInput(
            _("The token name is too long."),
            [
                FieldError(
                    field="name",
                    message=_("A token name has at most %(n)d characters.") % {"n": TOKEN_NAME_MAX},
                )
            ],
        )
    raw = issue_api_token(user=actor, name=name)
    record_event(action=AuditAction.API_TOKEN_CREATED, actor=actor, summary=name)
    return raw


@transaction.atomic
def revoke_api_token(*, actor: Any, token: ApiToken) -> None:
    """Delete ``token``: requests bearing it are refused from now on.

    Raises AccessDenied unless the actor owns the token or is the platform operator.
    """
    require(can_manage_api_token(actor, token), _("Only the owner of a token may revoke it."))
    record_event(
        action=AuditAction.API_TOKEN_REVOKED,
        actor=actor,
        target=f"core.apitoken:{token.pk} user={token.user_id}",
        summary=token.name,
    )
    token.delete()
