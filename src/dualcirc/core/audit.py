"""The audit log: who signed in (or failed to), whose permissions changed, what operators did.

``record_event`` is the one writer. The receivers below turn Django's sign-in signals, changes
of memberships and account privileges, and the admin's change log (every add, change and delete
an operator makes in /admin/) into entries. The request being handled (ops.context) supplies
the address, the request id and, when none is given, the actor.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest

from dualcirc.core.enums import AuditAction
from dualcirc.core.models import AuditEvent, Membership, User
from dualcirc.ops.context import client_address, current_request

PRIVILEGE_FIELDS = ("is_active", "is_staff", "is_superuser")


def record_event(
    *,
    action: str,
    actor: Any = None,
    username: str = "",
    target: str = "",
    summary: str = "",
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one entry to the audit log and return it.

    ``request`` defaults to the request being handled (none in commands and tasks); its
    signed-in user is the actor when ``actor`` is not given.
    """
    request = request if request is not None else current_request.get()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        username=(username or (actor.get_username() if actor is not None else ""))[:150],
        address=client_address(request) or None,
        target=target[:200],
        summary=summary[:500],
        detail=detail or {},
        request_id=getattr(request, "request_id", "")[:64] if request is not None else "",
    )


def _signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_event(action=AuditAction.SIGN_IN, actor=user, request=request)


def _signed_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record_event(action=AuditAction.SIGN_OUT, actor=user, request=request)


def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    record_event(
        action=AuditAction.SIGN_IN_FAILED,
        username=str(credentials.get("username", "")),
        detail={"step": "password"},
        request=request,
    )


def _membership_target(m: Membership) -> str:
    return f"core.membership:{m.pk} user={m.user_id} organisation={m.organisation_id}"


def _membership_saved(sender: Any, instance: Membership, created: bool, **kwargs: Any) -> None:
    previous = getattr(instance, "_audit_previous_role", None)
    if not created and previous == instance.role:
        return
    record_event(
        action=AuditAction.MEMBERSHIP_ADDED if created else AuditAction.MEMBERSHIP_CHANGED,
        target=_membership_target(instance),
        summary=f"{instance.user} @ {instance.organisation}: {previous or '-'} → {instance.role}",
        detail={
            "user": instance.user_id,
            "organisation": instance.organisation_id,
            "role": instance.role,
            "previous_role": previous,
        },
    )


def _membership_before_save(sender: Any, instance: Membership, **kwargs: Any) -> None:
    if instance.pk:
        instance._audit_previous_role = (  # type: ignore[attr-defined]  # read after saving
            Membership.objects.filter(pk=instance.pk).values_list("role", flat=True).first()
        )


def _membership_deleted(sender: Any, instance: Membership, **kwargs: Any) -> None:
    record_event(
        action=AuditAction.MEMBERSHIP_REMOVED,
        target=_membership_target(instance),
        summary=f"user {instance.user_id} left organisation {instance.organisation_id}",
        detail={"user": instance.user_id, "organisation": instance.organisation_id},
    )


def _user_before_save(
    sender: Any, instance: User, update_fields: Any = None, **kwargs: Any
) -> None:
    row = None
    # A save of other fields only (last_login at every sign-in) costs no extra query.
    if instance.pk and (update_fields is None or set(update_fields) & set(PRIVILEGE_FIELDS)):
        row = User.objects.filter(pk=instance.pk).values(*PRIVILEGE_FIELDS).first()
    instance._audit_previous_privileges = row  # type: ignore[attr-defined]  # read after saving


def _user_saved(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_audit_previous_privileges", None)
    after = {name: getattr(instance, name) for name in PRIVILEGE_FIELDS}
    if created:
        changed = {k: [None, v] for k, v in after.items() if v and k != "is_active"}
    else:
        changed = {k: [before[k], v] for k, v in after.items() if before and before[k] != v}
    if changed:
        record_event(
            action=AuditAction.PRIVILEGES_CHANGED,
            target=f"core.user:{instance.pk}",
            summary=f"{instance.get_username()}: "
            + ", ".join(f"{k} {a} → {b}" for k, (a, b) in changed.items()),
            detail={"user": instance.pk, "changed": changed},
        )


def _admin_logged(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    kind = instance.content_type
    record_event(
        action=AuditAction.OPERATOR_ACTION,
        actor=instance.user,
        target=f"{kind.app_label}.{kind.model}:{instance.object_id}" if kind else "",
        summary=f"{instance.get_action_flag_display()} {instance.object_repr}",
        detail={"flag": instance.action_flag, "change": instance.get_change_message()},
    )


def connect() -> None:
    """Connect the receivers (CoreConfig.ready)."""
    user_logged_in.connect(_signed_in, dispatch_uid="core.audit.signed_in")
    user_logged_out.connect(_signed_out, dispatch_uid="core.audit.signed_out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="core.audit.sign_in_failed")
    pre_save.connect(_membership_before_save, sender=Membership, dispatch_uid="core.audit.m0")
    post_save.connect(_membership_saved, sender=Membership, dispatch_uid="core.audit.m1")
    post_delete.connect(_membership_deleted, sender=Membership, dispatch_uid="core.audit.m2")
    pre_save.connect(_user_before_save, sender=User, dispatch_uid="core.audit.u0")
    post_save.connect(_user_saved, sender=User, dispatch_uid="core.audit.u1")
    post_save.connect(_admin_logged, sender=LogEntry, dispatch_uid="core.audit.admin")
