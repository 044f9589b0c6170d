"""What an indicator is computed over — an enterprise, a belt, an industry, a region (and its
sub-regions) or an industrial chain — and who may ask for it (core.access)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.bureau.enums import PeriodKind, ScopeKind
from dualcirc.bureau.indicators import month_index
from dualcirc.bureau.models import IndustrialChain
from dualcirc.catalog.models import Enterprise, IndustrialBelt
from dualcirc.catalog.queries import json_list_contains
from dualcirc.core.access import (
    AccessDenied,
    can_use_bureau,
    can_view_figures,
    can_view_region,
    governed_region_paths,
    is_operator,
    private_enterprise_filter,
    require,
)
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.core.models import Region


@dataclass(frozen=True)
class Scope:
    kind: str
    key: str
    label: str
    enterprises: QuerySet[Enterprise]
    region: Region | None = None

    @property
    def is_aggregate(self) -> bool:
        return self.kind != ScopeKind.ENTERPRISE

    @property
    def param(self) -> str:
        return f"{self.kind}:{self.key}"


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(_("The input is not valid."), [FieldError(field, message)])


def default_region(actor: Any) -> Region | None:
    """The region a government user governs (the highest if several); None for operators."""
    paths = sorted(governed_region_paths(actor), key=len)
    return Region.objects.filter(path=paths[0]).first() if paths else None


def busiest_province() -> Region | None:
    """The province with the most enterprises (the first by id on a tie): where an operator's
    bureau pages open, so the first page has figures. Two queries, whatever the provinces."""
    provinces = list(Region.objects.filter(parent__isnull=True).order_by("pk"))
    per_path = Enterprise.objects.values_list("region__path").annotate(n=Count("pk"))
    counts: dict[str, int] = {}
    for path, n in per_path:
        top = "/" + (path or "/").split("/")[1] + "/"
        counts[top] = counts.get(top, 0) + n
    return max(provinces, key=lambda r: counts.get(r.path, 0), default=None)


def resolve_scope(*, actor: Any, param: str) -> Scope:
    """``region:370285``, ``belt:laixi-furniture``, ``industry:furniture``, ``chain:3``,
    ``enterprise:12`` → a Scope whose enterprises ``actor`` may see.

    A government user's belt, industry and chain scopes hold only the enterprises of its own
    region and below. Raises InvalidInput (field ``scope``) for an unknown scope, AccessDenied
    when ``actor`` may not see it.
    """
    kind, _sep, key = param.partition(":")
    key = key.strip()
    visible = Enterprise.objects.filter(private_enterprise_filter(actor))
    if kind == ScopeKind.ENTERPRISE:
        enterprise = (
            Enterprise.objects.select_related("region")
            .filter(pk=int(key) if key.isascii() and key.isdigit() else 0)
            .first()
        )
        if enterprise is None:
            raise _invalid("scope", _("There is no enterprise %(key)r.") % {"key": key})
        require(can_view_figures(actor, enterprise))
        return Scope(
            kind,
            key,
            str(enterprise),
            Enterprise.objects.filter(pk=enterprise.pk),
            enterprise.region,
        )
    require(can_use_bureau(actor), _("Indicators of groups are for government and operators."))
    if kind == ScopeKind.REGION:
        region = Region.objects.filter(code=key).first()
        if region is None:
            raise _invalid("scope", _("There is no region with code %(key)r.") % {"key": key})
        require(can_view_region(actor, region), _("This region is outside your jurisdiction."))
        return Scope(
            kind,
            key,
            str(region),
            Enterprise.objects.filter(region__path__startswith=region.path),
            region,
        )
    if kind == ScopeKind.BELT:
        belt = IndustrialBelt.objects.select_related("region").filter(slug=key).first()
        if belt is None:
            raise _invalid("scope", _("There is no industrial belt %(key)r.") % {"key": key})
        return Scope(kind, key, str(belt), visible.filter(belt=belt), belt.region)
    if kind == ScopeKind.INDUSTRY:
        if not key:
            raise _invalid("scope", _("Name the industry."))
        return Scope(kind, key, key, visible.filter(json_list_contains("industries", key)))
    if kind == ScopeKind.CHAIN:
        chain = (
            IndustrialChain.objects.select_related("region")
            .filter(pk=int(key) if key.isascii() and key.isdigit() else 0)
            .first()
        )
        if chain is None:
            raise _invalid("scope", _("There is no industrial chain %(key)r.") % {"key": key})
        if not is_operator(actor) and not can_view_region(actor, chain.region):
            raise AccessDenied(_("This chain is outside your jurisdiction."))
        members = visible.filter(chain_links__chain=chain).distinct()
        return Scope(kind, key, str(chain), Enterprise.objects.filter(pk__in=members.values("pk")),
                     chain.region)  # fmt: skip
    raise _invalid(
        "scope",
        _("Write the scope as region:CODE, belt:SLUG, industry:NAME, chain:ID or enterprise:ID."),
    )


def last_complete_month(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return month_index(today.year, today.month) - 1


def parse_period(kind: str | None, month: str | None) -> tuple[str, int]:
    """``("ytd", "2025-06")`` → ``("ytd", month index)``; defaults: year to date, last month."""
    kind = kind or PeriodKind.YTD
    if kind not in PeriodKind.values:
        raise _invalid("period", _("The period is month, quarter, ytd or ttm."))
    if not month:
        return kind, last_complete_month()
    try:
        year, number = (int(p) for p in month.split("-")[:2])
        return kind, month_index(year, number)
    except ValueError:
        raise _invalid(
            "month", _("%(value)r is not a month (write 2025-06).") % {"value": month}
        ) from None


def enterprises_q(scope: Scope, prefix: str = "") -> Q:
    return Q(**{f"{prefix}enterprise_id__in": scope.enterprises.values("pk")})


# Enterprise size classes by employees (the industrial thresholds of the 2011 SME
# classification; revenue thresholds are left out: the platform's profiles carry employees).
SIZE_CLASSES: dict[str, tuple[int, int | None]] = {
    "micro": (0, 20),
    "small": (20, 300),
    "medium": (300, 1000),
    "large": (1000, None),
}


def size_label(size: str) -> str:
    labels = {
        "micro": _("Micro (fewer than 20 employees)"),
        "small": _("Small (20–299 employees)"),
        "medium": _("Medium (300–999 employees)"),
        "large": _("Large (1,000 employees or more)"),
    }
    return str(labels[size])


def narrow_by_size(scope: Scope, size: str) -> Scope:
    """``scope`` with only the enterprises of size class ``size`` (by employees); enterprises
    without a head count fall outside every class. ``""`` leaves the scope as it is."""
    if not size:
        return scope
    if size not in SIZE_CLASSES:
        raise _invalid("size", _("The size class is micro, small, medium or large."))
    low, high = SIZE_CLASSES[size]
    members = scope.enterprises.filter(employees__gte=low)
    if high is not None:
        members = members.filter(employees__lt=high)
    return Scope(scope.kind, scope.key, f"{scope.label} · {size_label(size)}", members,
                 scope.region)  # fmt: skip


def picker_param(*, region: str = "", belt: str = "", chain: str = "") -> str:
    """The scope the picker's fields name: a belt or a chain when chosen, else the region;
    ``""`` when none is chosen."""
    if belt:
        return f"{ScopeKind.BELT}:{belt}"
    if chain:
        return f"{ScopeKind.CHAIN}:{chain}"
    if region:
        return f"{ScopeKind.REGION}:{region}"
    return ""


def visible_regions(actor: Any) -> QuerySet[Region]:
    """Regions ``actor`` may pick, province → city → county in path order: every region for an
    operator, a government's own and those below."""
    regions = Region.objects.order_by("path")
    if is_operator(actor):
        return regions
    q = Q(pk__in=[])
    for path in governed_region_paths(actor):
        q |= Q(path__startswith=path)
    return regions.filter(q)
