"""The organiser's set-up API: halls, rooms, sessions and meeting slots — created by the
fair's organiser only, refused with field-named errors, read back in the fair's terms."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from dualcirc.core.api_auth import issue_api_token
from dualcirc.fair.enums import MeetingStatus
from dualcirc.fair.models import Hall, Meeting, MeetingSlot, Room, Session
from tests.factories.fair import FairWorld

pytestmark = pytest.mark.django_db


def call(method: str, url: str, user: Any, body: dict[str, Any] | None = None) -> Any:
    token = issue_api_token(user=user, name="t")
    client = Client()
    return getattr(client, method)(
        url,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def fields(response: Any) -> list[str | None]:
    return [e["field"] for e in response.json()["errors"]]


def test_organiser_adds_a_hall_and_everyone_who_sees_the_fair_lists_it() -> None:
    world = FairWorld()
    url = f"/api/fairs/{world.fair.pk}/halls"

    made = call("post", url, world.organiser, {"name_zh": "纺织馆", "name_en": "Textiles"})
    listed = Client().get(url)

    assert made.status_code == 201
    assert made.json()["name_en"] == "Textiles"
    assert [h["name_zh"] for h in listed.json()] == ["家具馆", "纺织馆"]


def test_hall_without_a_chinese_name_is_refused_naming_the_field() -> None:
    world = FairWorld()

    response = call("post", f"/api/fairs/{world.fair.pk}/halls", world.organiser, {"name_zh": "  "})

    assert response.status_code == 422
    assert fields(response) == ["name_zh"]
    assert Hall.objects.filter(fair=world.fair).count() == 1


def test_exhibitor_and_visitor_cannot_set_up_the_fair() -> None:
    world = FairWorld()
    base = f"/api/fairs/{world.fair.pk}"
    exhibitor, visitor = world.exhibitors[0].contact, world.visitors[0].contact

    answers = [
        call("post", f"{base}/halls", exhibitor, {"name_zh": "馆"}).status_code,
        call("post", f"{base}/rooms", visitor, {"name": "R"}).status_code,
        call(
            "post",
            f"{base}/sessions",
            exhibitor,
            {
                "title_zh": "路演",
                "starts_at": "2025-10-24T10:00:00+08:00",
                "ends_at": "2025-10-24T11:00:00+08:00",
            },
        ).status_code,
        call(
            "put",
            f"{base}/meeting-slots",
            visitor,
            {"slot_minutes": 15, "start": "09:00", "end": "10:00", "meeting_cap": 3},
        ).status_code,
        call("get", f"{base}/rooms", visitor).status_code,
        call("get", f"{base}/meeting-slots", exhibitor).status_code,
    ]

    assert answers == [403, 403, 403, 403, 403, 403]
    assert (Hall.objects.count(), Room.objects.count(), Session.objects.count()) == (1, 1, 0)


def test_organiser_adds_a_video_room_and_reads_the_rooms() -> None:
    world = FairWorld()
    url = f"/api/fairs/{world.fair.pk}/rooms"

    made = call(
        "post",
        url,
        world.organiser,
        {"name": "Video 1", "kind": "video", "capacity": 4, "link": "https://meet.example/1"},
    )
    rooms = call("get", url, world.organiser).json()

    assert made.status_code == 201
    assert [(r["name"], r["kind"], r["capacity"]) for r in rooms] == [
        ("A", "table", 2),
        ("Video 1", "video", 4),
    ]


def test_bad_room_names_every_wrong_field() -> None:
    world = FairWorld()

    response = call(
        "post",
        f"/api/fairs/{world.fair.pk}/rooms",
        world.organiser,
        {"name": "", "kind": "tent", "capacity": 0, "link": "ftp://x"},
    )

    assert response.status_code == 422
    assert sorted(f or "" for f in fields(response)) == ["capacity", "kind", "link", "name"]


def test_organiser_adds_a_session_in_a_hall_stored_in_utc() -> None:
    world = FairWorld()

    response = call(
        "post",
        f"/api/fairs/{world.fair.pk}/sessions",
        world.organiser,
        {
            "title_zh": "莱西家具路演",
            "title_en": "Laixi furniture roadshow",
            "starts_at": "2025-10-24T10:00:00+08:00",
            "ends_at": "2025-10-24T11:00:00+08:00",
            "hall": world.hall.pk,
            "capacity": 50,
            "speakers": ["王经理"],
        },
    )

    assert response.status_code == 201
    assert response.json()["hall"] == world.hall.pk
    session = Session.objects.get()
    assert session.starts_at == datetime(2025, 10, 24, 2, 0, tzinfo=UTC)
    assert (session.hall, session.capacity, session.speakers) == (world.hall, 50, ["王经理"])


def test_session_errors_name_their_fields() -> None:
    world = FairWorld()
    other = FairWorld()
    url = f"/api/fairs/{world.fair.pk}/sessions"

    backwards = call(
        "post",
        url,
        world.organiser,
        {
            "title_zh": "",
            "starts_at": "2025-10-24T11:00:00+08:00",
            "ends_at": "2025-10-24T10:00:00+08:00",
            "capacity": 0,
        },
    )
    naive = call(
        "post",
        url,
        world.organiser,
        {"title_zh": "路演", "starts_at": "2025-10-24T10:00", "ends_at": "2025-10-24T11:00"},
    )
    foreign_hall = call(
        "post",
        url,
        world.organiser,
        {
            "title_zh": "路演",
            "starts_at": "2025-10-24T10:00:00+08:00",
            "ends_at": "2025-10-24T11:00:00+08:00",
            "hall": other.hall.pk,
        },
    )

    assert (backwards.status_code, naive.status_code, foreign_hall.status_code) == (422,) * 3
    assert fields(backwards) == ["title_zh", "ends_at", "capacity"]
    assert fields(naive) == ["starts_at", "ends_at"]
    assert fields(foreign_hall) == ["hall"]
    assert Session.objects.count() == 0


def test_meeting_slots_are_set_in_the_fairs_zone_and_read_back() -> None:
    world = FairWorld()
    url = f"/api/fairs/{world.fair.pk}/meeting-slots"

    response = call(
        "put",
        url,
        world.organiser,
        {
            "slot_minutes": 20,
            "start": "09:00",
            "end": "10:00",
            "meeting_cap": 5,
            "days": ["2025-10-24"],
        },
    )
    read = call("get", url, world.organiser).json()

    assert response.status_code == 200
    assert (read["time_zone"], read["slot_minutes"], read["meeting_cap"]) == (
        "Asia/Shanghai",
        20,
        5,
    )
    assert [s["starts_at"] for s in read["slots"]] == [
        "2025-10-24T01:00:00Z",
        "2025-10-24T01:20:00Z",
        "2025-10-24T01:40:00Z",
    ]


def test_meeting_slot_errors_name_fields_and_published_slots_cannot_move() -> None:
    world = FairWorld()
    url = f"/api/fairs/{world.fair.pk}/meeting-slots"
    bad = call(
        "put",
        url,
        world.organiser,
        {
            "slot_minutes": 25,
            "start": "10:00",
            "end": "09:00",
            "meeting_cap": 0,
            "days": ["2030-01-01"],
        },
    )
    slot = MeetingSlot.objects.filter(fair=world.fair).first()
    assert slot is not None
    Meeting.objects.create(
        fair=world.fair,
        slot=slot,
        first=world.visitors[0],
        second=world.exhibitors[0],
        status=MeetingStatus.CONFIRMED,
    )

    moved = call(
        "put",
        url,
        world.organiser,
        {"slot_minutes": 15, "start": "08:00", "end": "09:00", "meeting_cap": 3},
    )

    assert bad.status_code == 422
    assert fields(bad) == ["slot_minutes", "end", "meeting_cap", "days"]
    assert moved.status_code == 409
    assert MeetingSlot.objects.filter(pk=slot.pk).exists()
