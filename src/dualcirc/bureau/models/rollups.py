"""Pre-aggregated sales lines: what indicators read instead of one line per month."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dualcirc.bureau.enums import SalesKind
from dualcirc.catalog.models import Enterprise


def _month(number: int) -> models.DecimalField:
    """Sales in month ``number`` of the year (derived data, never shown as a field)."""
    return models.DecimalField(max_digits=16, decimal_places=2, default=0)


class YearlySales(models.Model):
    """One enterprise's sales on one domestic channel, or to one destination by one export
    mode, in one calendar year, month by month (``m1`` … ``m12``, CNY; 0 where nothing was
    sold or reported).

    Derived data: written only by ``bureau.domain.rollups.rebuild_yearly_sales`` from the
    sales lines (``submit_figures`` calls it for the month's year), never edited. Indicators
    of a period read one row per enterprise, market and year instead of one per month.
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=SalesKind.choices)
    market = models.CharField(max_length=20, help_text=_("The channel, or the country code."))
    mode = models.CharField(max_length=30, blank=True, help_text=_("Exports only."))
    m1 = _month(1)
    m2 = _month(2)
    m3 = _month(3)
    m4 = _month(4)
    m5 = _month(5)
    m6 = _month(6)
    m7 = _month(7)
    m8 = _month(8)
    m9 = _month(9)
    m10 = _month(10)
    m11 = _month(11)
    m12 = _month(12)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "kind", "market", "mode"], name="one_yearly_sales_row"
            )
        ]
        indexes = [models.Index(fields=["year", "kind", "enterprise"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} {self.kind} {self.market} {self.mode}"


def _reported(number: int) -> models.DecimalField:
    """One month's value; NULL where the month (or this value) was not reported."""
    return models.DecimalField(max_digits=16, decimal_places=2, null=True)


class YearlyFigures(models.Model):
    """One enterprise's monthly figure (``metric``: output value, revenue, domestic or export
    sales) in one calendar year, month by month (``m1`` … ``m12``; NULL: not reported).

    Derived data, like YearlySales: written only by ``bureau.domain.rollups`` from
    MonthlyFigures. The summary query of the indicators reads 4 rows per enterprise and year
    instead of 12 monthly rows per period.
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    metric = models.CharField(max_length=20)
    m1 = _reported(1)
    m2 = _reported(2)
    m3 = _reported(3)
    m4 = _reported(4)
    m5 = _reported(5)
    m6 = _reported(6)
    m7 = _reported(7)
    m8 = _reported(8)
    m9 = _reported(9)
    m10 = _reported(10)
    m11 = _reported(11)
    m12 = _reported(12)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "metric"], name="one_yearly_figures_row"
            )
        ]
        indexes = [models.Index(fields=["year", "enterprise"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} {self.metric}"
