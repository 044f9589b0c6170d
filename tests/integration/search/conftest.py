"""Search tests run with a small fake embedder and tasks executed inline (ImmediateBackend);
a test that needs the recorded-not-run behaviour of production's queue asks for
``dummy_tasks``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from dualcirc.search.indexing import embedding_model
from dualcirc.search.service import get_service
from tests.factories.search import FAKE_EMBEDDER, FakeEmbedder

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _search_settings(settings: Any) -> Iterator[None]:
    settings.SEARCH_EMBEDDER = FAKE_EMBEDDER
    settings.TASKS = IMMEDIATE
    get_service().reset()
    yield
    get_service().reset()


@pytest.fixture
def dummy_tasks(settings: Any) -> None:
    """Tasks are recorded, not run: what a request sees before the worker gets to them."""
    settings.TASKS = DUMMY


@pytest.fixture
def fake_model() -> FakeEmbedder:
    model = embedding_model()
    assert isinstance(model, FakeEmbedder)
    model.passages.clear()
    model.queries.clear()
    return model
