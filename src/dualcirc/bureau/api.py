"""The bureau's JSON API: monthly figures (send, correct, import), indicators, alerts, cases.

Handlers parse input, call one bureau domain or query function (it checks permissions with
core.access) and render a schema. Errors follow the API's one shape (dualcirc.api).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict

from dualcirc.bureau import indicators as ind
from dualcirc.bureau.domain import policies as policy_domain
from dualcirc.bureau.domain.alerts import describe_alert
from dualcirc.bureau.domain.cases import open_case
from dualcirc.bureau.domain.figures import FiguresInput, parse_month, submit_figures
from dualcirc.bureau.domain.figures_import import import_figures
from dualcirc.bureau.domain.reporting import (
    REPORTING_STATES,
    accept_figures,
    collecting_month,
    due_date,
    reporting_coverage,
    reporting_rows,
    return_figures,
)
from dualcirc.bureau.enums import AlertLevel, CaseSource, FiguresSource
from dualcirc.bureau.models import Alert, MonthlyFigures, SupportCase
from dualcirc.bureau.queries import compute_indicators
from dualcirc.bureau.scopes import parse_period, resolve_scope
from dualcirc.catalog.api_imports import ImportJobOut
from dualcirc.catalog.import_jobs import job_as_dict, start_figures_import_job
from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import (
    can_manage_in_region,
    can_use_bureau,
    can_view_figures,
    private_enterprise_filter,
    require,
)
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.core.sanitize import column_limits, text_limit

router = Router(tags=["bureau"])


# Request bodies refuse unknown fields; amounts are bounded by their columns (16 digits, 2
# decimal places: extra decimals are refused, never rounded), like every API door.
Amount = Annotated[Decimal, column_limits(MonthlyFigures, "revenue")]
Employees = Annotated[int, column_limits(MonthlyFigures, "employees")]


class _Input(Schema):
    model_config = ConfigDict(extra="forbid")


class ExportLineIn(_Input):
    country: str
    mode: str = "general_trade"
    amount: Amount


class FiguresIn(_Input):
    output_value: Amount | None = None
    revenue: Amount | None = None
    orders_domestic: Amount | None = None
    orders_export: Amount | None = None
    employees: Employees | None = None
    domestic: dict[str, Amount] = {}
    exports: list[ExportLineIn] = []
    expected_version: Annotated[int, column_limits(MonthlyFigures, "version")] | None = None
    reason: Annotated[str, text_limit("reason")] = ""
    confirm_jumps: bool = False
    jump_explanation: Annotated[str, text_limit("reason")] = ""


class FiguresOut(Schema):
    enterprise: int
    month: str
    version: int
    output_value: Decimal | None
    revenue: Decimal | None
    domestic_sales: Decimal
    export_sales: Decimal
    orders_domestic: Decimal | None
    orders_export: Decimal | None
    employees: int | None
    domestic: dict[str, Decimal]
    exports: list[ExportLineIn]
    status: str


class SubmitOut(Schema):
    action: str
    figures: FiguresOut


def _figures_out(f: MonthlyFigures) -> dict[str, Any]:
    return {
        "enterprise": f.enterprise_id,
        "month": f"{f.month:%Y-%m}",
        "version": f.version,
        "output_value": f.output_value,
        "revenue": f.revenue,
        "domestic_sales": f.domestic_sales,
        "export_sales": f.export_sales,
        "orders_domestic": f.orders_domestic,
        "orders_export": f.orders_export,
        "employees": f.employees,
        "status": f.status,
        "domestic": {line.channel: line.amount for line in f.domestic.all()},
        "exports": [
            {"country": line.country, "mode": line.mode, "amount": line.amount}
            for line in f.exports.all()
        ],
    }


def _enterprise(pk: int) -> Enterprise:
    enterprise = Enterprise.objects.select_related("region").filter(pk=pk).first()
    if enterprise is None:
        raise Http404(_("There is no enterprise with this id."))
    return enterprise


def _month(text: str, field: str = "month") -> dt.date:
    try:
        return parse_month(text)
    except ValueError:
        raise InvalidInput(
            _("The input is not valid."),
            [FieldError(field, _("%(value)r is not a month (write 2025-03).") % {"value": text})],
        ) from None


@router.get(
    "/bureau/figures/{int:enterprise_id}",
    response=list[FiguresOut],
    summary="An enterprise's months",
)
def list_figures(
    request: HttpRequest, enterprise_id: int, start: str | None = None, end: str | None = None
) -> list[dict[str, Any]]:
    enterprise = _enterprise(enterprise_id)
    require(can_view_figures(request.user, enterprise))
    qs = MonthlyFigures.objects.filter(enterprise=enterprise).prefetch_related(
        "domestic", "exports"
    )
    if start:
        qs = qs.filter(month__gte=_month(start, "start"))
    if end:
        qs = qs.filter(month__lte=_month(end, "end"))
    return [_figures_out(f) for f in qs.order_by("month")]


@router.put(
    "/bureau/figures/{int:enterprise_id}/{month}",
    response=SubmitOut,
    summary="Submit or correct a month's figures",
)
def put_figures(
    request: HttpRequest, enterprise_id: int, month: str, payload: FiguresIn
) -> dict[str, Any]:
    """A new month is submitted as is; a submitted month is corrected only with its current
    ``expected_version`` and a ``reason`` (409 with the current version otherwise). Headline
    figures that jump past the bureau's threshold are refused (422, code ``jumps_to_confirm``,
    one error per jump on ``confirm_jumps``) until sent again with ``confirm_jumps: true`` and
    optionally a ``jump_explanation``."""
    enterprise = _enterprise(enterprise_id)
    data = FiguresInput(
        output_value=payload.output_value,
        revenue=payload.revenue,
        orders_domestic=payload.orders_domestic,
        orders_export=payload.orders_export,
        employees=payload.employees,
        domestic=dict(payload.domestic),
        exports={(e.country.upper(), e.mode): e.amount for e in payload.exports},
    )
    result = submit_figures(
        actor=request.user, enterprise=enterprise, month=_month(month), data=data,
        source=FiguresSource.API, expected_version=payload.expected_version,
        reason=payload.reason, enforce_jumps=True, confirm_jumps=payload.confirm_jumps,
        jump_explanation=payload.jump_explanation,
    )  # fmt: skip
    figures = MonthlyFigures.objects.prefetch_related("domestic", "exports").get(
        pk=result.figures.pk
    )
    return {"action": result.action, "figures": _figures_out(figures)}


@router.post("/bureau/figures/import", summary="Import monthly figures from CSV/XLSX")
def post_figures_import(
    request: HttpRequest,
    file: File[UploadedFile],
    correct: Form[bool] = False,
    reason: Form[str] = "",
    partial: Form[bool] = False,
) -> dict[str, Any]:
    report = import_figures(
        actor=request.user, file=file, correct=correct, reason=reason, partial=partial
    )
    return report.as_dict()


@router.post(
    "/bureau/figures/import-jobs",
    response={202: ImportJobOut},
    summary="Queue a figures import with progress",
)
def post_figures_import_job(
    request: HttpRequest,
    file: File[UploadedFile],
    correct: Form[bool] = False,
    reason: Form[str] = "",
    partial: Form[bool] = False,
) -> Status[Any]:
    """Import in the task worker; follow and cancel the job at /api/catalog/import-jobs/{id}
    (docs/catalog-import.md, "Long imports")."""
    job = start_figures_import_job(
        actor=request.user, file=file, correct=correct, reason=reason, partial=partial
    )
    return Status(202, job_as_dict(job))


@router.get("/bureau/indicators", summary="Indicators of a scope over a period")
def get_indicators(
    request: HttpRequest, scope: str, period: str = "ytd", month: str | None = None
) -> dict[str, Any]:
    """``scope`` is region:CODE, belt:SLUG, industry:NAME, chain:ID or enterprise:ID;
    ``period`` month, quarter, ytd or ttm ending with ``month`` (YYYY-MM, default: last
    month). Groups of fewer than 3 enterprises come back with ``suppressed: true``."""
    resolved = resolve_scope(actor=request.user, param=scope)
    kind, anchor = parse_period(period, month)
    r = compute_indicators(scope=resolved, period=kind, anchor=anchor)

    def growth(g: ind.Growth | None) -> dict[str, Any] | None:
        if g is None:
            return None
        return {"rate": g.rate, "current": g.current, "previous": g.previous,
                "compared": g.compared, "left_out": g.left_out}  # fmt: skip

    out: dict[str, Any] = {
        "scope": resolved.param,
        "label": resolved.label,
        "period": kind,
        "months": [ind.month_label(m) for m in r.months],
        "enterprises": r.enterprises,
        "suppressed": r.suppressed,
    }
    if r.suppressed:
        return out
    out.update(
        totals=r.totals,
        yoy={k: growth(v) for k, v in r.yoy.items()},
        previous_period={k: growth(v) for k, v in r.previous.items()},
        domestic_share=r.domestic_share,
        ecommerce_share=r.ecommerce_share,
        channels=dict(r.channels),
        modes=dict(r.modes),
        destinations=r.destinations.shown if r.destinations else {},
        destinations_hidden=r.destinations.hidden if r.destinations else 0,
        hhi=r.hhi,
        new_market_share=r.new_market_share,
        country_groups={g.slug: s for g, s in r.market_groups},
        above_scale=r.above_scale,
        above_scale_output=r.above_scale_output,
        above_scale_output_yoy=growth(r.above_scale_output_yoy),
        new_enterprises=r.new_enterprises,
    )
    return out


class AlertOut(Schema):
    id: int
    enterprise: int
    month: str
    reason: str
    level: str
    status: str
    text: str
    details: dict[str, Any]


@router.get("/bureau/alerts", response=list[AlertOut], summary="At-risk alerts you may see")
def list_alerts(
    request: HttpRequest, level: str | None = None, month: str | None = None
) -> list[dict[str, Any]]:
    qs = Alert.objects.filter(private_enterprise_filter(request.user, "enterprise__"))
    if level:
        if level not in AlertLevel.values:
            raise InvalidInput(
                _("The input is not valid."),
                [FieldError("level", _("The level is green, blue, orange or red."))],
            )
        qs = qs.filter(level=level)
    if month:
        qs = qs.filter(month=_month(month))
    return [
        {"id": a.pk, "enterprise": a.enterprise_id, "month": f"{a.month:%Y-%m}",
         "reason": a.reason, "level": a.level, "status": a.status, "text": describe_alert(a),
         "details": a.details}
        for a in qs.order_by("-month", "enterprise_id")[:1000]
    ]  # fmt: skip


class CaseIn(_Input):
    enterprise: int
    need_type: str
    title: str
    description: Annotated[str, text_limit("message")] = ""
    level: str = "blue"


class CaseOut(Schema):
    id: int
    enterprise: int
    need_type: str
    status: str
    team: str
    departments: list[str]
    respond_due: dt.datetime
    close_due: dt.datetime

    @staticmethod
    def resolve_enterprise(obj: SupportCase) -> int:
        return obj.enterprise_id


@router.post("/bureau/cases", response={201: CaseOut}, summary="Send a need (support case)")
def post_case(request: HttpRequest, payload: CaseIn) -> Status[SupportCase]:
    enterprise = _enterprise(payload.enterprise)
    case = open_case(
        actor=request.user, enterprise=enterprise, need_type=payload.need_type,
        title=payload.title, description=payload.description, level=payload.level,
        source=CaseSource.API,
    )  # fmt: skip
    return Status(201, case)


@router.get("/bureau/cases", response=list[CaseOut], summary="Support cases you may see")
def list_cases(request: HttpRequest) -> list[SupportCase]:
    return list(
        SupportCase.objects.filter(
            private_enterprise_filter(request.user, "enterprise__")
        ).order_by("-received_at")[:1000]
    )


# Monthly reporting: status and review ----------------------------------------------------------


class RevisionOut(Schema):
    version: int
    event: str
    changed_at: dt.datetime
    changed_by: str | None
    source: str
    reason: str
    changes: dict[str, list[str | None]]


class FiguresStatusOut(Schema):
    enterprise: int
    month: str
    status: str
    version: int
    due: dt.date
    submitted_at: dt.datetime
    return_reason: str
    jumps: list[dict[str, str]]
    jumps_confirmed: bool
    jump_explanation: str
    history: list[RevisionOut]


class ReturnIn(_Input):
    reason: Annotated[str, text_limit("reason")]
    expected_version: Annotated[int, column_limits(MonthlyFigures, "version")] | None = None


class FiguresAcceptIn(_Input):
    expected_version: Annotated[int, column_limits(MonthlyFigures, "version")] | None = None


def _status_out(f: MonthlyFigures) -> dict[str, Any]:
    return {
        "enterprise": f.enterprise_id, "month": f"{f.month:%Y-%m}", "status": f.status,
        "version": f.version, "due": due_date(f.month), "submitted_at": f.submitted_at,
        "return_reason": f.return_reason, "jumps": f.jumps,
        "jumps_confirmed": f.jumps_confirmed, "jump_explanation": f.jump_explanation,
        "history": [
            {"version": r.version, "event": r.event, "changed_at": r.changed_at,
             "changed_by": r.changed_by.get_username() if r.changed_by else None,
             "source": r.source, "reason": r.reason, "changes": r.changes}
            for r in f.revisions.select_related("changed_by")
        ],
    }  # fmt: skip


def _figures_of(enterprise_id: int, month: str, *, review: bool, user: Any) -> MonthlyFigures:
    """The month of an enterprise ``user`` may see (``review``: whose region it manages);
    404 for any other, so that another organisation's months are not revealed."""
    enterprise = Enterprise.objects.select_related("region").filter(pk=enterprise_id).first()
    allowed = enterprise is not None and (
        can_manage_in_region(user, enterprise.region)
        if review
        else can_view_figures(user, enterprise)
    )
    if enterprise is None or not allowed:
        raise Http404(_("There is no enterprise with this id."))
    figures = MonthlyFigures.objects.filter(enterprise=enterprise, month=_month(month)).first()
    if figures is None:
        raise Http404(_("This month has not been reported."))
    figures.enterprise = enterprise
    return figures


