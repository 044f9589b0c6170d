"""The monthly reporting cycle: which enterprises owe a month's figures and by when, the
reminders they get before and after the deadline, the bureau's review of what they sent
(returned for correction, accepted) and the coverage officials watch.

Rules:

- A month's report is due on ``BureauSettings.report_due_day`` of the following month.
- Every enterprise registered in a region by a month's due day is expected to report it (the
  platform is how the bureau's enterprises report; there is no separate register), and so is
  one that joined later but reported the month all the same.
- ``remind_days_before`` days before the deadline, each expected enterprise that has not
  reported gets a "due soon" notice; after the deadline an "overdue" one. Each at most once per
  enterprise, month and kind (a ReportingReminder row records it).
- Officials of the enterprise's region (or above) return a submitted month with a reason, or
  accept it; the enterprise corrects a returned month, which makes it ``resubmitted``
  (``domain.figures.submit_figures``). Each step is a FiguresRevision.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.bureau.enums import (
    FIGURES_REVIEW_MOVES,
    FiguresEvent,
    FiguresSource,
    FiguresStatus,
    ReminderKind,
)
from dualcirc.bureau.models import (
    FiguresRevision,
    MonthlyFigures,
    ReportingReminder,
    current_settings,
)
from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import can_manage_in_region, require
from dualcirc.core.errors import Conflict, FieldError, InvalidInput
from dualcirc.core.models import Membership, User
from dualcirc.notify.domain import notify


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def due_date(month: dt.date, *, due_day: int | None = None) -> dt.date:
    """The day ``month``'s report is due: ``report_due_day`` of the next month."""
    day = due_day if due_day is not None else current_settings().report_due_day
    return next_month(month).replace(day=day)


def collecting_month(today: dt.date | None = None) -> dt.date:
    """The month whose reports are being collected on ``today``: the previous month."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def expected_enterprises(
    enterprises: QuerySet[Enterprise], month: dt.date, *, due: dt.date | None = None
) -> QuerySet[Enterprise]:
    """Those of ``enterprises`` expected to report ``month``: registered on the platform by the
    report's due day ``due`` (one that joins later starts with the next month), and any that
    reported it anyway."""
    month = month.replace(day=1)
    sent = MonthlyFigures.objects.filter(month=month).values("enterprise_id")
    return enterprises.filter(Q(created_at__lt=_end_of(due or due_date(month))) | Q(pk__in=sent))


@dataclass(frozen=True)
class Coverage:
    """How a month's reporting stands over a set of enterprises (one query)."""

    month: dt.date
    due: dt.date
    expected: int
    reported: int
    late: int
    returned: int
    flagged: int

    @property
    def missing(self) -> int:
        return self.expected - self.reported

    @property
    def share(self) -> Decimal | None:
        """Reported as a percentage of expected (one decimal); None when none is expected."""
        if not self.expected:
            return None
        return (Decimal(self.reported) * 100 / Decimal(self.expected)).quantize(Decimal("0.1"))


def reporting_coverage(
    *, enterprises: QuerySet[Enterprise], month: dt.date, due_day: int | None = None
) -> Coverage:
    """Reported / expected for ``month`` over ``enterprises``, with how many came after the
    deadline, are returned for correction, or carry jumps (two queries; one more to read
    ``report_due_day`` unless the caller passes it as ``due_day``)."""
    month = month.replace(day=1)
    due = due_date(month, due_day=due_day)
    deadline = _end_of(due)
    expected = expected_enterprises(enterprises, month, due=due)
    agg = MonthlyFigures.objects.filter(
        month=month, enterprise__in=expected.values("pk")
    ).aggregate(
        reported=Count("pk"),
        late=Count("pk", filter=Q(submitted_at__gte=deadline)),
        returned=Count("pk", filter=Q(status=FiguresStatus.RETURNED)),
        flagged=Count("pk", filter=~Q(jumps=[])),
    )
    agg["expected"] = expected.count()
    return Coverage(month=month, due=due, **{k: v or 0 for k, v in agg.items()})


@dataclass(frozen=True)
class ReportingRow:
    enterprise: Enterprise
    figures: MonthlyFigures | None
    late: bool

    @property
    def state(self) -> str:
        """``missing`` or the figures' review status."""
        return self.figures.status if self.figures is not None else "missing"


REPORTING_STATES = ("missing", *FiguresStatus.values)


def reporting_rows(
    *, enterprises: QuerySet[Enterprise], month: dt.date, state: str = ""
) -> list[ReportingRow]:
    """Each expected enterprise with its figures of ``month`` (or None), optionally only those
    in ``state`` (``missing`` or a review status); two queries."""
    month = month.replace(day=1)
    due = due_date(month)
    expected = list(
        expected_enterprises(enterprises, month, due=due)
        .select_related("region")
        .order_by("name_zh")
    )
    figures = {
        f.enterprise_id: f
        for f in MonthlyFigures.objects.filter(
            month=month, enterprise_id__in=[e.pk for e in expected]
        )
    }
    rows = [
        ReportingRow(
            enterprise=e,
            figures=figures.get(e.pk),
            late=(
                figures[e.pk].submitted_at.date() > due
                if e.pk in figures
                else timezone.localdate() > due
            ),
        )
        for e in expected
    ]
    return [r for r in rows if r.state == state] if state else rows


def _members_by_organisation(organisation_ids: list[int]) -> dict[int, list[User]]:
    """The active members of each organisation (one query)."""
    members: dict[int, list[User]] = defaultdict(list)
    for m in Membership.objects.filter(
        organisation_id__in=organisation_ids, user__is_active=True
    ).select_related("user"):
        members[m.organisation_id].append(m.user)
    return members


