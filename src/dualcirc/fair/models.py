"""Online fairs: halls, registrations, booths, leads, sessions and 1:1 meetings.

All times are stored in UTC and shown in each reader's own time zone; the fair's ``time_zone``
is the organiser's, in which its days and meeting hours are set.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dualcirc.catalog.models import Enterprise, IndustrialBelt, Product
from dualcirc.core.models import Organisation
from dualcirc.fair.enums import (
    MeetingResult,
    MeetingStatus,
    PromptStage,
    RegistrationKind,
    RegistrationStatus,
    RoomKind,
    SessionKind,
    Wish,
)


class Fair(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    organiser = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="fairs", verbose_name=_("organiser")
    )
    time_zone = models.CharField(_("organiser's time zone"), max_length=64, default="Asia/Shanghai")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    is_published = models.BooleanField(_("published"), default=False)
    # 1:1 meetings, set by the organiser before running the scheduler.
    slot_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=30)
    meetings_start = models.TimeField(_("meetings start (local)"), null=True, blank=True)
    meetings_end = models.TimeField(_("meetings end (local)"), null=True, blank=True)
    meeting_cap = models.PositiveSmallIntegerField(_("meetings per person"), default=8)
    agendas_published_at = models.DateTimeField(null=True, blank=True)
    last_run = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("fair")
        verbose_name_plural = _("fairs")

    def __str__(self) -> str:
        return self.name_zh or self.name_en


class Hall(models.Model):
    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="halls")
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    belt = models.ForeignKey(
        IndustrialBelt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fair_halls",
        verbose_name=_("industrial belt"),
    )

    class Meta:
        ordering = ["fair", "id"]
        verbose_name = _("hall")
        verbose_name_plural = _("halls")

    def __str__(self) -> str:
        return self.name_zh or self.name_en


class Registration(models.Model):
    """An organisation taking part in a fair, as exhibitor or visitor, with one contact person
    who attends meetings (whose time zone their agenda is shown in)."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="registrations")
    kind = models.CharField(_("as"), max_length=10, choices=RegistrationKind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="fair_registrations"
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="fair_registrations",
        verbose_name=_("contact person"),
    )
    hall = models.ForeignKey(
        Hall, on_delete=models.SET_NULL, null=True, blank=True, related_name="registrations"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    meeting_cap = models.PositiveSmallIntegerField(
        _("meetings per person"), null=True, blank=True, help_text=_("Empty: the fair's cap.")
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["fair", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fair", "organisation", "kind"], name="unique_fair_registration"
            )
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_kind_display()})"

    @property
    def display_name(self) -> str:
        return self.organisation.name


class ExhibitorRegistrationManager(models.Manager["ExhibitorRegistration"]):
    def get_queryset(self) -> models.QuerySet[ExhibitorRegistration]:
        return super().get_queryset().filter(kind=RegistrationKind.EXHIBITOR)


class VisitorRegistrationManager(models.Manager["VisitorRegistration"]):
    def get_queryset(self) -> models.QuerySet[VisitorRegistration]:
        return super().get_queryset().filter(kind=RegistrationKind.VISITOR)


class ExhibitorRegistration(Registration):
    objects: ClassVar[ExhibitorRegistrationManager] = ExhibitorRegistrationManager()

    class Meta:
        proxy = True
        verbose_name = _("exhibitor registration")
        verbose_name_plural = _("exhibitor registrations")


class VisitorRegistration(Registration):
    objects: ClassVar[VisitorRegistrationManager] = VisitorRegistrationManager()

    class Meta:
        proxy = True
        verbose_name = _("visitor registration")
        verbose_name_plural = _("visitor registrations")


class Booth(models.Model):
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="booth"
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="booths")
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    products = models.ManyToManyField(
        Product, blank=True, related_name="booths", verbose_name=_("showcased products")
    )
    video_links = models.JSONField(_("video links"), default=list, blank=True)
    live_stream_url = models.URLField(_("live stream link"), blank=True)
    live_starts_at = models.DateTimeField(_("live stream starts"), null=True, blank=True)
    live_ends_at = models.DateTimeField(_("live stream ends"), null=True, blank=True)
    documents = models.JSONField(
        _("document links"), default=list, blank=True, help_text=_("List of {title, url}")
    )
    staff_on_duty = models.JSONField(_("staff on duty"), default=list, blank=True)

    class Meta:
        ordering = ["registration__hall", "enterprise__name_zh"]
        verbose_name = _("booth")
        verbose_name_plural = _("booths")

    def __str__(self) -> str:
        return str(self.enterprise)


def booth_document_path(instance: BoothDocument, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"fair/booths/{instance.booth_id}/{instance.uuid}.{ext}"


class BoothDocument(models.Model):
    """A file an exhibitor shows at its booth (catalogue, certificate, price list): a PDF or an
    image, checked by content (fair.domain.add_booth_document)."""

    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="files")
    uuid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=booth_document_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("booth document")
        verbose_name_plural = _("booth documents")

    def __str__(self) -> str:
        return self.title


