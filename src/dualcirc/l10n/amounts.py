"""Large amounts as officials read them: 万元/亿元 in Chinese, million/billion in English and
Vietnamese, with the unit always visible; growth rates (%) kept apart from changes of a share
(percentage points).

- :func:`format_amount` — one figure with its own unit: ``8.18亿元`` / ``CN¥817.97 million`` /
  ``817,97 triệu CN¥``;
- :func:`amount_scale` — one unit for a whole column or chart (``万元``, ``CN¥ million``), so a
  table's numbers compare at a glance and its header names the unit;
- :func:`format_growth` — a signed rate, ``+5.3%``;
- :func:`format_points` — a signed change of a share, ``+1.2 pp`` / ``+1.2个百分点``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, format_decimal, get_currency_symbol

from dualcirc.l10n.languages import babel_locale, language_family

WAN = Decimal(10_000)
YI = Decimal(100_000_000)
MILLION = Decimal(1_000_000)
BILLION = Decimal(1_000_000_000)

# Words for the large units in the languages that use millions and billions.
_WORDS = {
    "en": {MILLION: "million", BILLION: "billion"},
    "vi": {MILLION: "triệu", BILLION: "tỷ"},
}
_POINTS = {"zh": "{n}个百分点", "en": "{n} pp", "vi": "{n} điểm phần trăm"}


@dataclass(frozen=True)
class AmountScale:
    """A unit for a set of amounts: divide by ``divisor``, write ``label`` in the header."""

    divisor: Decimal
    label: str  # "万元", "亿元", "元", "CN¥ million", "CN¥"
    digits: int

    def scaled(self, amount: Decimal) -> Decimal:
        """``amount`` in this unit, rounded to ``digits`` places (a number for a chart)."""
        quantum = Decimal(1).scaleb(-self.digits)
        return (amount / self.divisor).quantize(quantum, ROUND_HALF_UP)

    def format(self, amount: Decimal | None, *, language: str | None = None) -> str:
        """``amount`` in this unit without the unit (the header names it), grouped as the
        locale writes numbers; ``""`` for none."""
        if amount is None:
            return ""
        pattern = "#,##0" + ("." + "0" * self.digits if self.digits else "")
        return format_decimal(self.scaled(amount), pattern, locale=babel_locale(language))


def _symbol(currency: str, language: str | None) -> str:
    return get_currency_symbol(currency.upper(), locale=babel_locale(language))


def _decimal(amount: Decimal | int) -> Decimal:
    if isinstance(amount, float):
        raise TypeError("Amounts are Decimal, never float.")
    return Decimal(amount)


def format_amount(
    amount: Decimal | int | None, *, currency: str = "CNY", language: str | None = None
) -> str:
    """One amount with its unit, to two decimals of the largest unit it reaches.

    Chinese (yuan only): ``817969149`` → ``8.18亿元``, ``1234567`` → ``123.46万元``, below ten
    thousand ``9,876元``. English: ``CN¥817.97 million``, ``CN¥1.23 billion``, below a million
    ``CN¥456,789``. Vietnamese: ``817,97 triệu CN¥``. ``""`` for none.
    """
    if amount is None:
        return ""
    value = _decimal(amount)
    family = language_family(language)
    locale = babel_locale(language)
    magnitude = abs(value)
    if family == "zh" and currency.upper() == "CNY":
        for divisor, unit in ((YI, "亿元"), (WAN, "万元")):
            if magnitude >= divisor:
                number = format_decimal(
                    (value / divisor).quantize(Decimal("0.01"), ROUND_HALF_UP), "#,##0.00",
                    locale=locale,
                )  # fmt: skip
                return f"{number}{unit}"
        whole = value.quantize(Decimal(1), ROUND_HALF_UP)
        return f"{format_decimal(whole, '#,##0', locale=locale)}元"
    words = _WORDS.get(family, _WORDS["en"])
    for divisor in (BILLION, MILLION):
        if magnitude >= divisor:
            scaled = (value / divisor).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if family == "vi":
                text = format_decimal(scaled, "#,##0.00", locale=locale)
                return f"{text} {words[divisor]} {_symbol(currency, language)}"
            return f"{format_currency(scaled, currency.upper(), locale=locale)} {words[divisor]}"
    return format_currency(
        value.quantize(Decimal(1), ROUND_HALF_UP), currency.upper(), "¤#,##0" if family != "vi"
        else "#,##0 ¤", locale=locale, currency_digits=False,
    )  # fmt: skip


def amount_scale(
    amounts: Iterable[Decimal | int | None], *, currency: str = "CNY", language: str | None = None
) -> AmountScale:
    """One unit for a column or a chart, chosen from its largest amount: 亿元 from a hundred
    million, 万元 from ten thousand (Chinese, yuan); million or billion otherwise."""
    largest = max((abs(_decimal(a)) for a in amounts if a is not None), default=Decimal(0))
    family = language_family(language)
    if family == "zh" and currency.upper() == "CNY":
        if largest >= YI:
            return AmountScale(YI, "亿元", 2)
        if largest >= WAN:
            return AmountScale(WAN, "万元", 2)
        return AmountScale(Decimal(1), "元", 0)
    symbol = _symbol(currency, language)
    words = _WORDS.get(family, _WORDS["en"])
    for divisor in (BILLION, MILLION):
        if largest >= divisor:
            label = (f"{words[divisor]} {symbol}" if family == "vi"
                     else f"{symbol} {words[divisor]}")  # fmt: skip
            return AmountScale(divisor, label, 2)
    return AmountScale(Decimal(1), symbol, 0)


def format_growth(
    rate: Decimal | int | None, *, digits: int = 1, language: str | None = None
) -> str:
    """A growth rate given in percent, signed: ``5.25`` → ``+5.3%``, ``-2`` → ``−2.0%``
    (vi ``+5,3%``); ``""`` for none."""
    if rate is None:
        return ""
    value = _decimal(rate)
    quantum = Decimal(1).scaleb(-digits)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    number = format_decimal(abs(value).quantize(quantum, ROUND_HALF_UP), pattern,
                            locale=babel_locale(language))  # fmt: skip
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{number}%"


def format_points(
    change: Decimal | int | None, *, digits: int = 1, language: str | None = None
) -> str:
    """A change of a share in percentage points, signed and named so that it is never read as
    a growth rate: ``1.25`` → ``+1.3 pp`` / ``+1.3个百分点`` / ``+1,3 điểm phần trăm``."""
    if change is None:
        return ""
    value = _decimal(change)
    quantum = Decimal(1).scaleb(-digits)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    number = format_decimal(abs(value).quantize(quantum, ROUND_HALF_UP), pattern,
                            locale=babel_locale(language))  # fmt: skip
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    template = _POINTS.get(language_family(language), _POINTS["en"])
    return template.format(n=f"{sign}{number}")
