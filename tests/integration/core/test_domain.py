"""Account rules: profile settings and API tokens (core/domain.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from dualcirc.core.access import AccessDenied
from dualcirc.core.api_auth import hash_token
from dualcirc.core.domain import create_api_token, revoke_api_token, update_profile
from dualcirc.core.enums import OrganisationKind
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.core.models import ApiToken
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def test_update_profile_saves_language_and_zone() -> None:
    user = make_user()

    update_profile(actor=user, preferred_language=" en ", time_zone="America/New_York")

    user.refresh_from_db()
    assert (user.preferred_language, user.time_zone) == ("en", "America/New_York")


def test_update_profile_names_every_bad_field_and_saves_nothing() -> None:
    user = make_user()

    with pytest.raises(InvalidInput) as caught:
        update_profile(actor=user, preferred_language="fr", time_zone="Asia/Peking City")

    assert caught.value.errors == [
        FieldError("preferred_language", "'fr' is not one of the site's languages."),
        FieldError(
            "time_zone", "'Asia/Peking City' is not a time zone name such as Asia/Shanghai."
        ),
    ]
    user.refresh_from_db()
    assert (user.preferred_language, user.time_zone) == ("", "Asia/Shanghai")


def test_update_profile_refuses_anonymous() -> None:
    with pytest.raises(AccessDenied):
        update_profile(actor=AnonymousUser(), preferred_language="", time_zone="UTC")


def test_create_api_token_stores_only_the_digest() -> None:
    user = make_user()

    raw = create_api_token(actor=user, name="  ERP sync ")

    token = ApiToken.objects.get(user=user)
    assert raw.startswith("dct_")
    assert (token.name, token.digest) == ("ERP sync", hash_token(raw))
    assert raw not in {token.name, token.digest}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Name the token after where it is used."),
        ("x" * 101, "A token name has at most 100 characters."),
    ],
)
def test_create_api_token_needs_a_usable_name(name: str, message: str) -> None:
    user = make_user()

    with pytest.raises(InvalidInput) as caught:
        create_api_token(actor=user, name=name)

    assert caught.value.errors == [FieldError("name", message)]
    assert not ApiToken.objects.exists()


def test_revoke_api_token_by_owner_deletes_it() -> None:
    user = make_user()
    create_api_token(actor=user, name="laptop")
    token = ApiToken.objects.get(user=user)

    revoke_api_token(actor=user, token=token)

    assert not ApiToken.objects.exists()


def test_revoke_api_token_by_operator_deletes_it() -> None:
    owner = make_user()
    operator = make_user(organisation=make_organisation(kind=OrganisationKind.OPERATOR))
    create_api_token(actor=owner, name="leaked")

    revoke_api_token(actor=operator, token=ApiToken.objects.get(user=owner))

    assert not ApiToken.objects.exists()


def test_revoke_api_token_by_someone_else_is_refused() -> None:
    owner = make_user()
    create_api_token(actor=owner, name="laptop")
    token = ApiToken.objects.get(user=owner)

    with pytest.raises(AccessDenied):
        revoke_api_token(actor=make_user(), token=token)

    assert ApiToken.objects.filter(pk=token.pk).exists()
