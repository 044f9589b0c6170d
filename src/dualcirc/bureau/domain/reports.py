"""Period reports: headline sentences in Chinese and English, each with the query behind it,
and the monthly analysis report (月度运行分析报告) built from them as sections of sentences and
tables, rendered as DOCX (what officials edit), XLSX (numbers as numbers, a sheet per table,
a sheet of definitions) and PDF (tables and a chart drawn on the server, its CJK font
embedded)."""

from __future__ import annotations

import calendar
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from dualcirc.bureau.domain.cases import CaseStats
from dualcirc.bureau.domain.policies import DeliveryTally
from dualcirc.bureau.domain.reporting import Coverage
from dualcirc.bureau.indicators import Growth, growth_rate
from dualcirc.bureau.queries import IndicatorSet
from dualcirc.l10n import format_date, format_month, format_number, format_percent, language_family
from dualcirc.l10n.amounts import (
    AmountScale,
    amount_scale,
    format_amount,
    format_growth,
    format_points,
)

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
    # A market group's (zh, en, vi) name, for its label.
    subject: tuple[str, str, str] = ("", "", "")

    @property
    def label(self) -> str:
        """What the figure is, in the active language (the page's "where it comes from"); a
        market group without a Vietnamese name is named in English on a Vietnamese page."""
        if self.key.startswith("market_"):
            zh, en, vi = self.subject
            market = {"zh": zh, "vi": vi or en}.get(language_family(), en)
            return _("Exports to %(market)s") % {"market": market}
        labels = {
            "above_scale_output": _("Above designated scale"), "exports": _("Export sales"),
            "domestic": _("Domestic sales"), "projects": _("Investment projects"),
            "cases": _("Support cases"), "new_enterprises": _("New on the platform"),
            "fair_orders": _("Orders from fairs"), "suppressed": _("Enterprises reporting"),
        }  # fmt: skip
        return str(labels.get(self.key, self.key))

    @property
    def is_amount(self) -> bool:
        return self.key in ("above_scale_output", "exports", "domestic", "projects")

    @property
    def is_percent(self) -> bool:
        """A share or rate given in percentage points (a market's share of exports, the
        cases' closure rate), shown with its % sign."""
        return self.key.startswith("market_") or self.key == "cases"


def yuan_zh(amount: Decimal) -> str:
    """``8.18亿元``, ``2,000.00万元``; below ten thousand to the yuan (``180元``)."""
    return format_amount(amount, language="zh-hans")


def yuan_en(amount: Decimal) -> str:
    """``CN¥817.97 million``, ``CN¥1.23 billion``; below a million to the yuan."""
    return format_amount(amount, language="en")


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
    # "from January to November" (the year stands in the report's subtitle), not "to 2026-11"
    en_period = PERIOD_EN[result.period].format(m=calendar.month_name[int(result.last_month[5:])])
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
                (group.name_zh, group.name_en, group.name_vi),
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


# --- the monthly analysis report ---------------------------------------------------------------

TEXT, AMOUNT, PERCENT, GROWTH, POINTS, COUNT = (
    "text",
    "amount",
    "percent",
    "growth",
    "points",
    "count",
)


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT  # text | amount (yuan) | percent, growth (in %) | points | count
    definition: str = ""  # what the figure is, for the sources sheet (no SQL)


@dataclass
class Table:
    key: str  # the sheet's name
    title: str
    columns: list[Column]
    rows: list[list[Any]]  # text: str; amount/percent/points: Decimal or None; count: int
    scale: AmountScale
    note: str = ""
    bars: bool = False  # a ranked table: the documents draw it as bars too

    def cell_text(self, column: Column, value: Any, *, language: str) -> str:
        """A cell as the documents print it: amounts in the table's unit (named in the
        header), rates with %, share changes in points."""
        if value is None:
            return "—"
        if column.kind == AMOUNT:
            return self.scale.format(value, language=language)
        if column.kind == PERCENT:
            return format_percent(value, language=language)
        if column.kind == GROWTH:
            return format_growth(value, language=language)
        if column.kind == POINTS:
            return format_points(value, language=language)
        if column.kind == COUNT:
            return format_number(value, language=language)
        return str(value)

    def header(self, column: Column) -> str:
        return f"{column.label} ({self.scale.label})" if column.kind == AMOUNT else column.label


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    chart: bool = False  # the trend chart goes under this section


