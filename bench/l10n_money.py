"""What showing the viewer's currency beside a price costs per product card.

Run: ``.venv/bin/python bench/l10n_money.py``. Prints the time per call of
``dualcirc.l10n.show_money`` (a CNY price range with its USD figure, warm rates: what a product
card pays) beside the baseline ``format_price_range`` (the listing's figure alone, what a card
paid before), in the same process.
"""

from __future__ import annotations

import os
import timeit
from datetime import date
from decimal import Decimal

import django

CALLS = 20_000


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualcirc.settings")
    django.setup()
    from django.utils import translation

    from dualcirc.l10n.money import format_price_range, show_money
    from dualcirc.l10n.rates import Converter, RateBook

    converter = Converter(date(2026, 10, 30), book=RateBook())  # ECB rates, no database
    low, high = Decimal("120"), Decimal("150")
    with translation.override("en"):
        both = timeit.timeit(
            lambda: show_money(low, "CNY", high=high, converter=converter), number=CALLS
        )
        alone = timeit.timeit(lambda: format_price_range(low, high, "CNY"), number=CALLS)
    print(f"show_money, CNY range + USD figure (now):   {both / CALLS * 1e6:7.1f} µs per card")
    print(f"format_price_range, CNY range (baseline):  {alone / CALLS * 1e6:7.1f} µs per card")
    print(f"24 cards a page: +{(both - alone) / CALLS * 24 * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
