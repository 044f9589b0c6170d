"""The government's pages: dashboard, indicators, enterprises, alerts, chains, reports."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dualcirc.bureau import enterprise_file as efile
from dualcirc.bureau import indicators as ind
from dualcirc.bureau.charts import (
    Chart,
    chain_chart,
    county_chart,
    map_chart,
    mix_chart,
    ranked_chart,
    trend_chart,
)
from dualcirc.bureau.domain import cases as case_domain
from dualcirc.bureau.domain import policies as policy_domain
from dualcirc.bureau.domain.alerts import describe_alert
from dualcirc.bureau.domain.chains import chain_links, chains_link_states
from dualcirc.bureau.domain.jumps import describe_jump
from dualcirc.bureau.domain.reporting import reporting_coverage
from dualcirc.bureau.domain.reports import (
    ReportInputs,
    build_report,
    fair_orders_headline,
    headlines,
    report_docx,
    report_pdf,
    report_xlsx,
)
from dualcirc.bureau.enums import AlertLevel, AlertStatus, CaseSource, ProjectStage
from dualcirc.bureau.forms import ContactForm, OpenCaseForm, PeriodForm
from dualcirc.bureau.models import (
    Alert,
    BureauSettings,
    IndustrialChain,
    InvestmentProject,
    MonthlyFigures,
    SupportCase,
    SupportPolicy,
    current_settings,
)
from dualcirc.bureau.models.cases import PolicyDelivery
from dualcirc.bureau.queries import (
    compute_indicators,
    enterprise_activity,
    month_date,
    monthly_series,
)
from dualcirc.bureau.views.common import (
    bad_scope_is_400,
    managed_region_filter,
    scope_and_period,
    visible_enterprises,
)
from dualcirc.bureau.world_map import configured_world_map
from dualcirc.channels.readiness import channel_name
from dualcirc.core.access import (
    AccessDenied,
    can_manage_in_region,
    can_use_bureau,
    can_view_figures,
    require,
)
from dualcirc.core.errors import DomainError
from dualcirc.fair.outcome_queries import fair_orders_in_months
from dualcirc.l10n.amounts import amount_scale, format_amount

LEVEL_ORDER = ["red", "orange", "blue", "green"]


def _bars(pairs: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """Label/amount pairs with a width in percent of the largest, for CSS bar charts."""
    top = max((a for _l, a in pairs if a), default=0)
    return [
        {"label": label, "amount": amount, "width": int(amount * 100 / top) if top else 0}
        for label, amount in pairs
    ]


def picker_form(request: HttpRequest, scope: Any, kind: str, anchor: int) -> PeriodForm:
    """The scope picker showing the page's scope, period and comparison."""
    get = request.GET
    region = scope.region.code if scope.region is not None else ""
    return PeriodForm(
        actor=request.user,
        initial={
            "region": get.get("region") or region,
            "belt": get.get("belt") or (scope.key if scope.kind == "belt" else ""),
            "chain": get.get("chain") or (scope.key if scope.kind == "chain" else ""),
            "size": get.get("size", ""),
            "period": kind,
            "month": ind.month_label(anchor),
            "compare": get.get("compare") or "yoy",
        },
    )


def _indicator_context(
    request: HttpRequest, *, settings: BureauSettings | None = None
) -> dict[str, Any]:
    """The picked scope and period's indicators and what every indicator page shows of them;
    ``settings``: the BureauSettings the caller already read (read here otherwise)."""
    scope, kind, anchor = scope_and_period(request)
    result = compute_indicators(scope=scope, period=kind, anchor=anchor, settings=settings)
    from dualcirc.bureau.enums import DomesticChannel, ExportMode
    from dualcirc.l10n import country_name

    channels = _bars([(str(DomesticChannel(c).label), a) for c, a in result.channels])
    modes = _bars([(str(ExportMode(m).label), a) for m, a in result.modes])
    destinations = _bars(
        [(country_name(c), a) for c, a in (result.destinations.shown.items()
                                          if result.destinations else [])]
    )  # fmt: skip
    labels = {"revenue": _("Revenue"), "output_value": _("Industrial output value"),
              "domestic_sales": _("Domestic sales"), "export_sales": _("Exports")}  # fmt: skip
    metrics = [
        (label, result.totals.get(key), result.yoy.get(key), result.previous.get(key))
        for key, label in labels.items()
    ]
    counties = _enterprises_by_county(scope)  # one grouped query gives the total too
    in_scope = sum(n for _name, n in counties)
    return {
        "counties": counties,
        "result": result,
        "metrics": metrics,
        "in_scope": in_scope,
        "coverage": ind.share(Decimal(result.enterprises), Decimal(in_scope)),
        "share_points": _domestic_share_change(result),
        "query": request.GET.urlencode(),
        "scope": scope,
        "period": kind,
        "month": ind.month_label(anchor),
        "channels": channels,
        "modes": modes,
        "destinations": destinations,
        "form": picker_form(request, scope, kind, anchor),
        "compare": "previous" if request.GET.get("compare") == "previous" else "yoy",
    }


