"""Factories for the deals tests: a buyer and two suppliers, requests, quotes, orders."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from dualcirc.catalog.models import Enterprise
from dualcirc.core.enums import OrganisationKind, Role
from dualcirc.core.models import Organisation, User
from dualcirc.deals.domain import accept_offer, publish_request, submit_quote
from dualcirc.deals.enums import Visibility
from dualcirc.deals.models import Order, Quote, SourcingRequest, SupplierInvitation
from tests.factories import make_enterprise, make_organisation, make_region_tree, make_user

_seq = itertools.count(1)


@dataclass
class DealWorld:
    """A buyer organisation (Hamburg importer), two Laixi/Lanxi suppliers and an operator."""

    buyer_org: Organisation
    buyer: User
    supplier: Enterprise
    supplier_user: User
    other_supplier: Enterprise
    other_user: User
    operator: User
    stranger: User


def make_deal_world() -> DealWorld:
    regions = make_region_tree()
    buyer_org = make_organisation(
        kind=OrganisationKind.BUYER, name="Hamburg Möbel Import GmbH", country="DE"
    )
    supplier = make_enterprise(
        name_zh="莱西木艺家具有限公司", name_en="Laixi Woodcraft", region=regions["laixi"]
    )
    other = make_enterprise(
        name_zh="兰溪长兴布业有限公司", name_en="Lanxi Changxing", region=regions["lanxi"]
    )
    n = next(_seq)
    return DealWorld(
        buyer_org=buyer_org,
        buyer=make_user(username=f"buyer{n}", organisation=buyer_org, role=Role.ADMIN),
        supplier=supplier,
        supplier_user=make_user(username=f"maker{n}", organisation=supplier.organisation),
        other_supplier=other,
        other_user=make_user(username=f"weaver{n}", organisation=other.organisation),
        operator=make_user(
            username=f"op{n}", organisation=make_organisation(kind=OrganisationKind.OPERATOR)
        ),
        stranger=make_user(username=f"stranger{n}"),
    )


def request_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Oak dining tables for Hamburg",
        "need": "solid oak dining table, 6 seats, FSC",
        "hs_code": "940360",
        "quantity": "200",
        "unit": "pcs",
        "target_price": "130",
        "currency": "EUR",
        "destination_country": "DE",
        "destination_place": "Hamburg",
        "incoterm": "FOB",
        "certifications": ["FSC"],
        "deadline": (timezone.now() + timedelta(days=14)).isoformat(),
        "max_quotes": 10,
        "visibility": Visibility.INVITED,
    }
    data.update(overrides)
    return data


def quote_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit_price": "128.50",
        "currency": "USD",
        "incoterm": "FOB",
        "named_place": "Qingdao",
        "moq": "50",
        "lead_time_days": 30,
        "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "deposit_percent": "30",
        "sample_terms": "One sample free, freight collect",
        "notes": "",
    }
    data.update(overrides)
    return data


def make_request(
    world: DealWorld, *, invite: tuple[Enterprise, ...] = (), **overrides: Any
) -> SourcingRequest:
    return publish_request(
        actor=world.buyer,
        data=request_data(**overrides),
        invite=invite or (world.supplier, world.other_supplier),
    )


def make_quote(
    world: DealWorld,
    request: SourcingRequest | None = None,
    *,
    user: User | None = None,
    tiers: Any = (),
    **overrides: Any,
) -> Quote:
    request = request or make_request(world)
    return submit_quote(
        actor=user or world.supplier_user,
        request=request,
        data=quote_data(**overrides),
        tiers=tiers,
    )


def make_order(world: DealWorld) -> Order:
    quote = make_quote(world)
    return accept_offer(actor=world.buyer, quote=quote, offer_number=1)


def make_supplier(world: DealWorld, n: int) -> tuple[Enterprise, User]:
    """Another supplier enterprise with one member, for requests with many quotes."""
    enterprise = make_enterprise(name_zh=f"莱西家具厂{n}号", name_en=f"Laixi Furniture No. {n}")
    user = make_user(username=f"maker-{n}-{next(_seq)}", organisation=enterprise.organisation)
    return enterprise, user


def add_rows(
    world: DealWorld, what: str, n: int, *, request: SourcingRequest | None = None
) -> None:
    """``n`` more rows of one list page's kind for ``world``: "requests" (the buyer's),
    "invitations" (of ``world.supplier``), "quotes" (by ``world.supplier``), "orders", or
    "offers" (quotes of ``n`` new suppliers on ``request``)."""
    for _i in range(n):
        if what in ("requests", "invitations"):
            make_request(world, invite=(world.supplier,))
        elif what == "quotes":
            make_quote(world, make_request(world, invite=(world.supplier,)))
        elif what == "orders":
            make_order(world)
        elif what == "offers":
            assert request is not None
            enterprise, user = make_supplier(world, next(_seq))
            SupplierInvitation.objects.create(
                request=request, enterprise=enterprise, source="manual"
            )
            make_quote(world, request, user=user, currency="EUR", unit_price="120")
        else:
            raise ValueError(what)
