from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from dualcirc.notify.domain import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the bell in the top bar.

    Lazy: the COUNT query runs once, and only when a template shows the bell, so fragments
    (htmx partials, e-mails) rendered with a request cost nothing.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
