"""Background tasks of the bureau: thin wrappers that call a domain function.

``refresh_alerts_task`` is enqueued once figures for a month are submitted or corrected
(``domain.alerts.schedule_alert_refresh``, after the transaction commits); the nightly
``dualcirc bureau-alerts`` runs the same refresh from cron. ``match_policies_task`` is enqueued
with them for the enterprises whose figures changed, and when a profile is saved
(``domain.policies.schedule_policy_matching``).
"""

from __future__ import annotations

from django_tasks import task

from dualcirc.bureau.domain.alerts import refresh_alerts
from dualcirc.bureau.domain.figures import parse_month
from dualcirc.bureau.domain.policies import match_policies, match_policies_for_month
from dualcirc.bureau.indicators import month_index


@task()
def refresh_alerts_task(month: str) -> int:
    """Assess every enterprise for ``month`` (``YYYY-MM``) and store its at-risk alerts;
    returns how many alerts hold for the month (see ``domain.alerts.refresh_alerts``)."""
    when = parse_month(month)
    return refresh_alerts(month=month_index(when.year, when.month))


@task()
def match_policies_task(enterprise_ids: list[int]) -> int:
    """Match the active support policies against ``enterprise_ids`` and notify those that newly
    qualify; returns how many deliveries were created (``domain.policies.match_policies``)."""
    return len(match_policies(enterprise_ids=enterprise_ids))


@task()
def match_policy_task(policy_id: int) -> int:
    """Match one policy (just added or changed) against the enterprises of its region."""
    return len(match_policies(policy_ids=[policy_id]))


@task()
def match_month_policies_task(month: str) -> int:
    """Jobs queued before an upgrade past 2026-12-07 still name this task (the alert refresh
    queued it for every month figures changed): it matches the enterprises that reported
    ``month`` (``YYYY-MM``), as it did, so that the worker finishes them instead of failing.
    Nothing queues it now."""
    return len(match_policies_for_month(parse_month(month)))


@task()
def send_reporting_reminders_task() -> int:
    """Remind the enterprises that have not reported the month being collected (due soon or
    overdue, once each; ``domain.reporting.send_reminders``); returns how many were reminded."""
    from dualcirc.bureau.domain.reporting import send_reminders

    return sum(send_reminders().values())
