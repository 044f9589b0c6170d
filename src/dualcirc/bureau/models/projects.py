"""Investment projects: the attraction pipeline, with departments' commitments and history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dualcirc.bureau.enums import ProjectStage
from dualcirc.bureau.models.chains import ChainLink
from dualcirc.catalog.validators import validate_currency
from dualcirc.core.models import Region


class InvestmentProject(models.Model):
    name = models.CharField(_("project"), max_length=200)
    investor = models.CharField(_("investor"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, default="CNY", validators=[validate_currency]
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=ProjectStage.choices, default=ProjectStage.LEAD
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    chain_link = models.ForeignKey(
        ChainLink,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("chain link it fills"),
    )
    official = models.CharField(_("responsible official"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")

    def __str__(self) -> str:
        return self.name


class ProjectCommitment(models.Model):
    project = models.ForeignKey(
        InvestmentProject, on_delete=models.CASCADE, related_name="commitments"
    )
    department = models.CharField(_("department"), max_length=100)
    commitment = models.TextField(_("what it committed"))

    class Meta:
        ordering = ["project", "department"]

    def __str__(self) -> str:
        return f"{self.department}: {self.commitment[:40]}"


class ProjectChange(models.Model):
    """Who changed a project, when, and each field before/after (``{field: [old, new]}``)."""

    project = models.ForeignKey(InvestmentProject, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changes = models.JSONField(default=dict)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "-at", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.at:%Y-%m-%d}"
