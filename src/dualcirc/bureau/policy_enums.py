"""Enumerations of support policies and their delivery to enterprises (kept apart from
``bureau.enums`` so that each area's constants change in one place).

A policy's rule names the data it needs (:class:`PolicyData`); the platform holds only
:data:`PLATFORM_DATA`, so a rule that needs anything else cannot be matched here and its page
says which data is missing.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyMode(models.TextChoices):
    """How an enterprise receives a policy: 免申即享 (granted without applying) or after it
    confirms (a declaration, an account to pay into)."""

    AUTOMATIC = "automatic", _("No application needed")
    CONFIRM = "confirm", _("Confirmation required")


class PolicyData(models.TextChoices):
    """Data a policy's rule may need, whether or not the platform holds it."""

    INDUSTRIES = "industries", _("Industry")
    EMPLOYEES = "employees", _("Employees")
    EXPORT_SHARE = "export_share", _("Export share")
    REGION = "region", _("Region")
    REVENUE_12M = "revenue_12m", _("Revenue over the last 12 months")
    EXPORTS_12M = "exports_12m", _("Exports over the last 12 months")
    RD_SPENDING = "rd_spending", _("R&D spending")
    TAX_PAID = "tax_paid", _("Tax paid")
    HIGH_TECH = "high_tech", _("High-tech enterprise certificate")
    PATENTS = "patents", _("Patents")
    INSURED_STAFF = "insured_staff", _("Staff with social insurance")


# What the platform knows of every enterprise: its profile and its monthly figures.
PLATFORM_DATA = frozenset(
    {
        PolicyData.INDUSTRIES,
        PolicyData.EMPLOYEES,
        PolicyData.EXPORT_SHARE,
        PolicyData.REGION,
        PolicyData.REVENUE_12M,
        PolicyData.EXPORTS_12M,
    }
)


class DeliveryState(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    NOTIFIED = "notified", _("Notified")
    CONFIRMED = "confirmed", _("Confirmed")
    PAID = "paid", _("Paid")


# The one table of allowed moves of a policy delivery (bureau.domain.policies._move). Whether
# a move needs the enterprise's confirmation first depends on the policy's mode (the domain).
DELIVERY_TRANSITIONS: dict[str, tuple[str, ...]] = {
    DeliveryState.ELIGIBLE: (DeliveryState.NOTIFIED, DeliveryState.CONFIRMED, DeliveryState.PAID),
    DeliveryState.NOTIFIED: (DeliveryState.CONFIRMED, DeliveryState.PAID),
    DeliveryState.CONFIRMED: (DeliveryState.PAID,),
    DeliveryState.PAID: (),
}
