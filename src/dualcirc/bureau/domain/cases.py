"""Work-team support as a closed loop: receive → assign → handle → feedback → close, rated by
the enterprise; the contact log shared by every department (support policies:
``domain.policies``).

A case's state changes only in :func:`move_case`, along ``enums.CASE_TRANSITIONS``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.bureau.enums import (
    CASE_TRANSITIONS,
    AlertLevel,
    AlertStatus,
    CaseSource,
    CaseStatus,
    NeedType,
)
from dualcirc.bureau.models import (
    Alert,
    CaseEvent,
    ContactLogEntry,
    RoutingRule,
    SupportCase,
    current_settings,
)
from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import (
    can_edit_enterprise,
    can_manage_in_region,
    can_rate_case,
    member_organisation_ids,
    require,
)
from dualcirc.core.errors import Conflict, FieldError, InvalidInput


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(_("The input is not valid."), [FieldError(field, message)])


def add_working_hours(start: dt.datetime, hours: int) -> dt.datetime:
    """``start`` plus ``hours`` counted on working days only (Saturdays and Sundays skipped):
    "respond within one working day" is 24 such hours."""
    end = start
    remaining = dt.timedelta(hours=hours)
    while remaining > dt.timedelta(0):
        step = min(remaining, dt.timedelta(hours=1))
        end += step
        if end.weekday() < 5:
            remaining -= step
    return end


def route(need_type: str, level: str) -> tuple[str, list[str]]:
    """The team and departments a need goes to: the rule for its type and level, else the rule
    for its type at any level, else nobody yet (assigned by hand)."""
    rules = list(RoutingRule.objects.filter(need_type=need_type, level__in=[level, ""]))
    rules.sort(key=lambda r: r.level == "")
    return (rules[0].team, list(rules[0].departments)) if rules else ("", [])


def open_case(
    *,
    actor: Any,
    enterprise: Enterprise,
    need_type: str,
    title: str,
    description: str = "",
    source: str | None = None,
    level: str = AlertLevel.BLUE,
    alert: Alert | None = None,
    now: dt.datetime | None = None,
) -> SupportCase:
    """Receive a need of ``enterprise``: from a visit or the API (government of its region,
    operator), from the enterprise itself (its members), or from an alert. ``source``
    defaults to *enterprise* when the actor is one of its members, else to *visit*; a case
    from an alert takes the alert's level and, without a title, its reason as the title.

    Side effects: creates the case with its time limits (settings), routes it to a team and
    departments (RoutingRule; the case is then *assigned*), links and marks the alert, and
    records the steps as CaseEvents.
    """
    is_own = can_edit_enterprise(actor, enterprise)
    require(is_own or can_manage_in_region(actor, enterprise.region))
    if need_type not in NeedType.values:
        raise _invalid("need_type", _("%(value)r is not a kind of need.") % {"value": need_type})
    if level not in AlertLevel.values:
        raise _invalid("level", _("%(value)r is not a level.") % {"value": level})
    if alert is not None and not title.strip():
        title = alert.get_reason_display()
    if not title.strip():
        raise _invalid("title", _("Say in a few words what is needed."))
    if alert is not None:
        if alert.enterprise_id != enterprise.pk:
            raise _invalid("alert", _("The alert is about another enterprise."))
        if SupportCase.objects.filter(alert=alert).exists():
            raise Conflict(_("A support case is already open for this alert."))
        source = CaseSource.ALERT
        level = alert.level
    if source is None:
        own = enterprise.organisation_id in member_organisation_ids(actor)
        source = CaseSource.ENTERPRISE if own else CaseSource.VISIT
    settings = current_settings()
    now = now or timezone.now()
    with transaction.atomic():
        case = SupportCase.objects.create(
            enterprise=enterprise,
            need_type=need_type,
            source=source,
            level=level,
            title=title.strip(),
            description=description.strip(),
            alert=alert,
            created_by=actor if getattr(actor, "pk", None) else None,
            received_at=now,
            respond_due=add_working_hours(now, settings.respond_within_hours),
            close_due=now + dt.timedelta(days=settings.close_within_days),
        )
        CaseEvent.objects.create(
            case=case, at=now, by=case.created_by, to_status=CaseStatus.RECEIVED
        )
        if alert is not None:
            Alert.objects.filter(pk=alert.pk).update(status=AlertStatus.IN_CASE)
        team, departments = route(need_type, level)
        if team:
            case.team, case.departments = team, departments
            case.status = CaseStatus.ASSIGNED
            case.save(update_fields=["team", "departments", "status"])
            CaseEvent.objects.create(
                case=case, at=now, by=None, from_status=CaseStatus.RECEIVED,
                to_status=CaseStatus.ASSIGNED, note=_("Routed to %(team)s") % {"team": team},
            )  # fmt: skip
    return case


def move_case(
    *,
    actor: Any,
    case: SupportCase,
    to: str,
    note: str = "",
    team: str = "",
    departments: list[str] | None = None,
    now: dt.datetime | None = None,
) -> SupportCase:
    """Move ``case`` to state ``to`` along CASE_TRANSITIONS (government of the enterprise's
    region, operator). Assigning needs a team; feedback and closing need a note.

    Side effects: the first move after receipt sets ``responded_at``; closing sets
    ``closed_at``; every move is a CaseEvent.
    """
    require(can_manage_in_region(actor, case.enterprise.region))
    if to not in CASE_TRANSITIONS.get(case.status, ()):
        raise Conflict(
            _("A case that is %(state)s cannot become %(to)s.")
            % {"state": case.get_status_display(), "to": CaseStatus(to).label if to in
               CaseStatus.values else to}
        )  # fmt: skip
    if to == CaseStatus.ASSIGNED:
        team = team.strip() or case.team
        if not team:
            raise _invalid("team", _("Name the work team."))
        case.team = team
        if departments is not None:
            case.departments = [d.strip() for d in departments if d.strip()]
    if to in (CaseStatus.FEEDBACK, CaseStatus.CLOSED) and not note.strip():
        raise _invalid("note", _("Say what was done."))
    now = now or timezone.now()
    with transaction.atomic():
        CaseEvent.objects.create(
            case=case, at=now, by=actor, from_status=case.status, to_status=to, note=note.strip()
        )
        case.status = to
        if case.responded_at is None:
            case.responded_at = now
        if to == CaseStatus.CLOSED:
            case.closed_at = now
        case.save()
    return case


def rate_case(*, actor: Any, case: SupportCase, rating: int, comment: str = "") -> SupportCase:
    """The enterprise rates a closed case's outcome (1–5). Side effects: stores the rating."""
    require(can_rate_case(actor, case), _("Only the enterprise itself rates the outcome."))
    if case.status != CaseStatus.CLOSED:
        raise Conflict(_("Rate a case once it is closed."))
    if not 1 <= rating <= 5:
        raise _invalid("rating", _("Rate from 1 to 5."))
    case.rating, case.rating_comment = rating, comment.strip()
    case.save(update_fields=["rating", "rating_comment"])
    return case


