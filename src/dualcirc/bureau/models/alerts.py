"""At-risk alerts raised for an enterprise in a month, with their reasons."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dualcirc.bureau.enums import AlertLevel, AlertReason, AlertStatus
from dualcirc.catalog.models import Enterprise


class Alert(models.Model):
    """One reason an enterprise is at risk in ``month``; ``details`` holds the numbers behind it
    (shares, growth rates, months) so that the page can state the reason in either language."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("enterprise")
    )
    month = models.DateField(_("month"))
    reason = models.CharField(_("reason"), max_length=30, choices=AlertReason.choices)
    level = models.CharField(_("level"), max_length=10, choices=AlertLevel.choices)
    details = models.JSONField(_("details"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)

    class Meta:
        ordering = ["-month", "enterprise_id", "reason"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "month", "reason"], name="one_alert_per_reason_and_month"
            )
        ]
        indexes = [models.Index(fields=["month", "level"])]
        verbose_name = _("at-risk alert")
        verbose_name_plural = _("at-risk alerts")

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.month:%Y-%m} {self.reason}"
