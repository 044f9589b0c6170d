from typing import Any

from django.http import HttpRequest

from dualcirc.core.access import is_government, is_operator


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "nav_is_operator": is_operator(user),
        "nav_is_government": is_government(user),
    }
