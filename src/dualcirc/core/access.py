"""Who may see and change what — the one place where object-level rules live.

Rules:
- a platform operator (member of an operator organisation, or a superuser) may see and edit
  everything;
- an enterprise's members (any role) edit their enterprise and its products; only its admins
  import catalogs and manage members;
- a government body sees every enterprise of its region and the regions below, including
  private fields and draft products, and edits nothing;
- everyone, signed in or not, sees published products and public enterprise profiles;
- nobody else edits anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dualcirc.core.enums import OrganisationKind, Role

if TYPE_CHECKING:
    from dualcirc.catalog.models import Enterprise, Product


class AccessDenied(PermissionDenied):
    """A user tried something their organisation and role do not allow."""


def _memberships(user: Any) -> list[Any]:
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(user, "_dualcirc_memberships", None)
    if cache is None:
        cache = list(user.memberships.select_related("organisation__region"))
        user._dualcirc_memberships = cache
    return cache


def is_operator(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or any(
        m.organisation.kind == OrganisationKind.OPERATOR for m in _memberships(user)
    )


def member_organisation_ids(user: Any, *, role: str | None = None) -> set[int]:
    return {m.organisation_id for m in _memberships(user) if role is None or m.role == role}


def governed_region_paths(user: Any) -> list[str]:
    return [
        m.organisation.region.path
        for m in _memberships(user)
        if m.organisation.kind == OrganisationKind.GOVERNMENT and m.organisation.region_id
    ]


def is_government(user: Any) -> bool:
    return bool(governed_region_paths(user))


def _in_governed_region(user: Any, enterprise: Enterprise) -> bool:
    path = enterprise.region.path
    return any(path.startswith(p) for p in governed_region_paths(user))


def can_edit_enterprise(user: Any, enterprise: Enterprise) -> bool:
    return is_operator(user) or enterprise.organisation_id in member_organisation_ids(user)


def can_admin_enterprise(user: Any, enterprise: Enterprise) -> bool:
    """Import catalogs, manage members."""
    return is_operator(user) or enterprise.organisation_id in member_organisation_ids(
        user, role=Role.ADMIN
    )


def can_edit_product(user: Any, product: Product) -> bool:
    return can_edit_enterprise(user, product.enterprise)


def can_view_enterprise_private(user: Any, enterprise: Enterprise) -> bool:
    """Contacts, employees, export share, credit code, drafts."""
    return can_edit_enterprise(user, enterprise) or _in_governed_region(user, enterprise)


def can_view_product(user: Any, product: Product) -> bool:
    from dualcirc.catalog.enums import ProductStatus

    return product.status == ProductStatus.PUBLISHED or can_view_enterprise_private(
        user, product.enterprise
    )


def can_import_catalog(user: Any) -> bool:
    """Import catalog files: operators, and admins of at least one enterprise."""
    return is_operator(user) or any(
        m.role == Role.ADMIN and m.organisation.kind == OrganisationKind.ENTERPRISE
        for m in _memberships(user)
    )


def can_create_enterprise(user: Any) -> bool:
    """Register a new enterprise (by hand or by importing a catalog that names it)."""
    return is_operator(user)


def administered_enterprises(user: Any, qs: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """The enterprises of ``qs`` whose catalogs ``user`` may import (see can_admin_enterprise)."""
    if is_operator(user):
        return qs
    return qs.filter(organisation_id__in=member_organisation_ids(user, role=Role.ADMIN))


def editable_enterprises(user: Any, qs: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    if is_operator(user):
        return qs
    return qs.filter(organisation_id__in=member_organisation_ids(user))


def private_enterprise_filter(user: Any, prefix: str = "") -> Q:
    """A Q object matching the enterprises whose private data ``user`` may see."""
    if is_operator(user):
        return Q()
    q = Q(**{f"{prefix}organisation_id__in": member_organisation_ids(user)})
    for path in governed_region_paths(user):
        q |= Q(**{f"{prefix}region__path__startswith": path})
    return q


def visible_products(user: Any, qs: QuerySet[Product]) -> QuerySet[Product]:
    from dualcirc.catalog.enums import ProductStatus

    if is_operator(user):
        return qs
    return qs.filter(
        Q(status=ProductStatus.PUBLISHED) | private_enterprise_filter(user, "enterprise__")
    )


def can_use_admin(user: Any) -> bool:
    """The Django admin: active staff accounts of the platform operator. Staff flags and model
    permissions alone do not open it: the admin shows every enterprise's private fields and
    drafts, which only the operator sees everywhere."""
    return bool(getattr(user, "is_active", False) and user.is_staff) and is_operator(user)


def can_manage_api_token(user: Any, token: Any) -> bool:
    """Revoke an API token: its owner, or the platform operator."""
    return is_operator(user) or bool(
        getattr(user, "is_authenticated", False) and token.user_id == user.pk
    )


def can_use_two_factor(user: Any) -> bool:
    """Turn on TOTP two-factor sign-in: government and platform-operator accounts, whose
    access reaches other organisations' private data."""
    return is_operator(user) or is_government(user)


