"""Jumps in a month's headline figures: a change month on month or year on year past the
operator's threshold (``BureauSettings.jump_threshold``), which the enterprise confirms before
the figures are taken (``domain.figures.submit_figures``) and the bureau sees with them.

:func:`compare_headlines` is pure; :func:`find_jumps` reads the two months it compares with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualcirc.bureau.models import MonthlyFigures
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.l10n.amounts import format_amount, format_growth

# The figures a jump is looked for in; orders and employees move for many ordinary reasons.
HEADLINE_FIELDS = ("output_value", "revenue", "domestic_sales", "export_sales")
HEADLINE_LABELS = {
    "output_value": gettext_lazy("Industrial output value"),
    "revenue": gettext_lazy("Revenue"),
    "domestic_sales": gettext_lazy("Domestic sales"),
    "export_sales": gettext_lazy("Exports"),
}
BASES = {"mom": gettext_lazy("on last month"), "yoy": gettext_lazy("on the same month last year")}
HUNDRED = Decimal(100)


def compare_headlines(
    current: Mapping[str, Decimal | None],
    bases: Mapping[str, Mapping[str, Decimal | None]],
    threshold: Decimal,
) -> list[dict[str, str]]:
    """Each headline figure of ``current`` whose change on a basis (``mom``, ``yoy``: that
    month's figures) is larger than ``threshold`` percent either way, as
    ``{"field", "basis", "before", "after", "change"}`` (text, change in % to one decimal).
    A figure missing or zero on either side is not compared: no rate of change exists."""
    jumps: list[dict[str, str]] = []
    for basis, before_values in bases.items():
        for name in HEADLINE_FIELDS:
            before, after = before_values.get(name), current.get(name)
            if not before or after is None:
                continue
            change = (Decimal(after) - Decimal(before)) * HUNDRED / Decimal(before)
            if abs(change) > threshold:
                jumps.append({
                    "field": name, "basis": basis, "before": str(before), "after": str(after),
                    "change": str(change.quantize(Decimal("0.1"))),
                })  # fmt: skip
    return jumps


def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def find_jumps(
    *, enterprise_id: int, month: dt.date, current: Mapping[str, Decimal | None], threshold: Decimal
) -> list[dict[str, str]]:
    """The jumps of ``current`` (headline values of ``month``) against the enterprise's stored
    previous month and same month last year (one query)."""
    mom, yoy = _shift(month, 1), _shift(month, 12)
    rows = {
        row["month"]: row
        for row in MonthlyFigures.objects.filter(
            enterprise_id=enterprise_id, month__in=[mom, yoy]
        ).values("month", *HEADLINE_FIELDS)
    }
    bases = {key: rows[m] for key, m in (("mom", mom), ("yoy", yoy)) if m in rows}
    return compare_headlines(current, bases, threshold)


def describe_jump(jump: Mapping[str, Any]) -> str:
    """``Revenue: +180.0% on last month (CN¥1.00 million → CN¥2.80 million)`` in the active
    language (the rate as the locale writes it; amounts in 万元/亿元 in Chinese)."""
    change = Decimal(jump["change"])
    return _("%(field)s: %(change)s %(basis)s (%(before)s → %(after)s)") % {
        "field": HEADLINE_LABELS.get(jump["field"], jump["field"]),
        "change": format_growth(change),
        "basis": BASES.get(jump["basis"], jump["basis"]),
        "before": format_amount(Decimal(jump["before"])),
        "after": format_amount(Decimal(jump["after"])),
    }


class JumpsToConfirm(InvalidInput):
    """Figures with jumps past the threshold that the enterprise has not confirmed; ``jumps``
    lists them, each also as an error on the field ``confirm_jumps``."""

    code = "jumps_to_confirm"

    def __init__(self, jumps: list[dict[str, str]]) -> None:
        self.jumps = jumps
        super().__init__(
            _("Some figures changed a lot. Check them, then confirm that they are right."),
            [FieldError("confirm_jumps", describe_jump(j)) for j in jumps],
        )
