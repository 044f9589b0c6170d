"""Choices of the own-brand records."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrademarkStatus(models.TextChoices):
    APPLIED = "applied", _("Applied for (TM)")
    REGISTERED = "registered", _("Registered (®)")
    REVOKED = "revoked", _("Revoked or cancelled")


class Branding(models.TextChoices):
    OEM = "oem", _("OEM for a customer")
    OWN_BRAND = "own_brand", _("Own brand")
    AUTHORISED = "authorised", _("Authorised brand")
