from typing import Any

from django.http import HttpRequest

from dualcirc.notify.domain import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the bell in the top bar (one COUNT query per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(user)}