@dataclass
class MonthlyReport:
    title: str
    subtitle: str
    language: str
    sections: list[Section]
    # (month label, this year, same month last year), for the chart
    trend: list[tuple[str, Decimal | None, Decimal | None]]
    trend_unit: str
    sources: list[tuple[str, str]]  # (figure, definition and data)


@dataclass(frozen=True)
class ReportInputs:
    """What the report is built from, gathered by the view (each a handful of queries)."""

    result: IndicatorSet
    lines: list[Headline]
    series: list[dict[str, Any]]  # 24 months, oldest first, with "shown"
    channels: list[tuple[str, Decimal]]  # label, amount
    destinations: list[tuple[str, Decimal]]  # country name, amount
    chains: list[dict[str, Any]]  # chain, links, missing, weak
    alert_levels: list[tuple[str, int]]  # label, open alerts this month
    cases: CaseStats | None
    policies: list[str]  # active policies applying in the scope's region
    enterprises_in_scope: int
    # orders that came of fair meetings held in the period (fair.outcome_queries.FairOrders)
    fairs: Any = None
    # how far each policy reached the scope's enterprises (domain.policies.delivery_tallies)
    deliveries: list[tuple[str, DeliveryTally]] = field(default_factory=list)
    delivered: DeliveryTally | None = None
    # the last month's monthly reporting: reported / expected, late, returned
    reporting: Coverage | None = None


def _growth_definition(metric: str) -> str:
    return str(_("Growth of %(metric)s over the same period a year earlier, over the "
                 "enterprises that reported every month of both periods.")
               % {"metric": metric})  # fmt: skip