class BoothDocumentOpen(models.Model):
    """Openings of a booth document, counted per visitor and day (anonymous readers share one
    row), for the exhibitor's lead scores."""

    document = models.ForeignKey(BoothDocument, on_delete=models.CASCADE, related_name="opens")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "visitor", "day"], name="unique_booth_document_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.day}: {self.count}"


class BoothVisit(models.Model):
    """Visits to a booth, counted per visitor and day (anonymous visitors share one row)."""

    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="visits")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booth", "visitor", "day"], name="unique_booth_visit")
        ]

    def __str__(self) -> str:
        return f"{self.booth} {self.day}: {self.count}"


class Lead(models.Model):
    """A visitor's contact request at a booth, answered by the exhibitor."""

    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="leads")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fair_leads"
    )
    message = models.TextField(_("message"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")

    def __str__(self) -> str:
        return f"{self.visitor} → {self.booth}"


class Session(models.Model):
    """A roadshow or live session: a stream or meeting link, with registration."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=10, choices=SessionKind.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    speakers = models.JSONField(
        _("speakers"), default=list, blank=True, help_text=_("Names of officials or guests")
    )
    speaker_enterprises = models.ManyToManyField(
        Enterprise, blank=True, related_name="fair_sessions", verbose_name=_("speaking enterprises")
    )
    hall = models.ForeignKey(Hall, on_delete=models.SET_NULL, null=True, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    link = models.URLField(_("stream or meeting link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title_zh or self.title_en


class SessionRegistration(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fair_sessions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="unique_session_registration")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.session}"


class MeetingPreference(models.Model):
    """``owner``'s wish about meeting ``other`` (both registrations of the same fair)."""

    owner = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="wishes")
    other = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="wished_by")
    wish = models.CharField(_("wish"), max_length=10, choices=Wish.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "other"], name="unique_meeting_preference")
        ]

    def __str__(self) -> str:
        return f"{self.owner} → {self.other}: {self.wish}"


class Availability(models.Model):
    """A stretch of time (UTC) in which a participant can meet."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="availability"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["registration", "starts_at"]

    def __str__(self) -> str:
        return f"{self.registration}: {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M} UTC"


class Room(models.Model):
    """Tables on site or a video room; ``capacity`` meetings can run in it at once."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=10, choices=RoomKind.choices, default=RoomKind.TABLE
    )
    capacity = models.PositiveSmallIntegerField(_("meetings at once"), default=1)
    link = models.URLField(_("video link"), blank=True)

    class Meta:
        ordering = ["fair", "id"]

    def __str__(self) -> str:
        return self.name


class MeetingSlot(models.Model):
    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["fair", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "starts_at"], name="unique_meeting_slot")
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC"


class Meeting(models.Model):
    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="meetings")
    slot = models.ForeignKey(MeetingSlot, on_delete=models.PROTECT, related_name="meetings")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, related_name="meetings")
    first = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    weight = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MeetingStatus.choices,
        default=MeetingStatus.SCHEDULED,
        db_index=True,
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slot__starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.first} – {self.second} @ {self.slot}"

    def other_side(self, registration_id: int) -> Registration:
        return self.second if self.first_id == registration_id else self.first


class MeetingOutcome(models.Model):
    """One side's word on a held meeting: a rating (1–5) and what followed, with the deals
    order that came of it (or, for an order made outside the platform, its stated value).
    Written only by fair.domain.rate_meeting, which keeps every earlier answer in
    MeetingOutcomeChange."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="meeting_outcomes"
    )
    rating = models.PositiveSmallIntegerField(_("rating"))
    result = models.CharField(_("what followed"), max_length=12, choices=MeetingResult.choices)
    order = models.ForeignKey(
        "deals.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_outcomes",
        verbose_name=_("order"),
    )
    order_value = models.DecimalField(
        _("order value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    order_currency = models.CharField(_("currency"), max_length=3, blank=True)
    note = models.TextField(_("note"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "registration"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "registration"], name="unique_meeting_outcome"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="meeting_outcome_rating"
            ),
        ]
        verbose_name = _("meeting outcome")
        verbose_name_plural = _("meeting outcomes")

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.registration_id}: {self.rating} {self.result}"


class MeetingOutcomeChange(models.Model):
    """An answer as it was given (the history and audit of a MeetingOutcome): who, when, at
    which prompt, and the values they gave."""

    outcome = models.ForeignKey(MeetingOutcome, on_delete=models.CASCADE, related_name="history")
    rating = models.PositiveSmallIntegerField(_("rating"))
    result = models.CharField(_("what followed"), max_length=12, choices=MeetingResult.choices)
    order = models.ForeignKey(
        "deals.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order_value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    order_currency = models.CharField(max_length=3, blank=True)
    note = models.TextField(blank=True)
    stage = models.CharField(max_length=12, choices=PromptStage.choices, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["outcome", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.outcome_id} @ {self.changed_at:%Y-%m-%d}: {self.result}"


class OutcomePrompt(models.Model):
    """A follow-up prompt sent to one side of a meeting (at most one per stage: the periodic
    job may run any number of times)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcome_prompts")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=12, choices=PromptStage.choices)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "registration", "stage"], name="unique_outcome_prompt"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.registration_id} {self.stage}"
