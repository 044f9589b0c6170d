"""Shared fixtures of the bureau's integration tests."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal as D

import pytest
from django.test import Client

from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import make_government_user
from tests.factories.bureau import make_figures
from tests.factories.tasks import clear_queue


@pytest.fixture(autouse=True)
def no_queued_tasks() -> Iterator[None]:
    """Each test starts and ends with an empty task queue (the tests' DummyBackend)."""
    clear_queue()
    yield
    clear_queue()


# Three enterprises whose June 2025 revenues add up to 817,969,149 yuan.
REVENUES = [D(272_656_383), D(272_656_383), D(272_656_383)]


@pytest.fixture
def client_and_regions():  # type: ignore[no-untyped-def]
    regions = make_region_tree()
    for i, revenue in enumerate(REVENUES):
        region = regions["laixi"] if i < 2 else regions["jiaozhou"]
        e = make_enterprise(region=region, name_zh=f"青岛{i}厂")
        make_figures(enterprise=e, month="2024-06", revenue=revenue - 20_000_000,
                     output_value=revenue, domestic={"tmall": 50_000_000, "jd": 10_000_000},
                     exports={"US": 150_000_000, "DE": 40_000_000})  # fmt: skip
        make_figures(enterprise=e, month="2025-06", revenue=revenue, output_value=revenue,
                     domestic={"tmall": 60_000_000, "jd": 12_000_000},
                     exports={"US": 160_000_000, "DE": 40_656_383})  # fmt: skip
    client = Client()
    client.force_login(make_government_user(region=regions["qingdao"]))
    return client, regions
