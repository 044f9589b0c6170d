"""Notify people: the in-app notification centre and the e-mail that goes with it.

Every write that tells users something goes through :func:`notify` (Zulip's ``do_*`` habit).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from dualcirc.notify.models import Notification

# What each verb says; %(target)s is the request title, quote or order number.
VERBS: dict[str, Any] = {
    "request_invited": _("You are invited to quote on “%(target)s”."),
    "quote_received": _("A new quote arrived for “%(target)s”."),
    "quote_revised": _("A quote for “%(target)s” was revised."),
    "quote_attachments": _("Files were attached to a quote for “%(target)s”."),
    "counter_offer": _("A new counter-offer in the negotiation about “%(target)s”."),
    "message": _("A new message in the negotiation about “%(target)s”."),
    "conversation_message": _("A new message in the conversation %(target)s."),
    "offer_accepted": _("The offer was accepted: order %(target)s."),
    "quote_rejected": _("Another offer was chosen for “%(target)s”."),
    "request_closed": _("Quoting on “%(target)s” has closed."),
    "order_changed": _("Order %(target)s changed state."),
    "payment_recorded": _("A payment was recorded on order %(target)s."),
    "meeting_rate": _("How did your meeting with %(target)s go? Rate it and say what followed."),
    "meeting_follow_up": _("Did your meeting with %(target)s lead to a deal? Say what followed."),
    # %(target)s: "<enterprise> <YYYY-MM>" (bureau.domain.reporting)
    "figures_due": _("The monthly figures of %(target)s are due soon."),
    "figures_overdue": _("The monthly figures of %(target)s are overdue."),
    "figures_returned": _("The bureau returned the figures of %(target)s for correction."),
    # %(target)s: "<policy> (<amount>)" (bureau.domain.policies)
    "policy_granted": _("You qualify for %(target)s; it is granted without an application."),
    "policy_to_confirm": _("You qualify for %(target)s; confirm on the platform to receive it."),
    "policy_paid": _("A payment was recorded for %(target)s."),
    # %(target)s: "“<product words>” / HS <heading> → <market>" (demand.domain_alerts)
    "unmet_demand": _(
        "Unmet demand: buyers keep asking for %(target)s, and no enterprise of your region "
        "lists it."
    ),
    # %(target)s: the enterprise's name (demand.domain_alerts)
    "demand_digest": _(
        "This week's demand digest for %(target)s: what buyers ask for that you don't offer."
    ),
}


def describe(verb: str, target_label: str) -> str:
    """The sentence of a notification in the active language."""
    template = VERBS.get(verb)
    if template is None:
        return target_label
    return str(template) % {"target": target_label}


def _language_of(user: Any) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def _send_emails(ids: list[int]) -> None:
    for n in Notification.objects.filter(pk__in=ids).select_related("recipient"):
        if not n.recipient.email:
            continue
        with translation.override(_language_of(n.recipient)):
            text = describe(n.verb, n.target_label)
            body = text if not n.url else f"{text}\n\n{n.url}"
            send_mail(
                subject=f"[dualcirc] {text}",
                message=body,
                from_email=None,
                recipient_list=[n.recipient.email],
                fail_silently=True,
            )


def notify(
    recipients: Iterable[Any],
    verb: str,
    target: Any,
    url: str = "",
    *,
    actor: Any = None,
    email: bool = True,
) -> list[Notification]:
    """Tell each of ``recipients`` (users; duplicates and ``actor`` skipped) that ``verb``
    happened to ``target``.

    Side effects: one Notification row per recipient; after the surrounding transaction commits,
    one e-mail each (Django mail, in the recipient's preferred language) when ``email``.
    """
    if verb not in VERBS:
        raise ValueError(f"Unknown notification verb {verb!r}")
    seen: set[int] = set()
    rows: list[Notification] = []
    actor_id = getattr(actor, "pk", None)
    for user in recipients:
        if user.pk in seen or user.pk == actor_id or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                actor=actor if actor_id else None,
                verb=verb,
                target_type=type(target)._meta.model_name if hasattr(target, "_meta") else "",
                target_id=getattr(target, "pk", None),
                target_label=str(target)[:300],
                url=url,
            )
        )
    created = Notification.objects.bulk_create(rows)
    if email and created:
        ids = [n.pk for n in created if n.pk is not None]
        if not ids:  # back-ends that do not return ids from bulk inserts
            ids = list(
                Notification.objects.filter(
                    recipient_id__in=seen, verb=verb, target_label=str(target)[:300]
                ).values_list("pk", flat=True)
            )
        transaction.on_commit(lambda: _send_emails(ids))
    return created


def notifications_of(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """``user``'s notifications, newest first (only the unread ones when ``unread_only``)."""
    qs = Notification.objects.filter(recipient_id=user.pk)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread(user: Any) -> QuerySet[Notification]:
    return notifications_of(user, unread_only=True)


def mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark ``user``'s notifications read (all of them when ``ids`` is None); returns how many.

    Only the user's own notifications are touched: an id of someone else's is ignored.
    """
    qs = unread(user)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return unread(user).count()
