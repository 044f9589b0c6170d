"""Sign-in throttling that an outsider cannot turn against a user.

The counts come from the audit log (``AuditEvent`` rows of failed sign-ins), so every server
process and every machine behind the load balancer sees the same numbers, and a lock-out leaves
a trace. Three rules, all within the last ``LOGIN_LOCKOUT_MINUTES``:

- **account and address**: an account is locked *for one address* once that address has
  ``LOGIN_MAX_FAILURES`` failures on it since the account's last successful sign-in; a
  locked pair cannot sign in even with the right password, so guessing from there stops.
- **a delay for the account and address**: from the second failure of an address on an
  account, that address's next attempt is refused until 1, 2, 4 … seconds (at most
  ``LOGIN_DELAY_MAX_SECONDS``) have passed since its last failure. The refusal answers at once
  ("try again in N seconds"; the API: 429 with ``Retry-After``): no request waits, so no
  worker thread is tied up. Failures from other addresses never delay or lock the account for
  its owner, so someone who knows a username cannot keep its owner out. (An account-wide delay
  would be one an outsider could keep running; guessing spread over many addresses is bounded
  per address instead, by the lock above and the address rule below.)
- **address alone**: an address with ``LOGIN_MAX_FAILURES_PER_ADDRESS`` failures on any
  accounts is refused.

Everything lifts by itself as the failures age out. The address is
:func:`dualcirc.ops.context.client_address` (``X-Forwarded-For`` only from a trusted proxy).

Why not django-axes: it keeps attempts in tables of its own beside the audit log (two records
of the same facts), and its lock-out parameters lock the combinations it is given but offer no
delay per account and address; the rules above are a few queries on the audit log the site
keeps anyway.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dualcirc.core.enums import AuditAction
from dualcirc.core.models import AuditEvent


class SignInRefused(Exception):
    """Too many failed sign-ins: the message says when to try again, ``retry_after`` in how
    many seconds (the API's ``Retry-After``)."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


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


def delay_after(failures: int) -> float:
    """The wait after ``failures`` failures of one address on one account: none after the
    first, then 1, 2, 4 … seconds, at most ``LOGIN_DELAY_MAX_SECONDS``."""
    over = failures - 2
    if over < 0:
        return 0.0
    return float(min(2 ** min(over, 16), settings.LOGIN_DELAY_MAX_SECONDS))


def check_sign_in_allowed(*, username: str, address: str) -> None:
    """Raise SignInRefused when ``username`` is locked out for ``address``, ``address`` is
    refused, or ``address`` must still wait after its last failure on ``username``
    (:func:`delay_after`); otherwise return at once. Never sleeps.

    Reads only. The caller records the refusal (``AuditAction.SIGN_IN_REFUSED``), which does not
    count as a failure, so waiting always ends a lock-out or a delay.
    """
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    # One query gives the pair's failures and the last of them (the lock and the delay).
    pair: dict[str, Any] = (
        _failures_since_last_success(username)
        .filter(address=address)
        .aggregate(count=Count("pk"), last=Max("created_at"))
        if username
        else {"count": 0, "last": None}
    )
    count: int = pair["count"]
    last: dt.datetime | None = pair["last"]
    if username and count >= settings.LOGIN_MAX_FAILURES:
        raise SignInRefused(
            _(
                "Too many failed sign-ins for this account. Try again in %(minutes)d minutes, "
                "or reset your password."
            )
            % {"minutes": minutes},
            retry_after=minutes * 60,
        )
    if address:
        failures = AuditEvent.objects.filter(
            address=address, action=AuditAction.SIGN_IN_FAILED, created_at__gte=_window_start()
        ).count()
        if failures >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS:
            raise SignInRefused(
                _("Too many failed sign-ins from your network. Try again in %(minutes)d minutes.")
                % {"minutes": minutes},
                retry_after=minutes * 60,
            )
    delay = delay_after(count)
    if delay and last is not None:
        left = (last + dt.timedelta(seconds=delay) - timezone.now()).total_seconds()
        if left > 0:
            seconds = math.ceil(left)
            raise SignInRefused(
                ngettext(
                    "Too many failed sign-ins. Try again in %(seconds)d second.",
                    "Too many failed sign-ins. Try again in %(seconds)d seconds.",
                    seconds,
                )
                % {"seconds": seconds},
                retry_after=seconds,
            )
