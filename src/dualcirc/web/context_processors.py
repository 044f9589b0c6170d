"""The main menu, built from the access rules (core.access): a link shows only to whoever may
open it, so no role meets a menu entry that answers 403."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from dualcirc.core.access import (
    can_import_catalog,
    can_organise_fair,
    can_use_bureau,
    can_use_deals,
    is_government,
    is_operator,
)


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: Any
    url: str
    current: bool


# (key, label, url name, the url names or app names that mark it current)
_PUBLIC = (
    ("products", _("Products"), "product-list", {"product-list", "product-detail"}),
    ("search", _("Search"), "search:search", {"search:search"}),
    ("suppliers", _("Find suppliers"), "search:suppliers", {"search:suppliers"}),
    ("enterprises", _("Enterprises"), "enterprise-list", {"enterprise-list", "enterprise-detail"}),
    ("fairs", _("Fairs"), "fair:list", {"fair:"}),
)


def menu_items(request: HttpRequest) -> list[MenuItem]:
    """The main menu for ``request.user``, in order, with the entry of the current page marked."""
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
    return [
        MenuItem(key, label, reverse(name), here in marks or (bool(app) and app in marks))
        for key, label, name, marks in entries
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "nav_items": SimpleLazyObject(lambda: menu_items(request)),
        "nav_is_operator": is_operator(user),
        "nav_is_government": is_government(user),
        "nav_can_organise_fair": SimpleLazyObject(lambda: can_organise_fair(user)),
    }
