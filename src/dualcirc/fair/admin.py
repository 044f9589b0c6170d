"""The operator looks fairs up here and corrects their descriptive data.

Registrations are decided, meetings moved and scheduled by fair.domain (booths, e-mails, the
meeting state machine), so those states are read-only here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dualcirc.fair.models import (
    Booth,
    BoothDocument,
    Fair,
    Hall,
    Lead,
    Meeting,
    MeetingOutcome,
    MeetingOutcomeChange,
    Registration,
    Session,
    SessionRegistration,
)


class HallInline(admin.TabularInline):
    model = Hall
    fields = ("name_zh", "name_en", "industry", "belt")
    extra = 0


@admin.register(Fair)
class FairAdmin(admin.ModelAdmin):
    list_display = ("__str__", "name_en", "organiser", "starts_on", "ends_on", "is_published")
    list_filter = ("is_published", "time_zone")
    search_fields = ("name_zh", "name_en", "organiser__name")
    list_select_related = ("organiser",)
    date_hierarchy = "starts_on"
    readonly_fields = ("agendas_published_at", "last_run")
    inlines = [HallInline]


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ("__str__", "name_en", "fair", "industry", "belt")
    list_filter = ("fair",)
    search_fields = ("name_zh", "name_en", "industry")
    list_select_related = ("fair", "belt")


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("organisation", "fair", "kind", "status", "hall", "contact", "created_at")
    list_filter = ("kind", "status", "fair")
    search_fields = ("organisation__name", "contact__username", "note")
    list_select_related = ("organisation", "fair", "hall", "contact")
    readonly_fields = ("fair", "kind", "organisation", "status", "decided_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # organisations register themselves (fair.domain.register_for_fair)


class DocumentInline(admin.TabularInline):
    model = BoothDocument
    fields = ("title", "name", "content_type", "size", "file")
    readonly_fields = ("name", "content_type", "size", "file")
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # uploads are checked by fair.domain.add_booth_document


@admin.register(Booth)
class BoothAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "fair_name", "hall_name", "headline", "live_starts_at")
    list_filter = ("registration__fair",)
    search_fields = ("enterprise__name_zh", "enterprise__name_en", "headline")
    list_select_related = ("enterprise", "registration__fair", "registration__hall")
    readonly_fields = ("registration", "enterprise")
    filter_horizontal = ("products",)
    inlines = [DocumentInline]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a booth comes with an approved exhibitor registration

    @admin.display(description=Fair._meta.verbose_name)
    def fair_name(self, booth: Booth) -> str:
        return str(booth.registration.fair)

    @admin.display(description=Hall._meta.verbose_name)
    def hall_name(self, booth: Booth) -> str:
        return str(booth.registration.hall or "")


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ("__str__", "visitor", "booth", "created_at", "answered_at")
    list_filter = (("answered_at", admin.EmptyFieldListFilter),)
    search_fields = ("message", "answer", "visitor__username", "booth__enterprise__name_zh")
    list_select_related = ("visitor", "booth__enterprise")
    readonly_fields = ("booth", "visitor", "message", "answered_by", "answered_at")


class AttendeeInline(admin.TabularInline):
    model = SessionRegistration
    fields = ("user", "created_at", "reminded_at")
    readonly_fields = ("user", "created_at", "reminded_at")
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "title_en", "fair", "kind", "hall", "starts_at", "capacity")
    list_filter = ("kind", "fair")
    search_fields = ("title_zh", "title_en", "description")
    list_select_related = ("fair", "hall")
    date_hierarchy = "starts_at"
    filter_horizontal = ("speaker_enterprises",)
    inlines = [AttendeeInline]


@admin.register(SessionRegistration)
class SessionRegistrationAdmin(admin.ModelAdmin):
    list_display = ("session", "user", "created_at", "reminded_at")
    list_filter = ("session__fair",)
    search_fields = ("user__username", "session__title_zh", "session__title_en")
    list_select_related = ("session", "user")
    readonly_fields = ("session", "user", "reminded_at")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "fair", "slot", "room", "status", "weight")
    list_filter = ("status", "fair")
    search_fields = ("first__organisation__name", "second__organisation__name")
    list_select_related = ("fair", "slot", "room", "first__organisation", "second__organisation")
    readonly_fields = (
        "fair",
        "slot",
        "room",
        "first",
        "second",
        "weight",
        "status",
        "cancelled_by",
        "cancelled_at",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # meetings come from the scheduler (fair.domain.run_scheduler)


class MeetingOutcomeChangeInline(admin.TabularInline):
    model = MeetingOutcomeChange
    fields = ("changed_at", "changed_by", "stage", "rating", "result", "order", "order_value")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MeetingOutcome)
class MeetingOutcomeAdmin(admin.ModelAdmin):
    """Read-only: each side answers for itself (fair.domain.rate_meeting keeps the history)."""

    list_display = ("meeting", "registration", "rating", "result", "order", "updated_at")
    list_filter = ("result", "rating")
    list_select_related = ("meeting__slot", "registration__organisation", "order")
    search_fields = ("registration__organisation__name", "order__number")
    inlines = (MeetingOutcomeChangeInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