@router.get(
    "/bureau/figures/{int:enterprise_id}/{month}/status",
    response=FiguresStatusOut,
    summary="A month's reporting status, jumps and history",
)
def get_figures_status(request: HttpRequest, enterprise_id: int, month: str) -> dict[str, Any]:
    """For the enterprise's members and the officials of its region."""
    return _status_out(_figures_of(enterprise_id, month, review=False, user=request.user))


@router.post(
    "/bureau/figures/{int:enterprise_id}/{month}/return",
    response=FiguresStatusOut,
    summary="Return a month to the enterprise for correction",
)
def post_figures_return(
    request: HttpRequest, enterprise_id: int, month: str, payload: ReturnIn
) -> dict[str, Any]:
    """Officials of the enterprise's region (404 elsewhere); the enterprise is notified."""
    figures = _figures_of(enterprise_id, month, review=True, user=request.user)
    return _status_out(
        return_figures(actor=request.user, figures=figures, reason=payload.reason,
                       expected_version=payload.expected_version, source=FiguresSource.API)
    )  # fmt: skip


@router.post(
    "/bureau/figures/{int:enterprise_id}/{month}/accept",
    response=FiguresStatusOut,
    summary="Accept a submitted month",
)
def post_figures_accept(
    request: HttpRequest, enterprise_id: int, month: str, payload: FiguresAcceptIn
) -> dict[str, Any]:
    figures = _figures_of(enterprise_id, month, review=True, user=request.user)
    return _status_out(
        accept_figures(actor=request.user, figures=figures,
                       expected_version=payload.expected_version, source=FiguresSource.API)
    )  # fmt: skip


