"""The demand radar's JSON API: the radar (filters, paging), an enterprise's gaps, the
bureau's roll-up with its unmet-demand alerts.

The same rules as the pages (``core.access``): the radar for enterprises' members,
governments and operators; gaps for the enterprise's members, the governments of its region
and operators; the roll-up for governments (their region) and operators. Every figure stands
on at least 3 distinct buyers. Errors follow the API's one shape (dualcirc.api).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import (
    can_use_bureau,
    can_view_demand_gaps,
    can_view_demand_radar,
    governed_region_paths,
    is_operator,
    private_enterprise_filter,
    require,
    supplier_organisation_ids,
)
from dualcirc.demand.gap_queries import Gap, GroupGaps, enterprise_gaps, gap_rollups, region_gaps
from dualcirc.demand.queries import (
    RadarFilters,
    RadarRow,
    Range,
    demand_radar,
    unmet_alerts_for,
    unmet_demand,
)
from dualcirc.l10n.text import local_name

router = Router(tags=["demand"])

MAX_PAGE_SIZE = 100


class RadarParams(Schema):
    subject: str = Field("", description="An HS heading (9403) or product words.")
    market: str = Field("", description="Destination market, a country code (VN).")
    language: str = Field("", description="Language of the buyers (zh, en, vi).")
    kind: str = Field("", description="search, request, booth_visit or meeting; empty: all.")
    month_from: str = Field("", alias="from", description="First month, YYYY-MM.")
    month_to: str = Field("", alias="to", description="Last month, YYYY-MM.")
    page: int = Field(1, ge=1, description="1-based page number.")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Rows per page, at most 100.")


class RangeOut(Schema):
    low: Decimal
    high: Decimal
    unit: str = Field(description="The unit of quantity, or the currency of a price.")


class AskedOut(Schema):
    quantity: RangeOut | None
    price_ceiling: RangeOut | None
    certifications: list[str]


class OfferedOut(Schema):
    listings: int
    moq: RangeOut | None
    price: RangeOut | None
    certifications: list[str]


class RadarRowOut(Schema):
    month: str
    subject: str
    market: str
    language: str
    volume: int
    previous_month: int | None
    change: Decimal | None
    unmet: int
    buyers: int
    listings: int
    per_listing: Decimal | None
    asked: AskedOut
    offered: OfferedOut


class RadarPage(Schema):
    count: int
    page: int
    page_size: int
    hidden: int = Field(description="Rows with fewer than 3 distinct buyers, not shown.")
    currency: str = Field(description="The currency of every price of the page.")
    results: list[RadarRowOut]


class GapOut(Schema):
    product: int
    product_title: str
    hs_code: str
    reason: str = Field(description="moq, price, certification or market.")
    detail: str = Field(description="What buyers asked: 20 pcs, 100.00 USD, FSC, DE.")
    buyers: int
    signals: int


class GapsOut(Schema):
    enterprise: int
    hidden: int = Field(description="Gaps with fewer than 3 distinct buyers, not shown.")
    results: list[GapOut]


class UnmetOut(Schema):
    subject: str
    market: str
    searches: int
    buyers: int


class DemandAlertOut(Schema):
    id: int
    region: str
    subject: str
    market: str
    buyers: int
    searches: int
    raised_at: str
    grown_at: str | None


class GroupOut(Schema):
    id: int
    name: str
    enterprises: int
    buyers: int
    by_reason: dict[str, int] = Field(
        description="Distinct buyers per reason; a reason with fewer than 3 is left out."
    )


class EnterpriseGapsOut(Schema):
    enterprise: int
    name: str
    by_reason: dict[str, int]


class BureauOut(Schema):
    unmet: list[UnmetOut]
    alerts: list[DemandAlertOut]
    by_region: list[GroupOut]
    by_belt: list[GroupOut]
    by_chain: list[GroupOut]
    enterprises: list[EnterpriseGapsOut]


def _range(r: Range | None) -> dict[str, Any] | None:
    return None if r is None else {"low": r.low, "high": r.high, "unit": r.unit}


def _row(r: RadarRow) -> dict[str, Any]:
    return {
        "month": r.month_label,
        "subject": r.subject,
        "market": r.market,
        "language": r.language,
        "volume": r.volume,
        "previous_month": r.previous,
        "change": r.change,
        "unmet": r.unmet,
        "buyers": r.buyers,
        "listings": r.listings,
        "per_listing": r.per_listing,
        "asked": {
            "quantity": _range(r.asked.quantity),
            "price_ceiling": _range(r.asked.price),
            "certifications": r.asked.certifications,
        },
        "offered": {
            "listings": r.offered.listings,
            "moq": _range(r.offered.moq),
            "price": _range(r.offered.price),
            "certifications": r.offered.certifications,
        },
    }


@router.get("/demand/radar", response=RadarPage, summary="The demand radar")
def get_radar(request: HttpRequest, params: Query[RadarParams]) -> dict[str, Any]:
    """Demand by subject × market × language × month, latest month and busiest first, with
    what buyers asked against what local listings offer. Rows with fewer than 3 distinct
    buyers are left out (``hidden``). A bad filter is a 422 naming it."""
    require(can_view_demand_radar(request.user))
    filters = RadarFilters.parse(
        {
            "subject": params.subject,
            "market": params.market,
            "language": params.language,
            "kind": params.kind,
            "from": params.month_from,
            "to": params.month_to,
        }
    )
    radar = demand_radar(
        filters=filters, limit=params.page_size, offset=(params.page - 1) * params.page_size
    )
    return {
        "count": radar.total,
        "page": params.page,
        "page_size": params.page_size,
        "hidden": radar.hidden,
        "currency": radar.currency,
        "results": [_row(r) for r in radar.rows],
    }


def _gaps(enterprise: Enterprise) -> dict[str, Any]:
    found, hidden = enterprise_gaps(enterprise=enterprise)
    return {
        "enterprise": enterprise.pk,
        "hidden": hidden,
        "results": [_gap(g) for g in found],
    }


def _gap(g: Gap) -> dict[str, Any]:
    return {
        "product": g.product.pk,
        "product_title": g.product.title_zh or g.product.title_en or g.product.title_vi,
        "hs_code": g.product.hs_code,
        "reason": g.reason,
        "detail": g.detail,
        "buyers": g.buyers,
        "signals": g.signals,
    }


@router.get("/demand/gaps", response=GapsOut, summary="Your enterprise's demand gaps")
def get_own_gaps(request: HttpRequest) -> dict[str, Any]:
    """What buyers ask for that the caller's enterprise does not quite offer; 404 for a
    caller who is no member of an enterprise."""
    enterprise = Enterprise.objects.filter(
        organisation_id__in=supplier_organisation_ids(request.user)
    ).first()
    if enterprise is None:
        raise Http404(_("You are not a member of an enterprise."))
    return _gaps(enterprise)


@router.get(
    "/demand/gaps/{int:enterprise_id}", response=GapsOut, summary="An enterprise's demand gaps"
)
def get_gaps(request: HttpRequest, enterprise_id: int) -> dict[str, Any]:
    """The enterprise's members, the governments of its region and operators (else 403);
    404 when there is no such enterprise."""
    enterprise = Enterprise.objects.select_related("region").filter(pk=enterprise_id).first()
    if enterprise is None:
        raise Http404(_("No such enterprise."))
    require(can_view_demand_gaps(request.user, enterprise))
    return _gaps(enterprise)


def _group(g: GroupGaps) -> dict[str, Any]:
    return {
        "id": g.group.pk,
        "name": local_name(g.group),
        "enterprises": g.enterprises,
        "buyers": g.buyers,
        "by_reason": g.by_reason,
    }


@router.get("/demand/bureau", response=BureauOut, summary="Demand in the caller's region")
def get_bureau(request: HttpRequest) -> dict[str, Any]:
    """For governments (their region and below) and operators (everything): unmet demand,
    the unmet-demand alerts, and the gaps of the region's enterprises by region, industrial
    belt, industrial chain and enterprise — distinct buyers, each figure from 3 up."""
    require(can_use_bureau(request.user))
    paths = governed_region_paths(request.user)
    path = "" if is_operator(request.user) or not paths else paths[0]
    enterprises = (
        Enterprise.objects.filter(private_enterprise_filter(request.user))
        .select_related("region")
        .order_by("pk")
    )
    rows = region_gaps(enterprises=enterprises)
    rollups = gap_rollups(rows=rows, region_path=path)
    return {
        "unmet": [
            {"subject": r.subject, "market": r.market, "searches": r.volume, "buyers": r.buyers}
            for r in unmet_demand(region_path=path)
        ],
        "alerts": [
            {
                "id": a.pk,
                "region": a.region.code,
                "subject": a.subject,
                "market": a.market,
                "buyers": a.buyers,
                "searches": a.signals,
                "raised_at": a.raised_at.isoformat(),
                "grown_at": a.grown_at.isoformat() if a.grown_at else None,
            }
            for a in unmet_alerts_for(request.user)
        ],
        "by_region": [_group(g) for g in rollups["region"]],
        "by_belt": [_group(g) for g in rollups["belt"]],
        "by_chain": [_group(g) for g in rollups["chain"]],
        "enterprises": [
            {
                "enterprise": r.enterprise.pk,
                "name": local_name(r.enterprise),
                "by_reason": r.by_reason,
            }
            for r in rows
            if r.by_reason
        ],
    }
