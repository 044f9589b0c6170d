"""Money as the viewer reads it: in the listing's currency, with the viewer's currency beside it.

Amounts are ``Decimal`` with an ISO 4217 currency, always. The figure beside is converted with
the platform's own rates (:mod:`dualcirc.l10n.rates`) and carries the rate's date, so a buyer
sees "CN¥120.00 ≈ $16.55 (rate of 5 Dec 2026)" and knows which rate made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency

from dualcirc.l10n.languages import babel_locale, viewer_currency
from dualcirc.l10n.rates import Conversion, Converter, RateMissing, display_converter


def format_money(amount: Decimal, currency: str, *, language: str | None = None) -> str:
    """``Decimal('120.5'), 'USD'`` → ``US$120.50`` (zh) / ``$120.50`` (en) / ``120,50 US$`` (vi).

    Sub-cent prices (buttons, zips) keep their digits instead of rounding to zero.
    """
    if not isinstance(amount, Decimal):
        raise TypeError("Money amounts are Decimal, never float.")
    return format_currency(
        amount, currency.upper(), locale=babel_locale(language), decimal_quantization=False
    )


def format_price_range(
    low: Decimal | None, high: Decimal | None, currency: str, *, language: str | None = None
) -> str:
    """``120–150 USD`` as ``$120.00 – $150.00``; one price when both ends are equal; ``""``
    without a price or a currency."""
    if low is None or not currency:
        return ""
    if high is None or high == low:
        return format_money(low, currency, language=language)
    return (
        f"{format_money(low, currency, language=language)} – "
        f"{format_money(high, currency, language=language)}"
    )


@dataclass(frozen=True)
class ShownMoney:
    """An amount (or a price range) as shown: the listing's own figure and, where the viewer's
    currency differs and a rate is known, the converted figure with its rate and date."""

    text: str  # in the listing's currency
    converted_text: str  # in the viewer's currency; "" when the same currency or no rate
    currency: str
    target: str
    rate: Decimal | None = None
    rate_date: date | None = None
    source: str = ""

    @property
    def converted(self) -> bool:
        return bool(self.converted_text)


def show_money(
    low: Decimal | None,
    currency: str,
    *,
    high: Decimal | None = None,
    target: str | None = None,
    language: str | None = None,
    user: Any = None,
    converter: Converter | None = None,
) -> ShownMoney | None:
    """``low`` (to ``high``) of ``currency`` with the figure in ``target`` (default: the viewer's
    currency, :func:`~dualcirc.l10n.languages.viewer_currency`) beside it.

    Converted with ``converter`` (default: today's cached display rates, no query per figure).
    Without a known rate the converted figure is left out rather than guessed. None when there
    is no amount or no currency.
    """
    if low is None or not currency:
        return None
    currency = currency.upper()
    target = (target or viewer_currency(language, user=user)).upper()
    text = format_price_range(low, high, currency, language=language)
    if target == currency:
        return ShownMoney(text, "", currency, target)
    converter = converter or display_converter()
    try:
        first: Conversion = converter.convert(low, currency, target)
        last = converter.convert(high, currency, target) if high is not None else first
    except RateMissing:
        return ShownMoney(text, "", currency, target)
    converted_text = format_price_range(first.converted, last.converted, target, language=language)
    return ShownMoney(
        text, converted_text, currency, target, first.rate, first.rate_date, first.source
    )
