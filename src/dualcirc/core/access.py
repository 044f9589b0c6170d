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


def can_manage_api_token(user: Any, token: Any) -> bool:
    """Revoke an API token: its owner, or the platform operator."""
    return is_operator(user) or bool(
        getattr(user, "is_authenticated", False) and token.user_id == user.pk
    )


def require(allowed: bool, message: str | None = None) -> None:
    """Raise :class:`AccessDenied` unless ``allowed``."""
    if not allowed:
        raise AccessDenied(message or _("Your organisation and role do not allow this."))