class ReportingRowOut(Schema):
    enterprise: int
    name: str
    state: str
    late: bool
    jumps: int


class ReportingOut(Schema):
    scope: str
    month: str
    due: dt.date
    expected: int
    reported: int
    missing: int
    late: int
    returned: int
    flagged: int
    coverage: Decimal | None
    enterprises: list[ReportingRowOut]


@router.get("/bureau/reporting", response=ReportingOut, summary="Who reported a month")
def get_reporting(
    request: HttpRequest, scope: str, month: str | None = None, state: str = ""
) -> dict[str, Any]:
    """Coverage (reported / expected) of ``month`` (default: last month) over ``scope``, and
    each expected enterprise's state (``missing`` or the review status; filter with
    ``state``)."""
    require(can_use_bureau(request.user))
    resolved = resolve_scope(actor=request.user, param=scope)
    when = _month(month) if month else collecting_month()
    if state and state not in REPORTING_STATES:
        raise InvalidInput(
            _("The input is not valid."),
            [FieldError("state", _("The state is missing, submitted, returned, resubmitted or "
                                   "accepted."))],
        )  # fmt: skip
    c = reporting_coverage(enterprises=resolved.enterprises, month=when)
    rows = reporting_rows(enterprises=resolved.enterprises, month=when, state=state)
    return {
        "scope": resolved.param, "month": f"{when:%Y-%m}", "due": c.due,
        "expected": c.expected, "reported": c.reported, "missing": c.missing, "late": c.late,
        "returned": c.returned, "flagged": c.flagged, "coverage": c.share,
        "enterprises": [
            {"enterprise": r.enterprise.pk, "name": str(r.enterprise), "state": r.state,
             "late": r.late, "jumps": len(r.figures.jumps) if r.figures else 0}
            for r in rows
        ],
    }  # fmt: skip


