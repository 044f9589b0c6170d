"""``{% load bureau_format %}``: amounts in 万元/亿元 or millions, signed growth rates and
changes in percentage points, in the viewer's language (:mod:`dualcirc.l10n.amounts`)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from dualcirc.l10n.amounts import AmountScale, format_amount, format_growth, format_points

register = template.Library()


@register.filter
def amount(value: Decimal | int | None, currency: str = "CNY") -> str:
    """``{{ total|amount }}`` → ``8.18亿元`` / ``CN¥817.97 million``; ``—`` for none."""
    return format_amount(value, currency=currency or "CNY") or "—"


@register.filter
def growth(rate: Decimal | int | None) -> str:
    """``{{ g.rate|growth }}`` → ``+5.3%``; ``—`` for none."""
    return format_growth(rate) or "—"


@register.filter
def points(change: Decimal | int | None) -> str:
    """``{{ change|points }}`` → ``+1.2 pp`` / ``+1.2个百分点``; ``—`` for none."""
    return format_points(change) or "—"


@register.filter
def in_unit(value: Decimal | int | None, scale: AmountScale) -> str:
    """``{{ f.revenue|in_unit:scale }}``: the amount in the column's unit (named in its
    header); ``—`` for none."""
    return scale.format(None if value is None else Decimal(value)) or "—"
