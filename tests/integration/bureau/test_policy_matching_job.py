"""The periodic job ``policy-matching``: figures sent during their own month do not count until
it has ended; once it has, the job matches those enterprises again — once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from django.utils import timezone

from dualcirc.bureau.domain.figures import FiguresInput, submit_figures
from dualcirc.bureau.enums import DeliveryState, PolicyMode
from dualcirc.bureau.models import MonthlyFigures, PolicyMatchingMonth, SupportPolicy
from dualcirc.bureau.models.cases import PolicyDelivery
from dualcirc.bureau.tasks import match_policies_task
from dualcirc.notify.models import Notification
from dualcirc.web.management.commands.periodic import run_periodic_jobs
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import make_enterprise_user
from tests.factories.bureau import make_figures
from tests.factories.tasks import queued

pytestmark = pytest.mark.django_db


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def grant() -> SupportPolicy:
    return SupportPolicy.objects.create(
        title="外贸稳岗补贴", mode=PolicyMode.AUTOMATIC, amount=D("50000"), currency="CNY",
        min_revenue=D("1000000"),
    )  # fmt: skip


def test_figures_sent_during_their_month_are_matched_once_after_it_ends(
    django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    regions = make_region_tree()
    early = make_enterprise(region=regions["laixi"])
    member = make_enterprise_user(enterprise=early)
    grant()
    this_month = timezone.localdate().replace(day=1)

    with django_capture_on_commit_callbacks(execute=True):
        submit_figures(actor=member, enterprise=early, month=this_month,
                       data=FiguresInput(revenue=D(1_500_000)))  # fmt: skip
    assert queued() == [("refresh_alerts_task", [f"{this_month:%Y-%m}"]),
                        ("match_policies_task", [[early.pk]])]  # fmt: skip
    at_submission = match_policies_task.call([early.pk])  # what the worker does
    assert (at_submission, PolicyDelivery.objects.count()) == (0, 0)  # the month is not over

    next_month = (this_month + dt.timedelta(days=32)).replace(day=1)
    after = local(next_month.year, next_month.month, 1, 0, 1)
    first = run_periodic_jobs(now=after, only=["policy-matching"])
    with django_assert_num_queries(1):  # the month is handled: one look, nothing else
        second = run_periodic_jobs(now=after + dt.timedelta(minutes=1), only=["policy-matching"])
    third = run_periodic_jobs(now=after + dt.timedelta(days=3), only=["policy-matching"])

    assert [(r.name, r.count) for r in first + second + third] == [
        ("policy-matching", 1), ("policy-matching", 0), ("policy-matching", 0),
    ]  # fmt: skip
    delivery = PolicyDelivery.objects.get()
    assert (delivery.enterprise_id, delivery.state) == (early.pk, DeliveryState.NOTIFIED)
    assert list(Notification.objects.values_list("recipient", "verb")) == [
        (member.pk, "policy_granted")
    ]
    assert list(PolicyMatchingMonth.objects.values_list("month", "enterprises")) == [
        (this_month, 1)
    ]


def test_the_job_handles_each_month_ended_since_its_last_run_and_only_early_figures() -> None:
    regions = make_region_tree()
    PolicyMatchingMonth.objects.create(month=dt.date(2026, 2, 1), matched_at=local(2026, 3, 1))
    sent = {  # enterprise → (month of its figures, when they were last changed)
        "early_march": ("2026-03", local(2026, 3, 20)),
        "early_april": ("2026-04", local(2026, 4, 30, 23, 59)),
        "late_april": ("2026-04", local(2026, 5, 1)),  # as April ended: matched when sent
        "early_january": ("2026-01", local(2026, 1, 20)),  # January was handled before
    }
    enterprises = {}
    for name, (month, changed) in sent.items():
        enterprises[name] = make_enterprise(region=regions["laixi"])
        make_figures(enterprise=enterprises[name], month=month, revenue=2_000_000)
        MonthlyFigures.objects.filter(enterprise=enterprises[name]).update(updated_at=changed)
    grant()  # each of them qualifies on 3 May 2026 (12 months: May 2025 to April 2026)

    results = run_periodic_jobs(now=local(2026, 5, 3, 4), only=["policy-matching"])

    assert [(r.name, r.count) for r in results] == [("policy-matching", 2)]
    assert sorted(PolicyDelivery.objects.values_list("enterprise_id", flat=True)) == sorted(
        [enterprises["early_march"].pk, enterprises["early_april"].pk]
    )
    assert list(PolicyMatchingMonth.objects.values_list("month", flat=True)) == [
        dt.date(2026, 4, 1), dt.date(2026, 3, 1), dt.date(2026, 2, 1),
    ]  # fmt: skip