def log_contact(
    *,
    actor: Any,
    enterprise: Enterprise,
    kind: str,
    happened_on: dt.date,
    department: str,
    summary: str,
    case: SupportCase | None = None,
) -> ContactLogEntry:
    """Add a visit, call or meeting to the enterprise's shared contact log."""
    require(can_manage_in_region(actor, enterprise.region))
    errors = []
    if not department.strip():
        errors.append(FieldError("department", _("Name the department.")))
    if not summary.strip():
        errors.append(FieldError("summary", _("Say what was discussed.")))
    if happened_on > timezone.localdate():
        errors.append(FieldError("happened_on", _("The date is in the future.")))
    if errors:
        raise InvalidInput(_("The input is not valid."), errors)
    return ContactLogEntry.objects.create(
        enterprise=enterprise, kind=kind, happened_on=happened_on,
        department=department.strip(), summary=summary.strip(), case=case, recorded_by=actor,
    )  # fmt: skip


@dataclass(frozen=True)
class CaseStats:
    total: int
    closed: int
    closure_rate: Decimal | None
    overdue: int
    mean_hours_to_respond: Decimal | None
    mean_days_to_close: Decimal | None
    satisfaction: Decimal | None
    rated: int


def case_stats(cases: QuerySet[SupportCase], *, now: dt.datetime | None = None) -> CaseStats:
    """Closure rate, time to respond and to close, overdue cases and satisfaction (one query)."""
    now = now or timezone.now()
    rows = list(
        cases.values_list("status", "received_at", "responded_at", "closed_at",
                          "respond_due", "close_due", "rating")
    )  # fmt: skip
    closed = [r for r in rows if r[0] == CaseStatus.CLOSED]
    overdue = sum(
        1
        for status, _rec, responded, closed_at, respond_due, close_due, _r in rows
        if (status != CaseStatus.CLOSED and now > close_due)
        or (responded is None and now > respond_due)
        or (closed_at is not None and closed_at > close_due)
    )
    respond = [(r[2] - r[1]).total_seconds() / 3600 for r in rows if r[2]]
    close = [(r[3] - r[1]).total_seconds() / 86400 for r in closed if r[3]]
    ratings = [r[6] for r in rows if r[6]]

    def mean(values: list[float]) -> Decimal | None:
        return Decimal(str(round(sum(values) / len(values), 1))) if values else None

    return CaseStats(
        total=len(rows),
        closed=len(closed),
        closure_rate=(
            (Decimal(len(closed)) / len(rows) * 100).quantize(Decimal("0.01")) if rows else None
        ),
        overdue=overdue,
        mean_hours_to_respond=mean(respond),
        mean_days_to_close=mean(close),
        satisfaction=mean([float(r) for r in ratings]),
        rated=len(ratings),
    )
