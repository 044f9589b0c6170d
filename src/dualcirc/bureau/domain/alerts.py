"""At-risk alerts: assessing enterprises month by month (bureau.indicators.assess_month)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.bureau import indicators as ind
from dualcirc.bureau.enums import AlertStatus
from dualcirc.bureau.models import Alert, ExportSalesLine, MonthlyFigures, current_settings
from dualcirc.catalog.models import Enterprise
from dualcirc.l10n import country_name, format_month, format_number

ZERO = Decimal(0)
logger = logging.getLogger(__name__)


def _date(index: int) -> dt.date:
    year, month = ind.month_parts(index)
    return dt.date(year, month, 1)


def report_overdue(month: int, *, due_day: int, today: dt.date | None = None) -> bool:
    """Whether the report of ``month`` is overdue: the ``due_day`` of the next month has passed."""
    today = today or timezone.localdate()
    due = _date(month + 1).replace(day=min(due_day, 28))
    return today > due


def refresh_alerts(
    *, month: int, enterprises: QuerySet[Enterprise] | None = None, today: dt.date | None = None
) -> int:
    """Assess every enterprise of ``enterprises`` (all by default) for ``month`` and store the
    findings as Alerts; returns how many alerts hold for the month.

    Side effects: creates or updates one Alert per (enterprise, month, reason) found; open
    alerts of that month whose reason no longer holds are marked cleared (alerts with a
    support case are kept as they are). Reads the 13 months up to ``month`` in two queries.
    """
    settings = current_settings()
    thresholds = ind.Thresholds(
        export_dependence_share=settings.export_dependence_share,
        export_orders_drop=settings.export_orders_drop,
        destination_share=settings.destination_share,
        falling_orders_months=settings.falling_orders_months,
    )
    overdue = report_overdue(month, due_day=settings.report_due_day, today=today)
    ents = enterprises if enterprises is not None else Enterprise.objects.all()
    ids = list(ents.values_list("pk", flat=True))
    span = range(month - max(12, settings.falling_orders_months), month + 1)
    history: dict[int, dict[int, ind.MonthFacts]] = defaultdict(dict)
    by_country: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in ExportSalesLine.objects.filter(
        enterprise_id__in=ids, month=_date(month)
    ).values_list("enterprise_id", "country", "amount"):
        by_country[row[0]][row[1]] += row[2]
    for e, m, dom, exp, od, oe in MonthlyFigures.objects.filter(
        enterprise_id__in=ids, month__in=[_date(i) for i in span]
    ).values_list(
        "enterprise_id", "month", "domestic_sales", "export_sales", "orders_domestic",
        "orders_export",
    ):  # fmt: skip
        index = ind.month_index(m.year, m.month)
        history[e][index] = ind.MonthFacts(
            domestic_sales=dom,
            export_sales=exp,
            orders_domestic=od,
            orders_export=oe,
            exports_by_country=dict(by_country.get(e, {})) if index == month else {},
        )
    found: dict[tuple[int, str], ind.Finding] = {}
    for e in ids:
        for finding in ind.assess_month(
            history.get(e, {}), month=month, thresholds=thresholds, report_overdue=overdue
        ):
            found[(e, finding.reason)] = finding
    when = _date(month)
    with transaction.atomic():
        stored = {(a.enterprise_id, a.reason): a for a in Alert.objects.filter(
            enterprise_id__in=ids, month=when
        )}  # fmt: skip
        new, changed = [], []
        for (e, reason), finding in found.items():
            alert = stored.get((e, reason))
            if alert is None:
                new.append(
                    Alert(enterprise_id=e, month=when, reason=reason, level=finding.level,
                          details=finding.details)
                )  # fmt: skip
            elif (alert.level, alert.details) != (finding.level, finding.details) or (
                alert.status == AlertStatus.CLEARED
            ):
                alert.level, alert.details = finding.level, finding.details
                if alert.status == AlertStatus.CLEARED:
                    alert.status = AlertStatus.OPEN
                changed.append(alert)
        gone = [
            a.pk for key, a in stored.items()
            if key not in found and a.status == AlertStatus.OPEN
        ]  # fmt: skip
        Alert.objects.bulk_create(new)
        Alert.objects.bulk_update(changed, ["level", "details", "status"])
        Alert.objects.filter(pk__in=gone).update(status=AlertStatus.CLEARED)
    return len(found)


def schedule_alert_refresh(months: Iterable[dt.date]) -> None:
    """Once the current transaction commits, enqueue ``refresh_alerts_task`` for each of
    ``months`` (each once). Called when figures are submitted or corrected (support policies
    are matched again for the enterprises whose figures changed, not here:
    ``domain.policies.schedule_policy_matching``); a month's change may also move later
    months' alerts (year on year, falling orders), which the nightly ``dualcirc bureau-alerts``
    refreshes. A failure to enqueue is logged, never raised: the figures are saved either way.
    """
    labels = sorted({f"{m:%Y-%m}" for m in months})
    if not labels:
        return

    def enqueue() -> None:
        from dualcirc.bureau.tasks import refresh_alerts_task

        for label in labels:
            refresh_alerts_task.enqueue(label)

    transaction.on_commit(enqueue, robust=True)


def _figure(value: Any, digits: int) -> str:
    """A stored figure (decimal text) as the viewer's locale writes numbers; as stored when it
    is not a number."""
    try:
        return format_number(Decimal(str(value)), digits=digits)
    except (InvalidOperation, ValueError):
        return str(value)


def describe_alert(alert: Alert) -> str:
    """The alert's reason as a sentence with its numbers, in the active language."""
    d: dict[str, Any] = alert.details
    if alert.reason == "export_orders_drop":
        return _(
            "Exports are %(share)s%% of sales and export orders on hand changed %(change)s%% "
            "year on year."
        ) % {
            "share": _figure(d.get("export_share"), 1),
            "change": _figure(d.get("orders_change"), 1),
        }
    if alert.reason == "destination_concentration":
        return _("%(country)s takes %(share)s%% of exports.") % {
            "country": country_name(str(d.get("country") or "")),
            "share": _figure(d.get("share"), 1),
        }
    if alert.reason == "falling_orders":
        return _(
            "Orders on hand fell %(months)s months running, from %(start)s to %(end)s yuan."
        ) % {
            "months": d.get("months"),
            "start": _figure(d.get("from"), 0),
            "end": _figure(d.get("to"), 0),
        }
    if alert.reason == "missing_report":
        month = d.get("month")
        shown = format_month(str(month)) if month else ""
        return _("The report for %(month)s has not been submitted.") % {"month": shown}
    return str(alert.get_reason_display())
