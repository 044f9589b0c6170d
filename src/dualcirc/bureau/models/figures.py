"""Monthly figures an enterprise reports, their sales lines and the revision history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dualcirc.bureau.enums import (
    DomesticChannel,
    ExportMode,
    FiguresEvent,
    FiguresSource,
    FiguresStatus,
    ReminderKind,
)
from dualcirc.catalog.models import Enterprise


class MonthlyFigures(models.Model):
    """One enterprise's report for one month. Every amount is in CNY (yuan).

    ``domestic_sales`` and ``export_sales`` are the sums of the lines below, kept here so that
    indicators aggregate one table. ``version`` grows by one with each change; every change is
    a :class:`FiguresRevision`.
    """

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="monthly_figures",
        verbose_name=_("enterprise"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    output_value = models.DecimalField(
        _("industrial output value"), null=True, max_digits=16, decimal_places=2
    )
    revenue = models.DecimalField(_("revenue"), null=True, max_digits=16, decimal_places=2)
    domestic_sales = models.DecimalField(
        _("domestic sales"), default=0, max_digits=16, decimal_places=2
    )
    export_sales = models.DecimalField(
        _("export sales"), default=0, max_digits=16, decimal_places=2
    )
    orders_domestic = models.DecimalField(
        _("domestic orders on hand"), null=True, max_digits=16, decimal_places=2
    )
    orders_export = models.DecimalField(
        _("export orders on hand"), null=True, max_digits=16, decimal_places=2
    )
    employees = models.PositiveIntegerField(_("employees"), null=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    source = models.CharField(_("source"), max_length=10, choices=FiguresSource.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("first submitted"))
    updated_at = models.DateTimeField(_("last changed"))
    # The bureau's review (domain.reporting): the last return's reason stays until the month
    # is accepted, so the enterprise sees what to correct.
    status = models.CharField(
        _("status"), max_length=12, choices=FiguresStatus.choices, default=FiguresStatus.SUBMITTED
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    # Month-on-month / year-on-year jumps past BureauSettings.jump_threshold found when the
    # values were last changed: [{"field", "basis" ("mom"|"yoy"), "before", "after", "change"}].
    jumps = models.JSONField(_("jumps"), default=list, blank=True)
    jumps_confirmed = models.BooleanField(_("jumps confirmed by the enterprise"), default=False)
    jump_explanation = models.TextField(_("explanation of the jumps"), blank=True)

    class Meta:
        ordering = ["enterprise_id", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month"], name="one_report_per_month")
        ]
        indexes = [models.Index(fields=["month", "enterprise"])]
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.month:%Y-%m}"


class DomesticSalesLine(models.Model):
    figures = models.ForeignKey(MonthlyFigures, on_delete=models.CASCADE, related_name="domestic")
    channel = models.CharField(_("channel"), max_length=20, choices=DomesticChannel.choices)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["figures", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["figures", "channel"], name="one_line_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.amount}"


class ExportSalesLine(models.Model):
    """Export sales to one country by one mode. ``enterprise`` and ``month`` repeat the parent's
    so that destination totals aggregate this table alone."""

    figures = models.ForeignKey(MonthlyFigures, on_delete=models.CASCADE, related_name="exports")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    country = models.CharField(_("destination country"), max_length=2)
    mode = models.CharField(_("mode"), max_length=30, choices=ExportMode.choices)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["figures", "country", "mode"]
        constraints = [
            models.UniqueConstraint(
                fields=["figures", "country", "mode"], name="one_line_per_destination_mode"
            )
        ]
        indexes = [models.Index(fields=["month", "enterprise"])]

    def __str__(self) -> str:
        return f"{self.country} {self.mode} {self.amount}"


class FiguresRevision(models.Model):
    """A change to a month's figures: who, when, from where, why, and each value before/after.
    Steps of the bureau's review (returned, accepted) are revisions too, with ``event`` saying
    which and ``changes`` holding ``status`` before/after.

    ``changes`` maps a key (``revenue``, ``domestic.tmall``, ``export.US.general_trade``) to
    ``[old, new]`` as text (``null`` where there was or is no value).
    """

    figures = models.ForeignKey(MonthlyFigures, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"))
    source = models.CharField(_("source"), max_length=10, choices=FiguresSource.choices)
    event = models.CharField(
        _("event"), max_length=12, choices=FiguresEvent.choices, default=FiguresEvent.SUBMITTED
    )
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        ordering = ["figures", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["figures", "version"], name="one_revision_per_version")
        ]
        verbose_name = _("figures revision")
        verbose_name_plural = _("figures revisions")

    def __str__(self) -> str:
        return f"{self.figures_id} v{self.version}"


class ReportingReminder(models.Model):
    """A reminder sent to an enterprise about one month's report; one per enterprise, month and
    kind, so that the daily run never repeats one (``domain.reporting.send_reminders``)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-month", "enterprise_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "month", "kind"], name="one_reminder_per_kind"
            )
        ]
        verbose_name = _("reporting reminder")
        verbose_name_plural = _("reporting reminders")

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.month:%Y-%m} {self.kind}"
