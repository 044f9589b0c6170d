"""``dualcirc periodic``: run each periodic job once and say what it did.

The jobs are idempotent, so running the command every minute (cron, a systemd timer) or twice in
a row is safe: a second run finds nothing left to do.

- close the sourcing requests whose deadline for quotes has passed (deals);
- e-mail the reminders of fair sessions starting within 24 hours, once per registrant (fair);
- ask both sides of each held fair meeting what came of it, right after it and at one and
  three months, once per side and stage (fair);
- refresh the bureau's at-risk alerts for the last complete month (an upsert: alerts that
  still hold stay as they are, new ones are raised, those that no longer hold are cleared);
- remind the enterprises that have not sent last month's figures, before the due day and
  after it (bureau.domain.reporting.send_reminders; once per enterprise, month and kind);
- once a month has ended, match the support policies again against the enterprises that
  sent its figures before it ended (they did not count yet; bureau.domain.policies.
  match_policies_of_ended_months; once per month, never a delivery twice);
- delete the demand signals older than ``DEMAND_RETENTION_DAYS``, and rebuild this month's
  rows of the demand radar from the signals (demand).

``dualcirc serve`` runs the same jobs every minute in a thread of its own (development);
a deployment runs ``dualcirc periodic`` from a timer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

PERIOD_SECONDS = 60


@dataclass(frozen=True)
class JobResult:
    name: str
    count: int
    summary: str


def _close_due_requests(now: datetime) -> JobResult:
    from dualcirc.deals.domain import close_due_requests

    n = close_due_requests(now=now)
    return JobResult(
        "close-due-requests",
        n,
        _("%(n)d sourcing requests closed at their deadline.") % {"n": n},
    )


def _meeting_outcome_prompts(now: datetime) -> JobResult:
    from dualcirc.fair.domain import send_outcome_prompts

    n = send_outcome_prompts(now=now)
    return JobResult(
        "meeting-outcome-prompts", n, _("%(n)d meeting outcome prompts sent.") % {"n": n}
    )


def _session_reminders(now: datetime) -> JobResult:
    from dualcirc.fair.domain import send_session_reminders

    n = send_session_reminders(now=now)
    return JobResult("session-reminders", n, _("%(n)d session reminders e-mailed.") % {"n": n})


def last_complete_month(now: datetime) -> int:
    """The month index (bureau.indicators.month_index) of the month before ``now``'s."""
    from dualcirc.bureau.indicators import month_index

    today = timezone.localdate(now)
    return month_index(today.year, today.month) - 1


def _bureau_alerts(now: datetime) -> JobResult:
    from dualcirc.bureau.domain.alerts import refresh_alerts
    from dualcirc.bureau.indicators import month_label

    month = last_complete_month(now)
    n = refresh_alerts(month=month, today=timezone.localdate(now))
    return JobResult(
        "bureau-alerts",
        n,
        _("%(n)d at-risk alerts hold for %(month)s.") % {"n": n, "month": month_label(month)},
    )


def _bureau_reminders(now: datetime) -> JobResult:
    from dualcirc.bureau.domain.reporting import send_reminders

    sent = send_reminders(today=timezone.localdate(now))
    n = sum(sent.values())
    return JobResult(
        "bureau-reminders", n, _("%(n)d enterprises reminded of their monthly report.") % {"n": n}
    )


def _policy_matching(now: datetime) -> JobResult:
    from dualcirc.bureau.domain.policies import match_policies_of_ended_months

    n = match_policies_of_ended_months(now=now)
    return JobResult(
        "policy-matching",
        n,
        _("%(n)d support policies newly reach enterprises whose month just ended.") % {"n": n},
    )


def _demand_retention(now: datetime) -> JobResult:
    from dualcirc.demand.domain import delete_expired_signals

    n = delete_expired_signals(now=now)
    return JobResult(
        "demand-retention", n, _("%(n)d demand signals past their retention deleted.") % {"n": n}
    )


def _demand_radar(now: datetime) -> JobResult:
    from dualcirc.demand.domain import refresh_demand_radar

    n = refresh_demand_radar(now=now)
    return JobResult("demand-radar", n, _("%(n)d demand radar rows of this month.") % {"n": n})


def _demand_alerts(now: datetime) -> JobResult:
    from dualcirc.demand.domain_alerts import raise_unmet_demand_alerts

    n = raise_unmet_demand_alerts(today=timezone.localdate(now))
    return JobResult("demand-alerts", n, _("%(n)d unmet-demand alerts raised or grown.") % {"n": n})


def _demand_digest(now: datetime) -> JobResult:
    from dualcirc.demand.domain_alerts import send_weekly_digests

    n = send_weekly_digests(today=timezone.localdate(now))
    return JobResult("demand-digest", n, _("%(n)d weekly demand digests sent.") % {"n": n})


JOBS: dict[str, Callable[[datetime], JobResult]] = {
    "close-due-requests": _close_due_requests,
    "session-reminders": _session_reminders,
    "meeting-outcome-prompts": _meeting_outcome_prompts,
    "bureau-alerts": _bureau_alerts,
    "bureau-reminders": _bureau_reminders,  # once per enterprise, month and kind
    "policy-matching": _policy_matching,  # once per month that ended
    "demand-retention": _demand_retention,
    "demand-radar": _demand_radar,
    "demand-alerts": _demand_alerts,  # after demand-radar: reads the same month
    "demand-digest": _demand_digest,
}


def run_periodic_jobs(
    *, now: datetime | None = None, only: list[str] | None = None
) -> list[JobResult]:
    """Run every job (or those named in ``only``) once, in order. A job that fails is logged
    and reported with count -1; the others still run. Side effects: those of the jobs."""
    now = now or timezone.now()
    results = []
    for name, job in JOBS.items():
        if only and name not in only:
            continue
        try:
            results.append(job(now))
        except Exception:  # one broken job must not stop the others; the log has the trace
            log.exception("Periodic job %s failed", name)
            results.append(JobResult(name, -1, _("failed; see the log.")))
    return results


def _loop(stop: threading.Event, interval: float) -> None:
    while not stop.wait(interval):
        try:
            run_periodic_jobs()
        finally:
            connections.close_all()  # this thread's connections only


def start_periodic_thread(*, interval: float = PERIOD_SECONDS) -> threading.Event:
    """Run the periodic jobs every ``interval`` seconds in a daemon thread (development server).
    Returns the event that stops it."""
    stop = threading.Event()
    threading.Thread(
        target=_loop, args=(stop, interval), name="dualcirc-periodic", daemon=True
    ).start()
    return stop


class Command(BaseCommand):
    help = (
        "Run each periodic job once (close sourcing requests past their deadline, session "
        "reminders, bureau alerts of the last complete month). Safe to run every minute."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only",
            action="append",
            choices=sorted(JOBS),
            help="run only this job (may be given several times)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        failed = False
        for result in run_periodic_jobs(only=options["only"]):
            self.stdout.write(f"{result.name}: {result.summary}")
            failed = failed or result.count < 0
        if failed:
            raise SystemExit(1)
