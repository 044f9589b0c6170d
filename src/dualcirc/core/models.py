"""Organisations, people, roles and the regions governments govern."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dualcirc.core.enums import AuditAction, BuyerType, OrganisationKind, RegionLevel, Role
from dualcirc.l10n.text import person_name


class Region(models.Model):
    """An administrative region: province → city → county.

    ``path`` is the materialised chain of codes (``/37/3702/370285/``) so that "this region and
    everything below it" is one indexed ``startswith`` query.
    """

    code = models.CharField(_("code"), max_length=12, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name_zh if not self.name_en else f"{self.name_zh} {self.name_en}"

    def save(self, *args: object, **kwargs: object) -> None:
        # path is derived data: recomputed from the parent on every save. When it changes (a
        # new code or parent), every region below gets the new prefix in the same transaction,
        # so "this region and below" — what a government sees — stays true.
        old_path = self.path
        self.path = (self.parent.path if self.parent else "/") + f"{self.code}/"
        with transaction.atomic():
            super().save(*args, **kwargs)  # type: ignore[arg-type]
            if old_path and old_path != self.path:
                below = Region.objects.filter(path__startswith=old_path).exclude(pk=self.pk)
                for region in below.only("pk", "path"):
                    region.path = self.path + region.path[len(old_path) :]
                    Region.objects.filter(pk=region.pk).update(path=region.path)


class User(AbstractUser):
    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    # The password hash `dualcirc demo` set (one of its published passwords): while ``password``
    # still equals it, the account signs in with a published password and production refuses to
    # start (ops.demo_logins). Any new password, or disabling the login, ends the match.
    demo_password = models.CharField(max_length=128, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        """The name in the order its language writes it (``张建国``, ``Anna Schmidt``)."""
        return person_name(given=self.first_name, family=self.last_name)

    def set_password(self, raw_password: str | None) -> None:
        """Set the password; the demo's mark follows the hash when it is the same password
        hashed again (Django re-hashes on sign-in when its hasher's cost grows) and is dropped
        for any other password."""
        from django.contrib.auth.hashers import check_password

        same = bool(self.demo_password) and raw_password is not None
        same = same and check_password(raw_password, self.demo_password)
        super().set_password(raw_password)
        self.demo_password = self.password if same else ""

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if fields is not None and "password" in fields and "demo_password" not in fields:
            # Django's re-hash on sign-in saves the password alone: keep the mark with it.
            kwargs["update_fields"] = [*fields, "demo_password"]
        super().save(*args, **kwargs)


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    buyer_type = models.CharField(
        _("buyer type"), max_length=30, choices=BuyerType.choices, blank=True
    )
    country = models.CharField(_("country"), max_length=2, default="CN")
    # For a government body: the region it governs. For others: where they are.
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("region"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} / {self.name}"


class AuditEvent(models.Model):
    """One entry of the audit log: a sign-in (or a failed one), a permission change, an
    operator's action. Written by core.audit only; never edited. Failed sign-ins are also what
    the lock-out counts (core.signin)."""

    action = models.CharField(_("action"), max_length=30, choices=AuditAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # The account concerned: the name typed at a sign-in (it may not exist), else the user's.
    username = models.CharField(_("username"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    target = models.CharField(_("target"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["username", "action", "created_at"], name="audit_user_action"),
            models.Index(fields=["address", "action", "created_at"], name="audit_addr_action"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} {self.username}"


class TotpDevice(models.Model):
    """A user's authenticator app (RFC 6238 TOTP). Sign-in asks for its code once confirmed.

    ``last_used_step`` is the time step of the last code accepted, so a code is accepted once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return f"{self.user} ({'on' if self.confirmed_at else 'pending'})"
