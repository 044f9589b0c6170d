"""Optional TOTP two-factor sign-in (RFC 6238, the codes of any authenticator app).

Government and operator accounts may turn it on (``access.can_use_two_factor``); once on,
signing in asks for the current code after the password (core.views.SignInView and
``sign_in_verify``). Each accepted code is used once (``TotpDevice.last_used_step``); a wrong
code counts as a failed sign-in for the lock-out (core.signin).
"""

from __future__ import annotations

import time
from typing import Any

import pyotp
import segno
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.core.access import can_use_two_factor, require
from dualcirc.core.audit import record_event
from dualcirc.core.enums import AuditAction
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.core.models import ApiToken, TotpDevice

ISSUER = "dualcirc"
STEP_SECONDS = 30
VALID_WINDOW = 1  # also accept the code of the step before and after (clock drift)


def is_enabled(user: Any) -> bool:
    """Whether ``user`` must give a TOTP code when signing in."""
    return TotpDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).exists()


def _matching_step(secret: str, code: str, *, at: float | None = None) -> int | None:
    """The time step whose code is ``code`` (within the window), else None."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    now = time.time() if at is None else at
    current = int(now // STEP_SECONDS)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(current + offset), code):
            return current + offset
    return None


def _code_error() -> InvalidInput:
    return InvalidInput(
        _("The code is not right."),
        [
            FieldError(
                field="code",
                message=_("Enter the 6-digit code your authenticator app shows now."),
            )
        ],
    )


def _use_code(device: TotpDevice, code: str) -> bool:
    """Accept ``code`` for ``device`` once: a step at or before the last one used is refused.
    The conditional update makes two requests with the same code race safely."""
    step = _matching_step(device.secret, code)
    if step is None:
        return False
    used = TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
        last_used_step=step
    )
    return used == 1


def verify_sign_in_code(*, user: Any, code: str) -> bool:
    """Whether ``code`` is the user's current, not yet used TOTP code.

    Side effect: marks the code used. Does not record failures (the sign-in view does).
    """
    device = TotpDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).first()
    return device is not None and _use_code(device, code)


@transaction.atomic
def begin_totp_setup(*, actor: Any) -> TotpDevice:
    """Draw a new secret for the actor's authenticator, not yet in force.

    Raises AccessDenied for accounts that may not use two-factor sign-in, InvalidInput when it
    is already on. Replaces an earlier unconfirmed secret.
    """
    require(
        can_use_two_factor(actor),
        _("Two-factor sign-in is for government and operator accounts."),
    )
    if is_enabled(actor):
        raise InvalidInput(_("Two-factor sign-in is already on."), [])
    TotpDevice.objects.filter(user_id=actor.pk).delete()
    return TotpDevice.objects.create(user=actor, secret=pyotp.random_base32())


@transaction.atomic
def confirm_totp_setup(*, actor: Any, code: str) -> TotpDevice:
    """Turn two-factor sign-in on, once the actor proves their app shows the right code.

    Side effects: the device is confirmed; an audit entry ``two_factor_enabled``; every API
    token the actor had is revoked (each audited ``api_token_revoked``): a token issued with
    the password alone would otherwise keep working without the second factor.
    Raises InvalidInput naming ``code`` when it is wrong, or when no setup was begun.
    """
    device = TotpDevice.objects.filter(user_id=actor.pk, confirmed_at__isnull=True).first()
    if device is None:
        raise InvalidInput(_("Start the set-up first."), [])
    if not _use_code(device, code):
        raise _code_error()
    device.refresh_from_db()
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    record_event(action=AuditAction.TWO_FACTOR_ENABLED, actor=actor, target=f"core.user:{actor.pk}")
    for token in ApiToken.objects.filter(user_id=actor.pk):
        record_event(
            action=AuditAction.API_TOKEN_REVOKED,
            actor=actor,
            target=f"core.apitoken:{token.pk} user={token.user_id}",
            summary=token.name,
            detail={"reason": "two_factor_enabled"},
        )
        token.delete()
    return device


@transaction.atomic
def disable_totp(*, actor: Any, code: str) -> None:
    """Turn two-factor sign-in off; the current code is asked so a left-open session cannot.

    Side effects: the device is deleted; an audit entry ``two_factor_disabled``.
    """
    device = TotpDevice.objects.filter(user_id=actor.pk, confirmed_at__isnull=False).first()
    if device is None:
        raise InvalidInput(_("Two-factor sign-in is not on."), [])
    if not _use_code(device, code):
        raise _code_error()
    device.delete()
    record_event(
        action=AuditAction.TWO_FACTOR_DISABLED, actor=actor, target=f"core.user:{actor.pk}"
    )


def provisioning_uri(device: TotpDevice) -> str:
    """The ``otpauth://`` URI an authenticator app reads (from the QR code or typed in)."""
    return pyotp.TOTP(device.secret, interval=STEP_SECONDS).provisioning_uri(
        name=device.user.get_username(), issuer_name=ISSUER
    )


def qr_code_svg(device: TotpDevice) -> str:
    """The provisioning URI as an inline SVG QR code (no script, no external request)."""
    return str(segno.make(provisioning_uri(device), error="m").svg_inline(scale=4))
