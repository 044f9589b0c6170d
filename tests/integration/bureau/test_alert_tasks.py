"""At-risk alerts refreshed without anyone asking: a task enqueued when figures change, and
``dualcirc bureau-alerts`` for a nightly cron."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from dualcirc.bureau.domain.figures import FiguresInput, submit_figures
from dualcirc.bureau.domain.figures_import import import_figures
from dualcirc.bureau.models import Alert
from dualcirc.bureau.tasks import refresh_alerts_task
from dualcirc.cli import ALIASES
from tests.factories import make_enterprise
from tests.factories.api import make_enterprise_user, make_operator
from tests.factories.bureau import make_figures
from tests.factories.tasks import queued

pytestmark = pytest.mark.django_db


def one_destination() -> FiguresInput:
    return FiguresInput(revenue=D(1000), exports={("US", "general_trade"): D(1000)})


def test_submitting_figures_enqueues_the_months_refresh_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    enterprise = make_enterprise()
    member = make_enterprise_user(enterprise=enterprise)
    make_figures(enterprise=make_enterprise(), month="2025-03", revenue=5)  # reported too
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit_figures(
            actor=member, enterprise=enterprise, month=dt.date(2025, 3, 1), data=one_destination()
        )
    assert queued() == []  # nothing before the transaction commits
    for callback in callbacks:
        callback()
    assert queued() == [
        ("refresh_alerts_task", ["2025-03"]),
        # support policies (domain.policies), for this enterprise only: no other one's
        # figures changed, though another reported the month
        ("match_policies_task", [[enterprise.pk]]),
    ]

    held = refresh_alerts_task.call("2025-03")  # what the worker does

    alert = Alert.objects.get(enterprise=enterprise)
    assert (held, alert.reason, alert.level, alert.details) == (
        1,
        "destination_concentration",
        "orange",
        {"country": "US", "share": "100.0"},
    )


def test_resubmitting_the_same_figures_enqueues_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    enterprise = make_enterprise()
    member = make_enterprise_user(enterprise=enterprise)
    submit_figures(
        actor=member, enterprise=enterprise, month=dt.date(2025, 3, 1), data=one_destination()
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = submit_figures(
            actor=member, enterprise=enterprise, month=dt.date(2025, 3, 1), data=one_destination()
        )
    assert (result.action, queued()) == ("unchanged", [])


def test_an_import_enqueues_each_month_once_and_matches_only_changed_enterprises(
    django_capture_on_commit_callbacks: Any,
) -> None:
    jia = make_enterprise(name_zh="甲厂")
    yi = make_enterprise(name_zh="乙厂")
    bing = make_enterprise(name_zh="丙厂")  # in the file, its figures as stored
    make_figures(enterprise=bing, month="2025-01", revenue=8)
    make_figures(enterprise=make_enterprise(name_zh="丁厂"), month="2025-01", revenue=9)
    rows = (
        "企业名称,月份,营业收入\n甲厂,2025-01,5\n乙厂,2025-01,6\n甲厂,2025-02,7\n丙厂,2025-01,8\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = import_figures(actor=make_operator(), file=rows.encode())
    assert (report.created, report.unchanged) == (3, 1)
    assert sorted(queued()) == [
        ("match_policies_task", [sorted([jia.pk, yi.pk])]),  # one task, changed ones only
        ("refresh_alerts_task", ["2025-01"]),
        ("refresh_alerts_task", ["2025-02"]),
    ]


def test_bureau_alerts_command_refreshes_a_month() -> None:
    enterprise = make_enterprise()
    make_figures(enterprise=enterprise, month="2025-06", revenue=100, exports={"US": 70, "VN": 30})
    out = io.StringIO()

    call_command("bureau_alerts", month="2025-06", stdout=out)

    alert = Alert.objects.get(enterprise=enterprise)
    assert (alert.reason, alert.level, alert.details["share"]) == (
        "destination_concentration",
        "blue",
        "70.0",
    )
    assert out.getvalue() == "1 at-risk alerts hold for 2025-06.\n"
    assert ALIASES["bureau-alerts"] == "bureau_alerts"  # `dualcirc bureau-alerts`


def test_bureau_alerts_command_names_a_bad_month() -> None:
    with pytest.raises(CommandError, match="'2025-13' is not a month"):
        call_command("bureau_alerts", month="2025-13")
