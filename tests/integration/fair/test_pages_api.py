"""Fair pages and API: organiser, exhibitor and visitor flows in both UI languages, times in
each reader's zone, permissions."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from dualcirc.core.api_auth import issue_api_token
from dualcirc.fair import domain
from dualcirc.fair.enums import MeetingStatus, RegistrationStatus, Wish
from dualcirc.fair.models import BoothVisit, Lead, Meeting, Registration, SessionRegistration
from tests.factories import make_enterprise, make_user
from tests.factories.fair import FairWorld

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='t')}"}


def test_organiser_page_runs_scheduler_and_publishes_in_chinese() -> None:
    world = FairWorld()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    domain.set_meeting_wish(actor=berlin.contact, owner=berlin, other=oak, wish=Wish.MUST)
    client = signed_in(world.organiser)
    url = f"/zh-hans/fair/{world.fair.pk}/manage/"

    run = client.post(url, {"action": "run_scheduler"}, follow=True)
    publish = client.post(url, {"action": "publish_agendas"}, follow=True)

    assert run.status_code == 200
    world.fair.refresh_from_db()
    assert world.fair.last_run["placed"] == 1
    assert Meeting.objects.get().status == MeetingStatus.CONFIRMED
    assert "0 / 1 / 0" in publish.content.decode()


def test_visitor_pages_book_session_see_agenda_in_own_zone_in_english() -> None:
    world = FairWorld()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    slot = world.fair.slots.order_by("starts_at").last()
    assert slot is not None
    Meeting.objects.create(
        fair=world.fair, slot=slot, first=berlin, second=oak, status=MeetingStatus.CONFIRMED
    )
    from datetime import UTC, datetime

    session = domain.create_session(
        actor=world.organiser,
        fair=world.fair,
        title_zh="莱西家具路演",
        title_en="Laixi furniture roadshow",
        starts_at=datetime(2025, 10, 24, 2, 0, tzinfo=UTC),
        ends_at=datetime(2025, 10, 24, 3, 0, tzinfo=UTC),
        capacity=1,
    )
    client = signed_in(berlin.contact)

    detail = client.get(f"/en/fair/{world.fair.pk}/").content.decode()
    client.post(f"/en/fair/sessions/{session.pk}/book/")
    full = signed_in(world.visitors[1].contact).post(
        f"/en/fair/sessions/{session.pk}/book/", follow=True
    )
    agenda = client.get(f"/en/fair/{world.fair.pk}/agenda/").content.decode()

    # 02:00 UTC in Berlin summer time, as an English page writes times (babel: "4:00\u202fAM")
    assert "Oct 24, 2025, 4:00\u202fAM–5:00\u202fAM" in detail
    assert "Times are in your time zone, Europe/Berlin." in detail
    assert SessionRegistration.objects.get().user == berlin.contact
    assert "This session is full." in full.content.decode()
    assert "Oct 24, 2025, 4:00\u202fAM–5:00\u202fAM" in agenda
    assert "Laixi furniture roadshow" in agenda
    assert f"Meeting with {oak.organisation.name}" in agenda
    # 16:30 Shanghai = 08:30 UTC = 09:30 CET
    assert "Oct 27, 2025, 9:30\u202fAM–10:00\u202fAM" in agenda


def test_booth_counts_visits_and_exhibitor_answers_lead() -> None:
    world = FairWorld()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    booth = oak.booth
    visitor = signed_in(berlin.contact)

    page = visitor.get(f"/en/fair/booths/{booth.pk}/").content.decode()
    visitor.get(f"/en/fair/booths/{booth.pk}/")
    Client().get(f"/zh-hans/fair/booths/{booth.pk}/")
    visitor.post(f"/en/fair/booths/{booth.pk}/contact/", {"message": "Price list for 500 chairs?"})
    exhibitor = signed_in(oak.contact)
    lead = Lead.objects.get()
    exhibitor.post(
        f"/en/fair/booths/{booth.pk}/edit/", {"lead": lead.pk, "answer": "Sent by mail."}
    )
    edit_page = exhibitor.get(f"/en/fair/booths/{booth.pk}/edit/").content.decode()
    refused = visitor.get(f"/en/fair/booths/{booth.pk}/edit/")

    assert "Contact the exhibitor" in page
    assert sorted(BoothVisit.objects.values_list("count", flat=True)) == [1, 2]
    lead.refresh_from_db()
    assert (lead.answer, lead.answered_by) == ("Sent by mail.", oak.contact)
    assert "3 visits by 1 signed-in visitors · 1 leads, 0 open" in edit_page
    assert refused.status_code == 403


def test_update_booth_refuses_other_enterprises_products_naming_the_row() -> None:
    world = FairWorld()
    oak = world.exhibitors[0]
    from tests.factories import make_product

    mine = make_product(enterprise=oak.booth.enterprise)
    theirs = make_product(enterprise=make_enterprise())
    from dualcirc.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        domain.update_booth(actor=oak.contact, booth=oak.booth, products=[mine, theirs])

    assert [(e.field, e.row) for e in exc.value.errors] == [("products", 2)]


def test_api_registers_approves_sets_wishes_schedules_and_reads_agenda() -> None:
    world = FairWorld()
    newcomer = make_enterprise(name_zh="兰溪布业有限公司")
    boss = make_user(organisation=newcomer.organisation, time_zone="Asia/Shanghai")
    client = Client()
    berlin = world.visitors[0]

    created = client.post(
        f"/api/fairs/{world.fair.pk}/registrations",
        json.dumps({"organisation": newcomer.organisation.pk, "kind": "exhibitor"}),
        content_type="application/json",
        **bearer(boss),
    )
    reg_id = created.json()["id"]
    refused = client.post(
        f"/api/fair-registrations/{reg_id}/decision",
        json.dumps({"approve": True}),
        content_type="application/json",
        **bearer(boss),
    )
    client.post(
        f"/api/fair-registrations/{reg_id}/decision",
        json.dumps({"approve": True}),
        content_type="application/json",
        **bearer(world.organiser),
    )
    naive = client.put(
        f"/api/fair-registrations/{berlin.pk}/availability",
        json.dumps({"intervals": [{"start": "2025-10-27T08:00:00", "end": "2025-10-27T09:00:00"}]}),
        content_type="application/json",
        **bearer(berlin.contact),
    )
    client.put(
        f"/api/fair-registrations/{berlin.pk}/wishes",
        json.dumps({"other": reg_id, "wish": "must"}),
        content_type="application/json",
        **bearer(berlin.contact),
    )
    run = client.post(
        f"/api/fairs/{world.fair.pk}/schedule",
        json.dumps({"time_limit_s": 2}),
        content_type="application/json",
        **bearer(world.organiser),
    )
    client.post(f"/api/fairs/{world.fair.pk}/publish-agendas", **bearer(world.organiser))
    agenda = client.get(
        f"/api/fairs/{world.fair.pk}/agenda", HTTP_ACCEPT_LANGUAGE="en", **bearer(berlin.contact)
    ).json()
    agenda_zh = client.get(
        f"/api/fairs/{world.fair.pk}/agenda",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
        **bearer(berlin.contact),
    ).json()

    assert created.status_code == 201
    assert refused.status_code == 403
    assert Registration.objects.get(pk=reg_id).status == RegistrationStatus.APPROVED
    assert naive.status_code == 422
    assert naive.json()["errors"][0]["field"] == "intervals"
    assert run.json()["placed"] == 1
    assert agenda["time_zone"] == "Europe/Berlin"
    assert [e["title"] for e in agenda["entries"]] == ["Meeting with 兰溪布业有限公司"]
    assert [e["title"] for e in agenda_zh["entries"]] == ["与兰溪布业有限公司的会议"]
    assert agenda["entries"][0]["starts_at"].endswith("+02:00")  # Friday 24th: summer time


def test_api_stats_are_for_the_organiser_only() -> None:
    world = FairWorld()

    mine = Client().get(f"/api/fairs/{world.fair.pk}/stats", **bearer(world.organiser))
    theirs = Client().get(f"/api/fairs/{world.fair.pk}/stats", **bearer(world.visitors[0].contact))

    assert (mine.json()["exhibitors"], mine.json()["visitors"]) == (2, 2)
    assert theirs.status_code == 403


def test_booth_visits_and_leads_are_counted_for_exhibitor_and_organiser() -> None:
    world = FairWorld()
    (berlin, new_york), (oak, sofa) = world.visitors, world.exhibitors
    for user, booth, times in (
        (berlin.contact, oak.booth, 2),
        (new_york.contact, oak.booth, 1),
        (berlin.contact, sofa.booth, 1),
        (oak.contact, oak.booth, 3),  # the exhibitor looking at its own booth: not a visit
    ):
        client = signed_in(user)
        for _ in range(times):
            client.get(f"/en/fair/booths/{booth.pk}/")
    Client().get(f"/en/fair/booths/{oak.booth.pk}/")  # anonymous
    for visitor, booth in ((berlin, oak.booth), (new_york, oak.booth), (berlin, sofa.booth)):
        signed_in(visitor.contact).post(
            f"/en/fair/booths/{booth.pk}/contact/", {"message": "Samples?"}
        )
    first = Lead.objects.filter(booth=oak.booth).order_by("id").first()
    assert first is not None
    domain.answer_lead(actor=oak.contact, lead=first, answer="On their way.")

    stats = Client().get(f"/api/fairs/{world.fair.pk}/stats", **bearer(world.organiser)).json()
    oak_page = signed_in(oak.contact).get(f"/en/fair/booths/{oak.booth.pk}/edit/")

    assert (stats["booth_visits"], stats["leads"], stats["leads_answered"]) == (5, 3, 1)
    assert "4 visits by 2 signed-in visitors · 2 leads, 1 open" in oak_page.content.decode()


def test_manage_page_names_a_bad_number_instead_of_failing() -> None:
    world = FairWorld()
    client = signed_in(world.organiser)

    page = client.post(
        f"/en/fair/{world.fair.pk}/manage/",
        {"action": "add_room", "name": "B", "kind": "table", "capacity": "three"},
        follow=True,
    )

    html = page.content.decode()
    start = html[: html.index('id="room_capacity"')].rindex('<div class="field')
    field = html[start : html.index('<div class="field', start + 1)]
    assert page.status_code == 422
    assert "has-error" in field and "Write a whole number." in field
    assert 'value="B"' in html  # the rest of the input is kept
    assert list(world.fair.rooms.values_list("name", flat=True)) == ["A"]


def test_hall_page_title_is_the_halls_name() -> None:
    world = FairWorld()
    from datetime import UTC, datetime

    domain.create_session(
        actor=world.organiser,
        fair=world.fair,
        title_zh="家具路演",
        title_en="Furniture roadshow",
        starts_at=datetime(2025, 10, 24, 2, 0, tzinfo=UTC),
        ends_at=datetime(2025, 10, 24, 3, 0, tzinfo=UTC),
        hall=world.hall,
    )

    page = signed_in(world.visitors[0].contact).get(
        f"/en/fair/{world.fair.pk}/halls/{world.hall.pk}/"
    )

    html = page.content.decode()
    title = html[html.index("<title>") + 7 : html.index("</title>")]
    assert title.startswith("Furniture hall")
    assert "<" not in title
    assert html.count("Furniture roadshow") == 1


def test_api_fair_and_registration_payloads_name_ids_and_iso_days() -> None:
    world = FairWorld()
    newcomer = make_enterprise(name_zh="兰溪布业有限公司")
    boss = make_user(organisation=newcomer.organisation)

    detail = Client().get(f"/api/fairs/{world.fair.pk}", **bearer(boss)).json()
    created = Client().post(
        f"/api/fairs/{world.fair.pk}/registrations",
        json.dumps({"organisation": newcomer.organisation.pk, "kind": "exhibitor"}),
        content_type="application/json",
        **bearer(boss),
    )

    assert (detail["id"], detail["starts_on"], detail["ends_on"]) == (
        world.fair.pk,
        "2025-10-24",
        "2025-10-27",
    )
    assert [h["name_en"] for h in detail["halls"]] == ["Furniture hall"]
    reg = Registration.objects.get(pk=created.json()["id"])
    assert created.json() == {
        "id": reg.pk,
        "fair": world.fair.pk,
        "kind": "exhibitor",
        "organisation": newcomer.organisation.pk,
        "status": reg.status,
    }
