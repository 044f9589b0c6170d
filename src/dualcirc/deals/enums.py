"""Enumerations of the deals app: Incoterms 2020, visibilities and the states of each machine."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Incoterm(models.TextChoices):
    """The eleven rules of Incoterms® 2020 (ICC). Four suit sea and inland waterway only."""

    EXW = "EXW", _("EXW – Ex Works")
    FCA = "FCA", _("FCA – Free Carrier")
    CPT = "CPT", _("CPT – Carriage Paid To")
    CIP = "CIP", _("CIP – Carriage and Insurance Paid To")
    DAP = "DAP", _("DAP – Delivered at Place")
    DPU = "DPU", _("DPU – Delivered at Place Unloaded")
    DDP = "DDP", _("DDP – Delivered Duty Paid")
    FAS = "FAS", _("FAS – Free Alongside Ship (sea only)")
    FOB = "FOB", _("FOB – Free on Board (sea only)")
    CFR = "CFR", _("CFR – Cost and Freight (sea only)")
    CIF = "CIF", _("CIF – Cost, Insurance and Freight (sea only)")

    @property
    def sea_only(self) -> bool:
        return self.value in SEA_ONLY_INCOTERMS


SEA_ONLY_INCOTERMS = frozenset({"FAS", "FOB", "CFR", "CIF"})


class TransportMode(models.TextChoices):
    """How the goods travel under the quoted terms. The sea-only Incoterms (FAS, FOB, CFR, CIF)
    need sea or inland waterway; blank means not stated (docs/deals.md, "Transport mode")."""

    SEA = "sea", _("Sea")
    INLAND_WATERWAY = "inland_waterway", _("Inland waterway")
    ROAD = "road", _("Road")
    RAIL = "rail", _("Rail")
    AIR = "air", _("Air")
    MULTIMODAL = "multimodal", _("Multimodal (container by several modes)")


WATER_MODES = frozenset({TransportMode.SEA.value, TransportMode.INLAND_WATERWAY.value})


class Visibility(models.TextChoices):
    MATCHED = "matched", _("Best-matching suppliers (and those I invite)")
    INVITED = "invited", _("Only the suppliers I invite")
    PUBLIC = "public", _("Every supplier of the belt")


class RequestState(models.TextChoices):
    OPEN = "open", _("Open for quotes")
    CLOSED = "closed", _("Closed")
    AWARDED = "awarded", _("Awarded")
    CANCELLED = "cancelled", _("Cancelled")


class ClosedReason(models.TextChoices):
    DEADLINE = "deadline", _("The deadline passed")
    QUOTE_LIMIT = "quote_limit", _("The quote limit was reached")
    BUYER = "buyer", _("Closed by the buyer")
    AWARDED = "awarded", _("An offer was accepted")


class InvitationSource(models.TextChoices):
    MATCHED = "matched", _("Matched")
    MANUAL = "manual", _("Invited by the buyer")


class QuoteState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    NEGOTIATING = "negotiating", _("Negotiating")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not chosen")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OrderState(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    IN_PRODUCTION = "in_production", _("In production")
    READY_FOR_INSPECTION = "ready_for_inspection", _("Ready for inspection")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    DISPUTED = "disputed", _("In dispute")


class Party(models.TextChoices):
    """The side a person acts for in a deal."""

    BUYER = "buyer", _("Buyer")
    SUPPLIER = "supplier", _("Supplier")
    OPERATOR = "operator", _("Platform operator")
    SYSTEM = "system", _("dualcirc")


class MilestoneKind(models.TextChoices):
    """One per step of an order's way; reached when the order enters the state of that name."""

    IN_PRODUCTION = "in_production", _("Production started")
    READY_FOR_INSPECTION = "ready_for_inspection", _("Ready for inspection")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")


class PaymentKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    BALANCE = "balance", _("Balance")


class RateSource(models.TextChoices):
    ECB = "ecb", _("European Central Bank reference rate")
    OPERATOR = "operator", _("Entered by the platform operator")
