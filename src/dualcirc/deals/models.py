"""Sourcing requests, quotes, negotiations, orders, payments, rates and the audit trail.

Models hold data only; every state change goes through a function of ``deals.domain``.
Money is always a Decimal column beside an ISO 4217 currency column.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dualcirc.catalog.models import Enterprise, IndustrialBelt
from dualcirc.core.models import Organisation
from dualcirc.deals.enums import (
    ClosedReason,
    Incoterm,
    InvitationSource,
    MilestoneKind,
    OrderState,
    Party,
    PaymentKind,
    QuoteState,
    RateSource,
    RequestState,
    TransportMode,
    Visibility,
)


def _positive() -> list[Any]:
    return [MinValueValidator(Decimal(0))]


class SourcingRequest(models.Model):
    """A buyer's request for quotes (RFQ)."""

    buyer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sourcing_requests"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    need = models.TextField(_("what you need"))
    hs_code = models.CharField(_("HS code"), max_length=6, blank=True)
    quantity = models.DecimalField(
        _("quantity"), null=True, blank=True, max_digits=14, decimal_places=3
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    target_price = models.DecimalField(
        _("target unit price"), null=True, blank=True, max_digits=18, decimal_places=4
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    destination_country = models.CharField(_("destination country"), max_length=2, default="CN")
    destination_place = models.CharField(_("named place"), max_length=200, blank=True)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices, blank=True)
    certifications = models.JSONField(_("required certifications"), default=list, blank=True)
    deadline = models.DateTimeField(_("deadline for quotes"))
    max_quotes = models.PositiveSmallIntegerField(
        _("maximum number of quotes"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.MATCHED
    )
    belt = models.ForeignKey(
        IndustrialBelt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("industrial belt"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RequestState.choices, default=RequestState.OPEN
    )
    closed_reason = models.CharField(max_length=12, choices=ClosedReason.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "deadline"])]
        verbose_name = _("sourcing request")
        verbose_name_plural = _("sourcing requests")

    def __str__(self) -> str:
        return self.title


class SupplierInvitation(models.Model):
    """A supplier asked to quote, with why it was chosen (the matching reasons as labels)."""

    request = models.ForeignKey(
        SourcingRequest, on_delete=models.CASCADE, related_name="invitations"
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="deal_invitations"
    )
    source = models.CharField(max_length=10, choices=InvitationSource.choices)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)  # a ranking score, not money
    # [{"kind": "named"|"term"|"semantic"|"constraint"|"products", …}]: deals.presentation
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "enterprise"], name="one_invitation_each")
        ]
        verbose_name = _("supplier invitation")
        verbose_name_plural = _("supplier invitations")

    def __str__(self) -> str:
        return f"{self.request} → {self.enterprise}"


class Quote(models.Model):
    """A supplier's answer to a sourcing request; its terms are those of its latest offer."""

    request = models.ForeignKey(SourcingRequest, on_delete=models.CASCADE, related_name="quotes")
    supplier = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="quotes")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=QuoteState.choices, default=QuoteState.SUBMITTED
    )
    unit_price = models.DecimalField(
        _("unit price"), validators=_positive(), max_digits=18, decimal_places=4
    )
    currency = models.CharField(_("currency"), max_length=3)
    quantity = models.DecimalField(
        _("quantity"), null=True, blank=True, max_digits=14, decimal_places=3
    )
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices)
    transport_mode = models.CharField(
        _("transport mode"), max_length=16, choices=TransportMode.choices, blank=True, default=""
    )
    named_place = models.CharField(_("named place"), max_length=200)
    moq = models.DecimalField(
        _("minimum order quantity"), null=True, blank=True, max_digits=14, decimal_places=3
    )
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"))
    valid_until = models.DateField(_("valid until"))
    deposit_percent = models.DecimalField(
        _("deposit (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(30),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    sample_terms = models.TextField(_("sample terms"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "supplier"], name="one_quote_per_supplier")
        ]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self) -> str:
        return f"{self.supplier} · {self.request}"


