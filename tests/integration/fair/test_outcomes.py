"""Meeting outcomes against the database: rating, the rules of who and when, history, the
follow-up prompts, the organiser's funnel with the order's value, the exhibitor's leads and the
orders that came of fairs in a bureau's scope."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import Conflict, InvalidInput
from dualcirc.fair import domain
from dualcirc.fair.domain.documents import record_document_open
from dualcirc.fair.enums import MeetingResult, PromptStage
from dualcirc.fair.models import Meeting, MeetingOutcomeChange, OutcomePrompt
from dualcirc.fair.outcome_queries import Funnel, fair_funnel, fair_orders_in_scope, lead_scores
from dualcirc.l10n.amounts import amount_scale
from dualcirc.l10n.rates import convert
from dualcirc.notify.models import Notification
from tests.factories import make_user
from tests.factories.api import make_government_user
from tests.factories.fair import held_meetings_world, order_between

pytestmark = pytest.mark.django_db

AFTER = datetime(2025, 10, 28, 12, tzinfo=UTC)  # the day after the fair


def stages(funnel: Funnel) -> dict[str, int]:
    return {s.key: s.count for s in funnel.stages}


def test_held_meeting_rated_order_placed_with_deals_order_shows_in_funnel_and_bureau_figure() -> (
    None
):
    world, (meeting, _other) = held_meetings_world()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    order = order_between(berlin, oak, unit_price="120.00", currency="USD")
    assert order.value_cny is not None

    domain.rate_meeting(
        actor=berlin.contact,
        meeting=meeting,
        rating=5,
        result=MeetingResult.ORDER_PLACED,
        order=order,
    )
    domain.rate_meeting(
        actor=oak.contact, meeting=meeting, rating=4, result=MeetingResult.ORDER_PLACED
    )

    funnel = fair_funnel(world.fair)
    assert stages(funnel) == {
        "registrations": 4,
        "requests": 2,
        "scheduled": 2,
        "held": 2,
        "negotiating": 1,
        "orders": 1,
    }
    assert (funnel.orders.value, funnel.orders.currency) == (order.value_cny, "CNY")
    assert funnel.orders.through_platform == 1
    assert funnel.average_rating == Decimal("4.5")
    in_usd = fair_funnel(world.fair, currency="USD").orders.value
    assert in_usd == order.total_amount
    figure = fair_orders_in_scope(
        Enterprise.objects.filter(pk=oak.booth.enterprise_id),
        first_day=date(2025, 10, 1),
        last_day=date(2025, 10, 31),
    )
    assert (figure.orders.orders, figure.orders.value, figure.meetings_held) == (
        1,
        order.value_cny,
        1,
    )
    assert figure.fairs == [(str(world.fair), 1, 1, order.value_cny)]


def test_order_outside_platform_counts_with_stated_value_converted_to_cny() -> None:
    world, (_meeting, new_york_meeting) = held_meetings_world()
    new_york = world.visitors[1]

    domain.rate_meeting(
        actor=new_york.contact,
        meeting=new_york_meeting,
        rating=4,
        result=MeetingResult.ORDER_PLACED,
        order_value="25,000",
        order_currency="usd",
    )

    orders = fair_funnel(world.fair).orders
    expected = convert(Decimal("25000"), "USD", "CNY").converted
    assert (orders.orders, orders.through_platform, orders.value) == (1, 0, expected)


def test_rating_a_meeting_not_yet_held_is_a_conflict() -> None:
    world, (meeting, _other) = held_meetings_world()
    berlin = world.visitors[0]

    with pytest.raises(Conflict):
        domain.rate_meeting(
            actor=berlin.contact,
            meeting=meeting,
            rating=3,
            result=MeetingResult.SAMPLES,
            now=meeting.slot.ends_at - timedelta(minutes=1),
        )


@pytest.mark.parametrize("who", ["organiser", "stranger", "other_visitor"])
def test_only_the_two_sides_rate_a_meeting(who: str) -> None:
    world, (meeting, _other) = held_meetings_world()
    actor = {
        "organiser": world.organiser,
        "stranger": make_user(),
        "other_visitor": world.visitors[1].contact,
    }[who]

    with pytest.raises(AccessDenied):
        domain.rate_meeting(actor=actor, meeting=meeting, rating=3, result=MeetingResult.SAMPLES)


def test_rating_errors_name_each_field() -> None:
    world, (meeting, _other) = held_meetings_world()
    berlin, new_york = world.visitors
    sofa = world.exhibitors[1]
    elsewhere = order_between(new_york, sofa)

    with pytest.raises(InvalidInput) as bad:
        domain.rate_meeting(actor=berlin.contact, meeting=meeting, rating=6, result="maybe")
    with pytest.raises(InvalidInput) as wrong_order:
        domain.rate_meeting(
            actor=berlin.contact,
            meeting=meeting,
            rating=5,
            result=MeetingResult.ORDER_PLACED,
            order=elsewhere,
        )
    with pytest.raises(InvalidInput) as not_an_order:
        domain.rate_meeting(
            actor=berlin.contact,
            meeting=meeting,
            rating=5,
            result=MeetingResult.NEGOTIATING,
            order_value="100",
            order_currency="EUR",
        )

    assert [e.field for e in bad.value.errors] == ["rating", "result"]
    assert [e.field for e in wrong_order.value.errors] == ["order"]
    assert [e.field for e in not_an_order.value.errors] == ["order"]


def test_a_later_answer_updates_the_outcome_and_keeps_the_history() -> None:
    world, (meeting, _other) = held_meetings_world()
    berlin = world.visitors[0]
    domain.rate_meeting(
        actor=berlin.contact, meeting=meeting, rating=4, result=MeetingResult.SAMPLES
    )

    outcome = domain.rate_meeting(
        actor=berlin.contact,
        meeting=meeting,
        rating=5,
        result=MeetingResult.NEGOTIATING,
        stage=PromptStage.ONE_MONTH,
        note="Price list under discussion",
    )

    assert (outcome.rating, outcome.result, outcome.registration_id) == (
        5,
        MeetingResult.NEGOTIATING,
        berlin.pk,
    )
    history = list(
        MeetingOutcomeChange.objects.filter(outcome=outcome).values_list(
            "rating", "result", "stage", "changed_by_id"
        )
    )
    assert history == [
        (4, MeetingResult.SAMPLES, "", berlin.contact.pk),
        (5, MeetingResult.NEGOTIATING, PromptStage.ONE_MONTH, berlin.contact.pk),
    ]


def test_outcome_prompts_are_sent_once_per_stage_and_link_to_the_form() -> None:
    world, (meeting, _other) = held_meetings_world()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    ended = meeting.slot.ends_at

    first = domain.send_outcome_prompts(now=ended + timedelta(minutes=5))
    again = domain.send_outcome_prompts(now=ended + timedelta(minutes=6))

    assert (first, again) == (4, 0)  # two meetings, two sides each
    note = Notification.objects.get(recipient=berlin.contact, verb="meeting_rate")
    assert note.url == f"/en/fair/meetings/{meeting.pk}/outcome/?stage=held"
    assert note.target_label == str(oak.organisation)
    # Berlin answers "no interest": not asked again; the oak maker is asked at one month.
    domain.rate_meeting(
        actor=berlin.contact, meeting=meeting, rating=2, result=MeetingResult.NO_INTEREST
    )
    month = domain.send_outcome_prompts(now=ended + timedelta(days=31))
    assert month == 3
    assert not Notification.objects.filter(recipient=berlin.contact, verb="meeting_follow_up")
    assert Notification.objects.filter(recipient=oak.contact, verb="meeting_follow_up").count() == 1
    quarter = domain.send_outcome_prompts(now=ended + timedelta(days=91))
    assert quarter == 3
    assert OutcomePrompt.objects.filter(meeting=meeting).count() == 6


def test_a_meeting_found_late_gets_only_its_latest_prompt() -> None:
    _world, (meeting, _other) = held_meetings_world()

    sent = domain.send_outcome_prompts(now=meeting.slot.ends_at + timedelta(days=40))

    assert sent == 4
    assert set(OutcomePrompt.objects.values_list("stage", flat=True)) == {PromptStage.ONE_MONTH}


def test_lead_scores_add_visits_documents_requests_meetings_and_outcome() -> None:
    world, (meeting, _other) = held_meetings_world()
    berlin, new_york = world.visitors
    oak = world.exhibitors[0]
    booth = oak.booth
    for _ in range(12):  # capped at 10 points
        domain.record_booth_visit(booth=booth, visitor=berlin.contact)
    domain.record_booth_visit(booth=booth, visitor=new_york.contact)
    domain.record_booth_visit(booth=booth, visitor=oak.contact)  # its own people: not counted
    domain.create_lead(actor=new_york.contact, booth=booth, message="Price list please")
    document = domain.add_booth_document(
        actor=oak.contact,
        booth=booth,
        upload=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n"),
        title="Catalogue",
    )
    record_document_open(document=document, reader=berlin.contact)
    domain.rate_meeting(
        actor=oak.contact, meeting=meeting, rating=4, result=MeetingResult.NEGOTIATING
    )

    leads = {lead.name: lead for lead in lead_scores(oak)}

    b = leads[berlin.organisation.name]
    assert (b.visits, b.documents, b.requests, b.meetings, b.result) == (
        12,
        1,
        1,
        1,
        MeetingResult.NEGOTIATING,
    )
    assert b.score == 10 + 2 + 5 + 10 + 20
    n = leads[new_york.organisation.name]
    assert (n.visits, n.contacts, n.meetings, n.score) == (1, 1, 0, 1 + 5)
    assert [lead.name for lead in lead_scores(oak)] == [
        berlin.organisation.name,
        new_york.organisation.name,
    ]
    by_contacts = lead_scores(oak, sort="-contacts")
    assert [lead.name for lead in by_contacts] == [
        new_york.organisation.name,
        berlin.organisation.name,
    ]


def test_done_when_order_from_a_fair_meeting_shows_in_the_bureaus_report_files() -> None:
    """A meeting held at a fair, rated "order placed" by both sides, the order made through
    deals: the bureau of the exhibitor's region sees the order and its value in the report
    (its summary sentence, the XLSX sheet of orders from fairs, the DOCX section)."""
    world, (meeting, _other) = held_meetings_world()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    order = order_between(berlin, oak, unit_price="120.00", currency="USD")
    for side in (berlin, oak):
        domain.rate_meeting(
            actor=side.contact,
            meeting=meeting,
            rating=5,
            result=MeetingResult.ORDER_PLACED,
            order=order if side is berlin else None,
        )
    region = oak.booth.enterprise.region
    client = Client()
    client.force_login(make_government_user(region=region))
    query = f"scope=region:{region.code}&period=month&month=2025-10"

    page = client.get(f"/en/bureau/report/?{query}")
    dashboard = client.get(f"/en/bureau/?{query}")
    xlsx = client.get(f"/en/bureau/report.xlsx?{query}")
    docx = client.get(f"/zh-hans/bureau/report.docx?{query}")
    other_month = client.get(f"/en/bureau/report.xlsx?scope=region:{region.code}"
                             "&period=month&month=2025-09")  # fmt: skip

    assert order.value_cny is not None
    line = next(h for h in page.context["lines"] if h.key == "fair_orders")
    assert line.value == order.value_cny
    assert line.text_en.startswith("1 meetings were held at online fairs; 1 orders came of them")
    sheet = load_workbook(io.BytesIO(xlsx.content))["Orders from fairs"]
    assert [c.value for c in sheet[1]] == [
        "Fair",
        "Meetings held",
        "Orders",
        f"Value of the orders ({sheet['D1'].value.split('(')[1]}",
    ]
    fair_row = [c.value for c in sheet[2]]
    assert fair_row[:3] == [str(world.fair), 1, 1]
    scale = amount_scale([order.value_cny], language="en")
    assert Decimal(str(fair_row[3])) == scale.scaled(order.value_cny)
    figure = dashboard.context["fair_orders"]
    assert (figure.meetings_held, figure.orders.orders, figure.orders.value) == (
        1,
        1,
        order.value_cny,
    )
    assert "1 meetings held at online fairs; 1 orders came of them" in dashboard.content.decode()
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "促成订单1笔" in text
    assert "Orders from fairs" not in load_workbook(io.BytesIO(other_month.content)).sheetnames


def test_periodic_job_sends_the_prompts_once() -> None:
    from dualcirc.web.management.commands.periodic import run_periodic_jobs

    _world, (meeting, _other) = held_meetings_world()
    now = meeting.slot.ends_at + timedelta(minutes=1)

    first = run_periodic_jobs(now=now, only=["meeting-outcome-prompts"])
    second = run_periodic_jobs(now=now, only=["meeting-outcome-prompts"])

    ended = Meeting.objects.filter(slot__ends_at__lte=now).count()
    assert ended >= 1
    assert (first[0].count, second[0].count) == (2 * ended, 0)  # both sides of each
    assert Notification.objects.filter(verb="meeting_rate").count() == 2 * ended