def build_report(inputs: ReportInputs, *, language: str) -> MonthlyReport:
    """The monthly analysis report's sections: summary, headline table, trend, destinations,
    channels, chain status, alerts and cases, policy delivery, notes on coverage."""
    result = inputs.result
    zh = language_family(language) == "zh"
    scope_label = result.scope.label
    title = f"{scope_label}{_('Monthly analysis report')}" if zh else (
        f"{scope_label}: {_('Monthly analysis report')}")  # fmt: skip
    subtitle = f"{format_month(result.first_month, language=language)} – " + format_month(
        result.last_month, language=language
    )
    sources: list[tuple[str, str]] = []
    sections = [Section(_("Summary"), [h.text_zh if zh else h.text_en for h in inputs.lines])]
    if not result.suppressed:
        names = {"revenue": _("Revenue"), "output_value": _("Industrial output value"),
                 "domestic_sales": _("Domestic sales"), "export_sales": _("Exports")}  # fmt: skip
        amounts = [result.totals.get(k) for k in names]
        head = Table(
            "headline", _("Headline indicators"),
            [Column(_("Indicator")),
             Column(_("Amount"), AMOUNT, str(_("Sum of the monthly figures the enterprises "
                                               "reported for the period; missing months are "
                                               "not estimated."))),
             Column(_("Year on year"), GROWTH, _growth_definition(str(_("each indicator")))),
             Column(_("Enterprises compared"), COUNT,
                    str(_("Enterprises that reported every month of both periods.")))],
            [[str(label), result.totals.get(k), (result.yoy.get(k) or _NO_GROWTH).rate,
              (result.yoy.get(k) or _NO_GROWTH).compared] for k, label in names.items()],
            amount_scale(amounts, language=language),
        )  # fmt: skip
        share = Table(
            "shares", _("Shares"),
            [Column(_("Indicator")),
             Column(_("Share"), PERCENT, str(_("Part of the whole in percent.")))],
            [[str(_("Domestic share of sales")), result.domestic_share],
             [str(_("E-commerce share of domestic sales")), result.ecommerce_share],
             [str(_("Share of exports to new markets")), result.new_market_share]],
            amount_scale([], language=language),
        )  # fmt: skip
        sections.append(Section(_("Headline indicators"), tables=[head, share]))
        sources += [(str(label), str(_("Monthly figures reported by the enterprises of the "
                                       "scope (%(n)s reported in the period).")
                                     % {"n": result.enterprises}))
                    for label in names.values()]  # fmt: skip

    trend: list[tuple[str, Decimal | None, Decimal | None]] = []
    current, earlier = inputs.series[-12:], inputs.series[:-12]
    for s, p in zip(current, earlier[-len(current):] if earlier else [{}] * len(current),
                    strict=True):  # fmt: skip
        now = s["domestic"] + s["export"] if s.get("shown") else None
        before = p["domestic"] + p["export"] if p.get("shown") else None
        trend.append((s["month"], now, before))
    trend_scale = amount_scale([v for _m, a, b in trend for v in (a, b)], language=language)
    trend_table = Table(
        "trend", _("Sales by month"),
        [Column(_("Month")),
         Column(_("This year"), AMOUNT, str(_("Domestic sales and exports reported for the "
                                              "month."))),
         Column(_("Same month last year"), AMOUNT),
         Column(_("Year on year"), GROWTH, _growth_definition(str(_("sales"))))],
        [[format_month(m, language=language), a, b,
          growth_rate(a, b) if a is not None and b else None] for m, a, b in trend],
        trend_scale,
        note=str(_("Months with too few reporting enterprises are not shown (—).")),
    )  # fmt: skip
    sections.append(Section(_("Trend"), tables=[trend_table], chart=True))

    def ranked(key: str, title: str, label: str, pairs: list[tuple[str, Decimal]]) -> Table:
        whole = sum((a for _l, a in pairs), Decimal(0))
        return Table(
            key, title,
            [Column(label), Column(_("Amount"), AMOUNT),
             Column(_("Share"), PERCENT, str(_("Part of the whole in percent.")))],
            [[name, amount, share_of(amount, whole)] for name, amount in pairs],
            amount_scale([a for _l, a in pairs], language=language),
            bars=True,
        )  # fmt: skip

    if not result.suppressed:
        hidden = result.destinations.hidden if result.destinations else Decimal(0)
        dest = ranked("destinations", str(_("Export destinations")),
                      str(_("Country or territory")), inputs.destinations)  # fmt: skip
        if hidden:
            dest.note = str(
                _(
                    "Destinations served by fewer than 3 enterprises are added up "
                    "in one row so that no enterprise's sales are disclosed."
                )
            )
            dest.rows.append([str(_("Others (fewer than 3 enterprises each)")), hidden, None])
        sections.append(Section(_("Export destinations"), tables=[dest]))
        sections.append(Section(_("Domestic sales channels"), tables=[
            ranked("channels", str(_("Domestic sales by channel")), str(_("Channel")),
                   inputs.channels)]))  # fmt: skip
        sources.append(
            (
                str(_("Export destinations")),
                str(_("Exports by country the enterprises reported with their monthly figures.")),
            )
        )
    chain_table = Table(
        "chains", _("Industrial chains"),
        [Column(_("Chain")), Column(_("Links"), COUNT),
         Column(_("Missing links"), COUNT, str(_("Links with no local enterprise."))),
         Column(_("Weak links"), COUNT, str(_("Links with fewer local enterprises than "
                                              "needed, or bought from outside the belt.")))],
        [[str(c["chain"]), c["links"], c["missing"], c["weak"]] for c in inputs.chains],
        amount_scale([], language=language),
    )  # fmt: skip
    sections.append(Section(_("Chain status"), tables=[chain_table]))
    alerts = Table(
        "alerts", _("Alerts this month"),
        [Column(_("Level")), Column(_("Open alerts"), COUNT)],
        [[label, n] for label, n in inputs.alert_levels],
        amount_scale([], language=language),
    )  # fmt: skip
    case_paragraphs = []
    if inputs.cases is not None:
        c = inputs.cases
        rate = format_percent(c.closure_rate, language=language) or "—"
        case_paragraphs.append(str(_(
            "%(total)s support cases, %(closed)s closed (closure rate %(rate)s), %(overdue)s "
            "overdue.") % {"total": c.total, "closed": c.closed, "overdue": c.overdue,
                           "rate": rate}))  # fmt: skip
    sections.append(Section(_("Alerts and support cases"), case_paragraphs, [alerts]))
    if inputs.fairs is not None:
        sections.append(_fairs_section(inputs.fairs, language=language))
        sources.append((str(_("Orders from fairs")), str(_(
            "Meetings of online fairs held in the period where one side is an exhibitor of the "
            "scope, and the orders either side says came of them: the deals order's value where "
            "it was made on the platform, else the value a side stated, in yuan at the "
            "l10n rates. Orders placed after the period count for the meeting's period."
        ))))  # fmt: skip
    policy_lines = [str(_("Active policies in the region: %(names)s.")
                        % {"names": "; ".join(inputs.policies)}) if inputs.policies
                    else str(_("No active policy applies in the region."))]  # fmt: skip
    policy_tables = []
    total = inputs.delivered
    if total is not None and total.total:
        policy_lines.append(str(_(
            "%(total)s enterprises qualified: %(eligible)s not yet told, %(notified)s "
            "notified, %(confirmed)s confirmed, %(paid)s paid; %(granted)s granted, %(paid_out)s "
            "paid out.") % {
            "total": total.total, "eligible": total.eligible, "notified": total.notified,
            "confirmed": total.confirmed, "paid": total.paid,
            "granted": format_amount(total.granted.get("CNY", Decimal(0)), language=language),
            "paid_out": format_amount(total.paid_amount.get("CNY", Decimal(0)),
                                      language=language)}))  # fmt: skip
        rows = [[title, t.eligible, t.notified, t.confirmed, t.paid,
                 t.granted.get("CNY"), t.paid_amount.get("CNY")]
                for title, t in inputs.deliveries]  # fmt: skip
        amounts = [
            a
            for _t, t in inputs.deliveries
            for a in (t.granted.get("CNY"), t.paid_amount.get("CNY"))
            if a is not None
        ]
        policy_tables.append(Table(
            "policy_delivery", _("Policy delivery"),
            [Column(_("Policy")),
             Column(_("Eligible, not yet told"), COUNT),
             Column(_("Notified"), COUNT, str(_("Enterprises told what they get and whether "
                                                "they must confirm."))),
             Column(_("Confirmed"), COUNT),
             Column(_("Paid"), COUNT, str(_("Payments recorded by the bureau."))),
             Column(_("Granted"), AMOUNT, str(_("The policy's amount for each enterprise "
                                                "that qualified (yuan)."))),
             Column(_("Paid out"), AMOUNT)],
            rows,
            amount_scale(amounts, language=language),
        ))  # fmt: skip
    else:
        policy_lines.append(str(_("No enterprise of the scope has qualified for a policy yet.")))
    sections.append(Section(_("Policy delivery"), policy_lines, policy_tables))
    coverage = share_of(Decimal(result.enterprises), Decimal(inputs.enterprises_in_scope))
    sections.append(Section(_("Notes on coverage"), [str(_(
        "%(reported)s of the %(expected)s enterprises in the scope reported figures for the "
        "period (coverage %(coverage)s). Totals add what was reported; missing months are not "
        "estimated. Groups of fewer than %(minimum)s enterprises are not shown.") % {
        "reported": result.enterprises, "expected": inputs.enterprises_in_scope,
        "coverage": format_percent(coverage, language=language) or "—",
        "minimum": result.min_group_size})]))  # fmt: skip
    if (reporting := inputs.reporting) is not None and reporting.expected:
        sections[-1].paragraphs.append(str(_(
            "Monthly reporting for %(month)s (due %(due)s): %(reported)s of the %(expected)s "
            "enterprises expected to report have reported (%(share)s); %(late)s after the due "
            "day, %(returned)s returned for correction, %(missing)s not reported.") % {
            "month": format_month(reporting.month, language=language),
            "due": format_date(reporting.due, language=language),
            "reported": reporting.reported, "expected": reporting.expected,
            "share": format_percent(reporting.share, language=language) or "—",
            "late": reporting.late, "returned": reporting.returned,
            "missing": reporting.missing}))  # fmt: skip
    for section in sections:
        for table in section.tables:
            for column in table.columns:
                if column.definition:
                    sources.append((f"{table.title}: {column.label}",
                                    column.definition))  # fmt: skip
    return MonthlyReport(str(title), subtitle, language, sections, trend, trend_scale.label,
                         sources)  # fmt: skip


