"""The main menu, built from the access rules (core.access): a link shows only to whoever may
open it, so no role meets a menu entry that answers 403."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from dualcirc.core.access import (
    buyer_organisation_ids,
    can_import_catalog,
    can_manage_exchange_rates,
    can_organise_fair,
    can_use_bureau,
    can_use_deals,
    can_view_a_deal_dashboard,
    can_view_demand_radar,
    is_government,
    is_operator,
    supplier_organisation_ids,
)


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: Any
    url: str
    current: bool
    # shown under the menu's "More" (a long menu keeps the header on one line)
    more: bool = False


# (key, label, url name, the url names or app names that mark it current)
_PUBLIC = (
    ("products", _("Products"), "product-list", {"product-list", "product-detail"}),
    ("suppliers", _("Find suppliers"), "search:suppliers", {"search:suppliers"}),
    ("fairs", _("Fairs"), "fair:list", {"fair:"}),
)
# Last, as the first to go under "More": the directory, and the search page (the header's
# search box is on every page).
_PUBLIC_LAST = (
    ("enterprises", _("Enterprises"), "enterprise-list", {"enterprise-list", "enterprise-detail"}),
    ("search", _("Search"), "search:search", {"search:search"}),
)
# A menu longer than this shows its first MENU_INLINE entries and the rest under "More".
MENU_MAX_INLINE = 6
MENU_INLINE = 5


def menu_items(request: HttpRequest) -> list[MenuItem]:
    """The main menu for ``request.user``, in order, with the entry of the current page marked;
    past :data:`MENU_MAX_INLINE` entries, those after the first :data:`MENU_INLINE` are marked
    ``more``."""
    user = request.user
    match = getattr(request, "resolver_match", None)
    here = match.view_name if match else ""
    app = f"{match.app_name}:" if match and match.app_name else ""
    entries = list(_PUBLIC)
    if can_import_catalog(user):
        entries.append(("import", _("Import catalog"), "catalog-import", {"catalog-import"}))
    if can_use_deals(user):
        entries.append(("deals", _("Deals"), "deals:home", {"deals:"}))
    if can_use_bureau(user):
        entries.append(("bureau", _("Bureau"), "bureau:dashboard", {"bureau:"}))
    if can_view_demand_radar(user):
        entries.append(("demand", _("Demand"), "demand:radar", {"demand:"}))
    entries.extend(_PUBLIC_LAST)
    folded = len(entries) > MENU_MAX_INLINE
    return [
        MenuItem(
            key,
            label,
            reverse(name),
            here in marks or (bool(app) and app in marks),
            more=folded and n >= MENU_INLINE,
        )
        for n, (key, label, name, marks) in enumerate(entries)
    ]


def deal_menu_items(request: HttpRequest) -> list[MenuItem]:
    """The deal area's tabs for ``request.user``: a buyer's requests, a supplier's invitations
    and quotes, everyone's orders and conversations, the funnel and the rates for whom they
    open."""
    user = request.user
    match = getattr(request, "resolver_match", None)
    here = match.view_name if match else ""
    buyer, supplier = bool(buyer_organisation_ids(user)), bool(supplier_organisation_ids(user))
    entries = []
    if buyer:
        entries.append(("requests", _("My requests"), "deals:buyer-requests"))
    if supplier:
        entries.append(("invitations", _("Invitations"), "deals:supplier-invitations"))
        entries.append(("quotes", _("My quotes"), "deals:supplier-quotes"))
    entries.append(("orders", _("Orders"), "deals:orders"))
    if buyer or supplier or is_operator(user):
        entries.append(("conversations", _("Conversations"), "deals:conversations"))
    if can_view_a_deal_dashboard(user):
        entries.append(("funnel", _("Deal funnel"), "deals:dashboard"))
    if can_manage_exchange_rates(user):
        entries.append(("rates", _("Exchange rates"), "deals:rates"))
    items = []
    for key, label, name in entries:
        try:
            url = reverse(name)
        except NoReverseMatch:  # an area not installed in this build
            continue
        items.append(MenuItem(key, label, url, here == name))
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    items = SimpleLazyObject(lambda: menu_items(request))  # built once for both
    return {
        "nav_items": items,
        "nav_more": SimpleLazyObject(lambda: [i for i in items if i.more]),
        "nav_is_operator": is_operator(user),
        "nav_is_government": is_government(user),
        # a member of an enterprise (its support policies, its monthly figures)
        "nav_is_enterprise": bool(supplier_organisation_ids(user)),
        "nav_can_organise_fair": SimpleLazyObject(lambda: can_organise_fair(user)),
        "deal_menu": SimpleLazyObject(lambda: deal_menu_items(request)),
    }
