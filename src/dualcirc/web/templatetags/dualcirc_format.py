"""Template filters for trade data: ``{% load dualcirc_format %}``.

Thin wrappers around :mod:`dualcirc.web.formatting`; they format for the active language.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from dualcirc.web import formatting

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """``{{ product.price_min|money:product.currency }}``"""
    if amount is None or not currency:
        return ""
    return formatting.format_money(amount, currency)


@register.filter
def price_range(product: Any) -> str:
    """``{{ product|price_range }}`` → ``$120.00 – $150.00``"""
    return formatting.format_price_range(product.price_min, product.price_max, product.currency)


@register.filter
def quantity(value: Decimal | None) -> str:
    return formatting.format_quantity(value)


@register.filter
def country_name(code: str) -> str:
    return formatting.country_name(code)


@register.filter
def local_name(obj: Any) -> str:
    return formatting.local_name(obj)


@register.filter
def listing_language_name(code: str) -> str:
    return formatting.listing_language_name(code)


@register.filter
def business_model_name(code: str) -> str:
    return formatting.business_model_name(code)


@register.simple_tag
def preferred_text(obj: Any, field: str) -> formatting.LocalText | None:
    """``{% preferred_text product "title" as title %}`` → ``title.text``, ``title.lang``"""
    return formatting.preferred_text(obj, field)


@register.simple_tag
def secondary_text(obj: Any, field: str) -> formatting.LocalText | None:
    """``{% secondary_text product "title" as other %}``: the next best language, or None."""
    return formatting.secondary_text(obj, field)


@register.simple_tag
def listing_texts(obj: Any, field: str) -> list[formatting.LocalText]:
    """``{% listing_texts product "description" as descriptions %}``"""
    return formatting.listing_texts(obj, field)
