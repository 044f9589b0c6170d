"""Who may do what at a fair, on the pages and in the API: the organiser, an exhibitor, a
visitor, an outsider (signed in, no part in the fair) and an anonymous caller. Each refusal is
checked together with what did not happen."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dualcirc.core.api_auth import issue_api_token
from dualcirc.fair import domain
from dualcirc.fair.enums import MeetingStatus, RegistrationStatus, Wish
from dualcirc.fair.models import Availability, Lead, Meeting, MeetingPreference
from tests.factories import make_user
from tests.factories.fair import FairWorld

pytestmark = pytest.mark.django_db


class World(FairWorld):
    """The factory's fair with one confirmed meeting (Berlin–oak) and one lead at oak's booth."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.berlin, self.new_york = self.visitors
        self.oak = self.exhibitors[0]
        self.outsider = make_user()
        domain.set_meeting_wish(
            actor=self.berlin.contact, owner=self.berlin, other=self.oak, wish=Wish.MUST
        )
        domain.run_scheduler(actor=self.organiser, fair=self.fair, time_limit_s=2)
        domain.publish_agendas(actor=self.organiser, fair=self.fair)
        self.meeting = Meeting.objects.get()
        self.lead = domain.create_lead(
            actor=self.berlin.contact, booth=self.oak.booth, message="Catalogue, please."
        )

    def people(self) -> dict[str, Any]:
        return {
            "organiser": self.organiser,
            "exhibitor": self.oak.contact,
            "visitor": self.berlin.contact,
            "outsider": self.outsider,
        }


def page_client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api(user: Any, method: str, url: str, body: Any = None) -> Any:
    headers = {}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {issue_api_token(user=user, name='t')}"
    call = getattr(Client(), method)
    if body is None:
        return call(url, **headers)
    return call(url, json.dumps(body), content_type="application/json", **headers)


# --- pages ---------------------------------------------------------------------------------------


def test_manage_page_is_the_organisers_only() -> None:
    world = World()
    url = f"/en/fair/{world.fair.pk}/manage/"

    seen = {who: page_client(u).get(url) for who, u in world.people().items()}
    anonymous = Client().get(url)

    assert "Run the scheduler" in seen["organiser"].content.decode()
    assert {who: r.status_code for who, r in seen.items() if who != "organiser"} == {
        "exhibitor": 403,
        "visitor": 403,
        "outsider": 403,
    }
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{reverse('login')}?next={url}"


def test_manage_actions_by_a_visitor_are_refused_and_change_nothing() -> None:
    world = World()
    url = f"/en/fair/{world.fair.pk}/manage/"
    visitor = page_client(world.berlin.contact)

    run = visitor.post(url, {"action": "run_scheduler"})
    decide = visitor.post(
        url, {"action": "decide", "registration": world.new_york.pk, "approve": "0"}
    )

    assert (run.status_code, decide.status_code) == (403, 403)
    world.new_york.refresh_from_db()
    assert world.new_york.status == RegistrationStatus.APPROVED
    assert list(Meeting.objects.values_list("pk", "status")) == [
        (world.meeting.pk, MeetingStatus.CONFIRMED)
    ]


def test_booth_edit_page_is_the_exhibitors_only() -> None:
    world = World()
    url = f"/en/fair/booths/{world.oak.booth.pk}/edit/"

    seen = {who: page_client(u).get(url) for who, u in world.people().items()}
    hijack = page_client(world.berlin.contact).post(url, {"headline": "hijacked"})

    assert "Catalogue, please." in seen["exhibitor"].content.decode()
    assert {who: r.status_code for who, r in seen.items() if who != "exhibitor"} == {
        "organiser": 403,
        "visitor": 403,
        "outsider": 403,
    }
    assert hijack.status_code == 403
    world.oak.booth.refresh_from_db()
    assert world.oak.booth.headline == ""


def test_meetings_page_is_for_approved_participants() -> None:
    world = World()
    url = f"/en/fair/{world.fair.pk}/meetings/"

    visitor = page_client(world.berlin.contact).get(url)
    outsider = page_client(world.outsider).get(url)
    outsider_post = page_client(world.outsider).post(
        url, {"availability": "2025-10-24 09:00 - 2025-10-24 10:00"}
    )

    assert "Whom do you want to meet?" in visitor.content.decode()
    assert (outsider.status_code, outsider["Location"]) == (302, f"/en/fair/{world.fair.pk}/")
    assert outsider_post.status_code == 302
    assert not Availability.objects.exists()


def test_agenda_shows_only_the_readers_own_meetings_and_only_sides_cancel() -> None:
    world = World()
    url = f"/en/fair/{world.fair.pk}/agenda/"
    title = f"Meeting with {world.oak.organisation.name}"

    mine = page_client(world.berlin.contact).get(url).content.decode()
    theirs = page_client(world.new_york.contact).get(url).content.decode()
    page_client(world.new_york.contact).post(f"/en/fair/meetings/{world.meeting.pk}/cancel/")
    page_client(world.outsider).post(f"/en/fair/meetings/{world.meeting.pk}/cancel/")

    assert title in mine
    assert title not in theirs and "Nothing on your agenda yet." in theirs
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.CONFIRMED


