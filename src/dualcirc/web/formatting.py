"""Locale-aware display of trade data: money, quantities, countries, names kept in two scripts.

Everything here formats for the active Django language (``zh-hans`` or ``en``) unless a
language is given; nothing reads the database.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

import pycountry
from babel.numbers import format_currency, format_decimal
from django.conf import settings
from django.utils.translation import get_language, to_locale

from dualcirc.catalog.enums import BusinessModel, ListingLanguage

# Order in which a listing's texts are preferred, by UI language.
_TEXT_PREFERENCE = {"zh": ("zh", "en", "vi"), "en": ("en", "zh", "vi")}


def active_language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def is_chinese(language: str | None = None) -> bool:
    return (language or active_language()).lower().startswith("zh")


def babel_locale(language: str | None = None) -> str:
    """``zh-hans`` → ``zh_Hans``, ``en`` → ``en``."""
    return to_locale(language or active_language())


def format_money(amount: Decimal, currency: str, *, language: str | None = None) -> str:
    """``Decimal('120.5'), 'USD'`` → ``US$120.50`` (zh) / ``$120.50`` (en).

    Sub-cent prices (buttons, zips) keep their digits instead of rounding to zero.
    """
    if not isinstance(amount, Decimal):
        raise TypeError("money amounts are Decimal, never float")
    return format_currency(
        amount, currency, locale=babel_locale(language), decimal_quantization=False
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


def format_quantity(value: Decimal | None, *, language: str | None = None) -> str:
    """``Decimal('1500.500')`` → ``1,500.5``; ``""`` for no value."""
    if value is None:
        return ""
    return format_decimal(value, locale=babel_locale(language))


@cache
def _country_translations(locale: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True
    )


def country_name(code: str, *, language: str | None = None) -> str:
    """The country's name for an ISO 3166-1 alpha-2 code, in Chinese or English (pycountry);
    the code itself when unknown."""
    country = pycountry.countries.get(alpha_2=(code or "").strip().upper())
    if country is None:
        return code
    common = getattr(country, "common_name", None)
    if is_chinese(language):
        translations = _country_translations("zh_CN")
        if common and translations.gettext(common) != common:
            return translations.gettext(common)
        return translations.gettext(country.name)
    return str(common or country.name)


def local_name(obj: Any, *, language: str | None = None) -> str:
    """The name of a thing kept in two scripts (``name_zh`` / ``name_en``: regions, belts,
    enterprises), in the UI language when it has one."""
    zh = getattr(obj, "name_zh", "") or ""
    en = getattr(obj, "name_en", "") or ""
    return (zh or en) if is_chinese(language) else (en or zh)


@dataclass(frozen=True)
class LocalText:
    """A piece of listing text with the language it is written in (for ``lang=``)."""

    lang: str
    text: str


def listing_texts(obj: Any, field: str) -> list[LocalText]:
    """Every non-empty ``<field>_zh/_en/_vi`` of a listing, in zh, en, vi order."""
    texts = []
    for lang in ListingLanguage.values:
        text = getattr(obj, f"{field}_{lang}", "") or ""
        if text.strip():
            texts.append(LocalText(lang=lang, text=text))
    return texts


def preferred_text(obj: Any, field: str, *, language: str | None = None) -> LocalText | None:
    """The listing's ``field`` in the UI language if written, else the next best language."""
    by_lang = {t.lang: t for t in listing_texts(obj, field)}
    order = _TEXT_PREFERENCE["zh" if is_chinese(language) else "en"]
    for lang in order:
        if lang in by_lang:
            return by_lang[lang]
    return None


def secondary_text(obj: Any, field: str, *, language: str | None = None) -> LocalText | None:
    """The next best language of ``field`` after :func:`preferred_text` (a card shows both, so
    a buyer can quote the factory's own wording)."""
    by_lang = {t.lang: t for t in listing_texts(obj, field)}
    order = [
        lang for lang in _TEXT_PREFERENCE["zh" if is_chinese(language) else "en"] if lang in by_lang
    ]
    return by_lang[order[1]] if len(order) > 1 else None


def listing_language_name(code: str) -> str:
    return str(dict(ListingLanguage.choices).get(code, code))


def business_model_name(code: str) -> str:
    return str(dict(BusinessModel.choices).get(code, code))
