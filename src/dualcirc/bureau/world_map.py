"""The world map of export destinations, drawn only on a base map the operator installs.

A map that a government body in China publishes must be an approved one (审图号, e.g. the
standard map of the Ministry of Natural Resources' 标准地图服务), and no map data on the
package registries is; so dualcirc ships none. The operator points ``DUALCIRC_WORLD_MAP`` at a
GeoJSON FeatureCollection of countries (each feature's ``DUALCIRC_WORLD_MAP_CODE_PROPERTY``
holding its ISO 3166-1 alpha-2 code) and ``DUALCIRC_WORLD_MAP_APPROVAL`` at the approval
number printed under the map. Without them the destinations stay ranked bars.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class WorldMap:
    path: Path
    code_property: str
    approval: str
    codes: frozenset[str]  # the ISO alpha-2 codes the map draws
    data: bytes  # the GeoJSON as served to the browser


def configured_world_map() -> WorldMap | None:
    """The installed base map, read and checked once per file version; None when none is
    configured. A configured map that cannot be used raises ImproperlyConfigured naming the
    setting and the problem (the system check reports the same at start-up)."""
    raw = getattr(settings, "WORLD_MAP", "")
    if not raw:
        return None
    path = Path(raw)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise ImproperlyConfigured(f"DUALCIRC_WORLD_MAP: cannot read {path}: {exc}") from exc
    return _load(path, mtime, settings.WORLD_MAP_CODE_PROPERTY, settings.WORLD_MAP_APPROVAL)


@lru_cache(maxsize=2)
def _load(path: Path, _mtime: int, code_property: str, approval: str) -> WorldMap:
    if not approval.strip():
        raise ImproperlyConfigured(
            "DUALCIRC_WORLD_MAP_APPROVAL is empty: a published map must show its approval "
            "number (审图号)."
        )
    data = path.read_bytes()
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImproperlyConfigured(f"DUALCIRC_WORLD_MAP: {path} is not JSON: {exc}") from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ImproperlyConfigured(
            f"DUALCIRC_WORLD_MAP: {path} is not a GeoJSON FeatureCollection."
        )
    codes = set()
    for index, feature in enumerate(document.get("features") or []):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = properties.get(code_property) if isinstance(properties, dict) else None
        if not isinstance(code, str) or len(code) != 2 or not code.isascii() or not code.isupper():
            continue  # a feature without an ISO code (oceans, disputed areas) is drawn, not keyed
        if not isinstance(feature.get("geometry"), dict):
            raise ImproperlyConfigured(
                f"DUALCIRC_WORLD_MAP: feature {index} ({code}) of {path} has no geometry."
            )
        codes.add(code)
    if not codes:
        raise ImproperlyConfigured(
            f"DUALCIRC_WORLD_MAP: no feature of {path} has a two-letter ISO code in the "
            f"property {code_property!r} (DUALCIRC_WORLD_MAP_CODE_PROPERTY)."
        )
    return WorldMap(path, code_property, approval.strip(), frozenset(codes), data)


def check_world_map() -> str | None:
    """The configured map's problem in a sentence, or None (for the system check)."""
    try:
        configured_world_map()
    except ImproperlyConfigured as exc:
        return str(exc)
    return None
