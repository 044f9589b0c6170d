"""Sign-in throttling: lock an account after repeated failures, refuse a noisy address.

The counts come from the audit log (``AuditEvent`` rows of failed sign-ins), so every server
process and every machine behind the load balancer sees the same numbers, and a lock-out leaves
a trace. An account is locked while it has ``LOGIN_MAX_FAILURES`` failures since its last
successful sign-in within the last ``LOGIN_LOCKOUT_MINUTES``; an address is refused while it
has ``LOGIN_MAX_FAILURES_PER_ADDRESS`` failures (any accounts) within that window. Both lift by
themselves as the failures age out. A locked account cannot sign in even with the right
password, so guessing stops being useful.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.core.enums import AuditAction
from dualcirc.core.models import AuditEvent


class SignInRefused(Exception):
    """Too many failed sign-ins: the message says when to try again."""


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def recent_failures(*, username: str) -> int:
    """Failed sign-ins of ``username`` since its last success, within the lock-out window."""
    since = _window_start()
    last_success = (
        AuditEvent.objects.filter(
            username=username, action=AuditAction.SIGN_IN, created_at__gte=since
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return AuditEvent.objects.filter(
        username=username,
        action=AuditAction.SIGN_IN_FAILED,
        created_at__gte=max(since, last_success) if last_success else since,
    ).count()


def check_sign_in_allowed(*, username: str, address: str) -> None:
    """Raise SignInRefused when ``username`` is locked out or ``address`` is refused.

    Reads only. The caller records the refusal (``AuditAction.SIGN_IN_REFUSED``), which does not
    count as a failure, so waiting always ends a lock-out.
    """
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    if username and recent_failures(username=username) >= settings.LOGIN_MAX_FAILURES:
        raise SignInRefused(
            _(
                "Too many failed sign-ins for this account. Try again in %(minutes)d minutes, "
                "or reset your password."
            )
            % {"minutes": minutes}
        )
    if address:
        failures = AuditEvent.objects.filter(
            address=address, action=AuditAction.SIGN_IN_FAILED, created_at__gte=_window_start()
        ).count()
        if failures >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS:
            raise SignInRefused(
                _("Too many failed sign-ins from your network. Try again in %(minutes)d minutes.")
                % {"minutes": minutes}
            )
