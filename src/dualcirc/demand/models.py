"""Demand signals: what buyers asked for, without who asked.

A signal row holds no personal data: no user, no IP address, no query text beyond the
normalised product words (``product_type``). ``buyer_key`` is a salted hash of the buyer's
organisation (HMAC with the site's secret), kept only to count distinct buyers behind a
figure (the 3-buyer rule); it cannot be turned back into the organisation without the secret.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dualcirc.demand.enums import SignalKind


class DemandSignal(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=SignalKind.choices)
    month = models.IntegerField(_("month"))  # bureau.indicators.month_index
    recorded_on = models.DateField(_("recorded on"), db_index=True)  # for retention
    language = models.CharField(_("language"), max_length=8, blank=True)
    product_type = models.CharField(_("product type"), max_length=80, blank=True)
    hs_heading = models.CharField(_("HS heading"), max_length=4, blank=True)
    market = models.CharField(_("destination market"), max_length=8, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    price_max = models.DecimalField(
        _("price ceiling"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    certifications = models.JSONField(_("certifications"), default=list, blank=True)
    buyer_country = models.CharField(_("buyer country"), max_length=2, blank=True)
    good_matches = models.PositiveIntegerField(_("good matches"), default=0)
    best_score = models.FloatField(_("best score"), null=True, blank=True)
    buyer_key = models.CharField(max_length=16, blank=True)
    # The exhibitor a booth visit or meeting request was for (an enterprise, not a person).
    enterprise = models.ForeignKey(
        "catalog.Enterprise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("demand signal")
        verbose_name_plural = _("demand signals")
        indexes = [
            models.Index(fields=["month", "kind"], name="demand_month_kind"),
            models.Index(fields=["hs_heading", "month"], name="demand_heading_month"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.hs_heading or self.product_type} {self.market}"


class DemandOptOut(models.Model):
    """A user who asked that their searches and requests not be recorded as demand. Kept
    apart from the signals, which never point at a user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demand_opt_out"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demand opt-out")
        verbose_name_plural = _("demand opt-outs")

    def __str__(self) -> str:
        return f"opt-out {self.user_id}"


class DemandMonth(models.Model):
    """The radar's rows, pre-aggregated from the signals (``demand.domain.rebuild_demand_months``,
    run by ``dualcirc periodic`` for the current month): one row per month × kind × subject ×
    market × language, plus one with ``kind=""`` for every kind together (distinct buyers cannot
    be added up across kinds, so that row is counted on its own)."""

    month = models.IntegerField(_("month"))
    kind = models.CharField(_("kind"), max_length=12, blank=True)
    subject = models.CharField(_("subject"), max_length=80)  # HS heading, else product words
    market = models.CharField(_("market"), max_length=8, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    signals = models.PositiveIntegerField(_("signals"))
    unmet = models.PositiveIntegerField(_("searches with no good match"))
    buyers = models.PositiveIntegerField(_("distinct buyers"))

    class Meta:
        verbose_name = _("demand month")
        verbose_name_plural = _("demand months")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "kind", "subject", "market", "language"],
                name="demand_month_unique",
            )
        ]
        # the page's queries: WHERE kind AND month range, ORDER BY month, signals; buyers for
        # the 3-buyer rule — all read from the index
        indexes = [
            models.Index(fields=["kind", "month", "signals", "buyers"], name="demand_month_busiest")
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.kind or '*'} {self.subject} {self.market} {self.language}"


class DemandAsk(models.Model):
    """What buyers asked, pre-aggregated beside ``DemandMonth`` (same month × kind × subject ×
    market × language): per quantity unit, price currency or certification asked, the distinct
    buyers and signals behind it and the lowest and highest quantity or price ceiling asked."""

    month = models.IntegerField(_("month"))
    kind = models.CharField(_("kind"), max_length=12, blank=True)
    subject = models.CharField(_("subject"), max_length=80)
    market = models.CharField(_("market"), max_length=8, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    measure = models.CharField(_("measure"), max_length=14)  # quantity, price, certification
    code = models.CharField(_("unit, currency or certification"), max_length=40, blank=True)
    buyers = models.PositiveIntegerField(_("distinct buyers"))
    signals = models.PositiveIntegerField(_("signals"))
    low = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    high = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("demand ask")
        verbose_name_plural = _("demand asks")
        indexes = [models.Index(fields=["kind", "month", "subject"], name="demand_ask_month")]

    def __str__(self) -> str:
        return f"{self.month} {self.subject} {self.measure} {self.code}"


class UnmetDemandAlert(models.Model):
    """Buyers keep asking for ``subject`` for ``market`` and no enterprise of ``region`` lists
    it: a lead for the region's bureau. One row per region × subject × market; ``buyers`` is
    the count last announced (a new notification only when it grows)."""

    region = models.ForeignKey(
        "core.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    subject = models.CharField(_("subject"), max_length=80)
    market = models.CharField(_("market"), max_length=8, blank=True)
    buyers = models.PositiveIntegerField(_("distinct buyers"))
    signals = models.PositiveIntegerField(_("signals"))
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    grown_at = models.DateTimeField(_("last grown at"), null=True, blank=True)

    class Meta:
        verbose_name = _("unmet demand alert")
        verbose_name_plural = _("unmet demand alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "subject", "market"], name="demand_alert_unique"
            )
        ]

    def __str__(self) -> str:
        """``HS 9403 → DE`` or ``“nón lá” → VN``: what its notification names (untranslated)."""
        what = f"HS {self.subject}" if self.subject.isdigit() else f"“{self.subject}”"
        return f"{what} → {self.market}" if self.market else what


class DemandDigest(models.Model):
    """The weekly "what buyers ask for that you don't offer" of an enterprise: one row per
    enterprise and week (the Monday), even when empty, so that it is sent once."""

    enterprise = models.ForeignKey("catalog.Enterprise", on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("week"))
    items = models.JSONField(_("items"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demand digest")
        verbose_name_plural = _("demand digests")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "week"], name="demand_digest_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.week}"
