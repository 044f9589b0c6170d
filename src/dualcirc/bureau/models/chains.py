"""Industrial chains: links upstream → downstream, the official who leads, local enterprises."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dualcirc.bureau.enums import ChainStage
from dualcirc.catalog.models import Enterprise
from dualcirc.core.models import Region


class IndustrialChain(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="chains", verbose_name=_("region")
    )
    lead_official = models.CharField(_("leading official"), max_length=100, blank=True)
    lead_official_title = models.CharField(_("official's post"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["region__path", "name_zh"]
        verbose_name = _("industrial chain")
        verbose_name_plural = _("industrial chains")

    def __str__(self) -> str:
        return self.name_zh if not self.name_en else f"{self.name_zh} / {self.name_en}"


class ChainLink(models.Model):
    """A link of a chain (e.g. timber and boards → furniture making → sales and logistics).

    A link is *missing* with no local enterprise on it and *weak* with fewer than
    ``min_enterprises`` or when the belt buys what it makes from outside (``sourced_outside``).
    """

    chain = models.ForeignKey(IndustrialChain, on_delete=models.CASCADE, related_name="links")
    stage = models.CharField(_("stage"), max_length=10, choices=ChainStage.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    min_enterprises = models.PositiveSmallIntegerField(
        _("weak below this many local enterprises"), default=3
    )
    sourced_outside = models.BooleanField(_("the belt buys this from outside"), default=False)
    enterprises = models.ManyToManyField(
        Enterprise, blank=True, related_name="chain_links", verbose_name=_("enterprises")
    )

    class Meta:
        ordering = ["chain", "position", "id"]
        verbose_name = _("chain link")
        verbose_name_plural = _("chain links")

    def __str__(self) -> str:
        return self.name_zh if not self.name_en else f"{self.name_zh} / {self.name_en}"