def fair_orders_headline(fairs: Any) -> Headline | None:
    """The summary's sentence on orders from fairs (none when no fair meeting was held)."""
    if not fairs.meetings_held:
        return None
    o = fairs.orders
    return Headline(
        "fair_orders", o.value,
        f"线上展会一对一洽谈{fairs.meetings_held}场，促成订单{o.orders}笔，"
        f"金额{yuan_zh(o.value)}（其中平台内成交{o.through_platform}笔）。",
        f"{fairs.meetings_held} meetings were held at online fairs; {o.orders} orders came of "
        f"them, worth {yuan_en(o.value)} ({o.through_platform} made on the platform).",
        "MeetingOutcome (result order_placed) of held meetings → deals Order value_cny, else "
        "the stated value converted (fair.outcome_queries.meeting_orders)",
    )  # fmt: skip


def _fairs_section(fairs: Any, *, language: str) -> Section:
    """Orders and their value that came of fair meetings held in the period (fair outcomes)."""
    orders = fairs.orders
    value = format_amount(orders.value, language=language)
    paragraph = str(_(
        "%(meetings)s meetings were held at online fairs; %(orders)s orders came of them, worth "
        "%(value)s (%(platform)s made on the platform).") % {
        "meetings": fairs.meetings_held, "orders": orders.orders, "value": value,
        "platform": orders.through_platform})  # fmt: skip
    if orders.unpriced:
        paragraph += " " + str(
            _("%(n)s orders have no known value and are counted without one.")
            % {"n": orders.unpriced}
        )
    table = Table(
        "fairs", _("Orders from fairs"),
        [Column(_("Fair")), Column(_("Meetings held"), COUNT), Column(_("Orders"), COUNT),
         Column(_("Value of the orders"), AMOUNT)],
        [[name, held, n, amount] for name, held, n, amount in fairs.fairs],
        amount_scale([amount for *_rest, amount in fairs.fairs], language=language),
    )  # fmt: skip
    return Section(_("Fairs and deals"), [paragraph], [table] if fairs.fairs else [])


