"""The deals JSON API (docs/deals.md): requests, quotes, negotiation, orders, rates, funnel.

Handlers parse input, call one deals.domain function and render a deals.schemas shape. Creates
(request, quote, accept → order) honour an ``Idempotency-Key`` header: a retry returns the first
answer. Domain errors become structured 4xx (a Conflict is 409).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Header, Query, Router, Schema, Status
from ninja.files import UploadedFile

from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import (
    can_manage_sourcing_request,
    can_view_deal_dashboard,
    can_view_order,
    can_view_sourcing_request,
    is_operator,
    require,
)
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.deals import domain, money, queries
from dualcirc.deals.domain.audit import audit_trail
from dualcirc.deals.domain.common import quote_parties
from dualcirc.deals.domain.negotiation import OFFER_FIELDS, offer_changes
from dualcirc.deals.idempotency import run_once
from dualcirc.deals.models import ExchangeRate, Order, Quote, SourcingRequest
from dualcirc.deals.schemas import (
    AcceptIn,
    AuditOut,
    ComparedOut,
    CounterIn,
    FunnelOut,
    MessageIn,
    MilestoneIn,
    MilestoneOut,
    NegotiationOut,
    NotificationOut,
    OrderDetailOut,
    OrderOut,
    PaymentIn,
    PaymentOut,
    QuoteIn,
    QuoteOut,
    QuoteReviseIn,
    RateIn,
    RateOut,
    ReadIn,
    RequestDetailOut,
    RequestIn,
    RequestOut,
    StateIn,
)
from dualcirc.notify.domain import describe, mark_read, notifications_of

router = Router(tags=["deals"])

IdempotencyKey = Header(None, alias="Idempotency-Key")


def _create_once(
    request: HttpRequest,
    key: str | None,
    scope: str,
    payload: Schema,
    create: Callable[[], tuple[int, dict[str, Any]]],
) -> Status[dict[str, Any]]:
    """``create`` under the caller's ``Idempotency-Key`` for this endpoint (``scope``): a retry
    gets the first answer (deals.idempotency.run_once)."""
    status, body = run_once(
        user=request.user,
        key=key,
        scope=scope,
        payload=payload.model_dump(mode="json"),
        create=create,
    )
    return Status(status, body)


def _json(schema: type[Schema], obj: Any) -> dict[str, Any]:
    return schema.model_validate(obj).model_dump(mode="json")


# --- serialisers ---------------------------------------------------------------------------------


def quote_out(quote: Quote) -> dict[str, Any]:
    return _json(
        QuoteOut,
        {
            **{f: getattr(quote, f) for f in QuoteOut.model_fields if hasattr(quote, f)},
            "supplier": quote.supplier.display_name,
            "tiers": [
                {"min_quantity": t.min_quantity, "unit_price": t.unit_price}
                for t in quote.tiers.all()
            ],
            "attachments": [
                {"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size}
                for a in quote.attachments.all()
            ],
        },
    )


def request_out(request: SourcingRequest, *, invitations: bool = False) -> dict[str, Any]:
    data = {f: getattr(request, f) for f in RequestOut.model_fields}
    if not invitations:
        return _json(RequestOut, data)
    data["invitations"] = [
        {
            "enterprise_id": i.enterprise_id,
            "enterprise": i.enterprise.display_name,
            "source": i.source,
            "rank": i.rank,
            "reasons": i.reasons,
        }
        for i in request.invitations.select_related("enterprise")
    ]
    return _json(RequestDetailOut, data)


def order_out(order: Order, *, detail: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        f: getattr(order, f) for f in OrderOut.model_fields if f not in ("buyer", "supplier")
    }
    data["buyer"] = order.buyer.name
    data["supplier"] = order.supplier.display_name
    if not detail:
        return _json(OrderOut, data)
    data["terms"] = order.terms
    data["milestones"] = [_json(MilestoneOut, m) for m in order.milestones.all()]
    data["payments"] = [_json(PaymentOut, p) for p in order.payments.all()]
    data["audit"] = [
        _json(
            AuditOut,
            {
                "at": e.at,
                "actor": e.actor.get_username() if e.actor else None,
                "party": e.party,
                "action": e.action,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "note": e.note,
            },
        )
        for e in audit_trail(order)
    ]
    return _json(OrderDetailOut, data)


def _terms(payload: Schema, *, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True)
    for name in drop:
        data.pop(name, None)
    return data


def _tiers(tiers: list[Any] | None) -> list[dict[str, Any]] | None:
    if tiers is None:
        return None
    return [{"min_quantity": t.min_quantity, "unit_price": t.unit_price} for t in tiers]


# --- lookups -------------------------------------------------------------------------------------


def _request(request: HttpRequest, pk: int) -> SourcingRequest:
    rfq = SourcingRequest.objects.filter(pk=pk).first()
    if rfq is None or not can_view_sourcing_request(request.user, rfq):
        raise Http404(_("There is no sourcing request with this id."))
    return queries.open_request(rfq)


def _quote(request: HttpRequest, pk: int) -> Quote:
    quote = Quote.objects.select_related("request", "supplier", "negotiation").filter(pk=pk).first()
    if quote is None or not (quote_parties(request.user, quote)):
        raise Http404(_("There is no quote with this id."))
    return quote


def _order(request: HttpRequest, pk: int) -> Order:
    order = Order.objects.select_related("buyer", "supplier").filter(pk=pk).first()
    if order is None or not can_view_order(request.user, order):
        raise Http404(_("There is no order with this id."))
    return order


# --- sourcing requests ---------------------------------------------------------------------------


@router.post("/deals/requests", response={201: RequestDetailOut}, summary="Publish a request")
def create_request(
    request: HttpRequest, payload: RequestIn, idempotency_key: str | None = IdempotencyKey
) -> Status[dict[str, Any]]:
    def create() -> tuple[int, dict[str, Any]]:
        data = _terms(payload, drop=("invite",))
        invited = list(Enterprise.objects.filter(pk__in=payload.invite))
        unknown = sorted(set(payload.invite) - {e.pk for e in invited})
        if unknown:  # refused like any bad field, never silently dropped
            raise InvalidInput(
                _("Unknown enterprise ids: %(ids)s.") % {"ids": ", ".join(map(str, unknown))},
                [FieldError(field="invite", message=_("There is no enterprise %(id)d.") % {"id": i})
                 for i in unknown],
            )  # fmt: skip
        rfq = domain.publish_request(actor=request.user, data=data, invite=invited)
        return 201, request_out(rfq, invitations=True)

    return _create_once(request, idempotency_key, "request.create", payload, create)


@router.get("/deals/requests", response=list[RequestOut], summary="My organisation's requests")
def list_requests(request: HttpRequest) -> list[dict[str, Any]]:
    return [request_out(r) for r in queries.buyer_requests(request.user)[:200]]


@router.get("/deals/requests/{pk}", response=RequestDetailOut)
def get_request(request: HttpRequest, pk: int) -> dict[str, Any]:
    rfq = _request(request, pk)
    return request_out(rfq, invitations=can_manage_sourcing_request(request.user, rfq))


@router.post("/deals/requests/{pk}/state", response=RequestOut, summary="Close or cancel")
def request_state(request: HttpRequest, pk: int, payload: StateIn) -> dict[str, Any]:
    rfq = domain.transition_request(
        actor=request.user,
        request=_request(request, pk),
        to_state=payload.to_state,
        note=payload.note,
        expected_version=payload.version,
    )
    return request_out(rfq)


class CompareParams(Schema):
    currency: str | None = None


@router.get(
    "/deals/requests/{pk}/quotes",
    response=list[ComparedOut],
    summary="Quotes side by side, converted into one currency with the rate and date used",
)
def compare(request: HttpRequest, pk: int, params: Query[CompareParams]) -> list[dict[str, Any]]:
    rfq = _request(request, pk)
    require(
        can_manage_sourcing_request(request.user, rfq) or is_operator(request.user),
        _("Only the buyer compares the quotes."),
    )
    return [
        {
            "quote": quote_out(row.quote),
            "offer_number": row.offer.number,
            "unit_price": row.unit_price.as_dict() if row.unit_price else None,
            "total": row.total.as_dict() if row.total else None,
            "error": row.error,
        }
        for row in queries.compare_quotes(rfq, params.currency)
    ]


@router.get("/deals/invitations", response=list[RequestDetailOut], summary="Invitations to quote")
def list_invitations(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for inv in queries.supplier_invitations(request.user)[:200]:
        data = request_out(inv.request)
        data["invitations"] = [
            {
                "enterprise_id": inv.enterprise_id,
                "enterprise": inv.enterprise.display_name,
                "source": inv.source,
                "rank": inv.rank,
                "reasons": inv.reasons,
            }
        ]
        out.append(data)
    return out


# --- quotes and negotiation ----------------------------------------------------------------------


@router.post("/deals/requests/{pk}/quotes", response={201: QuoteOut}, summary="Quote")
def create_quote(
    request: HttpRequest, pk: int, payload: QuoteIn, idempotency_key: str | None = IdempotencyKey
) -> Status[dict[str, Any]]:
    def create() -> tuple[int, dict[str, Any]]:
        rfq = _request(request, pk)
        enterprise = (
            get_object_or_404(Enterprise, pk=payload.enterprise) if payload.enterprise else None
        )
        quote = domain.submit_quote(
            actor=request.user,
            request=rfq,
            data=_terms(payload, drop=("tiers", "enterprise")),
            tiers=_tiers(payload.tiers),
            enterprise=enterprise,
        )
        return 201, quote_out(quote)

    return _create_once(request, idempotency_key, f"quote.create:{pk}", payload, create)


@router.post(
    "/deals/quotes/{pk}/attachments",
    response={201: QuoteOut},
    summary="Attach files to a quote (multipart, field `files`)",
)
def attach(
    request: HttpRequest, pk: int, files: File[list[UploadedFile]]
) -> Status[dict[str, Any]]:
    """PDF, PNG, JPEG, XLSX or DOCX (checked by content), 10 MB each, 5 per quote in all —
    the checks of the quote page; while the quote is submitted or under negotiation."""
    quote = _quote(request, pk)
    domain.add_quote_attachments(actor=request.user, quote=quote, attachments=files)
    return Status(201, quote_out(quote))


@router.get("/deals/quotes", response=list[QuoteOut], summary="My enterprise's quotes")
def list_quotes(request: HttpRequest) -> list[dict[str, Any]]:
    quotes = queries.supplier_quotes(request.user).prefetch_related("tiers", "attachments")
    return [quote_out(q) for q in quotes[:200]]


def negotiation_out(quote: Quote) -> dict[str, Any]:
    offers = list(quote.negotiation.offers.select_related("author"))
    previous = None
    rows = []
    for offer in offers:
        rows.append(
            {
                **{
                    f: getattr(offer, f)
                    for f in ("number", "party", *OFFER_FIELDS, "note", "created_at")
                },
                "author": offer.author.get_username(),
                "changes": [
                    {
                        "field": c.field,
                        "before": None if c.before is None else str(c.before),
                        "after": None if c.after is None else str(c.after),
                    }
                    for c in offer_changes(previous, offer)
                ],
            }
        )
        previous = offer
    messages = [
        {
            "party": m.party,
            "author": m.author.get_username(),
            "body": m.body,
            "created_at": m.created_at,
        }
        for m in quote.negotiation.messages.select_related("author")
    ]
    return _json(NegotiationOut, {"quote": quote_out(quote), "offers": rows, "messages": messages})


@router.get("/deals/quotes/{pk}", response=NegotiationOut, summary="A quote and its negotiation")
def get_quote(request: HttpRequest, pk: int) -> dict[str, Any]:
    return negotiation_out(_quote(request, pk))


@router.patch("/deals/quotes/{pk}", response=QuoteOut, summary="Revise before the buyer acts")
def revise(request: HttpRequest, pk: int, payload: QuoteReviseIn) -> dict[str, Any]:
    quote = domain.revise_quote(
        actor=request.user,
        quote=_quote(request, pk),
        data=_terms(payload, drop=("tiers", "version")),
        tiers=_tiers(payload.tiers),
        expected_version=payload.version,
    )
    return quote_out(quote)


@router.post("/deals/quotes/{pk}/state", response=QuoteOut, summary="Withdraw or reject")
def quote_state(request: HttpRequest, pk: int, payload: StateIn) -> dict[str, Any]:
    quote = domain.transition_quote(
        actor=request.user,
        quote=_quote(request, pk),
        to_state=payload.to_state,
        note=payload.note,
        expected_version=payload.version,
    )
    return quote_out(quote)


@router.post("/deals/quotes/{pk}/offers", response={201: NegotiationOut}, summary="Counter")
def counter(request: HttpRequest, pk: int, payload: CounterIn) -> Status[dict[str, Any]]:
    quote = _quote(request, pk)
    domain.make_counter_offer(
        actor=request.user,
        quote=quote,
        data={
            **_terms(payload, drop=("tiers", "note", "expected_offer")),
            "tiers": _tiers(payload.tiers),
        },
        note=payload.note,
        expected_offer=payload.expected_offer,
    )
    return Status(201, negotiation_out(_quote(request, pk)))


@router.post("/deals/quotes/{pk}/messages", response={201: NegotiationOut}, summary="Message")
def message(request: HttpRequest, pk: int, payload: MessageIn) -> Status[dict[str, Any]]:
    domain.post_message(actor=request.user, quote=_quote(request, pk), body=payload.body)
    return Status(201, negotiation_out(_quote(request, pk)))


@router.post(
    "/deals/quotes/{pk}/accept",
    response={201: OrderDetailOut},
    summary="Accept the other side's latest offer: creates the order",
)
def accept(
    request: HttpRequest, pk: int, payload: AcceptIn, idempotency_key: str | None = IdempotencyKey
) -> Status[dict[str, Any]]:
    def create() -> tuple[int, dict[str, Any]]:
        order = domain.accept_offer(
            actor=request.user,
            quote=_quote(request, pk),
            offer_number=payload.offer_number,
            note=payload.note,
        )
        return 201, order_out(order, detail=True)

    return _create_once(request, idempotency_key, f"order.accept:{pk}", payload, create)


# --- orders --------------------------------------------------------------------------------------


@router.get("/deals/orders", response=list[OrderOut])
def list_orders(request: HttpRequest) -> list[dict[str, Any]]:
    return [order_out(o) for o in queries.orders_for(request.user)[:200]]


@router.get("/deals/orders/{pk}", response=OrderDetailOut)
def get_order(request: HttpRequest, pk: int) -> dict[str, Any]:
    return order_out(_order(request, pk), detail=True)


@router.post("/deals/orders/{pk}/transition", response=OrderDetailOut, summary="Change state")
def order_transition(request: HttpRequest, pk: int, payload: StateIn) -> dict[str, Any]:
    order = domain.transition_order(
        actor=request.user,
        order=_order(request, pk),
        to_state=payload.to_state,
        note=payload.note,
        expected_version=payload.version,
    )
    return order_out(order, detail=True)


@router.post("/deals/orders/{pk}/milestones", response=OrderDetailOut, summary="Re-plan")
def order_milestone(request: HttpRequest, pk: int, payload: MilestoneIn) -> dict[str, Any]:
    order = _order(request, pk)
    domain.update_milestone(
        actor=request.user,
        order=order,
        kind=payload.kind,
        planned_date=payload.planned_date,
        note=payload.note,
    )
    return order_out(order, detail=True)


@router.post("/deals/orders/{pk}/payments", response={201: OrderDetailOut}, summary="Payment")
def order_payment(request: HttpRequest, pk: int, payload: PaymentIn) -> Status[dict[str, Any]]:
    order = _order(request, pk)
    domain.record_payment(actor=request.user, order=order, **payload.model_dump())
    return Status(201, order_out(order, detail=True))


# --- rates, funnel, notifications ----------------------------------------------------------------


@router.get("/deals/rates", response=list[RateOut], summary="Operator-entered exchange rates")
def list_rates(request: HttpRequest) -> QuerySet[ExchangeRate]:
    return ExchangeRate.objects.all()[:500]


@router.post("/deals/rates", response={201: RateOut}, summary="Enter a rate (operator)")
def create_rate(request: HttpRequest, payload: RateIn) -> Status[ExchangeRate]:
    rate = money.set_exchange_rate(
        actor=request.user,
        currency=payload.currency,
        base=payload.base,
        rate=payload.rate,
        on=payload.date,
    )
    return Status(201, rate)


class FunnelParams(Schema):
    enterprise: int | None = None


@router.get("/deals/funnel", response=FunnelOut, summary="The deal funnel")
def funnel(request: HttpRequest, params: Query[FunnelParams]) -> Any:
    if params.enterprise is None:
        require(is_operator(request.user), _("Only the operator sees the whole funnel."))
        return queries.deal_funnel()
    enterprise = get_object_or_404(Enterprise, pk=params.enterprise)
    require(can_view_deal_dashboard(request.user, enterprise))
    return queries.deal_funnel(enterprise=enterprise)


@router.get("/notifications", response=list[NotificationOut], tags=["notifications"])
def notifications(request: HttpRequest, unread: bool = False) -> list[dict[str, Any]]:
    qs = notifications_of(request.user, unread_only=unread)
    return [
        {
            "id": n.pk,
            "verb": n.verb,
            "text": describe(n.verb, n.target_label),
            "url": n.url,
            "created_at": n.created_at,
            "read": n.read_at is not None,
        }
        for n in qs[:200]
    ]


class ReadOut(Schema):
    marked: int


@router.post("/notifications/read", response=ReadOut, tags=["notifications"])
def read_notifications(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    return {"marked": mark_read(user=request.user, ids=payload.ids)}
