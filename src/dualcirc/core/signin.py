"""Sign-in throttling that an outsider cannot turn against a user.

The counts come from the audit log (``AuditEvent`` rows of failed sign-ins), so every server
process and every machine behind the load balancer sees the same numbers, and a lock-out leaves
a trace. Three rules, all within the last ``LOGIN_LOCKOUT_MINUTES``:

- **account and address**: an account is locked *for one address* once that address has
  ``LOGIN_MAX_FAILURES`` failures on it since the account's last successful sign-in; a
  locked pair cannot sign in even with the right password, so guessing from there stops.
- **account alone**: failures from every address only *slow* the account's sign-ins down —
  each attempt waits 1, 2, 4 … seconds, at most ``LOGIN_DELAY_MAX_SECONDS`` — and never lock
  it, so someone who knows a username cannot keep its owner out.
- **address alone**: an address with ``LOGIN_MAX_FAILURES_PER_ADDRESS`` failures on any
  accounts is refused.

Everything lifts by itself as the failures age out. The address is
:func:`dualcirc.ops.context.client_address` (``X-Forwarded-For`` only from a trusted proxy).

Why not django-axes: it keeps attempts in tables of its own beside the audit log (two records
of the same facts), and its lock-out parameters lock the combinations it is given but offer no
per-account delay; the rules above are a few queries on the audit log the site keeps anyway.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.core.enums import AuditAction
from dualcirc.core.models import AuditEvent


class SignInRefused(Exception):
    """Too many failed sign-ins: the message says when to try again."""


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _failures_since_last_success(username: str) -> QuerySet[AuditEvent]:
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
    )


def recent_failures(*, username: str, address: str | None = None) -> int:
    """Failed sign-ins of ``username`` (from ``address`` only, when given) since its last
    success, within the lock-out window."""
    failures = _failures_since_last_success(username)
    if address is not None:
        failures = failures.filter(address=address)
    return failures.count()


def sign_in_delay(*, username: str) -> float:
    """Seconds an attempt on ``username`` waits: 0 below ``LOGIN_MAX_FAILURES`` failures from
    all addresses, then 1, 2, 4 … up to ``LOGIN_DELAY_MAX_SECONDS``."""
    return _delay_after(recent_failures(username=username))


def _delay_after(failures: int) -> float:
    over = failures - settings.LOGIN_MAX_FAILURES
    if over < 0:
        return 0.0
    return float(min(2 ** min(over, 16), settings.LOGIN_DELAY_MAX_SECONDS))


def check_sign_in_allowed(*, username: str, address: str) -> None:
    """Raise SignInRefused when ``username`` is locked out for ``address``, or ``address`` is
    refused; otherwise wait the account's delay (:func:`sign_in_delay`), then return.

    Reads only. The caller records the refusal (``AuditAction.SIGN_IN_REFUSED``), which does not
    count as a failure, so waiting always ends a lock-out.
    """
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    # One count of the account's failures gives both the pair's lock and the account's delay.
    counts = (
        _failures_since_last_success(username).aggregate(
            every=Count("pk"), here=Count("pk", filter=Q(address=address))
        )
        if username
        else {"every": 0, "here": 0}
    )
    if username and counts["here"] >= settings.LOGIN_MAX_FAILURES:
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
    delay = _delay_after(counts["every"]) if username else 0.0
    if delay:
        time.sleep(delay)