_NO_GROWTH = Growth(rate=None, current=Decimal(0), previous=Decimal(0), compared=0, left_out=0)


def share_of(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if not whole else (part * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _safe_sheet(title: str, used: set[str]) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    return name


def report_xlsx(report: MonthlyReport) -> bytes:
    """The report as a workbook: the summary, one sheet per table with numbers as numbers
    (amounts in the table's unit with two decimals, rates as percentages), and a sheet of
    sources naming what each figure is and where its data come from."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    used: set[str] = set()
    ws.title = _safe_sheet(str(_("Summary")), used)
    ws.append([report.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([report.subtitle])
    for section in report.sections:
        for paragraph in section.paragraphs:
            ws.append([paragraph])
    ws.column_dimensions["A"].width = 110
    for row in ws.iter_rows(min_row=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    for section in report.sections:
        for table in section.tables:
            sheet = wb.create_sheet(_safe_sheet(table.title, used))
            sheet.append([table.header(c) for c in table.columns])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for values in table.rows:
                row = []
                for column, value in zip(table.columns, values, strict=True):
                    if value is None or column.kind == TEXT:
                        row.append(value)
                    elif column.kind == AMOUNT:
                        row.append(table.scale.scaled(value))
                    elif column.kind in (PERCENT, GROWTH):
                        row.append(Decimal(value) / 100)
                    else:
                        row.append(value)
                sheet.append(row)
            for index, column in enumerate(table.columns, start=1):
                formats = {AMOUNT: "#,##0.00" if table.scale.digits else "#,##0",
                           PERCENT: "0.0%", GROWTH: "+0.0%;-0.0%;0.0%",
                           POINTS: "+0.0;-0.0;0.0", COUNT: "#,##0"}  # fmt: skip
                fmt = formats.get(column.kind)
                letter = sheet.cell(row=1, column=index).column_letter
                sheet.column_dimensions[letter].width = 18 if index > 1 else 28
                if fmt:
                    for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                        cell.number_format = fmt
            if table.note:
                sheet.append([])
                sheet.append([table.note])
    sources = wb.create_sheet(_safe_sheet(str(_("Sources")), used))
    sources.append([str(_("Figure")), str(_("Definition and data"))])
    for cell in sources[1]:
        cell.font = Font(bold=True)
    for figure, definition in report.sources:
        sources.append([figure, definition])
    sources.column_dimensions["A"].width = 40
    sources.column_dimensions["B"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_docx(report: MonthlyReport) -> bytes:
    """The report as a Word document officials edit: headings, the summary sentences, each
    table with its unit in the header and numbers right-aligned."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm

    from dualcirc.bureau.domain.report_charts import ranked_png, trend_png

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Microsoft YaHei"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    doc.core_properties.title = report.title
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(report.subtitle)
    for section in report.sections:
        doc.add_heading(section.heading, level=1)
        for paragraph in section.paragraphs:
            doc.add_paragraph(paragraph)
        if section.chart and (png := trend_png(report)):
            doc.add_picture(io.BytesIO(png), width=Cm(16))
        for table in section.tables:
            doc.add_heading(table.title, level=2)
            if table.bars and (png := ranked_png(table, language=report.language)):
                doc.add_picture(io.BytesIO(png), width=Cm(16))
            grid = doc.add_table(rows=1, cols=len(table.columns))
            grid.style = "Table Grid"
            for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
                cell.text = table.header(column)
                cell.paragraphs[0].runs[0].bold = True
            for values in table.rows:
                cells = grid.add_row().cells
                for cell, column, value in zip(cells, table.columns, values, strict=True):
                    cell.text = table.cell_text(column, value, language=report.language)
                    if column.kind != TEXT:
                        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if table.note:
                doc.add_paragraph(table.note)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def cjk_font_path() -> str:
    """A TrueType font with Chinese glyphs to embed: WenQuanYi Micro Hei from the
    ``paperang-p2-fonts-cjk`` package (a dependency), else Debian's copy."""
    from contextlib import suppress
    from importlib.resources import files
    from pathlib import Path

    candidates = [Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")]
    with suppress(ModuleNotFoundError):  # the dependency is installed; Debian's otherwise
        candidates.insert(
            0, Path(str(files("paperang_p2_fonts_cjk") / "fonts" / "wqy-microhei.ttc"))
        )
    for path in candidates:
        if path.exists():
            return str(path)
    raise FileNotFoundError("No CJK TrueType font: install paperang-p2-fonts-cjk.")


FONT = "WenQuanYiMicroHei"


def _trend_drawing(report: MonthlyReport, width: float) -> Any:
    """The trend as a line chart drawn on the server (vector, in the PDF): this year solid,
    the same month last year dashed."""
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.graphics.widgets.markers import makeMarker
    from reportlab.lib import colors

    scale = amount_scale([v for _m, a, b in report.trend for v in (a, b)],
                         language=report.language)  # fmt: skip
    drawing = Drawing(width, 210)
    drawing.initialFontName = FONT  # else the renderer starts in Helvetica, not embedded
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 45, 40, width - 60, 140
    now = [float(scale.scaled(a)) if a is not None else None for _m, a, _b in report.trend]
    before = [float(scale.scaled(b)) if b is not None else None for _m, _a, b in report.trend]
    chart.data = [now, before]  # floats only for drawing; the tables carry the Decimals
    chart.categoryAxis.categoryNames = [m[2:] for m, _a, _b in report.trend]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.valueMin = 0
    chart.lines[0].strokeColor = colors.HexColor("#2f6fd0")
    chart.lines[0].strokeWidth = 2
    chart.lines[1].strokeColor = colors.HexColor("#e07b00")
    chart.lines[1].strokeDashArray = [4, 3]
    for index in (0, 1):  # a month alone (its neighbours not shown) is still a visible point
        chart.lines[index].symbol = makeMarker("FilledCircle", size=3)
    drawing.add(chart)
    drawing.add(String(5, 195, str(_("Unit")) + f": {scale.label}", fontName=FONT, fontSize=8))
    legend = Legend()
    legend.x, legend.y = width - 230, 205
    legend.fontName = FONT
    legend.fontSize = 8
    legend.columnMaximum = 1
    legend.alignment = "right"
    blue, orange = colors.HexColor("#2f6fd0"), colors.HexColor("#e07b00")
    legend.colorNamePairs = [(blue, str(_("This year"))), (orange, str(_("Same month last year")))]
    drawing.add(legend)
    return drawing


def report_pdf(report: MonthlyReport) -> bytes:
    """The report as a PDF to forward: headings, sentences, tables and the trend chart, in
    WenQuanYi Micro Hei, embedded (subset), so it reads on a machine without Chinese fonts."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    from dualcirc.bureau.domain.report_charts import ranked_png

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, cjk_font_path(), subfontIndex=0))
    title = ParagraphStyle("t", fontName=FONT, fontSize=18, leading=24, spaceAfter=4)
    h1 = ParagraphStyle("h1", fontName=FONT, fontSize=13, leading=18, spaceBefore=10,
                        spaceAfter=4)  # fmt: skip
    h2 = ParagraphStyle("h2", fontName=FONT, fontSize=10.5, leading=14, spaceBefore=4)
    body = ParagraphStyle("b", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
    cell = ParagraphStyle("c", fontName=FONT, fontSize=8.5, leading=11, wordWrap="CJK")
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title=report.title, initialFontName=FONT,
                            leftMargin=50, rightMargin=50, topMargin=50,
                            bottomMargin=50)  # fmt: skip
    story: list[Any] = [Paragraph(escape(report.title), title),
                        Paragraph(escape(report.subtitle), body), Spacer(1, 6)]  # fmt: skip
    for section in report.sections:
        story.append(Paragraph(escape(section.heading), h1))
        for paragraph in section.paragraphs:
            story.append(Paragraph(escape(paragraph), body))
        if section.chart and any(a is not None for _m, a, _b in report.trend):
            story.append(_trend_drawing(report, doc.width))
        for table in section.tables:
            story.append(Paragraph(escape(table.title), h2))
            if table.bars and (png := ranked_png(table, language=report.language)):
                picture = Image(io.BytesIO(png))
                ratio = doc.width / picture.imageWidth
                picture.drawWidth, picture.drawHeight = doc.width, picture.imageHeight * ratio
                story.append(picture)
            data = [[Paragraph(escape(table.header(c)), cell) for c in table.columns]]
            data += [[Paragraph(escape(table.cell_text(c, v, language=report.language)), cell)
                      if c.kind == TEXT else table.cell_text(c, v, language=report.language)
                      for c, v in zip(table.columns, values, strict=True)]
                     for values in table.rows]  # fmt: skip
            grid = PdfTable(data, repeatRows=1, hAlign="LEFT")
            style = [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c8ccd4")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
            style += [("ALIGN", (i, 1), (i, -1), "RIGHT")
                      for i, c in enumerate(table.columns) if c.kind != TEXT]  # fmt: skip
            grid.setStyle(TableStyle(style))
            story.append(grid)
            if table.note:
                story.append(Paragraph(escape(table.note), cell))
    doc.build(story)
    return out.getvalue()
