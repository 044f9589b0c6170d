"""Where a person lands after signing in when no ``next`` page was asked for: where their work
is. A fair's organiser → the manage page of their fair that is on or comes next (the last one
otherwise); a government official → the bureau dashboard; an enterprise's admin or member →
their enterprise's page (its workspace: figures, products, edit); a buyer and the operator →
the home page. Areas not installed in this build are skipped (NoReverseMatch)."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dualcirc.core.access import is_government, is_operator, supplier_organisation_ids


def _organised_fair(user: Any) -> Any:
    from dualcirc.core.access import member_organisation_ids
    from dualcirc.fair.models import Fair

    fairs = Fair.objects.filter(organiser_id__in=member_organisation_ids(user))
    today = timezone.localdate()
    current = fairs.filter(ends_on__gte=today).order_by("starts_on", "id").first()
    return current or fairs.order_by("-ends_on", "-id").first()


def _enterprise(user: Any) -> Any:
    from dualcirc.catalog.models import Enterprise

    ids = supplier_organisation_ids(user)
    if not ids:
        return None
    return Enterprise.objects.filter(organisation_id__in=ids).order_by("id").first()


def landing_url(user: Any) -> str:
    """The address (without language prefix handling: the caller translates it) where ``user``
    starts after signing in."""
    try:
        if not is_operator(user):
            if (fair := _organised_fair(user)) is not None:
                return reverse("fair:manage", args=[fair.pk])
            if is_government(user):
                return reverse("bureau:dashboard")
            if (enterprise := _enterprise(user)) is not None:
                return reverse("enterprise-detail", args=[enterprise.pk])
    except (NoReverseMatch, LookupError):
        pass
    return reverse("home")
