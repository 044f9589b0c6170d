"""Fair and account API bodies are bounded field by field (core.sanitize: the column's length or
range, TEXT_LIMITS for free text and lists), answered 422 naming the field, and the OpenAPI
document states the limits."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from dualcirc.core.api_auth import issue_api_token
from dualcirc.core.models import ApiToken
from dualcirc.core.sanitize import TEXT_LIMITS
from dualcirc.fair.models import Hall, Room, Session
from tests.factories.api import make_operator
from tests.factories.fair import FairWorld

pytestmark = pytest.mark.django_db


def call(method: str, url: str, user: Any, body: dict[str, Any]) -> Any:
    token = issue_api_token(user=user, name="t")
    return getattr(Client(), method)(
        url,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def fields(response: Any) -> list[str | None]:
    assert response.status_code == 422, response.content[:300]
    return [e["field"] for e in response.json()["errors"]]


def test_a_hall_name_longer_than_its_column_is_422():
    world = FairWorld()
    halls = Hall.objects.count()

    response = call(
        "post", f"/api/fairs/{world.fair.pk}/halls", world.organiser, {"name_zh": "馆" * 201}
    )

    assert fields(response) == ["name_zh"]
    assert Hall.objects.count() == halls


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("description", "x" * (TEXT_LIMITS["description"] + 1)),
        ("speakers", ["Li Wei"] * (TEXT_LIMITS["list"] + 1)),
        ("title_zh", "路" * 201),
        ("capacity", 10**12),
        ("link", "https://example.com/" + "a" * 200),
    ],
)
def test_a_session_field_past_its_limit_is_422_naming_it(field: str, value: Any):
    world = FairWorld()
    body = {
        "title_zh": "路演",
        "starts_at": "2030-10-24T10:00:00+08:00",
        "ends_at": "2030-10-24T11:00:00+08:00",
        field: value,
    }

    response = call("post", f"/api/fairs/{world.fair.pk}/sessions", world.organiser, body)

    assert fields(response) == [field]
    assert Session.objects.filter(title_zh="路演").count() == 0


def test_a_room_capacity_past_its_column_is_422():
    world = FairWorld()

    response = call(
        "post",
        f"/api/fairs/{world.fair.pk}/rooms",
        world.organiser,
        {"name": "Room Z", "capacity": 40000},
    )

    assert fields(response) == ["capacity"]
    assert not Room.objects.filter(name="Room Z").exists()


def test_a_token_name_or_password_past_its_limit_is_422():
    user = make_operator()
    tokens = ApiToken.objects.count()

    long_name = call("post", "/api/tokens", user, {"name": "n" * 101})
    long_password = Client().post(
        "/api/tokens",
        {"username": user.username, "password": "p" * 5000},
        content_type="application/json",
    )

    assert fields(long_name) == ["name"]
    assert fields(long_password) == ["password"]
    assert ApiToken.objects.count() == tokens + 1  # only the token the first call signed in with


def test_the_openapi_document_states_the_limits():
    schemas = Client().get("/api/openapi.json").json()["components"]["schemas"]

    assert schemas["HallIn"]["properties"]["name_zh"]["maxLength"] == 200
    assert schemas["SessionIn"]["properties"]["description"]["maxLength"] == 20000
    assert schemas["SessionIn"]["properties"]["speakers"]["maxItems"] == 100
    assert schemas["SessionIn"]["properties"]["speakers"]["items"]["maxLength"] == 100
    assert schemas["RoomIn"]["properties"]["capacity"]["maximum"] == 32767
    assert schemas["ScheduleIn"]["properties"]["time_limit_s"]["maximum"] == 60
    assert schemas["LeadIn"]["properties"]["message"]["maxLength"] == TEXT_LIMITS["message"]
    assert schemas["RegistrationIn"]["properties"]["note"]["maxLength"] == TEXT_LIMITS["reason"]
    assert schemas["TokenCreateIn"]["properties"]["name"]["maxLength"] == 100
