"""Background tasks of the bureau: thin wrappers that call a domain function.

``refresh_alerts_task`` is enqueued once figures for a month are submitted or corrected
(``domain.alerts.schedule_alert_refresh``, after the transaction commits); the nightly
``dualcirc bureau-alerts`` runs the same refresh from cron.
"""

from __future__ import annotations

from django_tasks import task

from dualcirc.bureau.domain.alerts import refresh_alerts
from dualcirc.bureau.domain.figures import parse_month
from dualcirc.bureau.indicators import month_index


@task()
def refresh_alerts_task(month: str) -> int:
    """Assess every enterprise for ``month`` (``YYYY-MM``) and store its at-risk alerts;
    returns how many alerts hold for the month (see ``domain.alerts.refresh_alerts``)."""
    when = parse_month(month)
    return refresh_alerts(month=month_index(when.year, when.month))
