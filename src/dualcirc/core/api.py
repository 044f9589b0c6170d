"""Accounts in the JSON API: who am I, and my API tokens (docs/api.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.contrib.auth import authenticate
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError
from pydantic import ConfigDict

from dualcirc.core import twofactor
from dualcirc.core.access import is_operator
from dualcirc.core.api_auth import hash_token, public_auth
from dualcirc.core.audit import record_event
from dualcirc.core.domain import create_api_token, revoke_api_token
from dualcirc.core.enums import AuditAction, OrganisationKind, Role
from dualcirc.core.errors import DomainError
from dualcirc.core.models import ApiToken, User
from dualcirc.core.sanitize import column_length, text_limit
from dualcirc.core.signin import SignInRefused, check_sign_in_allowed
from dualcirc.ops.context import client_address

router = Router(tags=["accounts"])


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"


class TooManyFailures(DomainError):
    """429, with ``Retry-After`` from ``retry_after`` (seconds)."""

    status = 429
    code = "too_many_failures"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TwoFactorRequired(DomainError):
    status = 403
    code = "two_factor_required"


class OrganisationOut(Schema):
    id: int
    name: str
    name_en: str
    kind: OrganisationKind
    role: Role
    region: str | None = Field(description="Code of the organisation's region.")


class MeOut(Schema):
    id: int
    username: str
    email: str
    first_name: str
    last_name: str
    preferred_language: str
    time_zone: str
    is_operator: bool
    organisations: list[OrganisationOut]


class TokenCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, column_length(ApiToken, "name")] = Field(
        "API token", description="Where the token is used, e.g. ERP sync."
    )
    username: Annotated[str, column_length(User, "username")] | None = Field(
        None, description="With password: sign in without a session."
    )
    password: Annotated[str, text_limit("password")] | None = None


class TokenOut(Schema):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The raw token; shown this once, only a digest is kept.")


@router.get("/me", response=MeOut, summary="The caller and their organisations")
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    memberships = user.memberships.select_related("organisation__region").order_by(
        "organisation__name", "organisation_id"
    )
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
        "time_zone": user.time_zone,
        "is_operator": is_operator(user),
        "organisations": [
            {
                "id": m.organisation.pk,
                "name": m.organisation.name,
                "name_en": m.organisation.name_en,
                "kind": m.organisation.kind,
                "role": m.role,
                "region": m.organisation.region.code if m.organisation.region else None,
            }
            for m in memberships
        ],
    }


@router.post(
    "/tokens",
    response={201: TokenCreatedOut},
    auth=public_auth,
    summary="Create an API token (signed in, or with username and password)",
)
def create_token(request: HttpRequest, payload: TokenCreateIn) -> Status[dict[str, Any]]:
    user: Any = request.user
    if payload.username is not None or payload.password is not None:
        # The same lock-out as the sign-in page; accounts with two-factor sign-in create
        # tokens from a signed-in session only (a password alone must not be enough).
        username = payload.username or ""
        try:
            check_sign_in_allowed(username=username, address=client_address(request))
        except SignInRefused as exc:
            record_event(action=AuditAction.SIGN_IN_REFUSED, username=username, request=request)
            raise TooManyFailures(str(exc), retry_after=exc.retry_after) from exc
        user = authenticate(request, username=username, password=payload.password or "")
        if user is None:
            raise InvalidCredentials(_("The username or password is wrong."))
        if twofactor.is_enabled(user):
            raise TwoFactorRequired(
                _(
                    "This account uses two-factor sign-in: sign in on the site and create the "
                    "token on your profile page."
                )
            )
    elif not user.is_authenticated:
        raise AuthenticationError()
    raw = create_api_token(actor=user, name=payload.name)
    token = ApiToken.objects.get(digest=hash_token(raw))
    return Status(
        201,
        {
            "id": token.pk,
            "name": token.name,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
            "token": raw,
        },
    )


@router.get("/tokens", response=list[TokenOut], summary="The caller's API tokens")
def list_tokens(request: HttpRequest) -> Any:
    user: Any = request.user
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke one of your tokens")
def delete_token(request: HttpRequest, token_id: int) -> Status[None]:
    user: Any = request.user
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise Http404(_("You have no token with this id."))
    revoke_api_token(actor=request.user, token=token)
    return Status(204, None)
