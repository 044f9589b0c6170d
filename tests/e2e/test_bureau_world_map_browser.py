"""The export destinations on the operator's installed world base map, drawn by ECharts in a
real browser from the GeoJSON the dashboard's endpoint serves. The screenshot is kept under
DUALCIRC_SCREENSHOTS/bureau (else var/screenshots/bureau)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from tests.factories import PASSWORD, make_enterprise, make_region_tree
from tests.factories.api import make_government_user
from tests.factories.bureau import make_figures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _square(code: str, x: float, y: float) -> dict[str, Any]:
    ring = [[x, y], [x + 20, y], [x + 20, y + 15], [x, y + 15], [x, y]]
    return {"type": "Feature", "properties": {"ISO_A2": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip


def test_official_sees_destinations_shaded_on_the_base_map(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    base_map = tmp_path / "world.geojson"
    features = [_square("US", -110, 30), _square("DE", 5, 45), _square("BR", -60, -20)]
    base_map.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    regions = make_region_tree()
    for i in range(3):
        e = make_enterprise(region=regions["laixi"], name_zh=f"莱西{i}号家具厂")
        make_figures(enterprise=e, month="2025-06", revenue=10_000_000, domestic={"jd": 2_000_000},
                     exports={"US": 6_000_000, "DE": 2_000_000})  # fmt: skip
    make_government_user(username="laixi-bureau", region=regions["laixi"])

    with override_settings(WORLD_MAP=str(base_map), WORLD_MAP_APPROVAL="GS(2026)0001号"):
        page.goto(f"{live_server.url}/zh-hans/accounts/login/")
        page.fill("#id_username", "laixi-bureau")
        page.fill("#id_password", PASSWORD)
        page.press("#id_password", "Enter")
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/zh-hans/bureau/?period=month&month=2025-06")
        figure = page.locator("#chart-destinations-map")
        page.wait_for_selector("#chart-destinations-map .chart-canvas svg path")
        assert "GS(2026)0001号" in figure.inner_text()
        # the three countries drawn, the two with exports shaded darker than the one without
        fills = page.eval_on_selector_all(
            "#chart-destinations-map .chart-canvas svg path",
            "els => els.map(e => e.getAttribute('fill')).filter(f => f && f !== 'none')",
        )
        assert len(set(fills)) >= 3, fills  # US, DE in shades of blue, BR in the base colour
        assert figure.locator("details.chart-table").get_attribute("open") is None
        shots = Path(os.environ.get("DUALCIRC_SCREENSHOTS", Path.cwd() / "var" / "screenshots"))
        (shots / "bureau").mkdir(parents=True, exist_ok=True)
        figure.screenshot(path=str(shots / "bureau" / "world-map-zh-hans.png"))
