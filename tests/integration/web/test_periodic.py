"""``dualcirc periodic``: each job does its work once; a second run finds nothing to do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from dualcirc.bureau.models import Alert
from dualcirc.catalog.models import Enterprise
from dualcirc.deals.enums import ClosedReason, RequestState
from dualcirc.deals.models import AuditEntry
from dualcirc.fair import domain as fair_domain
from dualcirc.fair.models import SessionRegistration
from dualcirc.notify.models import Notification
from dualcirc.web.management.commands.periodic import last_complete_month, run_periodic_jobs
from tests.factories import make_enterprise
from tests.factories.api import make_enterprise_user
from tests.factories.deals import make_deal_world, make_request
from tests.factories.fair import FairWorld

pytestmark = pytest.mark.django_db


def test_periodic_closes_requests_past_their_deadline_once() -> None:
    world = make_deal_world()
    rfq = make_request(world)
    later = rfq.deadline + timedelta(minutes=1)

    first = run_periodic_jobs(now=later, only=["close-due-requests"])
    second = run_periodic_jobs(now=later, only=["close-due-requests"])

    rfq.refresh_from_db()
    assert [(r.name, r.count) for r in first] == [("close-due-requests", 1)]
    assert [(r.name, r.count) for r in second] == [("close-due-requests", 0)]
    assert (rfq.state, rfq.closed_reason) == (RequestState.CLOSED, ClosedReason.DEADLINE)
    closings = AuditEntry.objects.filter(
        subject_type="request", subject_id=rfq.pk, to_state="closed"
    )
    assert closings.count() == 1


def test_periodic_leaves_requests_before_their_deadline_open() -> None:
    world = make_deal_world()
    rfq = make_request(world)

    results = run_periodic_jobs(
        now=rfq.deadline - timedelta(minutes=1), only=["close-due-requests"]
    )

    rfq.refresh_from_db()
    assert results[0].count == 0
    assert rfq.state == RequestState.OPEN


def test_periodic_sends_each_session_reminder_once() -> None:
    world = FairWorld()
    starts = datetime(2025, 10, 24, 2, 0, tzinfo=UTC)
    session = fair_domain.create_session(
        actor=world.organiser,
        fair=world.fair,
        title_zh="莱西家具路演",
        title_en="Laixi furniture roadshow",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    visitor = world.visitors[0].contact
    fair_domain.register_for_session(actor=visitor, session=session)
    now = starts - timedelta(hours=3)

    first = run_periodic_jobs(now=now, only=["session-reminders"])
    second = run_periodic_jobs(now=now + timedelta(minutes=1), only=["session-reminders"])

    assert (first[0].count, second[0].count) == (1, 0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [visitor.email]
    assert "Laixi furniture roadshow" in mail.outbox[0].subject
    assert SessionRegistration.objects.get().reminded_at == now


def test_periodic_refreshes_alerts_of_the_last_complete_month_without_duplicates() -> None:
    enterprise = make_enterprise()  # no report for February: overdue at the end of March
    now = datetime(2026, 3, 31, 4, 0, tzinfo=UTC)

    first = run_periodic_jobs(now=now, only=["bureau-alerts"])
    rows = list(Alert.objects.values_list("enterprise_id", "month", "reason", "status"))
    second = run_periodic_jobs(now=now, only=["bureau-alerts"])

    assert last_complete_month(now) == 2026 * 12 + 1  # February 2026
    assert first[0].count == second[0].count == 1
    assert "2026-02" in first[0].summary
    assert rows == [(enterprise.pk, datetime(2026, 2, 1).date(), "missing_report", "open")]
    assert list(Alert.objects.values_list("enterprise_id", "month", "reason", "status")) == rows


def test_periodic_reminds_an_enterprise_of_its_overdue_report_once() -> None:
    member = make_enterprise_user(enterprise=make_enterprise())
    now = datetime(2026, 3, 20, 4, 0, tzinfo=UTC)  # February's report was due on 15 March
    Enterprise.objects.update(created_at=datetime(2026, 1, 5, tzinfo=UTC))

    first = run_periodic_jobs(now=now, only=["bureau-reminders"])
    second = run_periodic_jobs(now=now, only=["bureau-reminders"])

    assert (first[0].count, second[0].count) == (1, 0)
    assert list(Notification.objects.values_list("recipient", "verb")) == [
        (member.pk, "figures_overdue")
    ]


def test_periodic_command_prints_what_each_job_did() -> None:
    out = StringIO()

    call_command("periodic", stdout=out)

    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "close-due-requests",
        "session-reminders",
        "meeting-outcome-prompts",
        "bureau-alerts",
        "bureau-reminders",
        "policy-matching",
        "demand-retention",
        "demand-radar",
        "demand-alerts",
        "demand-digest",
    ]
    assert lines[0] == "close-due-requests: 0 sourcing requests closed at their deadline."