def _dashboard_charts(context: dict[str, Any], series: list[dict[str, Any]]) -> list[Chart]:
    """The dashboard's charts, each with its table: trend against last year, domestic and
    export mix, destinations, channels, enterprises by county."""
    result = context["result"]
    out = [trend_chart(series), mix_chart(series)]
    if result.suppressed:
        return out
    hidden = result.destinations.hidden if result.destinations else Decimal(0)
    note = ""
    if hidden:
        note = _("%(n)s destinations served by fewer than 3 enterprises, together %(amount)s, "
                 "are not shown.") % {"n": result.destinations.hidden_count,
                                      "amount": format_amount(hidden)}  # fmt: skip
    world = configured_world_map()
    if world is not None and result.destinations:
        from dualcirc.l10n import country_name

        on_map = [
            (code, country_name(code), amount)
            for code, amount in result.destinations.shown.items()
            if code in world.codes
        ]
        out.append(map_chart(on_map, url=reverse("bureau:world-map"),
                             code_property=world.code_property, approval=world.approval,
                             note=note))  # fmt: skip
    out.append(ranked_chart(
        "destinations", _("Export destinations"), _("Country or territory"),
        [(b["label"], b["amount"]) for b in context["destinations"]], note=note,
    ))  # fmt: skip
    out.append(ranked_chart(
        "channels", _("Domestic sales by channel"), _("Channel"),
        [(b["label"], b["amount"]) for b in context["channels"]],
    ))  # fmt: skip
    out.append(county_chart(context["counties"]))
    return out


def _enterprises_by_county(scope: Any) -> list[tuple[str, int]]:
    """The scope's enterprises counted by the region they are registered in (one query)."""
    from dualcirc.core.models import Region
    from dualcirc.l10n import local_name

    counts = dict(scope.enterprises.order_by().values_list("region").annotate(n=Count("id")))
    regions = Region.objects.in_bulk(list(counts))
    return [(local_name(regions[pk]) if pk in regions else "—", n) for pk, n in counts.items()]


def _domestic_share_change(result: Any) -> Decimal | None:
    """The domestic share of sales now minus a year ago, in percentage points, over the
    enterprises compared in both periods."""
    dom, exp = result.yoy.get("domestic_sales"), result.yoy.get("export_sales")
    if dom is None or exp is None or not dom.compared or not exp.compared:
        return None
    now = ind.share(dom.current, dom.current + exp.current)
    before = ind.share(dom.previous, dom.previous + exp.previous)
    return None if now is None or before is None else now - before


@login_required
@bad_scope_is_400
def dashboard(request: HttpRequest) -> HttpResponse:
    """A government user's jurisdiction at a glance: indicators, monthly sales mix, alerts,
    chains, cases and projects."""
    require(can_use_bureau(request.user))
    settings = current_settings()  # read once: the indicators and the report deadline use it
    context = _indicator_context(request, settings=settings)
    scope = context["scope"]
    result = context["result"]
    series = _shown_series(scope, result)
    alerts = _open_alerts(scope, result)
    by_level = Counter(dict(alerts.values_list("level").annotate(n=Count("id")).order_by()))
    at_risk = list(
        alerts.filter(level__in=[AlertLevel.RED, AlertLevel.ORANGE])
        .select_related("enterprise")
        .order_by("-level", "enterprise__name_zh")[:10]
    )
    chains = _chain_summaries(scope, context["form"].chains)
    cases = SupportCase.objects.filter(enterprise__in=scope.enterprises)
    projects = InvestmentProject.objects.all()
    if scope.region is not None:
        projects = projects.filter(region__path__startswith=scope.region.path)
    pipeline = dict(projects.values_list("stage").annotate(n=Count("id")).order_by())
    context.update(
        reporting=reporting_coverage(
            enterprises=scope.enterprises, month=month_date(result.anchor),
            due_day=settings.report_due_day,
        ),
        charts=_dashboard_charts(context, series),
        series=series[-12:],
        alert_levels=[(lvl, AlertLevel(lvl).label, by_level.get(lvl, 0)) for lvl in LEVEL_ORDER
                      if lvl != "green"],
        at_risk=[(a, describe_alert(a)) for a in at_risk],
        chains=chains,
        case_stats=case_domain.case_stats(cases),
        pipeline=[(s.label, pipeline.get(s.value, 0)) for s in ProjectStage],
        fair_orders=fair_orders_in_months(scope.enterprises, result.months),
        # how far policies reached the scope's enterprises, every state (one grouped query)
        policy_delivery=policy_domain.delivery_tallies(
            PolicyDelivery.objects.filter(enterprise__in=scope.enterprises)
        )[1],
    )  # fmt: skip
    return render(request, "bureau/dashboard.html", context)