# Support policies reaching enterprises (domain.policies) ---------------------------------------


class PolicyTallyOut(Schema):
    id: int
    title: str
    mode: str
    amount: Decimal | None
    currency: str
    active: bool
    missing_data: list[str]
    eligible: int
    notified: int
    confirmed: int
    paid: int
    granted: dict[str, Decimal]
    paid_amount: dict[str, Decimal]


class DeliveryOut(Schema):
    id: int
    policy: int
    policy_title: str
    mode: str
    enterprise: int
    state: str
    amount: Decimal | None
    currency: str
    eligible_at: dt.datetime
    notified_at: dt.datetime | None
    confirmed_at: dt.datetime | None
    paid_amount: Decimal | None
    paid_on: dt.date | None
    payment_reference: str


class PolicyPaymentIn(_Input):
    amount: Amount
    paid_on: dt.date
    reference: Annotated[str, text_limit("reason")] = ""


def _delivery_out(d: Any) -> dict[str, Any]:
    return {
        "id": d.pk, "policy": d.policy_id, "policy_title": d.policy.title,
        "mode": d.policy.mode, "enterprise": d.enterprise_id, "state": d.state,
        "amount": d.amount, "currency": d.currency, "eligible_at": d.eligible_at,
        "notified_at": d.notified_at, "confirmed_at": d.confirmed_at,
        "paid_amount": d.paid_amount, "paid_on": d.paid_on,
        "payment_reference": d.payment_reference,
    }  # fmt: skip


