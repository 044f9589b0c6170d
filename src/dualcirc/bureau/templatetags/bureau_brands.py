"""``{% load bureau_brands %}``: the own-brand and channel-readiness panel of the bureau's
dashboard (``{% own_brand_panel scope %}``) and of an enterprise's file
(``{% own_brand_block enterprise %}``), kept out of the pages' views so that the panel is one
include on each page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from dualcirc.bureau.charts_brands import enterprise_rows, own_brand_chart, readiness_chart
from dualcirc.catalog.models import Enterprise
from dualcirc.channels.queries_brands import summarise_own_brands
from dualcirc.channels.readiness import channel_name
from dualcirc.channels.rules import load_rule_book
from dualcirc.l10n import format_month

register = template.Library()


def _channel_names(keys: tuple[str, ...]) -> list[str]:
    book = load_rule_book()
    language = get_language() or "en"
    return [channel_name(book.channels[k], language) for k in keys]


@register.inclusion_tag("bureau/partials/own_brand_panel.html")
def own_brand_panel(scope: Any) -> dict[str, Any]:
    """Own-brand share per belt and enterprise, readiness per belt, of a resolved bureau
    scope (its enterprises are already those its user may see)."""
    summary = summarise_own_brands(scope.enterprises)
    return {
        "summary": summary,
        "charts": [own_brand_chart(summary), readiness_chart(summary)] if summary.total.products
        else [],
        "enterprises": enterprise_rows(summary),
        "moves": [(format_month(m), n) for m, n in summary.oem_to_brand],
        "channel_names": _channel_names(summary.channels),
    }  # fmt: skip


@register.inclusion_tag("bureau/partials/own_brand_block.html")
def own_brand_block(enterprise: Enterprise) -> dict[str, Any]:
    """One enterprise's own-brand share, readiness per channel and its last OEM → brand moves
    (the caller has checked that its user may see the enterprise)."""
    summary = summarise_own_brands(Enterprise.objects.filter(pk=enterprise.pk))
    rows = enterprise_rows(summary)
    return {
        "row": rows[0] if rows else None,
        "channels": list(zip(_channel_names(summary.channels), rows[0]["ready"], strict=True))
        if rows
        else [],
        "moves": [(format_month(m), n) for m, n in summary.oem_to_brand[-12:]],
    }