def test_a_draft_fair_is_hidden_from_everyone_but_its_organiser() -> None:
    world = World()
    draft = domain.create_fair(
        actor=world.organiser,
        organiser=world.organiser.memberships.get().organisation,
        name_zh="未发布的展会",
        starts_on=date(2025, 12, 1),
        ends_on=date(2025, 12, 2),
    )

    organiser = page_client(world.organiser).get(f"/en/fair/{draft.pk}/")
    visitor = page_client(world.berlin.contact).get(f"/en/fair/{draft.pk}/")
    listing = page_client(world.berlin.contact).get("/en/fair/").content.decode()
    api_visitor = api(world.berlin.contact, "get", f"/api/fairs/{draft.pk}")
    api_list = api(world.berlin.contact, "get", "/api/fairs").json()

    assert "未发布的展会" in organiser.content.decode()
    assert visitor.status_code == 404 and api_visitor.status_code == 404
    assert "未发布的展会" not in listing
    assert [f["id"] for f in api_list] == [world.fair.pk]


# --- API -----------------------------------------------------------------------------------------


def test_api_organiser_endpoints_refuse_everyone_else() -> None:
    world = World()
    fair = world.fair.pk

    stats = {who: api(u, "get", f"/api/fairs/{fair}/stats") for who, u in world.people().items()}
    schedule = {
        who: api(u, "post", f"/api/fairs/{fair}/schedule", {"time_limit_s": 1})
        for who, u in world.people().items()
        if who != "organiser"
    }
    publish = api(world.oak.contact, "post", f"/api/fairs/{fair}/publish-agendas")
    decide = api(
        world.berlin.contact,
        "post",
        f"/api/fair-registrations/{world.new_york.pk}/decision",
        {"approve": False},
    )
    anonymous = api(None, "get", f"/api/fairs/{fair}/stats")

    assert stats["organiser"].json()["meetings_confirmed"] == 1
    assert {who: r.status_code for who, r in stats.items()} == {
        "organiser": 200,
        "exhibitor": 403,
        "visitor": 403,
        "outsider": 403,
    }
    assert {who: r.status_code for who, r in schedule.items()} == {
        "exhibitor": 403,
        "visitor": 403,
        "outsider": 403,
    }
    assert (publish.status_code, decide.status_code, anonymous.status_code) == (403, 403, 401)
    assert decide.json()["code"] == "forbidden"
    world.new_york.refresh_from_db()
    assert world.new_york.status == RegistrationStatus.APPROVED


def test_api_wishes_and_availability_only_for_ones_own_registration() -> None:
    world = World()

    outsider_wish = api(
        world.outsider,
        "put",
        f"/api/fair-registrations/{world.berlin.pk}/wishes",
        {"other": world.oak.pk, "wish": "no"},
    )
    other_visitor_wish = api(
        world.new_york.contact,
        "put",
        f"/api/fair-registrations/{world.berlin.pk}/wishes",
        {"other": world.oak.pk, "wish": "no"},
    )
    exhibitor_availability = api(
        world.oak.contact,
        "put",
        f"/api/fair-registrations/{world.berlin.pk}/availability",
        {"intervals": [{"start": "2025-10-24T09:00:00+02:00", "end": "2025-10-24T10:00:00+02:00"}]},
    )
    own = api(
        world.berlin.contact,
        "put",
        f"/api/fair-registrations/{world.berlin.pk}/wishes",
        {"other": world.new_york.pk, "wish": "would"},
    )

    assert [r.status_code for r in (outsider_wish, other_visitor_wish)] == [403, 403]
    assert exhibitor_availability.status_code == 403
    assert own.status_code == 204
    assert sorted(MeetingPreference.objects.values_list("owner_id", "other_id", "wish")) == sorted(
        [(world.berlin.pk, world.oak.pk, "must"), (world.berlin.pk, world.new_york.pk, "would")]
    )
    assert not Availability.objects.exists()


def test_api_cancel_is_for_the_two_sides_and_the_organiser() -> None:
    world = World()
    url = f"/api/fair-meetings/{world.meeting.pk}/cancel"

    outsider = api(world.outsider, "post", url)
    other_visitor = api(world.new_york.contact, "post", url)
    status_after_refusals = Meeting.objects.get().status
    organiser = api(world.organiser, "post", url)
    again = api(world.oak.contact, "post", url)

    assert (outsider.status_code, other_visitor.status_code) == (404, 404)  # ids not confirmed
    assert status_after_refusals == MeetingStatus.CONFIRMED
    assert organiser.json() == {"id": world.meeting.pk, "status": "cancelled"}
    assert again.status_code == 409  # already cancelled
    assert Meeting.objects.get().cancelled_by == world.organiser


def test_api_leads_are_read_and_answered_by_the_exhibitor_only() -> None:
    world = World()
    booth = world.oak.booth.pk

    readers = {
        who: api(u, "get", f"/api/booths/{booth}/leads") for who, u in world.people().items()
    }
    visitor_answer = api(
        world.berlin.contact, "post", f"/api/fair-leads/{world.lead.pk}/answer", {"answer": "x"}
    )
    exhibitor_answer = api(
        world.oak.contact, "post", f"/api/fair-leads/{world.lead.pk}/answer", {"answer": "Sent."}
    )

    assert [lead["message"] for lead in readers["exhibitor"].json()] == ["Catalogue, please."]
    assert {who: r.status_code for who, r in readers.items()} == {
        "organiser": 403,
        "exhibitor": 200,
        "visitor": 403,
        "outsider": 403,
    }
    assert visitor_answer.status_code == 403
    assert exhibitor_answer.json()["answer"] == "Sent."
    assert Lead.objects.get().answered_by == world.oak.contact
