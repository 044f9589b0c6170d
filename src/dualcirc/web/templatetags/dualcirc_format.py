"""Template filters and tags for what a viewer reads: ``{% load dualcirc_format %}``.

Thin wrappers around :mod:`dualcirc.l10n` (the one home of presentation rules); they format
for the active language and, for money, the viewer's currency.

Text in the viewer's language, else the original, marked::

    {{ product|local_title }}             <span lang="zh">实木餐桌</span> <small>(original)</small>
    {{ product|local_description }}       the same for the description (paragraphs kept)
    {{ enterprise|local_text:"name" }}    any ``<field>_zh/_en/_vi`` or plain field
    {{ region|local_name }}               plain text (for ``<title>``, ``alt``, sentences)

Money, with the viewer's currency beside it (the platform's rates, with the rate's date)::

    {% money amount currency %}           CN¥120.00 ≈ $16.55 (rate of Dec 5, 2026)
    {% price product %}                   a product's price range, the same way
    {{ amount|money:currency }}           the listing's figure alone

Dates, numbers, countries, enum labels (babel, one style across the site)::

    {{ day|local_date }} {{ moment|local_datetime }} {{ month|local_month }}
    {{ n|number }} {{ n|number:2 }} {{ share|percent }} {{ "TH"|country_name }}
    {{ alert.level|choice_label:"bureau.AlertLevel" }}

The older names (``preferred_text``, ``secondary_text``, ``listing_texts``, ``price_range``,
``quantity``, ``listing_language_name``, ``business_model_name``) keep working.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

from django import template
from django.apps import apps
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import conditional_escape, format_html
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dualcirc import l10n
from dualcirc.l10n.rates import rate_source_label
from dualcirc.l10n.text import ORIGINAL_LABEL, LocalText

register = template.Library()


# --- text -------------------------------------------------------------------------------------


def _render_text(shown: LocalText | None, *, paragraphs: bool = False) -> SafeString:
    if shown is None:
        return mark_safe("")
    body = linebreaks_filter(shown.text, autoescape=True) if paragraphs else shown.text
    tag = "div" if paragraphs else "span"
    html = format_html('<{} lang="{}">{}</{}>', tag, shown.lang, body, tag)
    return format_html("{}{}", html, original_mark(shown)) if shown.original else html


@register.filter
def local_text(obj: Any, field: str = "name") -> SafeString:
    """``{{ enterprise|local_text:"name" }}``: the text in the viewer's language in a ``lang``
    span, else the original with "(original)" beside it."""
    return _render_text(l10n.local_text(obj, field))


@register.filter
def local_title(obj: Any) -> SafeString:
    """``{{ product|local_title }}``"""
    return _render_text(l10n.local_text(obj, "title"))


@register.filter
def local_description(obj: Any) -> SafeString:
    """``{{ product|local_description }}``: paragraphs in a ``<div lang>``."""
    return _render_text(l10n.local_text(obj, "description"), paragraphs=True)


@register.filter
def local_name(obj: Any, field: str = "name") -> str:
    """``{{ region|local_name }}``: plain text, for attributes and sentences."""
    return l10n.local_name(obj, field)


@register.filter
def is_original(obj: Any, field: str = "title") -> bool:
    """``{% if product|is_original:"title" %}``: the viewer reads the original, untranslated."""
    shown = l10n.local_text(obj, field)
    return bool(shown and shown.original)


@register.simple_tag
def preferred_text(obj: Any, field: str) -> LocalText | None:
    """``{% preferred_text product "title" as title %}`` → ``title.text``, ``title.lang``,
    ``title.original``."""
    return l10n.local_text(obj, field)


@register.simple_tag
def secondary_text(obj: Any, field: str) -> LocalText | None:
    """``{% secondary_text product "title" as other %}``: the text shown beside, or None."""
    return l10n.other_text(obj, field)


@register.simple_tag
def listing_texts(obj: Any, field: str) -> list[LocalText]:
    """``{% listing_texts product "description" as descriptions %}``"""
    return l10n.listing_texts(obj, field)


@register.simple_tag
def original_mark(shown: LocalText | None) -> SafeString:
    """``{% original_mark title %}`` after a text shown with ``{% preferred_text %}``: the
    "(original)" label (in the viewer's language, with its ``lang``) when the text is the
    untranslated original, else nothing."""
    if shown is None or not shown.original:
        return mark_safe("")
    return format_html(
        ' <small class="muted original-label" lang="{}">{}</small>',
        l10n.active_language(),
        str(ORIGINAL_LABEL),
    )


# --- money -------------------------------------------------------------------------------------


def _render_money(shown: l10n.ShownMoney | None, per: str = "") -> SafeString:
    """The listing's figure (``/ per`` unit), then the viewer's figure with the rate's date."""
    if shown is None:
        return mark_safe("")
    unit = f" / {per}" if per else ""
    if not shown.converted:
        return conditional_escape(shown.text + unit)
    note = _("rate of %(date)s") % {"date": l10n.format_date(shown.rate_date)}
    return format_html(
        '<span class="money">{}</span>{} <span class="money-converted muted" title="{}">≈ {}{} '
        "<small>({})</small></span>",
        shown.text,
        unit,
        f"1 {shown.currency} = {_plain(shown.rate)} {shown.target} "
        f"({rate_source_label(shown.source)})",
        shown.converted_text,
        unit,
        note,
    )


def _plain(rate: Decimal | None) -> str:
    """``Decimal('0.1400000000')`` → ``0.14``: a rate with its significant digits only."""
    return "" if rate is None else f"{rate.normalize():f}"


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(name="money", takes_context=True)
def money_tag(
    context: template.Context,
    amount: Decimal | None,
    currency: str,
    target: str = "",
    per: str = "",
) -> SafeString:
    """``{% money amount currency %}`` (``per=unit``): the amount, and beside it the amount in
    the viewer's currency (or ``target``) with the rate's date."""
    shown = l10n.show_money(amount, currency, target=target or None, user=_user(context))
    return _render_money(shown, per or "")


@register.simple_tag(takes_context=True)
def price(context: template.Context, product: Any, target: str = "", per: str = "") -> SafeString:
    """``{% price product per=product.unit %}``: a product's price range (per unit) with the
    viewer's currency beside it; empty without a price."""
    shown = l10n.show_money(
        product.price_min,
        product.currency,
        high=product.price_max,
        target=target or None,
        user=_user(context),
    )
    return _render_money(shown, per or "")


@register.filter(name="rate_source")
def rate_source_filter(source: str) -> str:
    """``{{ conversion.source|rate_source }}``: ``ecb+operator`` → ``ECB + operator``."""
    return rate_source_label(source)


@register.filter(name="money")
def money_filter(amount: Decimal | None, currency: str) -> str:
    """``{{ order.total_amount|money:order.currency }}``: the figure alone, no conversion."""
    if amount is None or not currency:
        return ""
    return l10n.format_money(amount, currency)


@register.filter
def price_range(product: Any) -> str:
    """``{{ product|price_range }}`` → ``$120.00 – $150.00`` (no conversion)."""
    return l10n.format_price_range(product.price_min, product.price_max, product.currency)


# --- dates, numbers, countries, labels ---------------------------------------------------------


@register.filter
def local_date(value: dt.date | dt.datetime | None) -> str:
    return l10n.format_date(value)


@register.filter
def local_datetime(value: dt.datetime | None) -> str:
    return l10n.format_datetime(value)


@register.filter
def local_time(value: dt.datetime | dt.time | None) -> str:
    return l10n.format_time(value)


@register.filter
def local_month(value: dt.date | str | None) -> str:
    return l10n.format_month(value)


@register.filter
def number(value: Decimal | int | float | None, digits: int | None = None) -> str:
    """``{{ n|number }}``, ``{{ n|number:0 }}``: grouped as the locale writes numbers."""
    return l10n.format_number(value, digits=None if digits in (None, "") else int(digits))


@register.filter
def quantity(value: Decimal | None) -> str:
    return l10n.format_quantity(value)


@register.filter
def percent(points: Decimal | int | float | str | None, digits: int = 1) -> str:
    """``{{ 68|percent }}`` → ``68.0%``: a share given in percentage points."""
    return l10n.format_percent(points, digits=int(digits))


@register.filter
def country_name(code: str) -> str:
    return l10n.country_name(code)


@cache
def _choices(path: str) -> Any:
    """``"bureau.AlertLevel"`` → the class in ``dualcirc.bureau.enums``; a dotted import path
    works too."""
    if path.count(".") == 1:
        app_label, name = path.split(".")
        return import_string(f"{apps.get_app_config(app_label).name}.enums.{name}")
    return import_string(path)


@register.filter
def choice_label(value: Any, choices: str) -> str:
    """``{{ level|choice_label:"bureau.AlertLevel" }}``: a code's translated label."""
    return l10n.choice_label(_choices(choices), value)


@register.filter
def listing_language_name(code: str) -> str:
    return l10n.choice_label(_choices("catalog.ListingLanguage"), code)


@register.filter
def business_model_name(code: str) -> str:
    return l10n.choice_label(_choices("catalog.BusinessModel"), code)
