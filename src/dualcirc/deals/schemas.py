"""Shapes of the deals API (docs/deals.md). Money leaves as decimal strings with its currency."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict

from dualcirc.catalog.schemas import DecimalString
from dualcirc.core.sanitize import column_limits, column_scale, text_limit
from dualcirc.deals.models import (
    ExchangeRate,
    Offer,
    Order,
    Payment,
    Quote,
    QuoteTier,
    SourcingRequest,
)

# Numbers are bounded by the column they go to (core.sanitize): 1e30 is a field error (422).
RequestQuantity = Annotated[Decimal, column_limits(SourcingRequest, "quantity")]
RequestPrice = Annotated[Decimal, column_limits(SourcingRequest, "target_price")]
MaxQuotes = Annotated[int, column_limits(SourcingRequest, "max_quotes")]
QuotePrice = Annotated[Decimal, column_limits(Quote, "unit_price")]
QuoteQuantity = Annotated[Decimal, column_limits(Quote, "quantity")]
QuoteMoq = Annotated[Decimal, column_limits(Quote, "moq")]
DepositPercent = Annotated[Decimal, column_limits(Quote, "deposit_percent")]
LeadTimeDays = Annotated[int, column_limits(Quote, "lead_time_days")]
Version = Annotated[int, column_limits(Quote, "version")]
TierQuantity = Annotated[Decimal, column_limits(QuoteTier, "min_quantity")]
TierPrice = Annotated[Decimal, column_limits(QuoteTier, "unit_price")]
OfferQuantity = Annotated[Decimal, column_limits(Offer, "quantity")]
OfferPrice = Annotated[Decimal, column_limits(Offer, "unit_price")]
PaymentAmount = Annotated[Decimal, column_limits(Payment, "amount")]
Rate = Annotated[Decimal, column_limits(ExchangeRate, "rate")]
Text = Annotated[str, text_limit("description")]
TransportModeIn = Annotated[
    str,
    Field(
        max_length=16,
        description="sea, inland_waterway, road, rail, air, multimodal or empty (not stated). "
        "FAS, FOB, CFR and CIF need sea or inland_waterway (empty = sea); another mode → 422.",
    ),
]
Note = Annotated[str, text_limit("reason")]
MessageBody = Annotated[str, text_limit("message")]
ListItem = Annotated[str, text_limit("list_item")]


class _Input(Schema):
    """Request bodies refuse fields they do not know, like the catalog's."""

    model_config = ConfigDict(extra="forbid")


class TierIn(_Input):
    min_quantity: TierQuantity
    unit_price: TierPrice


class RequestIn(_Input):
    title: str
    need: Text
    hs_code: str = ""
    quantity: RequestQuantity | None = None
    unit: str = ""
    target_price: RequestPrice | None = None
    currency: str = "CNY"
    destination_country: str = "CN"
    destination_place: str = ""
    incoterm: str = ""
    certifications: list[ListItem] = []
    deadline: datetime
    max_quotes: MaxQuotes = 10
    visibility: str = "matched"
    invite: list[int] = Field(default=[], description="Enterprise ids to invite by hand.")


class InvitationOut(Schema):
    enterprise_id: int
    enterprise: str
    source: str
    rank: int | None
    reasons: list[dict[str, Any]]


class RequestOut(Schema):
    id: int
    title: str
    need: str
    hs_code: str
    quantity: Annotated[DecimalString, column_scale(SourcingRequest, "quantity")] | None
    unit: str
    target_price: Annotated[DecimalString, column_scale(SourcingRequest, "target_price")] | None
    currency: str
    destination_country: str
    destination_place: str
    incoterm: str
    certifications: list[str]
    deadline: datetime
    max_quotes: int
    visibility: str
    state: str
    closed_reason: str
    version: int
    created_at: datetime


class RequestDetailOut(RequestOut):
    invitations: list[InvitationOut] = []


class QuoteIn(_Input):
    unit_price: QuotePrice
    currency: str
    quantity: QuoteQuantity | None = None
    incoterm: str
    transport_mode: TransportModeIn = ""
    named_place: str
    moq: QuoteMoq | None = None
    lead_time_days: LeadTimeDays
    valid_until: date
    deposit_percent: DepositPercent = Decimal(30)
    sample_terms: Text = ""
    notes: Text = ""
    tiers: list[TierIn] = []
    enterprise: int | None = Field(default=None, description="When you belong to several.")


class QuoteReviseIn(_Input):
    version: Version = Field(description="The version you edited; a newer one answers 409.")
    unit_price: QuotePrice | None = None
    currency: str | None = None
    quantity: QuoteQuantity | None = None
    incoterm: str | None = None
    transport_mode: TransportModeIn | None = None
    named_place: str | None = None
    moq: QuoteMoq | None = None
    lead_time_days: LeadTimeDays | None = None
    valid_until: date | None = None
    deposit_percent: DepositPercent | None = None
    sample_terms: Text | None = None
    notes: Text | None = None
    tiers: list[TierIn] | None = None


