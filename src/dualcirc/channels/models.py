"""What an enterprise records to list a product on the domestic channels: the listing's own
fields (Chinese title, brand, retail price in CNY, spec matrix, channel attributes, service
promises) and its compliance evidence (CCC, SC, GB classes, filings, trademark)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dualcirc.catalog.models import Product
from dualcirc.channels.enums import BrandAction, Branding, TrademarkStatus


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


# --- Own brands: trademarks, authorisation letters, a product's OEM / own-brand state ---------


class Brand(models.Model):
    """A brand an enterprise owns, with its CNIPA trademark registration. Written only by
    ``channels.domain_brands.save_brand``."""

    enterprise = models.ForeignKey(
        "catalog.Enterprise", on_delete=models.CASCADE, related_name="brands"
    )
    name = models.CharField(_("brand name"), max_length=100)
    trademark_number = models.CharField(_("trademark registration number"), max_length=8)
    nice_classes = models.JSONField(_("Nice classes"), default=list)
    owner = models.CharField(_("trademark owner (registrant)"), max_length=200)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TrademarkStatus.choices, default=TrademarkStatus.APPLIED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name"], name="one_brand_name_each")
        ]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")

    def __str__(self) -> str:
        return self.name


def authorisation_document_path(instance: BrandAuthorisation, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"brands/{instance.brand.enterprise_id}/{instance.brand_id}/{instance.uuid}.{ext}"


class BrandAuthorisation(models.Model):
    """A letter by which the brand's owner authorises a distributor to sell under the brand on
    some channels for a period. Written only by ``channels.domain_brands.record_authorisation``."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="authorisations")
    distributor = models.ForeignKey(
        "catalog.Enterprise",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="brand_authorisations",
        verbose_name=_("distributor on the platform"),
    )
    distributor_name = models.CharField(_("distributor"), max_length=200)
    channels = models.JSONField(_("channels"), default=list)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    uuid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    document = models.FileField(_("authorisation letter"), upload_to=authorisation_document_path)
    document_name = models.CharField(max_length=200)
    document_type = models.CharField(max_length=100)
    document_size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # set by channels.domain_brands.revoke_authorisation; the letter itself is never changed
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for the revocation"), max_length=300, blank=True)

    class Meta:
        ordering = ["brand_id", "-valid_until"]
        verbose_name = _("brand authorisation")
        verbose_name_plural = _("brand authorisations")

    def __str__(self) -> str:
        return f"{self.brand} → {self.distributor_name}"

    @property
    def effective_until(self) -> dt.date:
        """The last day the letter counts: ``valid_until``, or the day before its revocation."""
        if self.revoked_on is not None:
            return min(self.valid_until, self.revoked_on - dt.timedelta(days=1))
        return self.valid_until


class ProductBranding(models.Model):
    """Whose brand a product is sold under: OEM for a customer, or a brand (own or authorised).
    Written only by ``channels.domain_brands.set_product_branding``, which logs each change."""

    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, related_name="branding", verbose_name=_("product")
    )
    kind = models.CharField(_("branding"), max_length=12, choices=Branding.choices)
    oem_customer = models.CharField(_("OEM customer"), max_length=200, blank=True)
    brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, null=True, blank=True, related_name="products"
    )
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("product branding")
        verbose_name_plural = _("product branding")

    def __str__(self) -> str:
        return f"{self.product}: {self.kind}"


class BrandingChange(models.Model):
    """The audit trail of a product's branding: when, who, from what, to what."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="branding_changes")
    changed_at = models.DateTimeField(db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_kind = models.CharField(max_length=12, blank=True)
    from_label = models.CharField(max_length=200, blank=True)
    to_kind = models.CharField(max_length=12)
    to_label = models.CharField(max_length=200)
    brand = models.ForeignKey(
        Brand, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("branding change")
        verbose_name_plural = _("branding changes")

    def __str__(self) -> str:
        return f"{self.product}: {self.from_label} → {self.to_label}"


class PricingAssumptionSet(models.Model):
    """The operator's assumptions for the domestic pricing help (channels.pricing): VAT, the
    FOB→EXW deduction, wholesale margin and retail markup bands, and per channel its commission
    and shipping per parcel. Rows are never changed: a new row is a new version, the latest is
    in force, the others are its history. Without any row the defaults of
    ``channels/data/pricing.json`` apply. Written only by
    ``channels.domain_pricing.set_pricing_assumptions``.

    Shares are fractions (0.13 for 13%); ``channels`` maps a channel key to
    ``{"commission": "0.05", "shipping_cny": "12.00"}`` (decimal texts, shipping in CNY)."""

    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4)
    fob_to_exw_share = models.DecimalField(
        _("FOB to EXW deduction"), max_digits=5, decimal_places=4
    )
    wholesale_margin_low = models.DecimalField(
        _("wholesale margin, low"), max_digits=6, decimal_places=4
    )
    wholesale_margin_high = models.DecimalField(
        _("wholesale margin, high"), max_digits=6, decimal_places=4
    )
    retail_markup_low = models.DecimalField(_("retail markup, low"), max_digits=6, decimal_places=4)
    retail_markup_high = models.DecimalField(
        _("retail markup, high"), max_digits=6, decimal_places=4
    )
    channels = models.JSONField(_("channel costs"), default=dict)
    currency = models.CharField(max_length=3, default="CNY", editable=False)
    note = models.CharField(_("reason for the change"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pricing assumptions")
        verbose_name_plural = _("pricing assumptions")

    def __str__(self) -> str:
        return f"pricing assumptions #{self.pk} ({self.created_at:%Y-%m-%d})"


class BrandEvent(models.Model):
    """The audit trail of a brand and its authorisation letters: when, who, what (edited,
    renewed, revoked; a letter revoked or extended), from what to what. Written only by
    ``channels.domain_brands``."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="events")
    authorisation = models.ForeignKey(
        BrandAuthorisation, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    action = models.CharField(max_length=20, choices=BrandAction.choices)
    changed_at = models.DateTimeField(db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_label = models.CharField(max_length=300, blank=True)
    to_label = models.CharField(max_length=300, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("brand change")
        verbose_name_plural = _("brand changes")

    def __str__(self) -> str:
        return f"{self.brand}: {self.action}"
