"""Support cases as a closed loop, policies matched to enterprises, project history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from dualcirc.bureau.domain import cases, policies, projects
from dualcirc.bureau.models import CaseEvent, RoutingRule, SupportPolicy
from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import Conflict, InvalidInput
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import make_enterprise_user, make_government_user

pytestmark = pytest.mark.django_db


def test_add_working_hours_skips_the_weekend() -> None:
    friday = dt.datetime(2025, 6, 6, 10, tzinfo=dt.UTC)
    assert cases.add_working_hours(friday, 24) == dt.datetime(2025, 6, 9, 10, tzinfo=dt.UTC)


def test_case_closed_loop_with_routing_rating_and_stats() -> None:
    regions = make_region_tree()
    enterprise = make_enterprise(region=regions["laixi"])
    gov = make_government_user(region=regions["qingdao"])
    RoutingRule.objects.create(need_type="certification", team="外贸服务队",
                               departments=["商务局", "市场监管局"])  # fmt: skip
    start = timezone.now() - dt.timedelta(days=3)
    case = cases.open_case(actor=gov, enterprise=enterprise, need_type="certification",
                           title="CE marking", now=start)  # fmt: skip
    assert (case.status, case.team, case.departments) == (
        "assigned", "外贸服务队", ["商务局", "市场监管局"],
    )  # fmt: skip
    with pytest.raises(Conflict):
        cases.move_case(actor=gov, case=case, to="closed", note="x")
    cases.move_case(actor=gov, case=case, to="handling", now=start + dt.timedelta(hours=2))
    with pytest.raises(InvalidInput):
        cases.move_case(actor=gov, case=case, to="feedback")
    cases.move_case(actor=gov, case=case, to="feedback", note="Lab booked",
                    now=start + dt.timedelta(days=1))  # fmt: skip
    cases.move_case(actor=gov, case=case, to="closed", note="Certified",
                    now=start + dt.timedelta(days=2))  # fmt: skip
    with pytest.raises(AccessDenied):
        cases.rate_case(actor=gov, case=case, rating=5)
    cases.rate_case(actor=make_enterprise_user(enterprise=enterprise), case=case, rating=4)
    assert list(CaseEvent.objects.filter(case=case).values_list("to_status", flat=True)) == [
        "received", "assigned", "handling", "feedback", "closed",
    ]  # fmt: skip
    stats = cases.case_stats(enterprise.support_cases.all())
    assert (stats.total, stats.closed, stats.closure_rate, stats.overdue) == (1, 1, D("100.00"), 0)
    assert (stats.mean_hours_to_respond, stats.mean_days_to_close, stats.satisfaction) == (
        D("2.0"), D("2.0"), D("4.0"),
    )  # fmt: skip


def test_case_refused_outside_the_jurisdiction() -> None:
    regions = make_region_tree()
    enterprise = make_enterprise(region=regions["laixi"])
    with pytest.raises(AccessDenied):
        cases.open_case(actor=make_government_user(region=regions["jiaozhou"]),
                        enterprise=enterprise, need_type="talent", title="Welders")  # fmt: skip


def test_policies_match_industry_size_export_share_and_region() -> None:
    regions = make_region_tree()
    enterprise = make_enterprise(region=regions["laixi"], industries=["furniture"],
                                 employees=120, export_share=D("80"))  # fmt: skip
    fits = SupportPolicy.objects.create(
        title="外贸稳订单",
        industries=["furniture"],
        min_export_share=D("50"),
        region=regions["qingdao"],
    )
    SupportPolicy.objects.create(title="小微企业贷", max_employees=50)
    SupportPolicy.objects.create(title="浙江专项", region=regions["zhejiang"])
    SupportPolicy.objects.create(title="纺织", industries=["textiles"])  # fmt: skip
    assert policies.matching_policies(enterprise) == [fits]


def test_project_history_records_each_change_and_stage() -> None:
    regions = make_region_tree()
    gov = make_government_user(region=regions["laixi"])
    project = projects.create_project(
        actor=gov, region=regions["laixi"], name="板材基地", investor="某木业集团",
        amount=D("300000000"), commitments={"自然资源局": "供地 100 亩"},
    )  # fmt: skip
    with pytest.raises(Conflict):
        projects.update_project(actor=gov, project=project, stage="operating")
    projects.update_project(actor=gov, project=project, stage="negotiating",
                            amount=D("350000000"), note="Second round")  # fmt: skip
    latest = project.changes.first()
    assert latest.changes == {
        "amount": ["300000000.00", "350000000.00"], "stage": ["lead", "negotiating"],
    }  # fmt: skip
    assert latest.note == "Second round"
    with pytest.raises(AccessDenied):
        projects.update_project(actor=make_government_user(region=regions["lanxi"]),
                                project=project, name="x")  # fmt: skip
