"""Reusable reads of deals: lists per side, the quote comparison and the deal funnel."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import (
    buyer_organisation_ids,
    can_see_request_as_supplier,
    governed_region_paths,
    is_operator,
    supplier_organisation_ids,
)
from dualcirc.core.errors import DomainError
from dualcirc.deals.domain.quotes import price_for_quantity
from dualcirc.deals.domain.requests import refresh_request
from dualcirc.deals.enums import RequestState, Visibility
from dualcirc.deals.models import (
    Offer,
    Order,
    Payment,
    Quote,
    SourcingRequest,
    SupplierInvitation,
)
from dualcirc.deals.money import Conversion, Converter


def buyer_requests(user: Any) -> QuerySet[SourcingRequest]:
    return (
        SourcingRequest.objects.filter(buyer_id__in=buyer_organisation_ids(user))
        .annotate(quote_count=Count("quotes"))
        .order_by("-created_at", "-id")
    )


def supplier_enterprises(user: Any) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(organisation_id__in=supplier_organisation_ids(user))


def supplier_invitations(user: Any) -> QuerySet[SupplierInvitation]:
    return (
        SupplierInvitation.objects.filter(enterprise__in=supplier_enterprises(user))
        .select_related("request", "request__buyer", "enterprise")
        .order_by("-created_at", "-id")
    )


def public_requests(user: Any) -> list[SourcingRequest]:
    """Open public requests the user's enterprises may quote on without an invitation."""
    enterprises = list(supplier_enterprises(user))
    if not enterprises:
        return []
    qs = SourcingRequest.objects.filter(visibility=Visibility.PUBLIC, state=RequestState.OPEN)
    return [r for r in qs[:50] if any(can_see_request_as_supplier(user, r, e) for e in enterprises)]


def supplier_quotes(user: Any) -> QuerySet[Quote]:
    return (
        Quote.objects.filter(supplier__in=supplier_enterprises(user))
        .select_related("request", "supplier")
        .order_by("-updated_at", "-id")
    )


def orders_for(user: Any) -> QuerySet[Order]:
    """Orders of the user's buyer organisations and enterprises; every order for the operator;
    the orders of enterprises in its region for a government body (core.access.can_view_order).
    """
    qs = Order.objects.select_related("buyer", "supplier").order_by("-created_at", "-id")
    if is_operator(user):
        return qs
    q = Q(buyer_id__in=buyer_organisation_ids(user)) | Q(
        supplier__organisation_id__in=supplier_organisation_ids(user)
    )
    for path in governed_region_paths(user):
        q |= Q(supplier__region__path__startswith=path)
    return qs.filter(q)


@dataclass
class ComparedQuote:
    quote: Quote
    offer: Offer
    price: Decimal  # the offer's unit price for the quantity (its tier's), in its currency
    unit_price: Conversion | None
    total: Conversion | None
    error: str = ""


def compare_quotes(request: SourcingRequest, currency: str | None = None) -> list[ComparedQuote]:
    """The quotes of ``request`` side by side, each latest offer converted into ``currency``
    (the request's by default) with the rate and its date; cheapest converted price first.
    The unit price is the one the offer asks for its quantity (or the request's): a quantity
    tier's when the quantity reaches it."""
    target = (currency or request.currency).upper()
    rows: list[ComparedQuote] = []
    quotes = request.quotes.select_related("supplier", "negotiation").prefetch_related(
        "negotiation__offers", "tiers", "attachments"
    )
    converter = Converter()
    for quote in quotes:
        offer = max(quote.negotiation.offers.all(), key=lambda o: o.number)
        quantity = offer.quantity or request.quantity
        price = price_for_quantity(offer, quantity)
        try:
            unit = converter.convert(price, offer.currency, target)
            total = (
                converter.convert(quantity * price, offer.currency, target) if quantity else None
            )
            rows.append(ComparedQuote(quote, offer, price, unit, total))
        except DomainError as exc:
            rows.append(ComparedQuote(quote, offer, price, None, None, error=str(exc)))
    big = Decimal("1e30")
    rows.sort(key=lambda r: (r.unit_price.converted if r.unit_price else big, r.quote.pk))
    return rows


def paid_total(payments: Sequence[Payment]) -> Decimal | None:
    """What ``payments`` of one order come to in the order's currency (each converted at the
    rate of its day, as recorded); None when there are none or one has no known rate."""
    if not payments or any(p.amount_in_order_currency is None for p in payments):
        return None
    return sum((p.amount_in_order_currency or Decimal(0) for p in payments), Decimal(0))


def open_request(request: SourcingRequest) -> SourcingRequest:
    """``request`` with its deadline applied (closed now if it has passed)."""
    return refresh_request(request)


# --- the deal funnel ---------------------------------------------------------------------------


@dataclass
class Funnel:
    requests: int = 0
    invitations: int = 0
    quotes: int = 0
    orders: int = 0
    median_response_hours: Decimal | None = None
    win_rate: Decimal | None = None  # orders / quotes, in %
    value_by_currency: dict[str, Decimal] = field(default_factory=dict)
    value_cny_by_destination: dict[str, Decimal] = field(default_factory=dict)
    orders_by_destination: dict[str, int] = field(default_factory=dict)


def _hours(seconds: float) -> Decimal:
    return (Decimal(str(seconds)) / Decimal(3600)).quantize(Decimal("0.1"))


def deal_funnel(*, enterprise: Enterprise | None = None) -> Funnel:
    """Requests, invitations, quotes, orders, median response time (invitation → quote), win
    rate, order value by currency and CNY value by destination (domestic vs export), for one
    supplier or (``enterprise`` None) the whole platform."""
    requests = SourcingRequest.objects.all()
    invitations = SupplierInvitation.objects.all()
    quotes = Quote.objects.all()
    orders = Order.objects.all()
    if enterprise is not None:
        invitations = invitations.filter(enterprise=enterprise)
        requests = requests.filter(
            Q(invitations__enterprise=enterprise) | Q(quotes__supplier=enterprise)
        ).distinct()
        quotes = quotes.filter(supplier=enterprise)
        orders = orders.filter(supplier=enterprise)
    funnel = Funnel(
        requests=requests.count(),
        invitations=invitations.count(),
        quotes=quotes.count(),
        orders=orders.count(),
    )
    invited_at = {
        (i.request_id, i.enterprise_id): i.created_at
        for i in invitations.only("request_id", "enterprise_id", "created_at")
    }
    waits = [
        (q.created_at - invited_at[(q.request_id, q.supplier_id)]).total_seconds()
        for q in quotes.only("request_id", "supplier_id", "created_at")
        if (q.request_id, q.supplier_id) in invited_at
    ]
    if waits:
        funnel.median_response_hours = _hours(statistics.median(waits))
    if funnel.quotes:
        funnel.win_rate = (Decimal(funnel.orders) * 100 / funnel.quotes).quantize(Decimal("0.1"))
    live = orders.exclude(state="cancelled")
    for row in live.values("currency").annotate(total=Sum("total_amount")).order_by("currency"):
        funnel.value_by_currency[row["currency"]] = row["total"]
    for country, value_cny in live.values_list("destination_country", "value_cny"):
        key = "domestic" if country.upper() == "CN" else "export"
        funnel.orders_by_destination[key] = funnel.orders_by_destination.get(key, 0) + 1
        if value_cny is not None:
            funnel.value_cny_by_destination[key] = (
                funnel.value_cny_by_destination.get(key, Decimal(0)) + value_cny
            )
    return funnel
