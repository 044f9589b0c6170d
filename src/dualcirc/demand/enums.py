from django.db import models
from django.utils.translation import gettext_lazy as _


class SignalKind(models.TextChoices):
    SEARCH = "search", _("Search")
    SOURCING_REQUEST = "request", _("Sourcing request")
    BOOTH_VISIT = "booth_visit", _("Booth visit")
    MEETING_REQUEST = "meeting", _("Meeting request")


class GapReason(models.TextChoices):
    """Why a buyer's ask nearly matches a product but not quite."""

    MOQ = "moq", _("Minimum order above the quantity asked")
    PRICE = "price", _("Price above the ceiling asked")
    CERTIFICATION = "certification", _("Certification missing")
    MARKET = "market", _("Market not served")