@login_required
@bad_scope_is_400
def indicators(request: HttpRequest) -> HttpResponse:
    """Indicators of any scope and period; htmx swaps in the panel alone."""
    context = _indicator_context(request)
    template = "bureau/partials/indicators.html" if request.headers.get("HX-Request") else (
        "bureau/indicators.html"
    )  # fmt: skip
    return render(request, template, context)


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    """Enterprises of the user's jurisdiction with their latest month reported and their
    current alert level (a fixed number of queries)."""
    require(can_use_bureau(request.user))
    enterprises = list(
        visible_enterprises(request.user)
        .select_related("region", "belt")
        .annotate(reported=Count("monthly_figures"))
        .order_by("region__path", "name_zh")[:500]
    )
    last_months = {
        e: m
        for e, m in MonthlyFigures.objects.filter(enterprise__in=[e.pk for e in enterprises])
        .order_by("enterprise_id", "month")
        .values_list("enterprise_id", "month")
    }
    levels: dict[int, str] = {}
    for e, level in Alert.objects.filter(
        enterprise__in=[e.pk for e in enterprises], status=AlertStatus.OPEN
    ).values_list("enterprise_id", "level"):
        levels[e] = ind.highest_level([levels.get(e, "green"), level])
    rows = [(e, last_months.get(e.pk), levels.get(e.pk, "green")) for e in enterprises]
    return render(request, "bureau/enterprise_list.html", {"rows": rows})


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprise's one-page file (一企一档), printable: figures and indicators over
    time, products and channel readiness, deals and fair activity, alerts, support cases and
    their outcome, policies it qualifies for and received, the shared contact log; forms to
    open a case and to log a visit (left out when printed). A fixed number of queries."""
    enterprise = get_object_or_404(
        visible_enterprises(request.user).select_related("region", "belt"), pk=pk
    )
    require(can_view_figures(request.user, enterprise))
    manage = can_manage_in_region(request.user, enterprise.region)
    history = list(MonthlyFigures.objects.filter(enterprise=enterprise).order_by("-month")[:36])
    figures = history[:24]
    for f in figures:  # the month's large changes, in words, for its review column
        f.jump_lines = [describe_jump(j) for j in f.jumps or []]  # type: ignore[attr-defined]
    alerts = list(
        Alert.objects.filter(enterprise=enterprise)
        .exclude(status=AlertStatus.CLEARED)
        .select_related("case")
        .order_by("-month")[:20]
    )
    amounts = [a for f in figures for a in (f.revenue, f.domestic_sales, f.export_sales)]
    series = efile.monthly_series(history)
    years = efile.yearly_indicators(history)
    deliveries = efile.policy_deliveries(enterprise)
    delivered = {d.policy_id for d in deliveries}
    products, channels, product_count = efile.product_readiness(enterprise)
    context = {
        "enterprise": enterprise,
        "figures": figures,
        "scale": amount_scale(amounts),
        "years": years,
        "year_scale": amount_scale([a for y in years for a in (y.revenue, y.domestic, y.exports)]),
        "activity": enterprise_activity(enterprise),
        "latest": efile.latest_activity(enterprise),
        "charts": [trend_chart(series), mix_chart(series)] if series else [],
        "alerts": [(a, describe_alert(a), getattr(a, "case", None)) for a in alerts],
        "cases": list(efile.cases_with_outcome(enterprise)[:20]),
        "contacts": enterprise.contact_log.select_related("case")[:30],
        "deliveries": deliveries,
        "policies": [
            p for p in policy_domain.matching_policies(enterprise) if p.pk not in delivered
        ],
        "products": products,
        # Named as on every other channel page (Chinese, else English: the rule book has no
        # Vietnamese names), not left in Chinese for a Vietnamese viewer.
        "channel_names": [channel_name(c, get_language() or "en") for c in channels],
        "product_count": product_count,
        "printed_on": efile.as_of(),
        "manage": manage,
        "case_form": OpenCaseForm(),
        "contact_form": ContactForm(),
    }
    return render(request, "bureau/enterprise_detail.html", context)


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    require(can_use_bureau(request.user))
    level = request.GET.get("level", "")
    alerts = (
        Alert.objects.filter(enterprise__in=visible_enterprises(request.user))
        .exclude(status=AlertStatus.CLEARED)
        .select_related("enterprise", "enterprise__region", "case")
        .order_by("-month", "enterprise__name_zh")
    )
    if level in AlertLevel.values:
        alerts = alerts.filter(level=level)
    rows = [(a, describe_alert(a), getattr(a, "case", None)) for a in alerts[:300]]
    return render(
        request,
        "bureau/alert_list.html",
        {"rows": rows, "level": level, "levels": AlertLevel.choices},
    )


@login_required
@require_POST
def alert_case(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a support case for an alert (its level and enterprise), then show the case."""
    alert = get_object_or_404(
        Alert.objects.filter(enterprise__in=visible_enterprises(request.user)).select_related(
            "enterprise__region"
        ),
        pk=pk,
    )
    need = request.POST.get("need_type") or "other"
    title = request.POST.get("title") or ""
    try:
        case = case_domain.open_case(
            actor=request.user, enterprise=alert.enterprise, need_type=need, title=title,
            description=describe_alert(alert), source=CaseSource.ALERT, alert=alert,
        )  # fmt: skip
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("bureau:enterprise", pk=alert.enterprise_id)
    messages.success(request, _("Support case opened."))
    return redirect("bureau:case", pk=case.pk)


