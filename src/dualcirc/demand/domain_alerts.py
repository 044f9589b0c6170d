"""What the demand radar tells people unasked: the bureau's unmet-demand alerts and a
factory's weekly digest, both in the notification centre (``notify``).

Both run from ``dualcirc periodic`` (jobs ``demand-alerts`` and ``demand-digest``) and are
idempotent: an alert is announced again only when more distinct buyers stand behind it; a
digest is written once per enterprise and week.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import Enterprise
from dualcirc.core.enums import OrganisationKind
from dualcirc.core.models import Organisation, Region, User
from dualcirc.demand.gap_queries import enterprise_gaps
from dualcirc.demand.models import DemandDigest, UnmetDemandAlert
from dualcirc.demand.queries import offered_headings, unmet_demand
from dualcirc.notify.domain import notify

DIGEST_ITEMS = 5  # items of a weekly digest


def _members(organisations: list[Organisation]) -> list[User]:
    return list(
        User.objects.filter(memberships__organisation__in=organisations, is_active=True)
        .distinct()
        .order_by("pk")
    )


def raise_unmet_demand_alerts(*, today: date | None = None) -> int:
    """For every region a government oversees: what buyers kept asking for over the last
    ``DUALCIRC_DEMAND_UNMET_MONTHS`` months with no good match, from at least 3 distinct
    buyers, that no enterprise of the region lists (``queries.unmet_demand``). A new line
    becomes an ``UnmetDemandAlert`` and a notification to the government's members; a line
    whose distinct buyers grew is announced again; anything else changes nothing.

    Returns how many notifications were sent (alerts raised or grown). Side effects:
    UnmetDemandAlert rows created or updated; Notification rows (and e-mails)."""
    today = today or timezone.localdate()
    governments: dict[int, list[Organisation]] = {}
    for org in Organisation.objects.filter(
        kind=OrganisationKind.GOVERNMENT, region__isnull=False
    ).order_by("pk"):
        governments.setdefault(org.region_id, []).append(org)  # type: ignore[arg-type]
    announced = 0
    # The searches are grouped once; each region leaves out the headings it offers (what
    # unmet_demand(region_path=…) does, without grouping the signals again per region).
    lines = unmet_demand(today=today)
    for region in Region.objects.filter(pk__in=list(governments)).order_by("path"):
        offered = offered_headings(region.path)
        for row in (r for r in lines if r.subject not in offered):
            with transaction.atomic():
                alert = (
                    UnmetDemandAlert.objects.select_for_update()
                    .filter(region=region, subject=row.subject, market=row.market)
                    .first()
                )
                if alert is None:
                    alert = UnmetDemandAlert.objects.create(
                        region=region,
                        subject=row.subject,
                        market=row.market,
                        buyers=row.buyers,
                        signals=row.volume,
                    )
                elif row.buyers > alert.buyers:
                    alert.buyers, alert.signals = row.buyers, row.volume
                    alert.grown_at = timezone.now()
                    alert.save(update_fields=["buyers", "signals", "grown_at"])
                else:
                    if row.volume != alert.signals:
                        alert.signals = row.volume
                        alert.save(update_fields=["signals"])
                    continue
                notify(
                    _members(governments[region.pk]),
                    "unmet_demand",
                    alert,  # "“nón lá” → VN"
                    reverse("demand:bureau") + "#unmet-alerts",
                )
                announced += 1
    return announced


def week_of(day: date) -> date:
    """The Monday of ``day``'s week: what a digest is kept per."""
    return day - timedelta(days=day.weekday())


def send_weekly_digests(*, today: date | None = None, limit: int | None = None) -> int:
    """This week's "what buyers ask for that you don't offer" for every enterprise with
    published products that has no digest for the week yet: its top gaps (3 distinct buyers
    or more behind each), stored as a ``DemandDigest`` and, when there is any, announced to
    the enterprise's members with a link to the gaps page. An enterprise with nothing to
    tell gets an empty digest and no notification (so it is not looked at again this week).

    Returns how many digests were announced. Side effects: DemandDigest rows; Notification
    rows (and e-mails). Idempotent per week."""
    today = today or timezone.localdate()
    week = week_of(today)
    done = DemandDigest.objects.filter(week=week).values("enterprise_id")
    pending = (
        Enterprise.objects.filter(products__status=ProductStatus.PUBLISHED)
        .exclude(pk__in=done)
        .distinct()
        .order_by("pk")
    )
    announced = 0
    for enterprise in pending[:limit] if limit else pending:
        gaps, _hidden = enterprise_gaps(enterprise=enterprise, today=today)
        items = [
            {
                "product": g.product.pk,
                "reason": g.reason,
                "detail": g.detail,
                "buyers": g.buyers,
                "signals": g.signals,
            }
            for g in gaps[:DIGEST_ITEMS]
        ]
        try:
            with transaction.atomic():
                DemandDigest.objects.create(enterprise=enterprise, week=week, items=items)
        except IntegrityError:  # another run wrote this week's digest meanwhile
            continue
        if items:
            notify(
                _members([enterprise.organisation]),
                "demand_digest",
                enterprise,
                reverse("demand:gaps") + f"?week={week.isoformat()}",
            )
            announced += 1
    return announced