class QuoteTier(models.Model):
    """A lower unit price from a quantity up."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="tiers")
    min_quantity = models.DecimalField(_("from quantity"), max_digits=14, decimal_places=3)
    unit_price = models.DecimalField(
        _("unit price"), validators=_positive(), max_digits=18, decimal_places=4
    )

    class Meta:
        ordering = ["min_quantity"]
        verbose_name = _("quantity tier")
        verbose_name_plural = _("quantity tiers")

    def __str__(self) -> str:
        return f"≥ {self.min_quantity}: {self.unit_price}"


def attachment_path(instance: QuoteAttachment, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"deals/quotes/{instance.quote_id}/{instance.uuid}.{ext}"


class QuoteAttachment(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="attachments")
    uuid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Negotiation(models.Model):
    """The thread between the buyer and one supplier about one quote."""

    quote = models.OneToOneField(Quote, on_delete=models.CASCADE, related_name="negotiation")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("negotiation")
        verbose_name_plural = _("negotiations")

    def __str__(self) -> str:
        return str(self.quote)


class Offer(models.Model):
    """One immutable version of the terms on the table; version 1 is the quote as submitted."""

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="offers")
    number = models.PositiveIntegerField(_("version"))
    party = models.CharField(_("offered by"), max_length=10, choices=Party.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(
        _("quantity"), null=True, blank=True, max_digits=14, decimal_places=3
    )
    unit_price = models.DecimalField(_("unit price"), max_digits=18, decimal_places=4)
    currency = models.CharField(_("currency"), max_length=3)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices)
    transport_mode = models.CharField(
        _("transport mode"), max_length=16, choices=TransportMode.choices, blank=True, default=""
    )
    named_place = models.CharField(_("named place"), max_length=200)
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"))
    deposit_percent = models.DecimalField(_("deposit (%)"), max_digits=5, decimal_places=2)
    valid_until = models.DateField(_("valid until"))
    tiers = models.JSONField(default=list, blank=True)  # [[min_quantity, unit_price], …] as text
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["negotiation", "number"], name="one_offer_per_version")
        ]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return f"{self.negotiation} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An offer is a signed statement: once written it is never rewritten.
        if self.pk is not None:
            raise ValueError("Offers are immutable; make a new version instead.")
        super().save(*args, **kwargs)


class PartyMessage(models.Model):
    """What a negotiation message and a conversation message share: who wrote it, for which
    party, and when (abstract: each keeps its own table)."""

    party = models.CharField(max_length=10, choices=Party.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:50]


class Message(PartyMessage):
    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="messages")

    class Meta(PartyMessage.Meta):
        verbose_name = _("message")
        verbose_name_plural = _("messages")


class Order(models.Model):
    """The agreed terms, frozen at acceptance, and the way of the goods from then on."""

    number = models.CharField(_("order number"), max_length=20, unique=True)
    request = models.ForeignKey(SourcingRequest, on_delete=models.PROTECT, related_name="orders")
    quote = models.OneToOneField(Quote, on_delete=models.PROTECT, related_name="order")
    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="order")
    buyer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="orders")
    supplier = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="orders")
    state = models.CharField(
        _("state"), max_length=22, choices=OrderState.choices, default=OrderState.CONFIRMED
    )
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=18, decimal_places=4)
    currency = models.CharField(_("currency"), max_length=3)
    total_amount = models.DecimalField(_("total"), max_digits=18, decimal_places=4)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices)
    named_place = models.CharField(_("named place"), max_length=200)
    destination_country = models.CharField(_("destination country"), max_length=2)
    deposit_percent = models.DecimalField(_("deposit (%)"), max_digits=5, decimal_places=2)
    terms = models.JSONField(default=dict)  # the full snapshot of the accepted offer and request
    # The total in CNY at acceptance, for the dashboards, with the rate that was used.
    value_cny = models.DecimalField(null=True, blank=True, max_digits=18, decimal_places=4)
    cny_rate = models.DecimalField(null=True, blank=True, max_digits=24, decimal_places=12)
    cny_rate_date = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return self.number

    @property
    def is_export(self) -> bool:
        return self.destination_country.upper() != "CN"


class Milestone(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=22, choices=MilestoneKind.choices)
    planned_date = models.DateField(_("planned"), null=True, blank=True)
    actual_date = models.DateField(_("actual"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "kind"], name="one_milestone_per_kind")
        ]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.order} {self.kind}"


class Payment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField(_("kind"), max_length=10, choices=PaymentKind.choices)
    amount = models.DecimalField(
        _("amount"), validators=_positive(), max_digits=18, decimal_places=4
    )
    currency = models.CharField(_("currency"), max_length=3)
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The amount in the order's currency on the day paid, with the rate and its date and source
    # (deals.money.convert); empty only when no rate was known for the payment's currency.
    amount_in_order_currency = models.DecimalField(
        _("in the order's currency"), null=True, blank=True, max_digits=18, decimal_places=4
    )
    rate = models.DecimalField(
        _("rate used"), null=True, blank=True, max_digits=24, decimal_places=12
    )
    rate_date = models.DateField(_("rate date"), null=True, blank=True)
    rate_source = models.CharField(_("rate source"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.order} {self.kind} {self.amount} {self.currency}"


class AuditEntry(models.Model):
    """Who did what to which deal object, from which state to which, and why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    party = models.CharField(max_length=10, choices=Party.choices)
    at = models.DateTimeField(auto_now_add=True)
    subject_type = models.CharField(max_length=20)  # "request", "quote", "order", "rate"
    subject_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=22, blank=True)
    to_state = models.CharField(max_length=22, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id} {self.from_state}→{self.to_state}"


class ExchangeRate(models.Model):
    """``rate`` units of ``currency`` buy one unit of ``base`` on ``date`` (ECB convention)."""

    currency = models.CharField(_("currency"), max_length=3)
    base = models.CharField(_("base currency"), max_length=3)
    rate = models.DecimalField(
        _("rate"), max_digits=24, decimal_places=10, validators=[MinValueValidator(Decimal(0))]
    )
    date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=10, choices=RateSource.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "base", "date", "source"], name="one_rate_per_day"
            )
        ]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")

    def __str__(self) -> str:
        return f"1 {self.base} = {self.rate} {self.currency} ({self.date})"


class IdempotencyKey(models.Model):
    """The first answer to an API create sent with an ``Idempotency-Key`` header."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    scope = models.CharField(max_length=50)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "scope", "key"], name="one_answer_per_key")
        ]
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class Conversation(models.Model):
    """A message thread between a buyer organisation and a supplier enterprise, opened from a
    product or a company page ("Contact supplier"). Only the two sides and the operator see
    it (deals.domain.conversations); it may turn into a sourcing request to this supplier."""

    buyer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="conversations")
    supplier = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="conversations")
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sourcing_request = models.ForeignKey(
        SourcingRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("sourcing request"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-created_at", "-id"]
        constraints = [
            # One thread per buyer, supplier and product (a company-page thread has no product).
            models.UniqueConstraint(
                fields=["buyer", "supplier", "product"], name="one_conversation_per_product"
            ),
            models.UniqueConstraint(
                fields=["buyer", "supplier"],
                condition=models.Q(product__isnull=True),
                name="one_general_conversation",
            ),
        ]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"{self.buyer} ↔ {self.supplier}"


class ConversationMessage(PartyMessage):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )

    class Meta(PartyMessage.Meta):
        verbose_name = _("conversation message")
        verbose_name_plural = _("conversation messages")