@router.get(
    "/bureau/policies", response=list[PolicyTallyOut],
    summary="Support policies with how far each reached your region's enterprises",
)  # fmt: skip
def list_policies(request: HttpRequest) -> list[dict[str, Any]]:
    require(can_use_bureau(request.user))
    mine = policy_domain.managed_deliveries(request.user)
    per_policy, _overall = policy_domain.delivery_tallies(mine)
    out = []
    for p in policy_domain.visible_policies(request.user).order_by("title"):
        t = per_policy.get(p.pk, policy_domain.DeliveryTally())
        out.append({
            "id": p.pk, "title": p.title, "mode": p.mode, "amount": p.amount,
            "currency": p.currency, "active": p.active,
            "missing_data": policy_domain.missing_data(p),
            "eligible": t.eligible, "notified": t.notified, "confirmed": t.confirmed,
            "paid": t.paid, "granted": t.granted, "paid_amount": t.paid_amount,
        })  # fmt: skip
    return out


@router.get(
    "/bureau/policies/{policy_id}/deliveries", response=list[DeliveryOut],
    summary="A policy's deliveries to your region's enterprises",
)  # fmt: skip
def list_policy_deliveries(request: HttpRequest, policy_id: int) -> list[dict[str, Any]]:
    require(can_use_bureau(request.user))
    if not policy_domain.visible_policies(request.user).filter(pk=policy_id).exists():
        raise Http404
    qs = policy_domain.managed_deliveries(request.user).filter(policy_id=policy_id)
    qs = qs.select_related("policy")
    return [_delivery_out(d) for d in qs.order_by("pk")[:1000]]


@router.post(
    "/bureau/policy-deliveries/{delivery_id}/payment", response=DeliveryOut,
    summary="Record that a delivery was paid",
)  # fmt: skip
def post_delivery_payment(
    request: HttpRequest, delivery_id: int, payload: PolicyPaymentIn
) -> dict[str, Any]:
    require(can_use_bureau(request.user))
    delivery = (
        policy_domain.managed_deliveries(request.user)
        .select_related("policy", "enterprise__region")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        raise Http404
    paid = policy_domain.record_delivery_payment(
        actor=request.user, delivery=delivery, amount=payload.amount, paid_on=payload.paid_on,
        reference=payload.reference,
    )  # fmt: skip
    return _delivery_out(paid)


@router.get(
    "/bureau/my-policies", response=list[DeliveryOut],
    summary="The policies your enterprises qualify for and received",
)  # fmt: skip
def list_my_policies(request: HttpRequest) -> list[dict[str, Any]]:

    return [_delivery_out(d) for d in policy_domain.deliveries_of(request.user).order_by("pk")]


@router.post(
    "/bureau/my-policies/{delivery_id}/confirm", response=DeliveryOut,
    summary="Confirm that your enterprise takes up a policy",
)  # fmt: skip
def post_confirm_delivery(request: HttpRequest, delivery_id: int) -> dict[str, Any]:

    delivery = policy_domain.deliveries_of(request.user).filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404
    return _delivery_out(policy_domain.confirm_delivery(actor=request.user, delivery=delivery))