@login_required
def chain_list(request: HttpRequest) -> HttpResponse:
    require(can_use_bureau(request.user))
    chains = IndustrialChain.objects.select_related("region").annotate(n=Count("links"))
    chains = chains.filter(managed_region_filter(request.user, prefix="region__"))
    return render(request, "bureau/chain_list.html", {"chains": chains})


@login_required
def chain_detail(request: HttpRequest, pk: int) -> HttpResponse:
    chain = get_object_or_404(IndustrialChain.objects.select_related("region"), pk=pk)
    if not can_manage_in_region(request.user, chain.region):
        raise AccessDenied(_("This chain is outside your jurisdiction."))
    states = chain_links(chain)
    members = {
        link.pk: list(link.enterprises.filter(region__path__startswith=chain.region.path))
        for link in chain.links.prefetch_related(
            Prefetch("enterprises", queryset=visible_enterprises(request.user))
        )
    }
    rows = [(s, members.get(s.link.pk, [])) for s in states]
    labels = {"missing": _("Missing"), "weak": _("Weak"), "strong": _("Strong")}
    chart = chain_chart(
        _("Chain diagram, upstream to downstream"),
        [(s.link.get_stage_display(), str(s.link), s.state, s.local_enterprises) for s in states],
        labels,
    )
    return render(
        request, "bureau/chain_detail.html", {"chain": chain, "rows": rows, "chart": chart}
    )


