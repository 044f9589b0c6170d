"""The export destinations on a world map, drawn only on the approved base map the operator
installs (DUALCIRC_WORLD_MAP and its approval number): the dashboard's map chart, the base
map's endpoint, and the start-up check that refuses a map that cannot be used."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import run_checks
from django.test import Client, override_settings

from tests.factories.api import make_buyer

pytestmark = pytest.mark.django_db

QUERY = "scope=region:3702&period=month&month=2025-06"
APPROVAL = "GS(2026)0001号"


def _square(code: str | None, x: float, y: float) -> dict:
    ring = [[x, y], [x + 10, y], [x + 10, y + 10], [x, y + 10], [x, y]]
    return {"type": "Feature", "properties": {"ISO_A2": code, "NAME": code or "sea"},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip


@pytest.fixture
def base_map(tmp_path: Path) -> Path:
    path = tmp_path / "world.geojson"
    features = [_square("US", -100, 30), _square("DE", 5, 45), _square("FR", 0, 40),
                _square(None, 60, -40)]  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _spec(html: str, key: str) -> dict:
    start = html.index(f'id="chart-spec-{key}"')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return json.loads(body)


def test_without_a_base_map_the_destinations_stay_bars(client_and_regions: Any) -> None:
    client, _regions = client_and_regions
    html = client.get(f"/en/bureau/?{QUERY}").content.decode()
    assert 'id="chart-destinations"' in html
    assert "chart-destinations-map" not in html
    assert client.get("/en/bureau/world-map.geojson").status_code == 404


def test_the_installed_base_map_shows_the_destinations_with_its_approval(
    client_and_regions: Any, base_map: Path
) -> None:
    client, _regions = client_and_regions
    with override_settings(WORLD_MAP=str(base_map), WORLD_MAP_APPROVAL=APPROVAL):
        html = client.get(f"/zh-hans/bureau/?{QUERY}").content.decode()
        spec = _spec(html, "destinations-map")
        assert spec["url"] == "/zh-hans/bureau/world-map.geojson"
        assert spec["codeProperty"] == "ISO_A2"
        values = {item["name"]: (item["label"], item["value"]) for item in spec["items"]}
        # 480,000,000 and 121,969,149 yuan in 亿元, named in Chinese for the tooltip
        assert values == {"US": ("美国", "4.80"), "DE": ("德国", "1.22")}
        assert APPROVAL in html  # printed under the map
        assert 'id="chart-destinations"' in html  # the ranked bars stay beside it
        served = client.get(spec["url"])
        assert served.status_code == 200
        assert served["Content-Type"] == "application/geo+json"
        assert json.loads(served.content) == json.loads(base_map.read_text())


def test_the_base_map_is_for_bureau_users_only(base_map: Path) -> None:
    buyer = Client()
    buyer.force_login(make_buyer())
    with override_settings(WORLD_MAP=str(base_map), WORLD_MAP_APPROVAL=APPROVAL):
        assert buyer.get("/en/bureau/world-map.geojson").status_code in (403, 404)
        assert Client().get("/en/bureau/world-map.geojson").status_code == 302  # sign in first


@pytest.mark.parametrize(
    ("content", "approval", "problem"),
    [
        ("not json", APPROVAL, "is not JSON"),
        ('{"type": "Feature"}', APPROVAL, "is not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": [{"properties": {"ISO_A2": "us"}}]}',
         APPROVAL, "no feature"),
        (None, "", "DUALCIRC_WORLD_MAP_APPROVAL is empty"),
    ],
)  # fmt: skip
def test_a_base_map_that_cannot_be_used_stops_the_start(
    tmp_path: Path, base_map: Path, content: str | None, approval: str, problem: str
) -> None:
    path = base_map
    if content is not None:
        path = tmp_path / "bad.geojson"
        path.write_text(content)
    with override_settings(WORLD_MAP=str(path), WORLD_MAP_APPROVAL=approval):
        errors = [e for e in run_checks() if e.id == "dualcirc.bureau.E001"]
    assert len(errors) == 1 and problem in errors[0].msg
    missing = tmp_path / "missing.geojson"
    with override_settings(WORLD_MAP=str(missing), WORLD_MAP_APPROVAL=APPROVAL):
        errors = [e for e in run_checks() if e.id == "dualcirc.bureau.E001"]
    assert errors and "cannot read" in errors[0].msg


def test_a_usable_base_map_passes_the_check(base_map: Path) -> None:
    with override_settings(WORLD_MAP=str(base_map), WORLD_MAP_APPROVAL=APPROVAL):
        assert not [e for e in run_checks() if e.id == "dualcirc.bureau.E001"]
