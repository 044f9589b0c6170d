"""The operator looks notifications up here (who was told what, and whether they read it)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dualcirc.notify.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "verb", "target_label", "actor", "read_at")
    list_filter = ("verb", "target_type", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("recipient__username", "recipient__email", "target_label", "verb")
    list_select_related = ("recipient", "actor")
    date_hierarchy = "created_at"
    readonly_fields = (
        "recipient",
        "actor",
        "verb",
        "target_type",
        "target_id",
        "target_label",
        "url",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # notifications are written by notify.domain.notify, with their e-mail
