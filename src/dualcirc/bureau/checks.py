"""System checks of the bureau's configuration (run at start-up and by ``dualcirc check``)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register


@register()
def world_map_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """A configured world map must be a readable GeoJSON of countries with its approval
    number; else the dashboard would fail where it draws the map."""
    from dualcirc.bureau.world_map import check_world_map

    problem = check_world_map()
    if problem is None:
        return []
    return [Error(problem, hint="See docs/bureau.md, world map.", id="dualcirc.bureau.E001")]
