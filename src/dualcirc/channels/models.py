"""What an enterprise records to list a product on the domestic channels: the listing's own
fields (Chinese title, brand, retail price in CNY, spec matrix, channel attributes, service
promises) and its compliance evidence (CCC, SC, GB classes, filings, trademark)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dualcirc.catalog.models import Product


class DomesticListing(models.Model):
    """One per product. Written only by ``channels.domain.record_listing``.

    ``spec_matrix`` is a list of ``{"axes": {axis: value}, "price": "decimal text" | null,
    "stock": int | null}``; ``wholesale_tiers`` a list of ``{"min_qty": "decimal text",
    "price": "decimal text"}`` in ascending quantity; ``attributes`` maps a channel attribute
    name (材质) to its value. Prices are CNY (``currency``)."""

    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, related_name="domestic_listing"
    )
    title_zh = models.CharField(_("Chinese listing title"), max_length=120, blank=True)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    retail_price = models.DecimalField(
        _("domestic retail price"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(max_length=3, default="CNY", editable=False)
    spec_matrix = models.JSONField(_("specification matrix"), default=list, blank=True)
    wholesale_tiers = models.JSONField(_("wholesale price tiers"), default=list, blank=True)
    attributes = models.JSONField(_("channel attributes"), default=dict, blank=True)
    shipping_hours = models.PositiveSmallIntegerField(
        _("shipping promise (hours)"), null=True, blank=True
    )
    seven_day_return = models.BooleanField(_("seven-day no-reason return"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("domestic listing")
        verbose_name_plural = _("domestic listings")

    def __str__(self) -> str:
        return f"{self.product} (domestic listing)"


class ProductCompliance(models.Model):
    """Evidence for one requirement of ``channels/data/compliance.json`` (its key in
    ``requirement``): a certificate, licence, filing or report number, or a class/grade.
    Written only by ``channels.domain.record_compliance_evidence``."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="compliance")
    requirement = models.CharField(_("requirement"), max_length=40)
    value = models.CharField(_("number or class"), max_length=200)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["product_id", "requirement"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "requirement"], name="one_evidence_per_requirement"
            )
        ]
        verbose_name = _("compliance evidence")
        verbose_name_plural = _("compliance evidence")

    def __str__(self) -> str:
        return f"{self.product}: {self.requirement} {self.value}"
