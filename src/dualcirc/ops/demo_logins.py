"""The demo's published logins must not reach production.

``dualcirc demo`` marks the accounts it creates: their e-mail address is in the demo's own
domain (``…@demo.dualcirc.example``), and their passwords are published (demo/places.py and the
command's output). Production refuses to start while any such account can still sign in with a
published password (:func:`demo_logins_problem`: the production server, ``check --deploy``);
``dualcirc disable-demo-logins`` (:func:`disable_demo_logins`) closes them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

DEMO_EMAIL_DOMAIN = "@demo.dualcirc.example"
DISABLE_COMMAND = "dualcirc disable-demo-logins"


def _published_passwords() -> dict[str, str]:
    """Username → the demo's published password for it."""
    from dualcirc.demo.places import LOGINS

    return {spec.username: spec.password for spec in LOGINS}


def demo_accounts_with_published_passwords() -> list[Any]:
    """Active accounts that ``dualcirc demo`` made (by their mark or name) and that still sign
    in with a published demo password, by username."""
    from django.db.models import Q

    from dualcirc.core.models import User

    published = _published_passwords()
    every_password = sorted(set(published.values()))
    candidates = User.objects.filter(
        Q(email__iendswith=DEMO_EMAIL_DOMAIN) | Q(username__in=published), is_active=True
    ).order_by("username")
    found = []
    for user in candidates:
        if not user.has_usable_password():
            continue
        tried = [published[user.username]] if user.username in published else every_password
        if any(user.check_password(password) for password in tried):
            found.append(user)
    return found


def demo_logins_problem() -> str | None:
    """Why production must not start, naming the accounts and the command; None when no
    account has a published demo password. English: read by whoever installs the server."""
    users = demo_accounts_with_published_passwords()
    if not users:
        return None
    names = ", ".join(u.get_username() for u in users[:10])
    more = f" and {len(users) - 10} more" if len(users) > 10 else ""
    return (
        f"{len(users)} account(s) still sign in with the demo's published passwords "
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

    users = demo_accounts_with_published_passwords()
    ids = {str(u.pk) for u in users}
    for user in users:
        user.set_unusable_password()
        user.is_active = False
        user.save(update_fields=["password", "is_active"])
    ApiToken.objects.filter(user__in=users).delete()
    for session in Session.objects.all().iterator():
        if session.get_decoded().get("_auth_user_id") in ids:
            session.delete()
    return [u.get_username() for u in users]