@login_required
@bad_scope_is_400
def report(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    """The monthly analysis report (月度运行分析报告) of the picked scope and period: on the
    page with the query behind each headline, and as DOCX, XLSX and PDF to forward."""
    require(can_use_bureau(request.user))
    settings = current_settings()  # read once: the indicators and the report deadline use it
    context = _indicator_context(request, settings=settings)
    scope, result = context["scope"], context["result"]
    cases = SupportCase.objects.filter(enterprise__in=scope.enterprises)
    signed = InvestmentProject.objects.filter(
        stage__in=[ProjectStage.SIGNED, ProjectStage.UNDER_CONSTRUCTION, ProjectStage.OPERATING],
        currency="CNY",
    )
    if scope.region is not None:
        signed = signed.filter(region__path__startswith=scope.region.path)
    agg = signed.aggregate(n=Count("id"), amount=Sum("amount"))
    stats = case_domain.case_stats(cases)
    lines = headlines(
        result,
        cases=stats,
        signed_projects=(agg["n"], agg["amount"] or Decimal(0), str(signed.values("amount").query)),
    )
    series = _shown_series(scope, result)
    alerts = _open_alerts(scope, result)
    by_level = Counter(dict(alerts.values_list("level").annotate(n=Count("id")).order_by()))
    policies = SupportPolicy.objects.filter(active=True)
    if scope.region is not None:
        policies = policies.filter(
            Q(region__isnull=True) | Q(region__path__in=_ancestor_paths(scope.region.path))
        )
    per_policy, delivered = policy_domain.delivery_tallies(
        PolicyDelivery.objects.filter(enterprise__in=scope.enterprises)
    )
    titles = dict(SupportPolicy.objects.filter(pk__in=per_policy).values_list("pk", "title"))
    fairs = fair_orders_in_months(scope.enterprises, result.months)
    if (fair_line := fair_orders_headline(fairs)) is not None:
        lines.append(fair_line)
    inputs = ReportInputs(
        result=result, lines=lines, series=series,
        channels=[(b["label"], b["amount"]) for b in context["channels"]],
        destinations=[(b["label"], b["amount"]) for b in context["destinations"]],
        chains=_chain_summaries(scope),
        alert_levels=[(str(AlertLevel(lvl).label), by_level.get(lvl, 0)) for lvl in LEVEL_ORDER],
        cases=stats, policies=[p.title for p in policies[:20]],
        enterprises_in_scope=context["in_scope"],
        deliveries=[(titles[pk], t) for pk, t in per_policy.items()],
        delivered=delivered, fairs=fairs,
        reporting=reporting_coverage(enterprises=scope.enterprises,
                                     month=month_date(result.anchor),
                                     due_day=settings.report_due_day),
    )  # fmt: skip
    if fmt in ("xlsx", "pdf", "docx"):
        monthly = build_report(inputs, language=get_language() or "en")
        render_file, content_type = {
            "xlsx": (report_xlsx, XLSX),
            "pdf": (report_pdf, "application/pdf"),
            "docx": (report_docx, DOCX),
        }[fmt]
        response = HttpResponse(render_file(monthly), content_type=content_type)
        name = f"report-{scope.kind}-{scope.key}-{result.last_month}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    title = f"{scope.label} {result.first_month} – {result.last_month}"
    return render(
        request,
        "bureau/report.html",
        {"lines": lines, "title": title, "result": result, "query": request.GET.urlencode(),
         "form": context["form"]},
    )  # fmt: skip


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _ancestor_paths(path: str) -> list[str]:
    """``/37/3702/370285/`` → itself and the regions above it."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _shown_series(scope: Any, result: Any) -> list[dict[str, Any]]:
    """The scope's last 24 months, each marked ``shown`` unless an aggregate scope's month
    has fewer enterprises than the indicators' minimum group size."""
    series = monthly_series(scope=scope, anchor=result.anchor, months=24)
    minimum = result.min_group_size if scope.is_aggregate else 1
    for s in series:
        s["shown"] = s["enterprises"] >= minimum
    return series


def _open_alerts(scope: Any, result: Any) -> Any:
    """The scope's alerts of the anchor month that are not cleared (a queryset)."""
    return Alert.objects.filter(
        enterprise__in=scope.enterprises, month=month_date(result.anchor)
    ).exclude(status=AlertStatus.CLEARED)


def _chain_summaries(
    scope: Any, picked: list[IndustrialChain] | None = None
) -> list[dict[str, Any]]:
    """The (first 10) chains of the scope's region with their links, missing and weak. The
    chains come from ``picked`` (the scope picker's list, already read) when given; their links
    in one query whatever their number."""
    chains: list[dict[str, Any]] = []
    if scope.region is None:
        return chains
    path = scope.region.path
    found = list(
        (
            [c for c in picked if c.region.path.startswith(path)]
            if picked is not None
            else IndustrialChain.objects.filter(region__path__startswith=path).select_related(
                "region"
            )
        )[:10]
    )
    link_states = chains_link_states(found)
    for chain in found:
        states = link_states[chain.pk]
        chains.append({
            "chain": chain,
            "missing": sum(1 for s in states if s.state == "missing"),
            "weak": sum(1 for s in states if s.state == "weak"),
            "links": len(states),
        })  # fmt: skip
    return chains


@login_required
def world_map(request: HttpRequest) -> HttpResponse:
    """The operator's installed base map (GeoJSON) for the destinations map; 404 without one."""
    require(can_use_bureau(request.user))
    world = configured_world_map()
    if world is None:
        raise Http404
    response = HttpResponse(world.data, content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=86400"
    return response
