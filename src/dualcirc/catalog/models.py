"""Enterprises (factories, suppliers) and their products."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from moneyed import Money

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.hs import describe_hs
from dualcirc.catalog.validators import (
    validate_attributes,
    validate_business_models,
    validate_contacts,
    validate_country_codes,
    validate_credit_code,
    validate_currency,
    validate_hs_code,
    validate_share,
    validate_string_list,
)
from dualcirc.core.models import Organisation, Region


class IndustrialBelt(models.Model):
    """A cluster of one industry in one place, e.g. Laixi furniture, Lanxi textiles."""

    slug = models.SlugField(unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    industry = models.CharField(_("industry"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="belts")

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("industrial belt")
        verbose_name_plural = _("industrial belts")

    def __str__(self) -> str:
        return f"{self.name_zh} / {self.name_en}"


class Enterprise(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="enterprise"
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("region")
    )
    belt = models.ForeignKey(
        IndustrialBelt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("industrial belt"),
    )
    industries = models.JSONField(
        _("industries"), default=list, blank=True, validators=[validate_string_list]
    )
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    domestic_markets = models.JSONField(
        _("main domestic markets"),
        default=list,
        blank=True,
        help_text=_("Provinces or cities, e.g. 浙江, 上海"),
        validators=[validate_string_list],
    )
    export_markets = models.JSONField(
        _("main export markets"),
        default=list,
        blank=True,
        help_text=_("ISO 3166-1 alpha-2 codes"),
        validators=[validate_country_codes],
    )
    export_share = models.DecimalField(
        _("export share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_share],
    )
    certifications = models.JSONField(
        _("certifications"), default=list, blank=True, validators=[validate_string_list]
    )
    contacts = models.JSONField(
        _("contacts"),
        default=list,
        blank=True,
        help_text=_("List of {name, title, phone, email}"),
        validators=[validate_contacts],
    )
    business_models = models.JSONField(
        _("OEM / ODM / own brand"),
        default=list,
        blank=True,
        validators=[validate_business_models],
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_zh", "name_en"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name_zh or self.name_en

    @property
    def display_name(self) -> str:
        return self.name_zh or self.name_en


class Product(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="products", verbose_name=_("enterprise")
    )
    sku = models.CharField(_("SKU"), max_length=64)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProductStatus.choices,
        default=ProductStatus.PUBLISHED,
        db_index=True,
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    hs_code = models.CharField(
        _("HS code"), max_length=6, db_index=True, validators=[validate_hs_code]
    )
    attributes = models.JSONField(
        _("attributes"), default=dict, blank=True, validators=[validate_attributes]
    )
    moq = models.DecimalField(
        _("minimum order quantity"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    price_min = models.DecimalField(
        _("lowest price"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    price_max = models.DecimalField(
        _("highest price"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    certifications = models.JSONField(
        _("certifications"), default=list, blank=True, validators=[validate_string_list]
    )
    export_markets = models.JSONField(
        _("export markets"), default=list, blank=True, validators=[validate_country_codes]
    )
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), null=True, blank=True)
    # Denormalised for the catalog filters: which languages the listing has text in.
    languages = models.CharField(max_length=20, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "sku"], name="unique_sku_per_enterprise"),
            models.CheckConstraint(
                condition=~(models.Q(title_zh="") & models.Q(title_en="") & models.Q(title_vi="")),
                name="product_has_a_title",
            ),
        ]
        indexes = [models.Index(fields=["status", "-updated_at"])]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_zh or self.title_en or self.title_vi

    @property
    def hs_description(self) -> str:
        return describe_hs(self.hs_code)

    @property
    def price_range(self) -> tuple[Money, Money] | None:
        if self.price_min is None or not self.currency:
            return None
        high = self.price_max if self.price_max is not None else self.price_min
        return Money(self.price_min, self.currency), Money(high, self.currency)

    def compute_languages(self) -> str:
        return ",".join(
            lang
            for lang, text in (("zh", self.title_zh), ("en", self.title_en), ("vi", self.title_vi))
            if text
        )


def product_image_path(instance: ProductImage, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"products/{instance.product.enterprise_id}/{instance.product_id}/{instance.uuid}.{ext}"


def product_thumbnail_path(instance: ProductImage, filename: str) -> str:
    """``filename`` is the rendition's name, e.g. ``320.webp``: stored beside the original."""
    folder = f"products/{instance.product.enterprise_id}/{instance.product_id}"
    return f"{folder}/{instance.uuid}-{filename}"


class ProductImage(models.Model):
    """A product photo as uploaded, with its WebP thumbnails (catalog.images): ``thumbnail``
    for cards (320 px), ``preview`` for the gallery (800 px). Rows from before thumbnails
    existed have them blank; pages then show the original."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    uuid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    image = models.FileField(_("image"), upload_to=product_image_path)
    thumbnail = models.FileField(upload_to=product_thumbnail_path, blank=True, editable=False)
    preview = models.FileField(upload_to=product_thumbnail_path, blank=True, editable=False)
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    content_type = models.CharField(max_length=50)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("product image")
        verbose_name_plural = _("product images")

    def __str__(self) -> str:
        return f"{self.product} #{self.position}"

    @property
    def card_url(self) -> str:
        return (self.thumbnail or self.image).url

    @property
    def gallery_url(self) -> str:
        return (self.preview or self.image).url

    @property
    def stored_names(self) -> list[str]:
        """Every file of this photo (original and thumbnails), for deletion."""
        return [f.name for f in (self.image, self.thumbnail, self.preview) if f and f.name]


def import_job_path(instance: ImportJob, filename: str) -> str:
    return f"imports/{uuid.uuid4().hex}/{filename[-100:]}"


class ImportJobState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")
    # Written, except rows of new enterprises whose region the operator must confirm
    # (catalog.importing.held); confirming them makes the job done.
    AWAITING = "awaiting", _("Regions to confirm")


class ImportJobKind(models.TextChoices):
    CATALOG = "catalog", _("Catalog")
    FIGURES = "figures", _("Monthly figures")


class ImportJob(models.Model):
    """A catalog (or bureau figures) import run by the task worker: its file, state and counts
    of rows so far.

    Seen and cancelled only by the user who started it and by operators
    (dualcirc.catalog.import_jobs). ``report`` is ImportReport.as_dict() once finished;
    ``message`` says why a refused or cancelled import wrote nothing.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, null=True, blank=True, related_name="import_jobs"
    )
    kind = models.CharField(
        max_length=10, choices=ImportJobKind.choices, default=ImportJobKind.CATALOG
    )
    # figures imports: {"correct": bool, "reason": str} (bureau.domain.figures_import)
    options = models.JSONField(default=dict, blank=True)
    file = models.FileField(upload_to=import_job_path, blank=True)
    filename = models.CharField(max_length=255)
    partial = models.BooleanField(default=False)
    state = models.CharField(
        max_length=10, choices=ImportJobState.choices, default=ImportJobState.QUEUED
    )
    cancel_requested = models.BooleanField(default=False)
    rows_total = models.PositiveIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    report = models.JSONField(null=True, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("catalog import")
        verbose_name_plural = _("catalog imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state not in (ImportJobState.QUEUED, ImportJobState.RUNNING)
