"""The operator looks deals up here: requests, quotes, offers, orders, rates, the audit trail.

Every deal write goes through deals.domain (permissions, version checks, audit entries,
notifications), so these pages only show: nothing is added, changed or deleted from the admin.
Rates are entered on the rates page (``/deals/rates/``), which records who entered them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dualcirc.deals.models import (
    AuditEntry,
    Conversation,
    ConversationMessage,
    ExchangeRate,
    Message,
    Milestone,
    Offer,
    Order,
    Payment,
    Quote,
    QuoteAttachment,
    QuoteTier,
    SourcingRequest,
    SupplierInvitation,
)


class ReadOnly:
    """Admin pages that show rows without offering to add, change or delete them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class InvitationInline(ReadOnly, admin.TabularInline):
    model = SupplierInvitation
    fields = ("enterprise", "source", "rank", "score", "reasons")
    extra = 0


@admin.register(SourcingRequest)
class SourcingRequestAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("title", "buyer", "state", "currency", "incoterm", "deadline", "created_at")
    list_filter = ("state", "visibility", "incoterm", "currency")
    search_fields = ("title", "need", "hs_code", "buyer__name")
    list_select_related = ("buyer",)
    date_hierarchy = "created_at"
    inlines = [InvitationInline]


class TierInline(ReadOnly, admin.TabularInline):
    model = QuoteTier
    extra = 0


class AttachmentInline(ReadOnly, admin.TabularInline):
    model = QuoteAttachment
    fields = ("name", "content_type", "size", "file", "created_at")
    extra = 0


@admin.register(Quote)
class QuoteAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("__str__", "supplier", "request", "state", "unit_price", "currency", "version")
    list_filter = ("state", "currency", "incoterm")
    search_fields = ("request__title", "supplier__name_zh", "supplier__name_en")
    list_select_related = ("supplier", "request")
    inlines = [TierInline, AttachmentInline]


@admin.register(Offer)
class OfferAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("__str__", "number", "party", "unit_price", "currency", "incoterm", "author")
    list_filter = ("party", "currency")
    search_fields = (
        "negotiation__quote__request__title",
        "negotiation__quote__supplier__name_zh",
        "negotiation__quote__supplier__name_en",
    )
    list_select_related = (
        "author",
        "negotiation__quote__supplier",
        "negotiation__quote__request",
    )


@admin.register(Message)
class MessageAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("__str__", "party", "author", "created_at")
    list_filter = ("party",)
    search_fields = ("body", "negotiation__quote__request__title")
    list_select_related = ("author",)


class MilestoneInline(ReadOnly, admin.TabularInline):
    model = Milestone
    fields = ("kind", "planned_date", "actual_date", "note")
    extra = 0


class PaymentInline(ReadOnly, admin.TabularInline):
    model = Payment
    fields = (
        "kind",
        "amount",
        "currency",
        "paid_on",
        "amount_in_order_currency",
        "rate",
        "rate_date",
        "rate_source",
        "recorded_by",
        "note",
    )
    extra = 0


@admin.register(Order)
class OrderAdmin(ReadOnly, admin.ModelAdmin):
    list_display = (
        "number",
        "buyer",
        "supplier",
        "state",
        "total_amount",
        "currency",
        "destination_country",
        "created_at",
    )
    list_filter = ("state", "currency", "incoterm", "destination_country")
    search_fields = ("number", "buyer__name", "supplier__name_zh", "supplier__name_en")
    list_select_related = ("buyer", "supplier")
    date_hierarchy = "created_at"
    inlines = [MilestoneInline, PaymentInline]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("currency", "base", "rate", "date", "source", "entered_by")
    list_filter = ("source", "currency")
    search_fields = ("currency", "base")
    list_select_related = ("entered_by",)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("at", "actor", "party", "subject_type", "subject_id", "action", "from_state")
    list_filter = ("subject_type", "party", "action")
    search_fields = ("action", "note", "actor__username", "=subject_id")
    list_select_related = ("actor",)
    date_hierarchy = "at"


class ConversationMessageInline(ReadOnly, admin.TabularInline):
    model = ConversationMessage
    fields = ("created_at", "party", "author", "body")
    readonly_fields = fields
    extra = 0


@admin.register(Conversation)
class ConversationAdmin(ReadOnly, admin.ModelAdmin):
    """The "Contact supplier" threads (deals.domain.conversations), for the operator."""

    list_display = ("buyer", "supplier", "product", "last_message_at", "sourcing_request")
    search_fields = ("buyer__name", "supplier__name_zh", "supplier__name_en")
    list_select_related = ("buyer", "supplier", "product", "sourcing_request")
    date_hierarchy = "created_at"
    inlines = [ConversationMessageInline]
