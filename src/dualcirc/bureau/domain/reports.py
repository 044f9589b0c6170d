"""Period reports: headline sentences in Chinese and English, each with the query behind it,
and their XLSX and PDF renderings."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dualcirc.bureau.domain.cases import CaseStats
from dualcirc.bureau.indicators import Growth
from dualcirc.bureau.queries import IndicatorSet

YI = Decimal(100_000_000)
MILLION = Decimal(1_000_000)
PERIOD_ZH = {"month": "当月", "quarter": "本季度", "ytd": "1—{m}月", "ttm": "近12个月"}
PERIOD_EN = {"month": "in the month", "quarter": "in the quarter",
             "ytd": "from January to {m}", "ttm": "over the last 12 months"}  # fmt: skip


@dataclass(frozen=True)
class Headline:
    key: str
    value: Decimal | int | None
    text_zh: str
    text_en: str
    trace: str  # the SQL (or computation) the value comes from


def yuan_zh(amount: Decimal) -> str:
    if amount >= YI:
        return f"{(amount / YI).quantize(Decimal('0.01'), ROUND_HALF_UP)}亿元"
    return f"{(amount / 10000).quantize(Decimal('0.01'), ROUND_HALF_UP)}万元"


def yuan_en(amount: Decimal) -> str:
    if amount >= 1000 * MILLION:
        return (
            f"{(amount / (1000 * MILLION)).quantize(Decimal('0.01'), ROUND_HALF_UP)} billion yuan"
        )
    return f"{(amount / MILLION).quantize(Decimal('0.01'), ROUND_HALF_UP)} million yuan"


def _growth_zh(g: Growth | None) -> str:
    if g is None or g.rate is None:
        return "（无可比数据）"
    word = "增长" if g.rate >= 0 else "下降"
    return f"，同比{word}{abs(g.rate)}%"


def _growth_en(g: Growth | None) -> str:
    if g is None or g.rate is None:
        return " (no comparable figures)"
    return f", {'up' if g.rate >= 0 else 'down'} {abs(g.rate)} percent year on year"


def headlines(
    result: IndicatorSet,
    *,
    cases: CaseStats | None = None,
    signed_projects: tuple[int, Decimal, str] | None = None,
) -> list[Headline]:
    """The report's sentences, as local governments write them ("gross industrial output above
    designated scale reached 31.46 billion yuan, up 2.1 percent year on year")."""
    month_zh = str(int(result.last_month[5:]))
    zh_period = PERIOD_ZH[result.period].format(m=month_zh)
    en_period = PERIOD_EN[result.period].format(m=result.last_month)
    where = result.scope.label
    out: list[Headline] = []
    if result.suppressed:
        out.append(
            Headline(
                "suppressed", result.enterprises,
                f"{where}{zh_period}报送企业不足{result.min_group_size}家，数据不予公布。",
                f"{where}: fewer than {result.min_group_size} enterprises reported {en_period}; "
                "figures are not published.",
                result.traces.get("per_enterprise", ""),
            )
        )  # fmt: skip
        return out
    per_enterprise = result.traces.get("per_enterprise", "")
    if result.above_scale_output_yoy is not None:
        g = result.above_scale_output_yoy
        out.append(Headline(
            "above_scale_output", result.above_scale_output,
            f"{where}{zh_period}规模以上（年营业收入{yuan_zh(result.above_scale_threshold)}及以上，"
            f"{result.above_scale}家）工业总产值{yuan_zh(result.above_scale_output)}{_growth_zh(g)}。",
            f"{where}: gross industrial output above designated scale ({result.above_scale} "
            f"enterprises) reached {yuan_en(result.above_scale_output)} {en_period}"
            f"{_growth_en(g)}.",
            per_enterprise,
        ))  # fmt: skip
    exports = result.totals.get("export_sales", Decimal(0))
    out.append(Headline(
        "exports", exports,
        f"{where}{zh_period}出口{yuan_zh(exports)}{_growth_zh(result.yoy.get('export_sales'))}。",
        f"{where}: exports reached {yuan_en(exports)} {en_period}"
        f"{_growth_en(result.yoy.get('export_sales'))}.",
        per_enterprise,
    ))  # fmt: skip
    domestic = result.totals.get("domestic_sales", Decimal(0))
    out.append(Headline(
        "domestic", domestic,
        f"内销{yuan_zh(domestic)}{_growth_zh(result.yoy.get('domestic_sales'))}，"
        f"内销占比{result.domestic_share}%。",
        f"Domestic sales reached {yuan_en(domestic)}{_growth_en(result.yoy.get('domestic_sales'))}"
        f"; the domestic share of sales was {result.domestic_share} percent.",
        per_enterprise,
    ))  # fmt: skip
    for group, group_share in result.market_groups:
        if group_share is not None:
            out.append(Headline(
                f"market_{group.slug}", group_share,
                f"对{group.name_zh}出口占出口总额的{group_share}%。",
                f"Exports to {group.name_en} were {group_share} percent of exports.",
                result.traces.get("destinations", ""),
            ))  # fmt: skip
    out.append(Headline(
        "new_enterprises", result.new_enterprises,
        f"平台新增注册企业{result.new_enterprises}家。",
        f"{result.new_enterprises} new enterprises registered on the platform.",
        result.traces.get("new_enterprises", ""),
    ))  # fmt: skip
    if cases is not None and cases.total:
        out.append(Headline(
            "cases", cases.closure_rate,
            f"受理企业诉求{cases.total}件，办结{cases.closed}件，办结率{cases.closure_rate}%。",
            f"{cases.total} requests from enterprises received, {cases.closed} closed "
            f"({cases.closure_rate} percent).",
            "SupportCase: status, received/responded/closed times (bureau.domain.cases.case_stats)",
        ))  # fmt: skip
    if signed_projects is not None and signed_projects[0]:
        n, amount, sql = signed_projects
        out.append(Headline(
            "projects", amount,
            f"签约及在建、投产招商项目{n}个，总投资{yuan_zh(amount)}。",
            f"{n} investment projects signed, under construction or operating, "
            f"worth {yuan_en(amount)}.",
            sql,
        ))  # fmt: skip
    return out


