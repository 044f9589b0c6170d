"""Factories for the bureau: monthly figures written straight to the tables (fast, no
permission checks — tests of submit_figures call it themselves), chains, alerts, cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dualcirc.bureau.domain.rollups import rebuild_yearly_sales
from dualcirc.bureau.enums import ChainStage, ExportMode, FiguresSource
from dualcirc.bureau.models import (
    Alert,
    ChainLink,
    DomesticSalesLine,
    ExportSalesLine,
    IndustrialChain,
    MonthlyFigures,
)
from dualcirc.catalog.models import Enterprise
from dualcirc.core.models import Region


def D(value: Any) -> Decimal:
    return Decimal(str(value))


def make_figures(
    *,
    enterprise: Enterprise,
    month: str,
    revenue: Any = None,
    output_value: Any = None,
    domestic: dict[str, Any] | None = None,
    exports: dict[str, Any] | None = None,
    orders_domestic: Any = None,
    orders_export: Any = None,
    employees: int | None = None,
) -> MonthlyFigures:
    """``month`` as ``"2025-03"``; ``exports`` as ``{"US": 100}`` (general trade) or
    ``{"US:cross_border_ecommerce": 100}``; ``domestic`` as ``{"tmall": 100}``."""
    year, number = (int(p) for p in month.split("-"))
    domestic = {k: D(v) for k, v in (domestic or {}).items()}
    export_lines: dict[tuple[str, str], Decimal] = {}
    for key, value in (exports or {}).items():
        country, _sep, mode = key.partition(":")
        export_lines[(country, mode or ExportMode.GENERAL_TRADE)] = D(value)
    now = timezone.now()
    figures = MonthlyFigures.objects.create(
        enterprise=enterprise,
        month=dt.date(year, number, 1),
        revenue=None if revenue is None else D(revenue),
        output_value=None if output_value is None else D(output_value),
        domestic_sales=sum(domestic.values(), Decimal(0)),
        export_sales=sum(export_lines.values(), Decimal(0)),
        orders_domestic=None if orders_domestic is None else D(orders_domestic),
        orders_export=None if orders_export is None else D(orders_export),
        employees=employees,
        source=FiguresSource.FORM,
        submitted_at=now,
        updated_at=now,
    )
    DomesticSalesLine.objects.bulk_create(
        DomesticSalesLine(figures=figures, channel=c, amount=a) for c, a in domestic.items()
    )
    ExportSalesLine.objects.bulk_create(
        ExportSalesLine(
            figures=figures, enterprise=enterprise, month=figures.month, country=c, mode=m,
            amount=a,
        )
        for (c, m), a in export_lines.items()
        if a
    )  # fmt: skip
    rebuild_yearly_sales(enterprise_ids=[enterprise.pk], years=[year])
    return figures


def make_chain(
    *,
    region: Region,
    name_zh: str = "家居产业链",
    name_en: str = "Home furnishing",
    lead_official: str = "王副市长",
    links: list[tuple[str, str, int]] | None = None,
) -> IndustrialChain:
    """``links`` as ``[(stage, name_en, min_enterprises)]``; three links by default."""
    chain = IndustrialChain.objects.create(
        name_zh=name_zh, name_en=name_en, region=region, lead_official=lead_official
    )
    for position, (stage, name, minimum) in enumerate(
        links
        or [
            (ChainStage.UPSTREAM, "Timber and boards", 2),
            (ChainStage.MIDSTREAM, "Furniture making", 2),
            (ChainStage.DOWNSTREAM, "Sales and logistics", 2),
        ]
    ):
        ChainLink.objects.create(
            chain=chain, stage=stage, position=position, name_zh=name, name_en=name,
            min_enterprises=minimum,
        )  # fmt: skip
    return chain


def make_alert(
    *, enterprise: Enterprise, month: str = "2025-06", reason: str = "destination_concentration",
    level: str = "blue", details: dict[str, Any] | None = None,
) -> Alert:  # fmt: skip
    year, number = (int(p) for p in month.split("-"))
    return Alert.objects.create(
        enterprise=enterprise, month=dt.date(year, number, 1), reason=reason, level=level,
        details=details or {"country": "US", "share": "80.0"},
    )  # fmt: skip
