"""Shapes of the deals API (docs/deals.md). Money leaves as decimal strings with its currency."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from dualcirc.catalog.schemas import DecimalString


class TierIn(Schema):
    min_quantity: Decimal
    unit_price: Decimal


class RequestIn(Schema):
    title: str
    need: str
    hs_code: str = ""
    quantity: Decimal | None = None
    unit: str = ""
    target_price: Decimal | None = None
    currency: str = "CNY"
    destination_country: str = "CN"
    destination_place: str = ""
    incoterm: str = ""
    certifications: list[str] = []
    deadline: datetime
    max_quotes: int = 10
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
    quantity: DecimalString | None
    unit: str
    target_price: DecimalString | None
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


class QuoteIn(Schema):
    unit_price: Decimal
    currency: str
    quantity: Decimal | None = None
    incoterm: str
    named_place: str
    moq: Decimal | None = None
    lead_time_days: int
    valid_until: date
    deposit_percent: Decimal = Decimal(30)
    sample_terms: str = ""
    notes: str = ""
    tiers: list[TierIn] = []
    enterprise: int | None = Field(default=None, description="When you belong to several.")


class QuoteReviseIn(Schema):
    version: int = Field(description="The version you edited; a newer one answers 409.")
    unit_price: Decimal | None = None
    currency: str | None = None
    quantity: Decimal | None = None
    incoterm: str | None = None
    named_place: str | None = None
    moq: Decimal | None = None
    lead_time_days: int | None = None
    valid_until: date | None = None
    deposit_percent: Decimal | None = None
    sample_terms: str | None = None
    notes: str | None = None
    tiers: list[TierIn] | None = None


class TierOut(Schema):
    min_quantity: DecimalString
    unit_price: DecimalString


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
    unit_price: DecimalString
    currency: str
    quantity: DecimalString | None
    incoterm: str
    named_place: str
    moq: DecimalString | None
    lead_time_days: int
    valid_until: date
    deposit_percent: DecimalString
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
    quantity: DecimalString | None
    unit_price: DecimalString
    currency: str
    incoterm: str
    named_place: str
    lead_time_days: int
    deposit_percent: DecimalString
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


class CounterIn(Schema):
    expected_offer: int = Field(description="The latest version you answer; newer → 409.")
    unit_price: Decimal | None = None
    currency: str | None = None
    quantity: Decimal | None = None
    incoterm: str | None = None
    named_place: str | None = None
    lead_time_days: int | None = None
    deposit_percent: Decimal | None = None
    valid_until: date | None = None
    tiers: list[TierIn] | None = None
    note: str = ""


class MessageIn(Schema):
    body: str


class AcceptIn(Schema):
    offer_number: int = Field(description="The version you accept; a newer one answers 409.")
    note: str = ""


class StateIn(Schema):
    to_state: str
    note: str = ""
    version: int | None = Field(default=None, description="The version you saw; stale → 409.")


class MilestoneOut(Schema):
    kind: str
    planned_date: date | None
    actual_date: date | None
    note: str


class PaymentOut(Schema):
    kind: str
    amount: DecimalString
    currency: str
    paid_on: date
    note: str
    amount_in_order_currency: DecimalString | None = Field(
        description="The amount in the order's currency at the rate of the day paid."
    )
    rate: DecimalString | None = Field(description="Units of the order's currency per one unit.")
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
    quantity: DecimalString
    unit: str
    unit_price: DecimalString
    currency: str
    total_amount: DecimalString
    incoterm: str
    named_place: str
    destination_country: str
    deposit_percent: DecimalString
    value_cny: DecimalString | None
    cny_rate: DecimalString | None
    cny_rate_date: date | None
    version: int
    created_at: datetime


class OrderDetailOut(OrderOut):
    terms: dict[str, Any]
    milestones: list[MilestoneOut]
    payments: list[PaymentOut]
    audit: list[AuditOut]


class MilestoneIn(Schema):
    kind: str
    planned_date: date | None = None
    note: str | None = None


class PaymentIn(Schema):
    kind: str
    amount: Decimal
    currency: str
    paid_on: date
    note: str = ""


class RateIn(Schema):
    currency: str
    base: str = "CNY"
    rate: Decimal
    date: date


class RateOut(Schema):
    currency: str
    base: str
    rate: DecimalString
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


class ReadIn(Schema):
    ids: list[int] | None = None