class TierOut(Schema):
    min_quantity: Annotated[DecimalString, column_scale(QuoteTier, "min_quantity")]
    unit_price: Annotated[DecimalString, column_scale(QuoteTier, "unit_price")]


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class QuoteOut(Schema):
    id: int
    request_id: int
    supplier_id: int
    supplier: str
    state: str
    unit_price: Annotated[DecimalString, column_scale(Quote, "unit_price")]
    currency: str
    quantity: Annotated[DecimalString, column_scale(Quote, "quantity")] | None
    incoterm: str
    transport_mode: str
    named_place: str
    moq: Annotated[DecimalString, column_scale(Quote, "moq")] | None
    lead_time_days: int
    valid_until: date
    deposit_percent: Annotated[DecimalString, column_scale(Quote, "deposit_percent")]
    sample_terms: str
    notes: str
    tiers: list[TierOut]
    attachments: list[AttachmentOut] = []
    version: int
    created_at: datetime


class ConversionOut(Schema):
    amount: DecimalString
    currency: str
    converted: DecimalString
    target: str
    rate: DecimalString
    rate_date: date
    source: str


class ComparedOut(Schema):
    quote: QuoteOut
    offer_number: int
    unit_price: ConversionOut | None
    total: ConversionOut | None
    error: str


class ChangeOut(Schema):
    field: str
    before: str | None
    after: str | None


class OfferOut(Schema):
    number: int
    party: str
    author: str
    quantity: Annotated[DecimalString, column_scale(Offer, "quantity")] | None
    unit_price: Annotated[DecimalString, column_scale(Offer, "unit_price")]
    currency: str
    incoterm: str
    transport_mode: str
    named_place: str
    lead_time_days: int
    deposit_percent: Annotated[DecimalString, column_scale(Offer, "deposit_percent")]
    valid_until: date
    tiers: list[list[str]]
    note: str
    created_at: datetime
    changes: list[ChangeOut]


class MessageOut(Schema):
    party: str
    author: str
    body: str
    created_at: datetime


class NegotiationOut(Schema):
    quote: QuoteOut
    offers: list[OfferOut]
    messages: list[MessageOut]


class CounterIn(_Input):
    expected_offer: Version = Field(description="The latest version you answer; newer → 409.")
    unit_price: OfferPrice | None = None
    currency: str | None = None
    quantity: OfferQuantity | None = None
    incoterm: str | None = None
    transport_mode: TransportModeIn | None = None
    named_place: str | None = None
    lead_time_days: LeadTimeDays | None = None
    deposit_percent: DepositPercent | None = None
    valid_until: date | None = None
    tiers: list[TierIn] | None = None
    note: Note = ""


class MessageIn(_Input):
    body: MessageBody


class AcceptIn(_Input):
    offer_number: Version = Field(description="The version you accept; a newer one answers 409.")
    note: Note = ""


class StateIn(_Input):
    to_state: str
    note: Note = ""
    version: Version | None = Field(default=None, description="The version you saw; stale → 409.")


class MilestoneOut(Schema):
    kind: str
    planned_date: date | None
    actual_date: date | None
    note: str


class PaymentOut(Schema):
    kind: str
    amount: Annotated[DecimalString, column_scale(Payment, "amount")]
    currency: str
    paid_on: date
    note: str
    amount_in_order_currency: (
        Annotated[DecimalString, column_scale(Payment, "amount_in_order_currency")] | None
    ) = Field(description="The amount in the order's currency at the rate of the day paid.")
    rate: Annotated[DecimalString, column_scale(Payment, "rate")] | None = Field(
        description="Units of the order's currency per one unit."
    )
    rate_date: date | None
    rate_source: str


class AuditOut(Schema):
    at: datetime
    actor: str | None
    party: str
    action: str
    from_state: str
    to_state: str
    note: str


class OrderOut(Schema):
    id: int
    number: str
    request_id: int
    quote_id: int
    buyer: str
    supplier: str
    state: str
    quantity: Annotated[DecimalString, column_scale(Order, "quantity")]
    unit: str
    unit_price: Annotated[DecimalString, column_scale(Order, "unit_price")]
    currency: str
    total_amount: Annotated[DecimalString, column_scale(Order, "total_amount")]
    incoterm: str
    named_place: str
    destination_country: str
    deposit_percent: Annotated[DecimalString, column_scale(Order, "deposit_percent")]
    value_cny: Annotated[DecimalString, column_scale(Order, "value_cny")] | None
    cny_rate: Annotated[DecimalString, column_scale(Order, "cny_rate")] | None
    cny_rate_date: date | None
    version: int
    created_at: datetime


class OrderDetailOut(OrderOut):
    terms: dict[str, Any]
    milestones: list[MilestoneOut]
    payments: list[PaymentOut]
    audit: list[AuditOut]


class MilestoneIn(_Input):
    kind: str
    planned_date: date | None = None
    note: Note | None = None


class PaymentIn(_Input):
    kind: str
    amount: PaymentAmount
    currency: str
    paid_on: date
    note: str = ""


class RateIn(_Input):
    currency: str
    base: str = "CNY"
    rate: Rate
    date: date


class RateOut(Schema):
    currency: str
    base: str
    rate: Annotated[DecimalString, column_scale(ExchangeRate, "rate")]
    date: date
    source: str


class FunnelOut(Schema):
    requests: int
    invitations: int
    quotes: int
    orders: int
    median_response_hours: DecimalString | None
    win_rate: DecimalString | None
    value_by_currency: dict[str, DecimalString]
    value_cny_by_destination: dict[str, DecimalString]
    orders_by_destination: dict[str, int]


class NotificationOut(Schema):
    id: int
    verb: str
    text: str
    url: str
    created_at: datetime
    read: bool


class ReadIn(_Input):
    ids: list[int] | None = None
