from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "index"


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code running outside a request (domain functions, commands) speaks English in tests unless
    a test activates another language; requests pick their language from the URL as always."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _no_after_response_queue_left():
    """A response a test never closed (a streamed one left unread) leaves its request's
    after-response queue open; the next test starts outside any request (docs/demand.md)."""
    from dualcirc.demand.after_response import discard_queue

    discard_queue()
    yield
    discard_queue()


@pytest.fixture(autouse=True)
def _fresh_exchange_rates():
    """Searches cache the rate table per process; each test starts from its own database's."""
    from dualcirc.search.rates import forget_cached_rates

    forget_cached_rates()
    yield
    forget_cached_rates()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip("../shared/data is not beside the checkout")
    return SHARED_DATA
