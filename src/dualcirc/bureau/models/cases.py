"""Work-team support as a closed loop: contact log, support cases, routing rules, policies."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dualcirc.bureau.enums import (
    AlertLevel,
    CaseSource,
    CaseStatus,
    ContactKind,
    DeliveryState,
    NeedType,
    PolicyMode,
)
from dualcirc.bureau.models.alerts import Alert
from dualcirc.catalog.models import Enterprise
from dualcirc.catalog.validators import validate_currency, validate_string_list
from dualcirc.core.models import Region


class ContactLogEntry(models.Model):
    """A visit, call or meeting with an enterprise, shared by every department."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="contact_log")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    happened_on = models.DateField(_("date"))
    department = models.CharField(_("department"), max_length=100)
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    case = models.ForeignKey(
        "SupportCase", on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log")

    def __str__(self) -> str:
        return f"{self.happened_on} {self.kind} {self.department}"


class RoutingRule(models.Model):
    """Which team and departments receive a need of this type at this level."""

    need_type = models.CharField(_("need"), max_length=20, choices=NeedType.choices)
    level = models.CharField(
        _("level"),
        max_length=10,
        choices=AlertLevel.choices,
        blank=True,
        help_text=_("Empty: any level."),
    )
    team = models.CharField(_("work team"), max_length=100)
    departments = models.JSONField(
        _("departments"), default=list, validators=[validate_string_list]
    )

    class Meta:
        ordering = ["need_type", "level"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return f"{self.need_type}/{self.level or '*'} → {self.team}"


class SupportCase(models.Model):
    """A need of one enterprise, from receipt to closure and the enterprise's rating."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="support_cases",
        verbose_name=_("enterprise"),
    )
    need_type = models.CharField(_("need"), max_length=20, choices=NeedType.choices)
    source = models.CharField(_("source"), max_length=10, choices=CaseSource.choices)
    level = models.CharField(
        _("level"), max_length=10, choices=AlertLevel.choices, default=AlertLevel.BLUE
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    team = models.CharField(_("work team"), max_length=100, blank=True)
    departments = models.JSONField(
        _("departments"), default=list, blank=True, validators=[validate_string_list]
    )
    alert = models.OneToOneField(
        Alert, on_delete=models.SET_NULL, null=True, blank=True, related_name="case"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received"))
    respond_due = models.DateTimeField(_("respond by"))
    close_due = models.DateTimeField(_("close by"))
    responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(_("comment on the outcome"), blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "received_at"])]
        verbose_name = _("support case")
        verbose_name_plural = _("support cases")

    def __str__(self) -> str:
        return self.title


class CaseEvent(models.Model):
    """A step of a case: a move between states, or a note. The case's history."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=10, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=CaseStatus.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.from_status}→{self.to_status}"


class SupportPolicy(models.Model):
    """A support policy with its eligibility; empty criteria mean "any".

    The rule reads the profile (industries, employees, export share, region) and the monthly
    figures (revenue and exports over the last 12 months); ``needs_data`` names anything else
    it needs (``PolicyData``), which the platform may not hold (``enums.PLATFORM_DATA``).
    """

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    url = models.URLField(_("link"), blank=True)
    industries = models.JSONField(
        _("industries"), default=list, blank=True, validators=[validate_string_list]
    )
    min_employees = models.PositiveIntegerField(_("from employees"), null=True, blank=True)
    max_employees = models.PositiveIntegerField(_("up to employees"), null=True, blank=True)
    min_export_share = models.DecimalField(
        _("from export share (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    max_export_share = models.DecimalField(
        _("up to export share (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    min_revenue = models.DecimalField(
        _("from revenue over the last 12 months (yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    min_exports = models.DecimalField(
        _("from exports over the last 12 months (yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    needs_data = models.JSONField(
        _("the rule also needs"),
        default=list,
        blank=True,
        validators=[validate_string_list],
        help_text=_("Data the rule needs besides the criteria above."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Applies in this region and below; empty: everywhere."),
    )
    mode = models.CharField(
        _("how it is received"), max_length=10, choices=PolicyMode.choices,
        default=PolicyMode.CONFIRM,
    )  # fmt: skip
    amount = models.DecimalField(
        _("amount per enterprise"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="CNY", validators=[validate_currency]
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("support policy")
        verbose_name_plural = _("support policies")

    def __str__(self) -> str:
        return self.title


class PolicyDelivery(models.Model):
    """A policy reaching one enterprise: eligible → notified → (confirmed →) paid.

    One per policy and enterprise (matching never notifies twice). The state changes only in
    ``bureau.domain.policies``; each change is a :class:`PolicyDeliveryEvent`.
    """

    policy = models.ForeignKey(
        SupportPolicy, on_delete=models.CASCADE, related_name="deliveries",
        verbose_name=_("support policy"),
    )  # fmt: skip
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="policy_deliveries",
        verbose_name=_("enterprise"),
    )  # fmt: skip
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.ELIGIBLE
    )
    # What the enterprise gets, as the policy said when it qualified.
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="CNY", validators=[validate_currency]
    )
    eligible_at = models.DateTimeField(_("eligible since"))
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    paid_amount = models.DecimalField(
        _("amount paid"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-eligible_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "enterprise"], name="one_delivery_per_policy_and_enterprise"
            )
        ]
        verbose_name = _("policy delivery")
        verbose_name_plural = _("policy deliveries")

    def __str__(self) -> str:
        return f"{self.policy} → {self.enterprise}"


class PolicyDeliveryEvent(models.Model):
    """A step of a delivery (the audit trail): who moved it from which state to which."""

    delivery = models.ForeignKey(PolicyDelivery, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_state = models.CharField(max_length=10, choices=DeliveryState.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=DeliveryState.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["delivery", "at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.from_state}→{self.to_state}"


class PolicyMatchingMonth(models.Model):
    """A month whose end the periodic policy matching has handled: the enterprises that sent
    its figures before it ended were matched again once it counted in the rules' 12-month
    window (``domain.policies.match_policies_of_ended_months``). One row per month, so that
    each month is handled once however often the job runs."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    matched_at = models.DateTimeField(_("matched at"))
    enterprises = models.PositiveIntegerField(_("enterprises matched"), default=0)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("policy matching of a month")
        verbose_name_plural = _("policy matching of months")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
