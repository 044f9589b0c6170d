"""The operator edits the bureau's data here: thresholds, country groups, routing, policies."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dualcirc.bureau.models import (
    BureauSettings,
    ChainLink,
    CountryGroup,
    IndustrialChain,
    RoutingRule,
    SupportPolicy,
)
from dualcirc.bureau.models.cases import PolicyDelivery, PolicyDeliveryEvent


@admin.register(BureauSettings)
class BureauSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "above_scale_revenue", "min_group_size", "report_due_day")


@admin.register(CountryGroup)
class CountryGroupAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_zh", "name_en", "name_vi", "is_new_market")


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("need_type", "level", "team")


@admin.register(SupportPolicy)
class SupportPolicyAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "mode", "amount", "currency", "active")
    list_filter = ("active", "mode")


class PolicyDeliveryEventInline(admin.TabularInline):
    model = PolicyDeliveryEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "by", "from_state", "to_state", "note")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PolicyDelivery)
class PolicyDeliveryAdmin(admin.ModelAdmin):
    """Looked up here, never edited: a delivery moves only through bureau.domain.policies."""

    list_display = ("policy", "enterprise", "state", "amount", "currency", "paid_amount", "paid_on")
    list_filter = ("state", "policy")
    search_fields = ("enterprise__name_zh", "enterprise__name_en", "policy__title")
    list_select_related = ("policy", "enterprise")
    inlines = [PolicyDeliveryEventInline]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ChainLinkInline(admin.TabularInline):
    model = ChainLink
    extra = 1
    filter_horizontal = ("enterprises",)


@admin.register(IndustrialChain)
class IndustrialChainAdmin(admin.ModelAdmin):
    list_display = ("name_zh", "name_en", "region", "lead_official")
    inlines = [ChainLinkInline]
