from django.db import models
from django.utils.translation import gettext_lazy as _

from dualcirc.core.enums import OrganisationKind


class RegistrationKind(models.TextChoices):
    EXHIBITOR = "exhibitor", _("Exhibitor")
    VISITOR = "visitor", _("Visitor")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SessionKind(models.TextChoices):
    ROADSHOW = "roadshow", _("Roadshow")
    LIVE = "live", _("Live stream")


class Wish(models.TextChoices):
    """One participant's wish about meeting another (the scheduler's Preference)."""

    MUST = "must", _("Must meet")
    WOULD = "would", _("Would like to meet")
    NO = "no", _("Do not want to meet")


class RoomKind(models.TextChoices):
    TABLE = "table", _("Tables on site")
    VIDEO = "video", _("Video room")


class MeetingStatus(models.TextChoices):
    """scheduled (a proposal from the latest run, replaced by the next) → confirmed (published
    to both sides, kept by every later run) → cancelled (by either side; frees the slot)."""

    SCHEDULED = "scheduled", _("Scheduled (not yet published)")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


SLOT_MINUTES = (15, 20, 30)

ORGANISER_KINDS = (OrganisationKind.GOVERNMENT, OrganisationKind.OPERATOR)
"""The kinds of organisation that may run a fair (a bureau, a park, the operator)."""


class MeetingResult(models.TextChoices):
    """What followed a 1:1 meeting, in the order a deal goes (each side says it after the
    meeting, and again at the 1- and 3-month prompts)."""

    NO_INTEREST = "no_interest", _("No interest")
    SAMPLES = "samples", _("Samples requested")
    NEGOTIATING = "negotiating", _("Negotiating")
    ORDER_PLACED = "order_placed", _("Order placed")


class PromptStage(models.TextChoices):
    """When each side is asked what came of a meeting (fair.domain.send_outcome_prompts)."""

    HELD = "held", _("Right after the meeting")
    ONE_MONTH = "one_month", _("One month later")
    THREE_MONTHS = "three_months", _("Three months later")
