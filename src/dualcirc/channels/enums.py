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


class BrandAction(models.TextChoices):
    EDITED = "edited", _("Brand edited")
    RENEWED = "renewed", _("Trademark renewed")
    REVOKED = "revoked", _("Brand revoked")
    LETTER_REVOKED = "letter_revoked", _("Authorisation revoked")
    LETTER_EXTENDED = "letter_extended", _("Authorisation extended")
