"""The bureau's charts as data: each chart is a table (what every reader gets, with or without
JavaScript, and what tests read) and a small spec that ``bureau/charts.js`` turns into an
Apache ECharts option. Amounts share one unit per chart (万元/亿元, CN¥ million), named in the
title and the table's header."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from dualcirc.bureau.indicators import growth_rate
from dualcirc.l10n import format_month, format_number
from dualcirc.l10n.amounts import amount_scale, format_growth

ZERO = Decimal(0)


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # line | stack | hbar | treemap | chain
    unit: str
    columns: list[str]
    rows: list[list[str]]
    spec: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    numeric: tuple[int, ...] = ()  # columns holding numbers (right-aligned)

    @property
    def header(self) -> list[tuple[str, bool]]:
        return [(c, i in self.numeric) for i, c in enumerate(self.columns)]

    @property
    def body(self) -> list[list[tuple[str, bool]]]:
        return [[(c, i in self.numeric) for i, c in enumerate(row)] for row in self.rows]


def _num(value: Decimal | None) -> str | None:
    """A scaled amount for the chart's JSON (a string: Decimal stays exact; ECharts reads it)."""
    return None if value is None else str(value)


def trend_chart(series: list[dict[str, Any]]) -> Chart:
    """Sales (domestic + exports) of the last twelve months of ``series`` (24 months, oldest
    first) beside the same month a year earlier, with the growth rate."""
    current, earlier = series[-12:], series[:-12]
    if len(earlier) < len(current):
        earlier = [{"shown": False}] * (len(current) - len(earlier)) + earlier

    def total(s: dict[str, Any]) -> Decimal | None:
        return (s["domestic"] + s["export"]) if s.get("shown") else None

    pairs = [(s, total(s), total(p)) for s, p in zip(current, earlier, strict=True)]
    scale = amount_scale([v for _s, a, b in pairs for v in (a, b)])
    rows, months, now, before = [], [], [], []
    for s, amount, previous in pairs:
        rate = growth_rate(amount, previous) if amount is not None and previous else None
        rows.append([format_month(s["month"]), scale.format(amount) or "—",
                     scale.format(previous) or "—", format_growth(rate) or "—"])  # fmt: skip
        months.append(format_month(s["month"]))
        now.append(_num(None if amount is None else scale.scaled(amount)))
        before.append(_num(None if previous is None else scale.scaled(previous)))
    return Chart(
        "trend", _("Monthly sales and the same month last year"), "line", scale.label,
        [_("Month"), _("This year (%(unit)s)") % {"unit": scale.label},
         _("Same month last year (%(unit)s)") % {"unit": scale.label}, _("Year on year")],
        rows,
        {"categories": months, "unit": scale.label,
         "series": [{"name": _("This year"), "data": now},
                    {"name": _("Same month last year"), "data": before}]},
        note=_("Months with too few reporting enterprises are not shown (—)."),
        numeric=(1, 2, 3),
    )  # fmt: skip


def mix_chart(series: list[dict[str, Any]]) -> Chart:
    """Domestic sales and exports stacked, month by month (the last twelve of ``series``)."""
    shown = series[-12:]
    scale = amount_scale([v for s in shown if s["shown"] for v in (s["domestic"], s["export"])])
    rows, months, domestic, export = [], [], [], []
    for s in shown:
        d, e = (s["domestic"], s["export"]) if s["shown"] else (None, None)
        months.append(format_month(s["month"]))
        domestic.append(_num(None if d is None else scale.scaled(d)))
        export.append(_num(None if e is None else scale.scaled(e)))
        rows.append([format_month(s["month"]), scale.format(d) or "—", scale.format(e) or "—"])
    return Chart(
        "mix", _("Domestic sales and exports by month"), "stack", scale.label,
        [_("Month"), _("Domestic sales (%(unit)s)") % {"unit": scale.label},
         _("Exports (%(unit)s)") % {"unit": scale.label}],
        rows,
        {"categories": months, "unit": scale.label,
         "series": [{"name": _("Domestic sales"), "data": domestic},
                    {"name": _("Exports"), "data": export}]},
        numeric=(1, 2),
    )  # fmt: skip


def ranked_chart(
    key: str, title: str, label_header: str, pairs: list[tuple[str, Decimal]], *, note: str = ""
) -> Chart:
    """Amounts by label, largest first, as horizontal bars with each one's share."""
    pairs = sorted(pairs, key=lambda p: -p[1])
    scale = amount_scale([a for _l, a in pairs])
    whole = sum((a for _l, a in pairs), ZERO)
    rows = [
        [label, scale.format(amount),
         format_number((amount * 100 / whole) if whole else None, digits=1) + "%"
         if whole else "—"]
        for label, amount in pairs
    ]  # fmt: skip
    return Chart(
        key, title, "hbar", scale.label,
        [label_header, _("Amount (%(unit)s)") % {"unit": scale.label}, _("Share")],
        rows,
        {"categories": [label for label, _a in pairs], "unit": scale.label,
         "series": [{"name": title, "data": [_num(scale.scaled(a)) for _l, a in pairs]}]},
        note=note, numeric=(1, 2),
    )  # fmt: skip


def map_chart(
    items: list[tuple[str, str, Decimal]],
    *,
    url: str,
    code_property: str,
    approval: str,
    note: str = "",
) -> Chart:
    """Export destinations ``(ISO code, name, amount)`` on the installed world map (its GeoJSON
    fetched from ``url``), shaded by amount, with its approval number under it."""
    items = sorted(items, key=lambda i: -i[2])
    scale = amount_scale([a for _c, _n, a in items])
    caption = _("Base map: %(approval)s") % {"approval": approval}
    return Chart(
        "destinations-map", _("Export destinations on the world map"), "map", scale.label,
        [_("Country or territory"), _("Amount (%(unit)s)") % {"unit": scale.label}],
        [[name, scale.format(amount)] for _c, name, amount in items],
        {"url": url, "codeProperty": code_property, "unit": scale.label,
         "items": [{"name": code, "label": name, "value": _num(scale.scaled(amount))}
                   for code, name, amount in items]},
        note=f"{caption} {note}".strip(), numeric=(1,),
    )  # fmt: skip


def county_chart(counts: list[tuple[str, int]]) -> Chart:
    """The scope's enterprises by county (or district) as a treemap."""
    counts = sorted(counts, key=lambda c: (-c[1], c[0]))
    unit = _("enterprises")
    return Chart(
        "counties", _("Enterprises by county"), "treemap", unit,
        [_("County or district"), _("Enterprises")],
        [[name, format_number(n)] for name, n in counts],
        {"items": [{"name": name, "value": n} for name, n in counts], "unit": unit},
        numeric=(1,),
    )  # fmt: skip


def chain_chart(
    title: str, links: list[tuple[str, str, str, int]], state_labels: dict[str, str]
) -> Chart:
    """A chain's links upstream → downstream (``(stage, name, state, local enterprises)``),
    missing links in red and weak ones in orange."""
    return Chart(
        "chain", title, "chain", _("local enterprises"),
        [_("Stage"), _("Link"), _("State"), _("Local enterprises")],
        [[stage, name, state_labels.get(state, state), format_number(n)]
         for stage, name, state, n in links],
        {"nodes": [{"name": name, "stage": stage, "state": state,
                    "label": state_labels.get(state, state), "value": n}
                   for stage, name, state, n in links]},
        numeric=(3,),
    )  # fmt: skip
