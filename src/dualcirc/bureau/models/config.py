"""Operator-editable data: thresholds and time limits, and country groups ("new markets")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from dualcirc.catalog.validators import validate_country_codes


def _percentage(label: Any, default: str) -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(label, max_digits=5, decimal_places=2, default=Decimal(default))


class BureauSettings(models.Model):
    """The platform's one row of bureau thresholds (:func:`bureau.models.current_settings`)."""

    above_scale_revenue = models.DecimalField(
        _("above designated scale: annual revenue from (CNY)"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("20000000"),
    )
    min_group_size = models.PositiveSmallIntegerField(
        _("smallest group shown in aggregates"), default=3
    )
    export_dependence_share = _percentage(_("export-dependent from export share (%)"), "70")
    export_orders_drop = _percentage(
        _("alert when export orders fall year on year by more than (%)"), "20"
    )
    destination_share = _percentage(
        # xgettext:no-python-format
        _("alert when one destination takes more than (% of exports)"),
        "60",
    )
    falling_orders_months = models.PositiveSmallIntegerField(
        _("alert after this many months of falling orders"), default=3
    )
    report_due_day = models.PositiveSmallIntegerField(
        _("a month's report is due by this day of the next month"), default=15
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind enterprises this many days before a report is due"), default=3
    )
    jump_threshold = _percentage(_("flag a month-on-month or year-on-year change above (%)"), "50")
    respond_within_hours = models.PositiveIntegerField(
        _("support cases: respond within (working hours)"), default=24
    )
    close_within_days = models.PositiveIntegerField(
        _("support cases: close within (days)"), default=7
    )

    class Meta:
        verbose_name = _("bureau settings")
        verbose_name_plural = _("bureau settings")

    def __str__(self) -> str:
        return str(_("Bureau settings"))


class CountryGroup(models.Model):
    """A named group of destination countries, e.g. ASEAN or Belt and Road countries."""

    slug = models.SlugField(unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=100, blank=True)
    countries = models.JSONField(
        _("countries"),
        default=list,
        help_text=_("ISO 3166-1 alpha-2 codes"),
        validators=[validate_country_codes],
    )
    is_new_market = models.BooleanField(
        _("counts as a new market"),
        default=True,
        help_text=_("Exports to these countries count in the share of new markets."),
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("country group")
        verbose_name_plural = _("country groups")

    def __str__(self) -> str:
        # Every written name once (the Vietnamese one is often the English one, "ASEAN").
        names = dict.fromkeys(n for n in (self.name_zh, self.name_en, self.name_vi) if n)
        return " / ".join(names)


def current_settings() -> BureauSettings:
    """The settings row, created with the defaults on first use."""
    found, _created = BureauSettings.objects.get_or_create(pk=1)
    return found
