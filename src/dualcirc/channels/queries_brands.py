"""Reads of the own-brand records, with the visibility rules applied, and the figures the
bureau shows: the share of own-brand products and the share of products ready per channel,
per enterprise and per belt."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from dualcirc.catalog.models import Enterprise, Product
from dualcirc.channels.enums import Branding
from dualcirc.channels.models import Brand, BrandAuthorisation, BrandEvent, BrandingChange
from dualcirc.channels.queries import assess_product, with_listing_data
from dualcirc.channels.rules import load_rule_book
from dualcirc.core.access import (
    can_view_enterprise_private,
    member_organisation_ids,
    require,
)


def list_brands(*, user: Any, enterprise: Enterprise) -> list[Brand]:
    """The enterprise's brands with their letters (its members, the operator and the
    government of its region)."""
    require(can_view_enterprise_private(user, enterprise))
    return list(
        Brand.objects.filter(enterprise=enterprise).prefetch_related("authorisations__distributor")
    )


def list_received_authorisations(*, user: Any, enterprise: Enterprise) -> list[BrandAuthorisation]:
    """The letters other enterprises gave ``enterprise`` as their distributor."""
    require(can_view_enterprise_private(user, enterprise))
    return list(
        BrandAuthorisation.objects.filter(distributor=enterprise)
        .select_related("brand__enterprise")
        .order_by("-valid_until")
    )


def get_brand(*, user: Any, pk: int) -> Brand:
    """A brand whose enterprise ``user`` may see privately; ``Brand.DoesNotExist`` otherwise
    (another enterprise's brand reads as absent)."""
    brand = Brand.objects.select_related("enterprise__region").get(pk=pk)
    if not can_view_enterprise_private(user, brand.enterprise):
        raise Brand.DoesNotExist
    return brand


def get_authorisation(*, user: Any, pk: int) -> BrandAuthorisation:
    """A letter for the brand owner's viewers and the distributor's members;
    ``BrandAuthorisation.DoesNotExist`` for anyone else."""
    letter = BrandAuthorisation.objects.select_related(
        "brand__enterprise__region", "distributor"
    ).get(pk=pk)
    as_distributor = (
        letter.distributor is not None
        and letter.distributor.organisation_id in member_organisation_ids(user)
    )
    if not (can_view_enterprise_private(user, letter.brand.enterprise) or as_distributor):
        raise BrandAuthorisation.DoesNotExist
    return letter


def list_branding_changes(*, user: Any, enterprise: Enterprise, limit: int = 50) -> list[Any]:
    require(can_view_enterprise_private(user, enterprise))
    return list(
        BrandingChange.objects.filter(product__enterprise=enterprise).select_related(
            "product", "changed_by"
        )[:limit]
    )


def list_brand_events(
    *, user: Any, enterprise: Enterprise, brand: Brand | None = None, limit: int = 50
) -> list[BrandEvent]:
    """The audit trail of the enterprise's brands and letters (or of one brand), newest first."""
    require(can_view_enterprise_private(user, enterprise))
    qs = BrandEvent.objects.filter(brand__enterprise=enterprise)
    if brand is not None:
        qs = qs.filter(brand=brand)
    return list(qs.select_related("brand", "changed_by")[:limit])


def _share(part: int, whole: int) -> Decimal | None:
    return None if whole == 0 else (Decimal(100) * part / whole).quantize(Decimal("0.1"))


@dataclass
class BrandRow:
    """One enterprise or belt: products, own-brand products, products ready per channel."""

    key: Any
    label: str
    products: int = 0
    own_brand: int = 0
    ready: dict[str, int] = field(default_factory=dict)

    @property
    def own_brand_share(self) -> Decimal | None:
        return _share(self.own_brand, self.products)

    def ready_share(self, channel: str) -> Decimal | None:
        return _share(self.ready.get(channel, 0), self.products)


@dataclass(frozen=True)
class BrandSummary:
    channels: tuple[str, ...]
    enterprises: list[BrandRow]
    belts: list[BrandRow]
    total: BrandRow
    # month (YYYY-MM) → products moved from OEM to a brand in that month (audited changes)
    oem_to_brand: list[tuple[str, int]]


def summarise_own_brands(enterprises: QuerySet[Enterprise]) -> BrandSummary:
    """Own-brand share and channel readiness of the products (drafts included) of
    ``enterprises`` — a bureau scope, already narrowed to what its user may see — per
    enterprise and per belt (enterprises without a belt under "—"), with the products moved
    from OEM to a brand per month. Readiness is judged as on the enterprises' channel pages."""
    book = load_rule_book()
    channels = tuple(book.channels)
    products = with_listing_data(
        Product.objects.filter(enterprise__in=enterprises.values("pk"))
    ).select_related("enterprise__belt")
    per_enterprise: dict[int, BrandRow] = {}
    per_belt: dict[Any, BrandRow] = {}
    total = BrandRow(key=None, label="")
    for product in products.order_by("enterprise_id", "pk"):
        enterprise = product.enterprise
        belt = enterprise.belt
        rows = [
            per_enterprise.setdefault(
                enterprise.pk, BrandRow(key=enterprise.pk, label=enterprise.display_name)
            ),
            per_belt.setdefault(
                belt.pk if belt else None, BrandRow(key=belt, label=str(belt) if belt else "—")
            ),
            total,
        ]
        branding = getattr(product, "branding", None)
        own = branding is not None and branding.kind == Branding.OWN_BRAND
        readiness = assess_product(product, book=book)
        for row in rows:
            row.products += 1
            row.own_brand += own
            for key, result in readiness.items():
                row.ready[key] = row.ready.get(key, 0) + result.ready
    moves: dict[str, int] = defaultdict(int)
    for changed_at in BrandingChange.objects.filter(
        product__enterprise__in=enterprises.values("pk"),
        from_kind=Branding.OEM,
        to_kind__in=[Branding.OWN_BRAND, Branding.AUTHORISED],
    ).values_list("changed_at", flat=True):
        moves[changed_at.strftime("%Y-%m")] += 1
    return BrandSummary(
        channels=channels,
        enterprises=sorted(per_enterprise.values(), key=lambda r: r.label),
        belts=sorted(per_belt.values(), key=lambda r: (r.key is None, r.label)),
        total=total,
        oem_to_brand=sorted(moves.items()),
    )
