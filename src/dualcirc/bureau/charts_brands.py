"""The bureau's own-brand and channel-readiness charts (issue 13): shares in percent, each with
its table, from ``channels.queries_brands.summarise_own_brands``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dualcirc.bureau.charts import Chart
from dualcirc.channels.queries_brands import BrandRow, BrandSummary
from dualcirc.channels.readiness import channel_name
from dualcirc.channels.rules import load_rule_book
from dualcirc.l10n import format_number, local_name


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else format_number(value, digits=1) + "%"


def _label(row: BrandRow) -> str:
    return (
        local_name(row.key) if row.key is not None and not isinstance(row.key, int) else (row.label)
    )


def own_brand_chart(summary: BrandSummary) -> Chart:
    """The share of own-brand products per belt (products under the enterprise's own brand,
    of all its products)."""
    rows = summary.belts
    return Chart(
        "own-brand", _("Own-brand products by belt"), "hbar", "%",
        [_("Industrial belt"), _("Products"), _("Own brand"), _("Own-brand share")],
        [[_label(r), format_number(r.products), format_number(r.own_brand),
          _pct(r.own_brand_share)] for r in rows],
        {"categories": [_label(r) for r in rows], "unit": "%",
         "series": [{"name": _("Own-brand share"),
                     "data": [None if r.own_brand_share is None else str(r.own_brand_share)
                              for r in rows]}]},
        numeric=(1, 2, 3),
        note=_("OEM products and products with no brand recorded count as not own brand."),
    )  # fmt: skip


def readiness_chart(summary: BrandSummary) -> Chart:
    """The share of products ready per domestic channel, per belt."""
    book = load_rule_book()
    language = get_language() or "en"
    names = [channel_name(book.channels[c], language) for c in summary.channels]
    rows = summary.belts
    return Chart(
        "channel-readiness", _("Products ready per channel, by belt"), "bars", "%",
        [_("Industrial belt"), _("Products"), *names],
        [[_label(r), format_number(r.products),
          *(_pct(r.ready_share(c)) for c in summary.channels)] for r in rows],
        {"categories": [_label(r) for r in rows], "unit": "%",
         "series": [{"name": name,
                     "data": [None if r.ready_share(c) is None else str(r.ready_share(c))
                              for r in rows]}
                    for c, name in zip(summary.channels, names, strict=True)]},
        numeric=tuple(range(1, len(names) + 2)),
        note=_("Ready: every blocking check of the channel passes, as on the enterprises' "
               "channel pages."),
    )  # fmt: skip


def enterprise_rows(summary: BrandSummary) -> list[dict[str, Any]]:
    return [
        {"label": r.label, "products": r.products, "own_brand": r.own_brand,
         "share": _pct(r.own_brand_share),
         "ready": [_pct(r.ready_share(c)) for c in summary.channels]}
        for r in summary.enterprises
    ]  # fmt: skip
