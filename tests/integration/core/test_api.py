"""The account endpoints of the JSON API: /api/me and /api/tokens."""

from __future__ import annotations

import pytest
from django.test import Client

from dualcirc.core.api_auth import hash_token
from dualcirc.core.enums import OrganisationKind, Role
from dualcirc.core.models import ApiToken, Membership
from tests.factories import PASSWORD, make_enterprise, make_organisation, make_region, make_user
from tests.factories.api import bearer, make_operator

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, payload: object, **kwargs: object):
    return client.post(path, payload, content_type="application/json", **kwargs)


def test_me_returns_the_user_and_their_organisations(client: Client):
    region = make_region(code="370285")
    enterprise = make_enterprise(name_zh="莱西木业", name_en="Laixi Woodworks", region=region)
    user = make_user(
        username="wang", organisation=enterprise.organisation, role=Role.ADMIN, first_name="伟"
    )
    buyer = make_organisation(kind=OrganisationKind.BUYER, name="Acme Imports")
    Membership.objects.create(user=user, organisation=buyer, role=Role.MEMBER)

    response = client.get("/api/me", headers=bearer(user))

    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "username": "wang",
        "email": "wang@example.com",
        "first_name": "伟",
        "last_name": "",
        "preferred_language": "",
        "time_zone": "Asia/Shanghai",
        "is_operator": False,
        "organisations": [
            {
                "id": buyer.pk,
                "name": "Acme Imports",
                "name_en": "",
                "kind": "buyer",
                "role": "member",
                "region": None,
            },
            {
                "id": enterprise.organisation_id,
                "name": "莱西木业",
                "name_en": "Laixi Woodworks",
                "kind": "enterprise",
                "role": "admin",
                "region": "370285",
            },
        ],
    }


def test_me_with_a_session(client: Client):
    operator = make_operator(username="ops")
    client.force_login(operator)

    body = client.get("/api/me").json()

    assert body["username"] == "ops"
    assert body["is_operator"] is True
    assert [o["kind"] for o in body["organisations"]] == ["operator"]


def test_me_anonymous_is_401(client: Client):
    response = client.get("/api/me")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response.json()["errors"] == []


def test_token_create_with_credentials_returns_the_raw_token_once(client: Client):
    user = make_user(username="li")

    response = _post(
        client, "/api/tokens", {"username": "li", "password": PASSWORD, "name": "ERP sync"}
    )

    assert response.status_code == 201
    body = response.json()
    token = ApiToken.objects.get(user=user)
    assert body["id"] == token.pk
    assert body["name"] == "ERP sync"
    assert body["last_used_at"] is None
    assert body["token"].startswith("dct_")
    assert token.digest == hash_token(body["token"])
    assert body["token"] not in token.digest
    me = client.get("/api/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json()["username"] == "li"


def test_token_create_with_a_session(client: Client):
    user = make_user()
    client.force_login(user)

    response = _post(client, "/api/tokens", {"name": "laptop"})

    assert response.status_code == 201
    assert list(ApiToken.objects.filter(user=user).values_list("name", flat=True)) == ["laptop"]


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "li", "password": "wrong"},
        {"username": "nobody", "password": PASSWORD},
        {"username": "li"},
    ],
)
def test_token_create_with_bad_credentials_is_401(client: Client, credentials: dict[str, str]):
    make_user(username="li")

    response = _post(client, "/api/tokens", credentials)

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert response.json()["message"] != ""
    assert not ApiToken.objects.exists()


def test_token_create_for_an_inactive_user_is_401(client: Client):
    make_user(username="li", is_active=False)

    response = _post(client, "/api/tokens", {"username": "li", "password": PASSWORD})

    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_token_create_anonymous_without_credentials_is_401(client: Client):
    response = _post(client, "/api/tokens", {"name": "x"})

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"name": ""}, "name"), ({"name": "x" * 101}, "name"), ({"scope": "all"}, "scope")],
)
def test_token_create_invalid_input_is_422_naming_field(client: Client, payload, field):
    client.force_login(make_user())

    response = _post(client, "/api/tokens", payload)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert not ApiToken.objects.exists()


def test_token_list_shows_the_callers_tokens_without_secrets(client: Client):
    user, other = make_user(), make_user()
    headers = bearer(user)
    _post(client, "/api/tokens", {"name": "second"}, headers=headers)
    bearer(other)

    response = client.get("/api/tokens", headers=headers)

    body = response.json()
    assert [t["name"] for t in body] == ["second", "test"]
    assert all(set(t) == {"id", "name", "created_at", "last_used_at"} for t in body)
    used = next(t for t in body if t["name"] == "test")
    assert used["last_used_at"] is not None


def test_token_delete_revokes_it(client: Client):
    user = make_user()
    headers = bearer(user)
    token = ApiToken.objects.get(user=user)

    response = client.delete(f"/api/tokens/{token.pk}", headers=headers)

    assert response.status_code == 204
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert client.get("/api/me", headers=headers).status_code == 401


def test_token_delete_of_someone_elses_token_is_404(client: Client):
    user, other = make_user(), make_user()
    bearer(other)
    others_token = ApiToken.objects.get(user=other)

    response = client.delete(f"/api/tokens/{others_token.pk}", headers=bearer(user))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert ApiToken.objects.filter(pk=others_token.pk).exists()


def test_token_endpoints_anonymous_are_401(client: Client):
    token_owner = make_user()
    bearer(token_owner)
    token = ApiToken.objects.get()

    listed = client.get("/api/tokens")
    deleted = client.delete(f"/api/tokens/{token.pk}")

    assert (listed.status_code, deleted.status_code) == (401, 401)
    assert ApiToken.objects.filter(pk=token.pk).exists()
