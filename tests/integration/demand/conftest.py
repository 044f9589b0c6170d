"""Demand tests search through the real search pages: the search app's small fake embedder,
tasks run inline."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from dualcirc.search.service import get_service
from tests.factories.search import FAKE_EMBEDDER


@pytest.fixture(autouse=True)
def _search_settings(settings: Any) -> Iterator[None]:
    settings.SEARCH_EMBEDDER = FAKE_EMBEDDER
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    get_service().reset()
    yield
    get_service().reset()
