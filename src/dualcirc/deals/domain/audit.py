"""The audit trail: who did what, when, to which deal object, from which state to which."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dualcirc.deals.models import AuditEntry

SUBJECT_TYPES = {
    "sourcingrequest": "request",
    "quote": "quote",
    "order": "order",
    "exchangerate": "rate",
    "milestone": "order",
    "payment": "order",
}


def subject_of(obj: Any) -> tuple[str, int]:
    name = obj._meta.model_name
    kind = SUBJECT_TYPES[name]
    if name in ("milestone", "payment"):
        return kind, obj.order_id
    return kind, obj.pk


def record_audit(
    *,
    actor: Any,
    party: str,
    subject: Any,
    action: str,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
) -> AuditEntry:
    """Write one audit entry. Called by the domain functions inside their transaction."""
    kind, pk = subject_of(subject)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        party=party,
        subject_type=kind,
        subject_id=pk,
        action=action,
        from_state=str(from_state),
        to_state=str(to_state),
        note=note,
    )


def audit_trail(subject: Any) -> QuerySet[AuditEntry]:
    kind, pk = subject_of(subject)
    return AuditEntry.objects.filter(subject_type=kind, subject_id=pk).select_related("actor")
