"""The operator edits the bureau's data here: thresholds, country groups, routing, policies."""

from __future__ import annotations

from django.contrib import admin

from dualcirc.bureau.models import (
    BureauSettings,
    ChainLink,
    CountryGroup,
    IndustrialChain,
    RoutingRule,
    SupportPolicy,
)


@admin.register(BureauSettings)
class BureauSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "above_scale_revenue", "min_group_size", "report_due_day")


@admin.register(CountryGroup)
class CountryGroupAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_zh", "name_en", "is_new_market")


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("need_type", "level", "team")


@admin.register(SupportPolicy)
class SupportPolicyAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "active")
    list_filter = ("active",)


class ChainLinkInline(admin.TabularInline):
    model = ChainLink
    extra = 1
    filter_horizontal = ("enterprises",)


@admin.register(IndustrialChain)
class IndustrialChainAdmin(admin.ModelAdmin):
    list_display = ("name_zh", "name_en", "region", "lead_official")
    inlines = [ChainLinkInline]
