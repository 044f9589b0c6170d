"""The JSON API of meeting outcomes (docs/api.md, docs/fair.md "Outcomes"): a side rates a held
meeting, an exhibitor reads its scored leads, the organiser reads the fair's funnel. A meeting,
booth or fair the caller has no part in is a 404; domain errors become the API's 4xx."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, cast

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from dualcirc.core.access import can_manage_fair, can_view_fair, member_organisation_ids
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.core.models import User
from dualcirc.core.sanitize import column_length, text_limit
from dualcirc.deals.models import Order
from dualcirc.fair import domain
from dualcirc.fair.models import Booth, Fair, Meeting, MeetingOutcome, Registration
from dualcirc.fair.outcome_queries import SORT_KEYS, fair_funnel, lead_scores, meeting_with_side

router = Router(tags=["fair outcomes"])

ResultText = Annotated[str, column_length(MeetingOutcome, "result")]
CurrencyText = Annotated[str, column_length(MeetingOutcome, "order_currency")]
NoteText = Annotated[str, text_limit("reason")]
StageText = Annotated[str, column_length(MeetingOutcome, "result")]


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


class OutcomeIn(Schema):
    rating: int
    result: ResultText
    order_id: int | None = None
    order_value: Decimal | None = None
    order_currency: CurrencyText = ""
    note: NoteText = ""
    stage: StageText = ""


class OutcomeOut(Schema):
    meeting: int
    registration: int
    rating: int
    result: str
    order_id: int | None
    order_number: str | None
    order_value: Decimal | None
    order_currency: str
    note: str
    updated_at: datetime


def _outcome_out(o: MeetingOutcome) -> dict[str, Any]:
    return {
        "meeting": o.meeting_id,
        "registration": o.registration_id,
        "rating": o.rating,
        "result": o.result,
        "order_id": o.order_id,
        "order_number": o.order.number if o.order else None,
        "order_value": o.order_value,
        "order_currency": o.order_currency,
        "note": o.note,
        "updated_at": o.updated_at,
    }


def _party_meeting(request: HttpRequest, meeting_id: int) -> tuple[Meeting, Registration]:
    found = meeting_with_side(request.user, meeting_id)
    if found is None:
        raise Http404  # only the two sides see that the meeting exists
    return found


@router.put(
    "/fair-meetings/{meeting_id}/outcome",
    response=OutcomeOut,
    summary="Rate a held meeting and say what followed (your side)",
)
def rate_meeting(request: HttpRequest, meeting_id: int, payload: OutcomeIn) -> dict[str, Any]:
    meeting, _side = _party_meeting(request, meeting_id)
    order = None
    if payload.order_id is not None:
        orgs = member_organisation_ids(request.user)
        order = (
            Order.objects.select_related("supplier")
            .filter(Q(buyer_id__in=orgs) | Q(supplier__organisation_id__in=orgs))
            .filter(pk=payload.order_id)
            .first()
        )
        if order is None:
            raise Http404  # an order of other organisations is not confirmed to exist
    outcome = domain.rate_meeting(
        actor=_actor(request),
        meeting=meeting,
        rating=payload.rating,
        result=payload.result,
        order=order,
        order_value=payload.order_value,
        order_currency=payload.order_currency,
        note=payload.note,
        stage=payload.stage,
    )
    return _outcome_out(outcome)


@router.get("/fair-meetings/{meeting_id}/outcome", response=OutcomeOut, summary="Your rating")
def my_outcome(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    meeting, side = _party_meeting(request, meeting_id)
    outcome = get_object_or_404(
        MeetingOutcome.objects.select_related("order"), meeting=meeting, registration=side
    )
    return _outcome_out(outcome)


class LeadScoreOut(Schema):
    organisation: int
    name: str
    country: str
    score: int
    visits: int
    documents: int
    contacts: int
    conversations: int
    requests: int
    meetings: int
    result: str


@router.get(
    "/booths/{booth_id}/lead-scores",
    response=list[LeadScoreOut],
    summary="The exhibitor's scored leads (sort: score, visits, … with - for descending)",
)
def booth_lead_scores(request: HttpRequest, booth_id: int, sort: str = "-score") -> list[Any]:
    booth = get_object_or_404(Booth.objects.select_related("registration"), pk=booth_id)
    if booth.registration.organisation_id not in member_organisation_ids(request.user):
        raise Http404  # leads are the exhibitor's own: not even the operator reads them here
    if sort.lstrip("-") not in SORT_KEYS:
        sort = "-score"
    return [
        {
            "organisation": lead.organisation_id,
            "name": lead.name,
            "country": lead.country,
            "score": lead.score,
            "visits": lead.visits,
            "documents": lead.documents,
            "contacts": lead.contacts,
            "conversations": lead.conversations,
            "requests": lead.requests,
            "meetings": lead.meetings,
            "result": lead.result,
        }
        for lead in lead_scores(booth.registration, sort=sort)
    ]


class FairFunnelStageOut(Schema):
    key: str
    label: str
    count: int


class FairFunnelOut(Schema):
    stages: list[FairFunnelStageOut]
    orders: int
    orders_through_platform: int
    orders_without_value: int
    value: Decimal
    currency: str
    rated_meetings: int
    average_rating: Decimal | None


@router.get("/fairs/{fair_id}/funnel", response=FairFunnelOut, summary="The organiser's funnel")
def funnel(request: HttpRequest, fair_id: int, currency: str = "CNY") -> dict[str, Any]:
    fair = get_object_or_404(Fair, pk=fair_id)
    if not (can_view_fair(request.user, fair) and can_manage_fair(request.user, fair)):
        raise Http404
    currency = currency.strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise InvalidInput(
            _("The input is not valid."),
            [FieldError("currency", _("Give the currency as three letters."))],
        )
    result = fair_funnel(fair, currency=currency)
    return {
        "stages": [{"key": s.key, "label": s.label, "count": s.count} for s in result.stages],
        "orders": result.orders.orders,
        "orders_through_platform": result.orders.through_platform,
        "orders_without_value": result.orders.unpriced,
        "value": result.orders.value,
        "currency": result.orders.currency,
        "rated_meetings": result.rated_meetings,
        "average_rating": result.average_rating,
    }
