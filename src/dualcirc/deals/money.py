"""Operator-entered exchange rates: the writers, and the loader that feeds them to the one rate
store in :mod:`dualcirc.l10n.rates`.

The store itself (the ECB offline series, operator rates, cross rates, conversions with the rate's
date and source) lives low in the layering so that every app — search, catalog pages, deals —
converts with the same rates; this module only writes ``ExchangeRate`` rows (operator only,
audited) and tells the store how to read them. The names below are re-exported from the store
for the deals app's callers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dualcirc.catalog.validators import validate_currency
from dualcirc.core.access import can_manage_exchange_rates, require
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.deals.enums import RateSource
from dualcirc.deals.models import ExchangeRate
from dualcirc.l10n.rates import (
    Conversion,
    Converter,
    OperatorRate,
    Rate,
    RateMissing,
    convert,
    cross_rate,
    ecb_rate,
    ecb_series,
    euro_rate,
    forget_cached_rates,
    minor_digits,
    minor_units,
    rate_table,
)

__all__ = [
    "Conversion",
    "Converter",
    "Rate",
    "RateMissing",
    "convert",
    "cross_rate",
    "ecb_rate",
    "ecb_series",
    "euro_rate",
    "import_exchange_rates",
    "minor_digits",
    "minor_units",
    "operator_rates",
    "rate_table",
    "set_exchange_rate",
]


def operator_rates() -> Iterator[OperatorRate]:
    """Every operator-entered rate, for :func:`dualcirc.l10n.rates.register_operator_rates`
    (one query; within a day, the later entry wins)."""
    rows = ExchangeRate.objects.order_by("date", "created_at", "id").values_list(
        "currency", "base", "rate", "date", "source"
    )
    for currency, base, rate, day, source in rows:
        yield OperatorRate(currency=currency, base=base, rate=rate, date=day, source=str(source))


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
