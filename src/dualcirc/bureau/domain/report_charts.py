"""The monthly report's charts as pictures (PNG) for the Word document and the PDF: the trend
(this year against the same month last year) and ranked bars (export destinations, domestic
channels). Drawn with matplotlib (Agg, no display) in the CJK font the PDF embeds, so Chinese
labels show on any machine. Floats only for drawing; the report's tables carry the Decimals.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dualcirc.bureau.domain.reports import MonthlyReport, Table

BLUE, ORANGE, GREY = "#2f6fd0", "#e07b00", "#5b6472"
_lock = threading.Lock()  # pyplot's state is global; one figure at a time
_font: Any = None


def _font_properties() -> Any:
    """The embedded CJK font, loaded once from the file the PDF embeds."""
    global _font
    if _font is None:
        from matplotlib import font_manager

        from dualcirc.bureau.domain.reports import cjk_font_path

        _font = font_manager.FontProperties(fname=cjk_font_path())
    return _font


@contextmanager
def _figure(*, height: float) -> Iterator[tuple[Any, Any, Any]]:
    """A fresh figure 7.2 in wide, drawn under the pyplot lock and closed on leaving; yields
    ``(figure, axes, font)``."""
    with _lock:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot as plt

        font = _font_properties()
        figure, axes = plt.subplots(figsize=(7.2, height))
        try:
            yield figure, axes, font
        finally:
            plt.close(figure)


def _png(figure: Any) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=200, bbox_inches="tight", facecolor="white")
    return out.getvalue()


def trend_png(report: MonthlyReport) -> bytes | None:
    """The trend as a line chart (this year solid, last year dashed), in the unit the trend
    table names; None when no month has a figure."""
    if not any(a is not None for _m, a, _b in report.trend):
        return None
    from dualcirc.l10n.amounts import amount_scale

    scale = amount_scale([v for _m, a, b in report.trend for v in (a, b)],
                         language=report.language)  # fmt: skip
    labels = [m[2:] for m, _a, _b in report.trend]

    def points(values: list[Decimal | None]) -> list[float]:
        return [float(scale.scaled(v)) if v is not None else float("nan") for v in values]

    from django.utils.translation import gettext as _

    with _figure(height=3.0) as (figure, axes, font):
        axes.plot(labels, points([a for _m, a, _b in report.trend]), color=BLUE,
                  linewidth=2, marker="o", markersize=3, label=_("This year"))  # fmt: skip
        axes.plot(labels, points([b for _m, _a, b in report.trend]), color=ORANGE,
                  linewidth=1.5, linestyle="--", marker="o", markersize=2.5,
                  label=_("Same month last year"))  # fmt: skip
        _style(axes, font, unit=f"{_('Unit')}: {scale.label}")
        axes.set_ylim(bottom=0)
        legend_font = font.copy()
        legend_font.set_size(8)
        axes.legend(prop=legend_font, frameon=False, loc="upper left")
        for label in axes.get_xticklabels():
            label.set_fontproperties(font)
            label.set_fontsize(7)
        return _png(figure)


def ranked_png(table: Table, *, language: str, limit: int = 10) -> bytes | None:
    """A ranked table (label, amount, share) as horizontal bars, largest on top, at most
    ``limit`` bars; None when the table has no amounts."""
    rows = [(str(r[0]), r[1]) for r in table.rows if isinstance(r[1], Decimal) and r[1] > 0]
    if not rows:
        return None
    rows = sorted(rows, key=lambda r: r[1], reverse=True)[:limit][::-1]
    from django.utils.translation import gettext as _

    with _figure(height=0.45 + 0.32 * len(rows)) as (figure, axes, font):
        values = [float(table.scale.scaled(a)) for _l, a in rows]
        bars = axes.barh([label for label, _a in rows], values, color=BLUE, height=0.6)
        for bar, (_l, amount) in zip(bars, rows, strict=True):
            axes.annotate(table.scale.format(amount, language=language),
                          (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                          xytext=(4, 0), textcoords="offset points", va="center",
                          fontproperties=font, fontsize=7, color=GREY)  # fmt: skip
        _style(axes, font, unit=f"{_('Unit')}: {table.scale.label}")
        axes.margins(x=0.15)
        for label in axes.get_yticklabels():
            label.set_fontproperties(font)
            label.set_fontsize(8)
        return _png(figure)


def _style(axes: Any, font: Any, *, unit: str) -> None:
    axes.set_title(unit, loc="left", fontproperties=font, fontsize=8, color=GREY)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="both", color="#e3e6eb", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.tick_params(labelsize=7, colors=GREY)