def report_xlsx(result: IndicatorSet, lines: list[Headline]) -> bytes:
    """The report as a workbook: headlines (zh, en, value, query), totals, destinations."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Headlines"
    ws.append(["key", "中文", "English", "value", "query"])
    for h in lines:
        ws.append([h.key, h.text_zh, h.text_en, None if h.value is None else float(h.value)
                   if isinstance(h.value, Decimal) else h.value, h.trace])  # fmt: skip
    totals = wb.create_sheet("Indicators")
    totals.append(["metric", "total (CNY)", "YoY %", "compared enterprises"])
    for metric, total in result.totals.items():
        g = result.yoy.get(metric)
        totals.append([metric, str(total), None if g is None or g.rate is None else str(g.rate),
                       None if g is None else g.compared])  # fmt: skip
    dest = wb.create_sheet("Destinations")
    dest.append(["country", "exports (CNY)"])
    if result.destinations is not None:
        for country, amount in result.destinations.shown.items():
            dest.append([country, str(amount)])
        if result.destinations.hidden:
            dest.append(["(fewer than 3 enterprises)", str(result.destinations.hidden)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_pdf(title: str, lines: list[Headline]) -> bytes:
    """The headlines as a PDF, Chinese then English, with ReportLab's built-in CJK font
    (STSong-Light, a CID font the reader supplies: nothing is embedded)."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    heading = ParagraphStyle("h", fontName="STSong-Light", fontSize=16, leading=22)
    body = ParagraphStyle("b", fontName="STSong-Light", fontSize=11, leading=16)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title=title)
    story: list[object] = [Paragraph(escape(title), heading), Spacer(1, 12)]
    for h in lines:
        story.append(Paragraph(escape(h.text_zh), body))
    story.append(Spacer(1, 12))
    for h in lines:
        story.append(Paragraph(escape(h.text_en), body))
    doc.build(story)
    return out.getvalue()
