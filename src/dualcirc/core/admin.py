"""The platform operator's admin for regions, organisations, people and API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dualcirc.core.domain import revoke_api_token
from dualcirc.core.models import (
    ApiToken,
    AuditEvent,
    Membership,
    Organisation,
    Region,
    TotpDevice,
    User,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "level", "parent")
    list_filter = ("level",)
    list_select_related = ("parent",)
    search_fields = ("code", "name_zh", "name_en")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path",)
    ordering = ("path",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("user",)


class UserMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("organisation",)
    verbose_name_plural = _("organisations")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "kind", "buyer_type", "country", "region", "created_at")
    list_filter = ("kind", "buyer_type", "country", "region__level")
    list_select_related = ("region",)
    search_fields = ("name", "name_en", "region__name_zh", "region__name_en")
    autocomplete_fields = ("region",)
    date_hierarchy = "created_at"
    inlines = (MembershipInline,)

    # An enterprise's organisation would take the enterprise and its products with it, past
    # the catalog's domain functions (images left on disk, products left in the search index):
    # such an organisation is deleted by deleting its enterprise in the catalog admin first.
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and hasattr(obj, "enterprise"):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Preferences"), {"fields": ("preferred_language", "time_zone")}),
    )
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "is_active",
        "is_staff",
        "is_superuser",
        "last_login",
    )
    list_filter = ("is_active", "is_staff", "is_superuser", "memberships__organisation__kind")
    search_fields = (
        "username",
        "email",
        "first_name",
        "last_name",
        "memberships__organisation__name",
    )
    inlines = (UserMembershipInline,)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued on the owner's profile page (the raw value is shown there once);
    here the operator sees them and revokes (deletes) them."""

    list_display = ("name", "user", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("name", "user__username", "user__email")
    list_filter = ("created_at", "last_used_at")
    fields = ("user", "name", "digest", "created_at", "last_used_at")
    readonly_fields = ("user", "digest", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: ApiToken) -> None:
        # through the domain function, so the revocation is checked and audited like any other
        revoke_api_token(actor=request.user, token=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            revoke_api_token(actor=request.user, token=token)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, read-only: entries are written by core.audit and never edited."""

    list_display = ("created_at", "action", "username", "actor", "address", "target", "summary")
    list_filter = ("action", "created_at")
    list_select_related = ("actor",)
    search_fields = ("username", "address", "target", "summary", "request_id")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):
    """Authenticators: an operator removes one for a person who lost their phone (they then
    sign in with the password and set it up again). The secret is never shown."""

    list_display = ("user", "confirmed_at", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    fields = ("user", "confirmed_at", "created_at")
    readonly_fields = ("user", "confirmed_at", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
