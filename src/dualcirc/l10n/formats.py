"""Dates, numbers, percentages, countries and enum labels in the viewer's locale (babel).

One style across the site: dates in the locale's medium form ("Dec 7, 2026", "2026年12月7日",
"7 thg 12, 2026"), months as "Dec 2026" / "2026年12月", times in 24 or 12 hours as the locale
writes them. Aware datetimes are shown in the current Django time zone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton
from babel.dates import format_time as babel_format_time
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_format_percent
from django.utils import timezone

from dualcirc.l10n.languages import babel_locale

DATE_STYLE = "medium"
TIME_STYLE = "short"


Zone = str | dt.tzinfo | None


def _local(value: dt.datetime, zone: Zone = None) -> dt.datetime:
    """An aware datetime in ``zone`` (a name or tzinfo), else in the current time zone."""
    if not timezone.is_aware(value):
        return value
    if zone is None:
        return timezone.localtime(value)
    return value.astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone)


def format_date(value: dt.date | dt.datetime | None, *, language: str | None = None) -> str:
    """``2026-12-07`` → ``Dec 7, 2026`` / ``2026年12月7日`` / ``7 thg 12, 2026``; ``""`` if none."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    return babel_format_date(value, DATE_STYLE, locale=babel_locale(language))


def format_datetime(
    value: dt.datetime | None, *, zone: Zone = None, language: str | None = None
) -> str:
    """The date as :func:`format_date` and the time (hours and minutes) in ``zone`` (default:
    the current time zone): ``Dec 7, 2026, 2:05 PM`` / ``2026年12月7日 14:05``."""
    if value is None:
        return ""
    value = _local(value, zone)
    locale = babel_locale(language)
    date_part = babel_format_date(value.date(), DATE_STYLE, locale=locale)
    time_part = babel_format_time(value.time(), TIME_STYLE, locale=locale)
    pattern = Locale.parse(locale).datetime_formats[DATE_STYLE]
    return str(pattern).replace("{1}", date_part).replace("{0}", time_part)


def format_time(
    value: dt.datetime | dt.time | None, *, zone: Zone = None, language: str | None = None
) -> str:
    """Hours and minutes as the locale writes them: ``2:05 PM`` / ``14:05``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value, zone).time()
    return babel_format_time(value, TIME_STYLE, locale=babel_locale(language))


def format_month(value: dt.date | str | None, *, language: str | None = None) -> str:
    """A month (a date in it, or ``"2026-11"``) as ``Nov 2026`` / ``2026年11月`` /
    ``thg 11 2026``."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(f"{value[:7]}-01")
    elif isinstance(value, dt.datetime):
        value = _local(value).date()
    return format_skeleton("yMMM", value, locale=babel_locale(language))


def format_number(
    value: Decimal | int | float | None, *, digits: int | None = None, language: str | None = None
) -> str:
    """``1500.5`` → ``1,500.5`` (en, zh) / ``1.500,5`` (vi); with ``digits``, exactly that many
    decimals; ``""`` for none."""
    if value is None:
        return ""
    if digits is None:
        return format_decimal(value, locale=babel_locale(language))
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, pattern, locale=babel_locale(language))


def format_quantity(value: Decimal | None, *, language: str | None = None) -> str:
    """``Decimal('1500.500')`` → ``1,500.5``; ``""`` for no value."""
    return format_number(value, language=language)


def format_percent(
    points: Decimal | int | float | str | None, *, digits: int = 1, language: str | None = None
) -> str:
    """A share given in percentage points (``68`` for 68 %) as the locale writes it, with
    ``digits`` decimals: ``68.0%`` (en, zh) / ``68,0%`` (vi); ``""`` for none."""
    if points is None or points == "":
        return ""
    share = Decimal(str(points)) / 100
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return babel_format_percent(share, pattern, locale=babel_locale(language))


def country_name(code: str | None, *, language: str | None = None) -> str:
    """The name of an ISO 3166-1 alpha-2 country or territory in the viewer's language:
    ``TH`` → ``Thailand`` / ``泰国`` / ``Thái Lan``. An unknown code comes back as given (it is
    data someone typed, not a code of ours)."""
    key = (code or "").strip().upper()
    try:
        names = Locale.parse(babel_locale(language)).territories
    except (UnknownLocaleError, ValueError):
        names = Locale.parse("en").territories
    return str(names.get(key, code or ""))


def choice_label(choices: Any, value: Any) -> str:
    """The translated label of ``value`` in a ``TextChoices``/``IntegerChoices`` class (or a
    ``choices`` list): ``AlertLevel, "green"`` → ``Green`` / ``绿色``. An unknown value is
    shown as it is, never dropped."""
    if value is None or value == "":
        return ""
    pairs = getattr(choices, "choices", choices)
    for key, label in pairs:
        if str(key) == str(value):
            return str(label)
    return str(value)
