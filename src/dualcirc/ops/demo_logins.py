"""The demo's published logins must not reach production.

``dualcirc demo`` marks the accounts it signs in with: each keeps, in ``User.demo_password``,
the hash of the published password it was given (demo/loader.py; their passwords are published
in demo/places.py and the command's output). While an active account's password is still that
hash, it signs in with a published password: production refuses to start
(:func:`demo_logins_problem`: the production server, ``check --deploy``);
``dualcirc disable-demo-logins`` (:func:`disable_demo_logins`) closes them. A new password
(``dualcirc changepassword``, the password pages) changes the hash and so ends the match.

The check is one query comparing two columns: no password is hashed at start-up, however many
accounts there are (each hash costs a PBKDF2/Argon2 run by design).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet

DISABLE_COMMAND = "dualcirc disable-demo-logins"


def demo_accounts_with_published_passwords() -> QuerySet[Any]:
    """Active accounts whose password is still the one ``dualcirc demo`` gave them (its mark),
    by username."""
    from dualcirc.core.models import User

    return (
        User.objects.filter(is_active=True, password=F("demo_password"))
        .exclude(demo_password="")
        .order_by("username")
    )


def demo_logins_problem() -> str | None:
    """Why production must not start, naming the accounts and the command; None when no
    account has a published demo password. English: read by whoever installs the server."""
    names_found = list(demo_accounts_with_published_passwords().values_list("username", flat=True))
    if not names_found:
        return None
    names = ", ".join(names_found[:10])
    more = f" and {len(names_found) - 10} more" if len(names_found) > 10 else ""
    return (
        f"{len(names_found)} account(s) still sign in with the demo's published passwords "
        f"({names}{more}); anyone could sign in as them, the operator as a superuser. Disable "
        f"them with `{DISABLE_COMMAND}`, or give each a new password with "
        "`dualcirc changepassword USERNAME`."
    )


@transaction.atomic
def disable_demo_logins() -> list[str]:
    """Close every account that still has a published demo password: no usable password, not
    active, its API tokens deleted and its sessions ended. Returns the usernames closed."""
    from django.contrib.sessions.models import Session

    from dualcirc.core.models import ApiToken

    users = list(demo_accounts_with_published_passwords())
    ids = {str(u.pk) for u in users}
    for user in users:
        user.set_unusable_password()
        user.is_active = False
        user.demo_password = ""
        user.save(update_fields=["password", "is_active", "demo_password"])
    ApiToken.objects.filter(user__in=users).delete()
    for session in Session.objects.all().iterator():
        if session.get_decoded().get("_auth_user_id") in ids:
            session.delete()
    return [u.get_username() for u in users]
