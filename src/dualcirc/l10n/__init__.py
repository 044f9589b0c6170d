"""Presentation rules, in one home low in the layering: what a viewer reads, in their language.

- :mod:`~dualcirc.l10n.languages` — the viewer's language family (zh, en, vi), babel locale and
  default currency;
- :mod:`~dualcirc.l10n.text` — names and listing text in the viewer's language, else the
  original, marked;
- :mod:`~dualcirc.l10n.money` — money in the listing's currency with the viewer's beside it;
- :mod:`~dualcirc.l10n.rates` — the platform's rate store (ECB offline series + operator rates)
  and conversions;
- :mod:`~dualcirc.l10n.formats` — dates, numbers, percentages, countries, enum labels (babel).

Every app may import this package; it imports no app (``core.errors`` and the pure
``matching.types`` only). Templates reach it through ``{% load dualcirc_format %}``.
"""

from dualcirc.l10n.formats import (
    choice_label,
    country_name,
    format_date,
    format_datetime,
    format_month,
    format_number,
    format_percent,
    format_quantity,
    format_time,
)
from dualcirc.l10n.languages import active_language, babel_locale, language_family, viewer_currency
from dualcirc.l10n.money import ShownMoney, format_money, format_price_range, show_money
from dualcirc.l10n.text import (
    LocalText,
    language_name,
    listing_texts,
    local_name,
    local_text,
    other_text,
)

__all__ = [
    "LocalText",
    "ShownMoney",
    "active_language",
    "babel_locale",
    "choice_label",
    "country_name",
    "format_date",
    "format_datetime",
    "format_money",
    "format_month",
    "format_number",
    "format_percent",
    "format_price_range",
    "format_quantity",
    "format_time",
    "language_family",
    "language_name",
    "listing_texts",
    "local_name",
    "local_text",
    "other_text",
    "show_money",
    "viewer_currency",
]