def require(allowed: bool, message: str | None = None) -> None:
    """Raise :class:`AccessDenied` unless ``allowed``."""
    if not allowed:
        raise AccessDenied(message or _("Your organisation and role do not allow this."))


# --- Deals (sourcing requests, quotes, negotiations, orders, rates) ------------------------------
# A deal has two sides: the buyer organisation that posted the sourcing request and the supplier
# enterprise that quoted. Members of either side act for it; the platform operator sees every
# deal and settles disputes; a government body sees the orders of enterprises in its region.


def buyer_organisation_ids(user: Any) -> set[int]:
    return {
        m.organisation_id
        for m in _memberships(user)
        if m.organisation.kind == OrganisationKind.BUYER
    }


def supplier_organisation_ids(user: Any) -> set[int]:
    return {
        m.organisation_id
        for m in _memberships(user)
        if m.organisation.kind == OrganisationKind.ENTERPRISE
    }


def can_create_sourcing_request(user: Any) -> bool:
    """Post a sourcing request: members of a buyer organisation."""
    return bool(buyer_organisation_ids(user))


def can_manage_sourcing_request(user: Any, request: Any) -> bool:
    """Close, compare quotes, negotiate and accept for a request: its buyer's members."""
    return request.buyer_id in buyer_organisation_ids(user)


def can_see_request_as_supplier(user: Any, request: Any, enterprise: Enterprise) -> bool:
    """``enterprise`` (of which ``user`` is a member) may see and quote on ``request``: it was
    invited, or the request is public (to everyone, or to the enterprises of its belt)."""
    if enterprise.organisation_id not in supplier_organisation_ids(user):
        return False
    if request.visibility == "public" and (
        request.belt_id is None or request.belt_id == enterprise.belt_id
    ):
        return True
    return request.invitations.filter(enterprise=enterprise).exists()


def can_view_sourcing_request(user: Any, request: Any) -> bool:
    if is_operator(user) or can_manage_sourcing_request(user, request):
        return True
    from dualcirc.catalog.models import Enterprise

    return any(
        can_see_request_as_supplier(user, request, e)
        for e in Enterprise.objects.filter(organisation_id__in=supplier_organisation_ids(user))
    )


def deal_parties(user: Any, *, buyer_id: int, supplier_organisation_id: int) -> set[str]:
    """The sides ``user`` may act for in a deal between these two: a subset of
    {"buyer", "supplier", "operator"} (empty: a stranger to the deal)."""
    parties: set[str] = set()
    if buyer_id in buyer_organisation_ids(user):
        parties.add("buyer")
    if supplier_organisation_id in supplier_organisation_ids(user):
        parties.add("supplier")
    if is_operator(user):
        parties.add("operator")
    return parties


def can_view_order(user: Any, order: Any) -> bool:
    """The two sides, the operator, and a government body governing the supplier's region."""
    return bool(
        deal_parties(
            user, buyer_id=order.buyer_id, supplier_organisation_id=order.supplier.organisation_id
        )
    ) or _in_governed_region(user, order.supplier)


def can_manage_exchange_rates(user: Any) -> bool:
    """Enter or upload exchange rates: the platform operator."""
    return is_operator(user)


def can_view_deal_dashboard(user: Any, enterprise: Enterprise) -> bool:
    """An enterprise's deal funnel: its members, the operator and its governing body."""
    return can_view_enterprise_private(user, enterprise)


def can_use_deals(user: Any) -> bool:
    """The deal pages (requests, quotes, orders): buyers, suppliers, the operator, and
    government bodies (the orders of their region)."""
    trades = bool(buyer_organisation_ids(user) or supplier_organisation_ids(user))
    return trades or can_use_bureau(user)


