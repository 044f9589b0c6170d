"""Demand pages: the radar (with CSV export), a factory's gaps, the bureau's roll-up, and a
buyer's opt-out. Views parse input, call one query or domain function, render."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from dualcirc.catalog.enums import ListingLanguage
from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import (
    can_opt_out_of_demand,
    can_use_bureau,
    can_view_demand_gaps,
    can_view_demand_radar,
    private_enterprise_filter,
    require,
    supplier_organisation_ids,
)
from dualcirc.core.csvfiles import csv_bytes
from dualcirc.core.errors import InvalidInput
from dualcirc.demand.domain import is_opted_out, month_label, set_demand_opt_out
from dualcirc.demand.enums import GapReason, SignalKind
from dualcirc.demand.gap_queries import enterprise_gaps, gap_rollups, region_gaps
from dualcirc.demand.models import DemandDigest
from dualcirc.demand.queries import (
    MIN_BUYERS,
    PAGE_SIZE,
    Radar,
    RadarFilters,
    Range,
    bureau_region_path,
    demand_radar,
    is_radar_market,
    parse_page,
    radar_markets,
    unmet_alerts_for,
    unmet_demand,
)
from dualcirc.l10n import country_name, format_month

RADAR_ALERTS = 10  # the newest unmet-demand alerts on the radar; the bureau's page has the rest


def _charts(radar: Radar) -> list[dict[str, Any]]:
    """The radar's charts in the bureau's chart shape (bureau/partials/chart.html draws them
    with ECharts, with the table view as the fallback): the monthly trend, the top markets."""
    if not radar.rows:
        return []
    unit = _("signals")
    months = [format_month(month_label(m)) for m, _v in radar.trend]
    markets: dict[str, int] = defaultdict(int)
    for r in radar.rows:
        markets[r.market or "—"] += r.volume
    top = sorted(markets.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    names = [country_name(m) if len(m) == 2 else m for m, _v in top]
    return [
        {
            "key": "demand-trend",
            "title": _("Demand by month"),
            "unit": unit,
            "kind": "line",
            "spec": {
                "categories": months,
                "unit": unit,
                "series": [{"name": _("Signals"), "data": [v for _m, v in radar.trend]}],
            },
            "rows": radar.trend,
            "header": [(_("Month"), False), (_("Signals"), True)],
            "body": [
                [(m, False), (v, True)] for m, (_i, v) in zip(months, radar.trend, strict=True)
            ],
        },
        {
            "key": "demand-markets",
            "title": _("Markets asking most"),
            "unit": unit,
            "kind": "hbar",
            "spec": {
                "categories": names,
                "unit": unit,
                "series": [{"name": _("Signals"), "data": [v for _m, v in top]}],
            },
            "rows": top,
            "header": [(_("Market"), False), (_("Signals"), True)],
            "body": [[(n, False), (v, True)] for n, (_m, v) in zip(names, top, strict=True)],
        },
    ]


def _csv(radar: Radar) -> HttpResponse:
    """The radar's rows; product words are buyers' text, so a cell that starts like a formula
    is kept as text (``core.csvfiles``)."""
    header = [
        "month",
        "subject",
        "market",
        "language",
        "volume",
        "previous_month",
        "change",
        "unmet",
        "buyers",
        "listings",
        "per_listing",
        "asked_quantity_low",
        "asked_quantity_high",
        "asked_unit",
        "asked_price_low",
        "asked_price_high",
        "asked_certifications",
        "offered_moq_low",
        "offered_moq_high",
        "offered_unit",
        "offered_price_low",
        "offered_price_high",
        "offered_certifications",
        "currency",
    ]

    def ends(r: Range | None) -> list[Any]:
        return ["", ""] if r is None else [r.low, r.high]

    rows = (
        [
            r.month_label,
            r.subject,
            r.market,
            r.language,
            r.volume,
            r.previous,
            "" if r.change is None else r.change,
            r.unmet,
            r.buyers,
            r.listings,
            "" if r.per_listing is None else r.per_listing,
            *ends(r.asked.quantity),
            r.asked.quantity.unit if r.asked.quantity else "",
            *ends(r.asked.price),
            " ".join(r.asked.certifications),
            *ends(r.offered.moq),
            r.offered.moq.unit if r.offered.moq else "",
            *ends(r.offered.price),
            " ".join(r.offered.certifications),
            radar.currency,
        ]
        for r in radar.rows
    )
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="demand-radar.csv"'
    return response


FIELDS = ("subject", "market", "language", "kind", "from", "to")  # the radar form's fields


def _filter_form(params: Any, filters: RadarFilters | None = None) -> dict[str, Any]:
    """The radar form: its values (the parameters as given, in the case the filters compare
    them in; the months ``filters`` default to) and menus: the markets buyers asked for, named
    in the viewer's language (a group such as EU by its code) and sorted by name, with a
    valid one asked for among them; the languages queries are read in; the kinds of signal."""
    values = {name: str(params.get(name) or "").strip() for name in FIELDS}
    values["market"], values["language"] = values["market"].upper(), values["language"].lower()
    if filters is not None:
        values["from"] = values["from"] or month_label(filters.month_from)
        values["to"] = values["to"] or month_label(filters.month_to)
    market = values["market"]
    codes = set(radar_markets())
    if market and market not in codes and is_radar_market(market):
        codes.add(market)
    markets = sorted(
        ((code, country_name(code) if len(code) == 2 else code) for code in codes),
        key=lambda pair: (pair[1], pair[0]),
    )
    return {
        "values": values,
        "markets": markets,
        "languages": [(str(v), str(label)) for v, label in ListingLanguage.choices],
        "kinds": [(str(v), str(label)) for v, label in SignalKind.choices],
    }


@login_required
def radar(request: HttpRequest) -> HttpResponse:
    """``/demand/?subject=9403&market=VN&language=vi&kind=search&from=2026-01&to=2026-12``;
    ``format=csv`` downloads the shown rows."""
    require(can_view_demand_radar(request.user))
    try:
        filters = RadarFilters.parse(request.GET)
        page = parse_page(request.GET)
    except InvalidInput as exc:
        return render(
            request,
            "demand/radar.html",
            {
                **_filter_form(request.GET),
                "field_errors": {e.field: e.message for e in exc.errors if e.field in FIELDS},
                "errors": [e for e in exc.errors if e.field not in FIELDS],
                "message": str(exc),
                "min_buyers": MIN_BUYERS,  # the subtitle names it
            },
            status=400,
        )
    if request.GET.get("format") == "csv":
        return _csv(demand_radar(filters=filters, limit=None))
    result = demand_radar(filters=filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    if page > result.pages:
        raise Http404(_("No such page."))
    query = request.GET.copy()
    query.pop("page", None)
    alerts = unmet_alerts_for(request.user, limit=RADAR_ALERTS + 1)  # one more: "all alerts"
    return render(
        request,
        "demand/radar.html",
        {
            "is_supplier": bool(supplier_organisation_ids(request.user)),
            "is_bureau": can_use_bureau(request.user),
            **_filter_form(request.GET, filters),
            "radar": result,
            "min_buyers": MIN_BUYERS,
            "charts": _charts(result),
            "total": result.shown_volume,
            "unmet": result.shown_unmet,
            "csv_query": (query.urlencode() + "&" if query else "") + "format=csv",
            "page_query": query.urlencode() + "&" if query else "",
            "unmet_alerts": alerts[:RADAR_ALERTS],
            "more_alerts": len(alerts) > RADAR_ALERTS,
        },
    )


@login_required
def gaps(request: HttpRequest, enterprise_id: int | None = None) -> HttpResponse:
    """``/demand/gaps/`` (the viewer's enterprise) or ``/demand/gaps/<id>/``: what buyers ask
    for that the enterprise does not quite offer."""
    if enterprise_id is None:
        own = Enterprise.objects.filter(
            organisation_id__in=supplier_organisation_ids(request.user)
        ).first()
        if own is None:
            raise Http404(_("You are not a member of an enterprise."))
        enterprise = own
    else:
        enterprise = get_object_or_404(
            Enterprise.objects.select_related("region"), pk=enterprise_id
        )
    require(can_view_demand_gaps(request.user, enterprise))
    found, hidden = enterprise_gaps(enterprise=enterprise)
    # The digest a notification links to (?week=Monday), else the newest one.
    digests = DemandDigest.objects.filter(enterprise=enterprise).order_by("-week")
    try:
        week = parse_date(request.GET.get("week") or "")  # None when absent or not a date
    except ValueError:  # well formed but no such day: the newest digest
        week = None
    digest = (digests.filter(week=week).first() if week else None) or digests.first()
    products = (
        {p.pk: p for p in enterprise.products.filter(pk__in=[i["product"] for i in digest.items])}
        if digest
        else {}
    )
    digest_items = [
        {**item, "product": products[item["product"]], "label": GapReason(item["reason"]).label}
        for item in (digest.items if digest else [])
        if item["product"] in products
    ]
    return render(
        request,
        "demand/gaps.html",
        {
            "enterprise": enterprise,
            "digest": digest,
            "digest_items": digest_items,
            "gaps": found,
            "hidden": hidden,
            "min_buyers": MIN_BUYERS,
            "reasons": GapReason,
        },
    )


@login_required
def bureau(request: HttpRequest) -> HttpResponse:
    """``/demand/bureau/``: the factory view rolled up over the enterprises the viewer governs
    (an operator: all), and the region's unmet demand."""
    require(can_use_bureau(request.user))
    enterprises = (
        Enterprise.objects.filter(private_enterprise_filter(request.user))
        .select_related("region")
        .order_by("pk")
    )
    path = bureau_region_path(request.user)
    rows = region_gaps(enterprises=enterprises)
    return render(
        request,
        "demand/bureau.html",
        {
            "rows": rows,
            "rollups": gap_rollups(rows=rows, region_path=path),
            "unmet": unmet_demand(region_path=path),
            "alerts": unmet_alerts_for(request.user),
            "min_buyers": MIN_BUYERS,
            "reasons": GapReason.choices,
        },
    )


@login_required
def opt_out(request: HttpRequest) -> HttpResponse:
    """A buyer chooses whether their searches and requests count as (anonymous) demand."""
    require(can_opt_out_of_demand(request.user))
    if request.method == "POST":
        set_demand_opt_out(user=request.user, opted_out=request.POST.get("opt_out") == "1")
        return redirect("demand:opt-out")
    return render(request, "demand/opt_out.html", {"opted_out": is_opted_out(request.user)})
