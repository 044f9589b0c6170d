"""System checks of the production mode that need the database (``dualcirc check --deploy``;
the production server runs them before it starts: web/management/commands/serve.py)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def check_demo_logins(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """No account may still sign in with the demo's published passwords."""
    from dualcirc.ops.demo_logins import DISABLE_COMMAND, demo_logins_problem

    try:
        problem = demo_logins_problem()
    except DatabaseError:  # not migrated yet, or unreachable: nothing to find
        return []
    if problem is None:
        return []
    return [Error(problem, hint=f"Run `{DISABLE_COMMAND}`.", id="dualcirc.E001")]