def _label(enterprise: Enterprise, month: dt.date) -> str:
    return f"{enterprise} {month:%Y-%m}"


def send_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """Remind the enterprises that have not reported the month being collected.

    From ``remind_days_before`` days before the due day to the due day: a "due soon" notice;
    after the due day: an "overdue" notice. Side effects: one ReportingReminder per enterprise,
    month and kind, created at most once (a second run the same or any later day sends nothing
    again), and a notification (and e-mail) to each active member of the enterprise.
    Returns how many enterprises were reminded, by kind."""
    today = today or timezone.localdate()
    settings = current_settings()
    month = collecting_month(today)
    due = due_date(month, due_day=settings.report_due_day)
    if today > due:
        kind, verb = ReminderKind.OVERDUE, "figures_overdue"
    elif today >= due - dt.timedelta(days=settings.remind_days_before):
        kind, verb = ReminderKind.DUE_SOON, "figures_due"
    else:
        return {}
    owing = list(
        expected_enterprises(Enterprise.objects.all(), month, due=due)
        .exclude(monthly_figures__month=month)
        .exclude(pk__in=ReportingReminder.objects.filter(month=month, kind=kind)
                 .values("enterprise_id"))
        .order_by("pk")
    )  # fmt: skip
    members = _members_by_organisation([e.organisation_id for e in owing])
    sent = 0
    for enterprise in owing:
        recipients = members.get(enterprise.organisation_id, [])
        with transaction.atomic():
            _row, created = ReportingReminder.objects.get_or_create(
                enterprise=enterprise, month=month, kind=kind,
                defaults={"sent_at": timezone.now(), "recipients": len(recipients)},
            )  # fmt: skip
            if not created:  # another run got there first
                continue
            url = reverse("bureau:figures-edit", args=[enterprise.pk, f"{month:%Y-%m}"])
            notify(recipients, verb, _label(enterprise, month), url)
        sent += 1
    return {kind.value: sent} if sent else {}


def _review(
    *,
    actor: Any,
    figures: MonthlyFigures,
    to: str,
    reason: str = "",
    expected_version: int | None,
    source: str,
) -> MonthlyFigures:
    enterprise = figures.enterprise
    require(
        can_manage_in_region(actor, enterprise.region),
        _("Only officials of the enterprise's region review its figures."),
    )
    with transaction.atomic():
        current = MonthlyFigures.objects.select_for_update().get(pk=figures.pk)
        if expected_version is not None and expected_version != current.version:
            raise Conflict(
                _("The figures changed meanwhile (now version %(version)d); look again.")
                % {"version": current.version},
                [FieldError("expected_version", _("The current version is %(version)d.")
                            % {"version": current.version})],
            )  # fmt: skip
        if to not in FIGURES_REVIEW_MOVES.get(current.status, ()):
            raise Conflict(
                _("Figures that are “%(status)s” cannot be %(to)s.")
                % {"status": FiguresStatus(current.status).label,
                   "to": FiguresStatus(to).label.lower()},
                [FieldError("status", _("Not allowed from this status."))],
            )  # fmt: skip
        before = current.status
        current.status = to
        current.version += 1
        current.updated_at = timezone.now()
        if to == FiguresStatus.RETURNED:
            current.return_reason = reason
        current.save(update_fields=["status", "version", "updated_at", "return_reason"])
        FiguresRevision.objects.create(
            figures=current, version=current.version, changed_by=actor,
            changed_at=current.updated_at, source=source,
            event=FiguresEvent.RETURNED if to == FiguresStatus.RETURNED else FiguresEvent.ACCEPTED,
            reason=reason, changes={"status": [before, to]},
        )  # fmt: skip
    current.enterprise = enterprise
    return current


def return_figures(
    *,
    actor: Any,
    figures: MonthlyFigures,
    reason: str,
    expected_version: int | None = None,
    source: str = FiguresSource.FORM,
) -> MonthlyFigures:
    """Return a submitted (or resubmitted, or accepted) month to the enterprise for correction.

    Preconditions: ``actor`` manages the enterprise's region; a reason is given; the month is
    at ``expected_version`` when one is named (Conflict otherwise). Side effects: status
    ``returned`` with the reason, version + 1, a FiguresRevision (event ``returned``), and a
    notification to the enterprise's members linking to the month's form."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            _("Say what the enterprise must correct."),
            [FieldError("reason", _("A return needs a reason."))],
        )
    returned = _review(
        actor=actor, figures=figures, to=FiguresStatus.RETURNED, reason=reason,
        expected_version=expected_version, source=source,
    )  # fmt: skip
    enterprise = returned.enterprise
    members = _members_by_organisation([enterprise.organisation_id])
    url = reverse("bureau:figures-edit", args=[enterprise.pk, f"{returned.month:%Y-%m}"])
    notify(
        members.get(enterprise.organisation_id, []), "figures_returned",
        _label(enterprise, returned.month), url, actor=actor,
    )  # fmt: skip
    return returned


def accept_figures(
    *,
    actor: Any,
    figures: MonthlyFigures,
    expected_version: int | None = None,
    source: str = FiguresSource.FORM,
) -> MonthlyFigures:
    """Accept a submitted or resubmitted month. Preconditions as :func:`return_figures`.
    Side effects: status ``accepted``, version + 1, a FiguresRevision (event ``accepted``)."""
    return _review(
        actor=actor, figures=figures, to=FiguresStatus.ACCEPTED,
        expected_version=expected_version, source=source,
    )  # fmt: skip