def can_view_a_deal_dashboard(user: Any) -> bool:
    """The deal funnel page opens for them without naming an enterprise: the operator (the
    whole platform) and members of a supplier enterprise (their own)."""
    return is_operator(user) or bool(supplier_organisation_ids(user))


# --- Bureau (figures, indicators, alerts, chains, cases, projects) -----------------------------
# - an enterprise's members enter and see their own monthly figures, and rate their own cases;
# - a government body sees figures, indicators, alerts and cases of enterprises in its region
#   and below, and manages cases, chains and projects there;
# - an operator sees and manages everything and edits the bureau's settings and country groups.


def can_enter_figures(user: Any, enterprise: Enterprise) -> bool:
    """Submit or correct an enterprise's monthly figures: its members, or the operator."""
    return can_edit_enterprise(user, enterprise)


def can_view_figures(user: Any, enterprise: Enterprise) -> bool:
    return can_view_enterprise_private(user, enterprise)


def can_use_bureau(user: Any) -> bool:
    """The government's pages (dashboard, alerts, chains, cases, projects, reports)."""
    return is_operator(user) or is_government(user)


def can_view_region(user: Any, region: Any) -> bool:
    """Indicators and reports of ``region`` (and below): its governments above it, operators."""
    return is_operator(user) or any(region.path.startswith(p) for p in governed_region_paths(user))


def can_manage_in_region(user: Any, region: Any) -> bool:
    """Open and move support cases, edit chains and projects located in ``region``."""
    return can_view_region(user, region)


def can_rate_case(user: Any, case: Any) -> bool:
    """Rate a support case's outcome: the enterprise's own members."""
    return case.enterprise.organisation_id in member_organisation_ids(user)


def can_view_case(user: Any, case: Any) -> bool:
    return can_view_figures(user, case.enterprise)


def can_edit_bureau_settings(user: Any) -> bool:
    return is_operator(user)


# --- Online fairs (dualcirc.fair) ------------------------------------------------------------
# - the organiser's members (and operators) manage a fair: set up, approve, schedule, see stats;
# - a published fair is seen by everyone; a draft only by whoever manages it;
# - an organisation's members register it (enterprises as exhibitors, buyers as visitors) and
#   act for its registration: booth, leads, wishes, availability, agenda;
# - either side of a meeting (or the organiser) cancels it.


def can_organise_fair(user: Any) -> bool:
    """Create a fair: members of a government body (a bureau, a park) and the operator."""
    return is_operator(user) or any(
        m.organisation.kind == OrganisationKind.GOVERNMENT for m in _memberships(user)
    )


def can_manage_fair(user: Any, fair: Any) -> bool:
    return is_operator(user) or fair.organiser_id in member_organisation_ids(user)


def can_view_fair(user: Any, fair: Any) -> bool:
    return bool(fair.is_published) or can_manage_fair(user, fair)


def can_register_for_fair(user: Any, organisation: Any, kind: str) -> bool:
    """Register ``organisation`` as ``kind`` ("exhibitor": an enterprise; "visitor": a buyer)."""
    wanted = OrganisationKind.ENTERPRISE if kind == "exhibitor" else OrganisationKind.BUYER
    return organisation.kind == wanted and (
        is_operator(user) or organisation.pk in member_organisation_ids(user)
    )


def can_act_for_registration(user: Any, registration: Any) -> bool:
    """Edit the booth, answer leads, set wishes and availability, read the agenda."""
    return is_operator(user) or registration.organisation_id in member_organisation_ids(user)


def can_cancel_meeting(user: Any, meeting: Any) -> bool:
    return (
        can_act_for_registration(user, meeting.first)
        or can_act_for_registration(user, meeting.second)
        or can_manage_fair(user, meeting.fair)
    )


# --- Demand radar -------------------------------------------------------------------------------
# Demand figures are aggregates of buyers' searches and requests (never shown under three distinct
# buyers). Buyers do not see them: the radar is for those who supply or govern supply.


def can_view_demand_radar(user: Any) -> bool:
    """The demand radar and its export: enterprises' members, governments, operators."""
    return is_operator(user) or is_government(user) or bool(supplier_organisation_ids(user))


def can_view_demand_gaps(user: Any, enterprise: Enterprise) -> bool:
    """An enterprise's "what buyers ask for that you don't offer": its members, the
    governments of its region, operators."""
    return can_view_enterprise_private(user, enterprise)


def can_opt_out_of_demand(user: Any) -> bool:
    """Choose whether one's searches and requests are recorded as demand: buyers."""
    return bool(buyer_organisation_ids(user))
