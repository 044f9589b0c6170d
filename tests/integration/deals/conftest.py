"""Deals tests search suppliers with the search tests' small fake embedder, never the real
model, and start each test with an empty in-memory index."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dualcirc.search.service import get_service
from tests.factories.search import FAKE_EMBEDDER


@pytest.fixture(autouse=True)
def _search_settings(settings: pytest.FixtureRequest) -> Iterator[None]:
    settings.SEARCH_EMBEDDER = FAKE_EMBEDDER  # type: ignore[attr-defined]
    get_service().reset()
    yield
    get_service().reset()
