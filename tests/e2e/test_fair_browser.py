"""The organiser runs the meeting scheduler and confirms the agendas; a visitor in Berlin books a
roadshow seat and sees the meeting and the roadshow in their agenda, in Berlin time — in a real
browser against a real server."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from dualcirc.fair import domain
from dualcirc.fair.enums import MeetingStatus, Wish
from dualcirc.fair.models import Meeting, SessionRegistration
from tests.e2e.test_catalog_browser import sign_in
from tests.factories.fair import FairWorld

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_organiser_schedules_and_visitor_books_session_and_sees_agenda(
    page: Any, live_server: Any
) -> None:
    world = FairWorld()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    domain.set_meeting_wish(actor=berlin.contact, owner=berlin, other=oak, wish=Wish.MUST)
    # Berlin is free only on Monday 27th 08:00–08:30 UTC (09:00 CET, after the clocks went back).
    domain.set_availability(
        actor=berlin.contact,
        registration=berlin,
        intervals=[
            (datetime(2025, 10, 27, 8, 0, tzinfo=UTC), datetime(2025, 10, 27, 8, 30, tzinfo=UTC))
        ],
    )
    domain.create_session(
        actor=world.organiser,
        fair=world.fair,
        title_zh="莱西家具路演",
        title_en="Laixi furniture roadshow",
        starts_at=datetime(2025, 10, 24, 2, 0, tzinfo=UTC),
        ends_at=datetime(2025, 10, 24, 3, 0, tzinfo=UTC),
        capacity=50,
    )
    base = live_server.url

    sign_in(page, base, world.organiser.username)
    page.goto(f"{base}/en/fair/{world.fair.pk}/manage/")
    page.click("#run-scheduler")
    page.wait_for_load_state()
    assert "1 new meetings, 0 kept" in page.inner_text("#last-run")
    page.click("#publish-agendas")
    page.wait_for_load_state()
    assert page.inner_text("#meeting-counts") == "0 / 1 / 0"
    assert Meeting.objects.get().status == MeetingStatus.CONFIRMED
    page.context.clear_cookies()

    sign_in(page, base, berlin.contact.username)
    page.goto(f"{base}/en/fair/{world.fair.pk}/")
    page.locator("tr", has_text="Laixi furniture roadshow").locator("button").click()
    page.wait_for_load_state()
    assert SessionRegistration.objects.get().user == berlin.contact
    page.click("text=My agenda")
    page.wait_for_load_state()

    rows = page.locator("table.agenda tr").all_inner_texts()
    assert rows[0].startswith("2025-10-24 04:00–05:00\tLaixi furniture roadshow")
    assert rows[1].startswith(f"2025-10-27 09:00–09:30\tMeeting with {oak.organisation.name}")
    assert "Times are in your time zone, Europe/Berlin." in page.inner_text("main")
