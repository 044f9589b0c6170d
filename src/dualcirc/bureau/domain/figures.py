"""Monthly figures: entering, correcting (never silently overwriting) and their history.

The form, the spreadsheet import and the API all call :func:`submit_figures`. A month that was
already submitted changes only as a *correction*: the caller names the version it corrects
(``expected_version``, so that two people correcting at once cannot overwrite each other) and
gives a reason. Every change, the first submission included, is a FiguresRevision recording
who, when, from where, why, and each value before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pycountry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.bureau.domain.alerts import schedule_alert_refresh
from dualcirc.bureau.domain.jumps import JumpsToConfirm, find_jumps
from dualcirc.bureau.domain.policies import schedule_policy_matching
from dualcirc.bureau.domain.rollups import rebuild_yearly_sales
from dualcirc.bureau.enums import (
    DomesticChannel,
    ExportMode,
    FiguresEvent,
    FiguresSource,
    FiguresStatus,
)
from dualcirc.bureau.models import (
    DomesticSalesLine,
    ExportSalesLine,
    FiguresRevision,
    MonthlyFigures,
    current_settings,
)
from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import can_enter_figures, require
from dualcirc.core.errors import Conflict, FieldError, InvalidInput
from dualcirc.core.sanitize import column_problem

SCALAR_FIELDS = (
    "output_value",
    "revenue",
    "orders_domestic",
    "orders_export",
    "employees",
)
MAX_AMOUNT = Decimal("99999999999999.99")
CENT = Decimal("0.01")


@dataclass
class FiguresInput:
    """One month's figures as entered. Amounts in CNY; a channel or destination left out sold
    nothing. ``exports`` maps (country code, mode) to an amount."""

    output_value: Decimal | None = None
    revenue: Decimal | None = None
    orders_domestic: Decimal | None = None
    orders_export: Decimal | None = None
    employees: int | None = None
    domestic: dict[str, Decimal] = field(default_factory=dict)
    exports: dict[tuple[str, str], Decimal] = field(default_factory=dict)

    def headlines(self) -> dict[str, Decimal | None]:
        """The values jumps are looked for in (``domain.jumps.HEADLINE_FIELDS``)."""
        return {
            "output_value": self.output_value,
            "revenue": self.revenue,
            "domestic_sales": sum((a for a in self.domestic.values() if a), Decimal(0)),
            "export_sales": sum((a for a in self.exports.values() if a), Decimal(0)),
        }

    def snapshot(self) -> dict[str, str | None]:
        """Every value as text under its revision key; zero lines are left out."""
        snap: dict[str, str | None] = {}
        for name in SCALAR_FIELDS:
            value = getattr(self, name)
            snap[name] = None if value is None else str(_normal(value))
        for channel, amount in self.domestic.items():
            if amount:
                snap[f"domestic.{channel}"] = str(_normal(amount))
        for (country, mode), amount in self.exports.items():
            if amount:
                snap[f"export.{country}.{mode}"] = str(_normal(amount))
        return snap


def _normal(value: Decimal | int) -> Decimal | int:
    return value if isinstance(value, int) else value.quantize(CENT)


def month_start(value: dt.date) -> dt.date:
    return value.replace(day=1)


def parse_month(text: str) -> dt.date:
    """``2025-03``, ``2025/3``, ``2025年3月``, ``2025-03-01`` → 2025-03-01; ValueError otherwise."""
    cleaned = text.strip().replace("年", "-").replace("月", "").replace("/", "-").replace(".", "-")
    parts = [p for p in cleaned.split("-") if p]
    if len(parts) == 3 and (parts[2].isdigit() or "T" in parts[2]):  # a date or a datetime
        parts = parts[:2]
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise ValueError(text)
    year, month = int(parts[0]), int(parts[1])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValueError(text)
    return dt.date(year, month, 1)


def check_figures(
    data: FiguresInput, *, month: dt.date, row: int | None = None
) -> list[FieldError]:
    """Every problem with ``data``: negative or too large amounts, unknown channels, modes and
    countries, a month in the future."""
    errors: list[FieldError] = []
    today = timezone.localdate()
    if month > today.replace(day=1):
        errors.append(FieldError("month", _("Figures cannot be reported for a future month."), row))
    for name in SCALAR_FIELDS:
        value = getattr(data, name)
        if value is not None and (value < 0 or value > MAX_AMOUNT):
            errors.append(FieldError(name, _("Enter a number from 0 up."), row))
        elif value is not None and (problem := column_problem(value, MonthlyFigures, name)):
            errors.append(FieldError(name, problem, row))  # e.g. employees past the column
    for channel, amount in data.domestic.items():
        if channel not in DomesticChannel.values:
            errors.append(
                FieldError(
                    f"domestic.{channel}",
                    _("%(channel)r is not a sales channel.") % {"channel": channel},
                    row,
                )
            )
        elif amount < 0 or amount > MAX_AMOUNT:
            errors.append(FieldError(f"domestic.{channel}", _("Enter a number from 0 up."), row))
    for (country, mode), amount in data.exports.items():
        key = f"export.{country}.{mode}"
        if pycountry.countries.get(alpha_2=country) is None:
            errors.append(
                FieldError(key, _("%(code)r is not an ISO country code.") % {"code": country}, row)
            )
        if mode not in ExportMode.values:
            errors.append(
                FieldError(key, _("%(mode)r is not an export mode.") % {"mode": mode}, row)
            )
        if amount < 0 or amount > MAX_AMOUNT:
            errors.append(FieldError(key, _("Enter a number from 0 up."), row))
    return errors


def figures_snapshot(figures: MonthlyFigures) -> dict[str, str | None]:
    """The stored month as revision keys (uses prefetched lines when present)."""
    return figures_input(figures).snapshot()


def figures_input(figures: MonthlyFigures) -> FiguresInput:
    """The stored month as a FiguresInput (to pre-fill a correction form)."""
    return FiguresInput(
        output_value=figures.output_value,
        revenue=figures.revenue,
        orders_domestic=figures.orders_domestic,
        orders_export=figures.orders_export,
        employees=figures.employees,
        domestic={line.channel: line.amount for line in figures.domestic.all()},
        exports={(line.country, line.mode): line.amount for line in figures.exports.all()},
    )


def diff_snapshots(
    old: Mapping[str, str | None], new: Mapping[str, str | None]
) -> dict[str, list[str | None]]:
    keys = sorted(set(old) | set(new))
    return {k: [old.get(k), new.get(k)] for k in keys if old.get(k) != new.get(k)}


@dataclass(frozen=True)
class SubmitResult:
    figures: MonthlyFigures
    action: str  # "created" | "corrected" | "unchanged"


def submit_figures(
    *,
    actor: Any,
    enterprise: Enterprise,
    month: dt.date,
    data: FiguresInput,
    source: str = FiguresSource.FORM,
    expected_version: int | None = None,
    reason: str = "",
    row: int | None = None,
    schedule_tasks: bool = True,
    enforce_jumps: bool = False,
    confirm_jumps: bool = False,
    jump_explanation: str = "",
) -> SubmitResult:
    """Submit ``enterprise``'s figures for ``month``, or correct a submitted month.

    Preconditions: ``actor`` may enter the enterprise's figures (core.access). A month already
    submitted is corrected only when ``expected_version`` equals its current version
    (:class:`Conflict` otherwise, naming the current version) and ``reason`` is given.
    Submitting exactly the stored values changes nothing. Headline figures that moved past
    ``BureauSettings.jump_threshold`` on last month or the same month last year are *jumps*:
    with ``enforce_jumps`` (the form and the API) they are taken only when ``confirm_jumps``
    (:class:`JumpsToConfirm` otherwise); the spreadsheet import stores them unconfirmed.

    Review status: a new month is ``submitted``; a correction of a month the bureau returned
    (or had accepted) makes it ``resubmitted``; a correction of a month not yet reviewed keeps
    its status. The revision's ``event`` says which (``changes`` holds ``status`` when it moved).

    Side effects: writes the MonthlyFigures row, replaces its sales lines (and rebuilds the
    enterprise's YearlySales of that year), bumps ``version`` and adds a FiguresRevision with
    the changed values, in one transaction; once it commits, tasks refresh the month's at-risk
    alerts and match the support policies against this enterprise only (its 12-month sums
    moved; no other enterprise's did) — unless ``schedule_tasks`` is false: the import
    schedules each month and its enterprises once for the whole file.
    """
    require(can_enter_figures(actor, enterprise))
    month = month_start(month)
    errors = check_figures(data, month=month, row=row)
    if errors:
        raise InvalidInput(_("The figures are not valid."), errors)
    new_snapshot = data.snapshot()
    now = timezone.now()
    with transaction.atomic():
        # One submission at a time per enterprise: its YearlySales rows are rebuilt below.
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).exists()
        existing = (
            MonthlyFigures.objects.select_for_update()
            .filter(enterprise=enterprise, month=month)
            .prefetch_related("domestic", "exports")
            .first()
        )
        if existing is None:
            figures = MonthlyFigures(
                enterprise=enterprise,
                month=month,
                version=1,
                source=source,
                submitted_by=actor if getattr(actor, "pk", None) else None,
                submitted_at=now,
            )
            changes = diff_snapshots({}, new_snapshot)
            action = "created"
        else:
            changes = diff_snapshots(figures_snapshot(existing), new_snapshot)
            if not changes:
                return SubmitResult(existing, "unchanged")
            if expected_version != existing.version:
                raise Conflict(
                    _(
                        "%(month)s was already submitted (version %(version)d). To correct it, "
                        "start from version %(version)d and give a reason."
                    )
                    % {"month": f"{month:%Y-%m}", "version": existing.version},
                    [
                        FieldError(
                            "expected_version",
                            _("The current version is %(version)d.")
                            % {"version": existing.version},
                            row,
                        )
                    ],
                )
            if not reason.strip():
                raise InvalidInput(
                    _("Say why a submitted month is corrected."),
                    [FieldError("reason", _("A correction needs a reason."), row)],
                )
            figures = existing
            figures.version += 1
            action = "corrected"
        jumps = find_jumps(
            enterprise_id=enterprise.pk, month=month, current=data.headlines(),
            threshold=current_settings().jump_threshold,
        )  # fmt: skip
        if jumps and enforce_jumps and not confirm_jumps:
            raise JumpsToConfirm(jumps)
        figures.jumps = jumps
        figures.jumps_confirmed = bool(jumps) and confirm_jumps
        figures.jump_explanation = jump_explanation.strip() if jumps else ""
        event = FiguresEvent.SUBMITTED if action == "created" else FiguresEvent.CORRECTED
        if action == "corrected" and figures.status in (
            FiguresStatus.RETURNED, FiguresStatus.ACCEPTED
        ):  # fmt: skip
            changes["status"] = [figures.status, FiguresStatus.RESUBMITTED]
            figures.status = FiguresStatus.RESUBMITTED
            event = FiguresEvent.RESUBMITTED
        _apply(figures, data, now=now)
        FiguresRevision.objects.create(
            figures=figures,
            version=figures.version,
            changed_by=actor if getattr(actor, "pk", None) else None,
            changed_at=now,
            source=source,
            event=event,
            reason=reason.strip(),
            changes=changes,
        )
        if schedule_tasks:
            schedule_alert_refresh([month])
            schedule_policy_matching([enterprise.pk])
    return SubmitResult(figures, action)


def _apply(figures: MonthlyFigures, data: FiguresInput, *, now: dt.datetime) -> None:
    for name in SCALAR_FIELDS:
        value = getattr(data, name)
        setattr(figures, name, None if value is None else _normal(value))
    domestic = {c: _normal(a) for c, a in data.domestic.items() if a}
    exports = {k: _normal(a) for k, a in data.exports.items() if a}
    figures.domestic_sales = sum(domestic.values(), Decimal(0))
    figures.export_sales = sum(exports.values(), Decimal(0))
    figures.updated_at = now
    figures.save()
    DomesticSalesLine.objects.filter(figures=figures).delete()
    ExportSalesLine.objects.filter(figures=figures).delete()
    DomesticSalesLine.objects.bulk_create(
        DomesticSalesLine(figures=figures, channel=c, amount=a) for c, a in sorted(domestic.items())
    )
    ExportSalesLine.objects.bulk_create(
        ExportSalesLine(
            figures=figures,
            enterprise_id=figures.enterprise_id,
            month=figures.month,
            country=country,
            mode=mode,
            amount=a,
        )
        for (country, mode), a in sorted(exports.items())
    )
    rebuild_yearly_sales(enterprise_ids=[figures.enterprise_id], years=[figures.month.year])


def prefill_from_deals(*, enterprise: Enterprise, month: dt.date) -> FiguresInput | None:
    """Sales suggested from orders ``enterprise`` closed on the platform in ``month`` (by order
    date, cancelled orders left out, valued in CNY at the order's rate), for the form to show
    as a pre-fill the enterprise confirms; None when there are none.

    Domestic buyers (destination CN) count under ``DomesticChannel.OTHER_ECOMMERCE`` (the
    platform is an e-commerce channel); others under their destination country, general trade.
    Orders without a CNY value are left out.
    """
    from dualcirc.deals.enums import OrderState
    from dualcirc.deals.models import Order

    start = month_start(month)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    rows = (
        Order.objects.filter(
            supplier=enterprise,
            created_at__date__gte=start,
            created_at__date__lt=end,
            value_cny__isnull=False,
        )
        .exclude(state=OrderState.CANCELLED)
        .values_list("destination_country", "value_cny")
    )
    data = FiguresInput()
    for country, value in rows:
        if value is None:  # excluded by the query; keeps the type checker informed
            continue
        if country == "CN":
            key = DomesticChannel.OTHER_ECOMMERCE.value
            data.domestic[key] = data.domestic.get(key, Decimal(0)) + value
        else:
            k = (country, ExportMode.GENERAL_TRADE.value)
            data.exports[k] = data.exports.get(k, Decimal(0)) + value
    return data if data.domestic or data.exports else None


def prefill_figures(*, enterprise: Enterprise, month: dt.date) -> tuple[FiguresInput | None, str]:
    """What the form for a month not yet reported starts from, and where it came from:
    the enterprise's previous month (``"last_month"``), else its orders on the platform in
    the month (``"deals"``, :func:`prefill_from_deals`), else nothing (``""``)."""
    start = month_start(month)
    previous = (start - dt.timedelta(days=1)).replace(day=1)
    last = (
        MonthlyFigures.objects.filter(enterprise=enterprise, month=previous)
        .prefetch_related("domestic", "exports")
        .first()
    )
    if last is not None:
        return figures_input(last), "last_month"
    deals = prefill_from_deals(enterprise=enterprise, month=start)
    return (deals, "deals") if deals is not None else (None, "")
