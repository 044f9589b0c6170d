"""Monthly figures from a spreadsheet (CSV or XLSX): one row per enterprise and month.

The same contract as the catalog import (catalog.importing): every error names the spreadsheet
row (the header is row 1), the column as written in the file's header and the reason; by
default nothing is written when any row is invalid (:class:`FiguresImportRejected` carries the
report), ``partial=True`` writes the valid rows. Each row is submitted with
:func:`bureau.domain.figures.submit_figures`, so permissions, checks and revisions are the
form's. A month already submitted with other values is an error unless ``correct=True``, in
which case it is corrected (the old values are kept as a revision) with the row's reason or
``reason``.

Columns (Chinese or English headers; a header ending in ``(万元)`` is in ten-thousands of yuan):
enterprise / credit_code (may be left out by a member of a single enterprise), month, output
value, revenue, orders on hand domestic / export, employees, one column per domestic sales
channel, and one column per export mode whose cells list destinations as ``US=120000; 越南=5000``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import IO, Any

import pycountry
from django.db import models, transaction
from django.utils.translation import gettext as _

from dualcirc.bureau.domain.alerts import schedule_alert_refresh
from dualcirc.bureau.domain.figures import (
    FiguresInput,
    check_figures,
    diff_snapshots,
    figures_snapshot,
    parse_month,
    submit_figures,
)
from dualcirc.bureau.domain.policies import schedule_policy_matching
from dualcirc.bureau.enums import DomesticChannel, ExportMode, FiguresSource
from dualcirc.bureau.models import MonthlyFigures
from dualcirc.catalog.import_format import (
    BadCell,
    check_source_size,
    header_keys,
    parse_decimal,
    parse_int,
    read_table,
)
from dualcirc.catalog.importing import PROGRESS_EVERY, Progress
from dualcirc.catalog.importing.report import RowsImportRejected, RowsReport
from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import can_enter_figures, editable_enterprises, is_operator
from dualcirc.core.errors import DomainError, FieldError, InvalidInput
from dualcirc.core.sanitize import check_length

TEN_THOUSAND = Decimal(10000)

COLUMNS: dict[str, tuple[str, ...]] = {
    "enterprise": ("enterprise", "company", "企业名称", "企业", "公司名称", "公司"),
    "credit_code": ("credit_code", "credit code", "uscc", "统一社会信用代码", "信用代码"),
    "month": ("month", "period", "月份", "月", "报告期", "统计月份"),
    "output_value": ("output_value", "output value", "industrial output value", "工业总产值",
                     "产值"),
    "revenue": ("revenue", "营业收入", "营收", "主营业务收入"),
    "orders_domestic": ("orders_domestic", "domestic orders", "内销在手订单", "国内在手订单"),
    "orders_export": ("orders_export", "export orders", "出口在手订单", "外贸在手订单"),
    "employees": ("employees", "从业人员", "用工人数", "员工人数"),
    "reason": ("reason", "correction reason", "更正原因", "修改原因", "原因"),
    f"domestic.{DomesticChannel.OFFLINE_WHOLESALE}": ("offline_wholesale", "offline wholesale",
                                                      "线下批发"),
    f"domestic.{DomesticChannel.TMALL}": ("tmall", "天猫"),
    f"domestic.{DomesticChannel.TAOBAO}": ("taobao", "淘宝"),
    f"domestic.{DomesticChannel.JD}": ("jd", "jd.com", "京东"),
    f"domestic.{DomesticChannel.ALIBABA_1688}": ("1688", "1688.com"),
    f"domestic.{DomesticChannel.DOUYIN}": ("douyin", "抖音"),
    f"domestic.{DomesticChannel.OTHER_ECOMMERCE}": ("other_ecommerce", "other e-commerce",
                                                    "其他电商"),
    f"domestic.{DomesticChannel.OTHER}": ("domestic_other", "other domestic", "其他内销"),
    f"export.{ExportMode.GENERAL_TRADE}": ("export_general_trade", "general trade exports",
                                           "一般贸易出口", "一般贸易"),
    f"export.{ExportMode.PROCESSING_TRADE}": ("export_processing_trade",
                                              "processing trade exports", "加工贸易出口",
                                              "加工贸易"),
    f"export.{ExportMode.CROSS_BORDER_ECOMMERCE}": ("export_cross_border_ecommerce",
                                                    "cross-border e-commerce exports",
                                                    "跨境电商出口", "跨境电商"),
}  # fmt: skip
IGNORED_COLUMNS = ("序号", "no", "#", "备注", "remark", "remarks", "note", "notes")
AMOUNT_COLUMNS = ("output_value", "revenue", "orders_domestic", "orders_export")
_REVENUE = MonthlyFigures._meta.get_field("revenue")
assert isinstance(_REVENUE, models.DecimalField)
AMOUNT_DIGITS, AMOUNT_PLACES = int(_REVENUE.max_digits or 16), int(_REVENUE.decimal_places or 2)

_PAIR_SPLIT = re.compile(r"[;；\n,，、]")
_KEY_VALUE = re.compile(r"[=＝:：]")

# Header matching is the catalog import's (header_keys): case, spaces, full-width forms and a
# bracketed unit such as "(万元)" do not matter.
_ALIASES = {header_keys(a)[0]: c for c, aliases in COLUMNS.items() for a in aliases}
_IGNORED = {header_keys(a)[0] for a in IGNORED_COLUMNS}


def column_of(header: str) -> str | None:
    kept, dropped = header_keys(header)
    return _ALIASES.get(kept) or _ALIASES.get(dropped)


# Reading --------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    index: dict[str, int]
    label: dict[str, str]
    factor: dict[str, Decimal]
    rows: list[tuple[int, list[str]]]
    ignored: list[str]


def _read(source: bytes | IO[bytes] | Path | str) -> _Sheet:
    """The file read by the catalog import's reader, and its header mapped to figures columns."""
    table = read_table(
        source,
        recognise=column_of,
        no_header_message=_("No header row found: the first row must name the columns (month, …)."),
    )
    index: dict[str, int] = {}
    label: dict[str, str] = {}
    factor: dict[str, Decimal] = {}
    ignored: list[str] = []
    errors: list[FieldError] = []
    for position, name in enumerate(table.header):
        if not name:
            continue
        column = column_of(name)
        if column is None:
            if header_keys(name)[0] in _IGNORED:
                ignored.append(name)
            else:
                errors.append(FieldError(name, _("Unknown column.")))
        elif column in index:
            errors.append(
                FieldError(
                    name,
                    _("This column means the same as column %(other)r.") % {"other": label[column]},
                )
            )
        else:
            index[column], label[column] = position, name
            factor[column] = TEN_THOUSAND if "万" in name else Decimal(1)
    if "month" not in index:
        errors.append(FieldError("month", _("This column is required.")))
    if errors:
        raise InvalidInput(_("The header of the file is not valid."), errors)
    return _Sheet(index=index, label=label, factor=factor, rows=table.rows, ignored=ignored)


# Countries ------------------------------------------------------------------------------------


@cache
def _country_names() -> dict[str, str]:
    """Lower-cased English and Chinese country names and codes → alpha-2 code."""
    import gettext

    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for name in (c.alpha_2, c.alpha_3, c.name, getattr(c, "common_name", "")):
            if name:
                names[name.casefold()] = c.alpha_2
        names[zh.gettext(c.name).casefold()] = c.alpha_2
    names.update({"越南": "VN", "俄罗斯": "RU", "韩国": "KR", "uk": "GB", "美国": "US"})
    return names


def parse_country(text: str) -> str:
    code = _country_names().get(unicodedata.normalize("NFKC", text).strip().casefold())
    if code is None:
        raise BadCell(_("%(value)r is not a country.") % {"value": text})
    return code


def _fit_column(amount: Decimal) -> Decimal:
    """An amount as its column stores it (16 digits, 2 decimal places, like the API): extra
    decimal places are refused, never rounded (trailing zeros aside)."""
    places, digits = AMOUNT_PLACES, AMOUNT_DIGITS
    normal = amount.normalize() if amount else Decimal(0)
    exponent = normal.as_tuple().exponent
    assert isinstance(exponent, int)  # parse_decimal refuses NaN and infinities
    if exponent < -places:
        raise BadCell(
            _("%(value)s has more than %(places)d decimal places.")
            % {"value": amount, "places": places}
        )
    if abs(amount) >= Decimal(10) ** (digits - places):
        raise BadCell(_("%(value)s is too large.") % {"value": amount})
    return amount


def parse_destinations(text: str, factor: Decimal) -> dict[str, Decimal]:
    """``US=120000; 越南=5000`` → ``{"US": 120000, "VN": 5000}``."""
    result: dict[str, Decimal] = {}
    for part in _PAIR_SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        found = _KEY_VALUE.search(part)
        if not found:
            raise BadCell(_("%(pair)r is not written as country=amount.") % {"pair": part})
        country = parse_country(part[: found.start()])
        amount = parse_decimal(part[found.end() :])
        if amount is None:
            raise BadCell(_("%(pair)r has no amount.") % {"pair": part})
        if country in result:
            raise BadCell(_("%(country)s is given twice.") % {"country": country})
        result[country] = _fit_column(amount * factor)
    return result


# The import -----------------------------------------------------------------------------------


@dataclass
class FiguresImportReport(RowsReport):
    """What a figures import wrote, or would have, and every problem it found."""

    created: int = 0
    corrected: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            **super().as_dict(),
            "created": self.created,
            "corrected": self.corrected,
            "unchanged": self.unchanged,
        }


class FiguresImportRejected(RowsImportRejected):
    """Figures rows are invalid and the import was not partial: nothing was written."""

    report: FiguresImportReport

    def __init__(self, report: FiguresImportReport) -> None:
        super().__init__(report)


@dataclass
class _Row:
    number: int
    values: list[str] = field(default_factory=list)
    enterprise: Enterprise | None = None
    month: Any = None
    data: FiguresInput = field(default_factory=FiguresInput)
    reason: str = ""
    expected_version: int | None = None
    action: str = ""
    errors: list[FieldError] = field(default_factory=list)


def import_figures(
    *,
    actor: Any,
    file: bytes | IO[bytes] | Path | str,
    correct: bool = False,
    reason: str = "",
    partial: bool = False,
    progress: Progress | None = None,
) -> FiguresImportReport:
    """Import monthly figures from ``file`` (see the module docstring for the columns).

    ``progress`` is told the rows read, checked and written as the catalog import tells them
    (catalog.importing.Progress); raising ImportCancelled from it stops the import with
    nothing written (the writes are one transaction).

    Side effects: submits each valid row with submit_figures (source ``import``) in one
    transaction, then enqueues one alert refresh per month written and one policy matching of
    the enterprises whose figures changed; writes nothing when any
    row is invalid unless ``partial``. Raises InvalidInput
    (field ``file`` or a column) for an unreadable file or header, FiguresImportRejected with
    the report when rows are invalid and not ``partial``.
    """
    check_source_size(file)
    sheet = _read(file)
    total = len(sheet.rows)

    def tell(stage: str, done: int) -> None:
        if progress is not None:
            progress(stage, done, total)

    tell("read", total)
    report = FiguresImportReport(rows=total)
    report.warnings = [_("Column %(name)r is ignored.") % {"name": n} for n in sheet.ignored]
    own = list(editable_enterprises(actor, Enterprise.objects.all())[:2])
    default = own[0] if len(own) == 1 and not is_operator(actor) else None
    if default is None and not ("enterprise" in sheet.index or "credit_code" in sheet.index):
        raise InvalidInput(
            _("The file must name the enterprise of each row."),
            [FieldError("enterprise", _("Add an enterprise or credit_code column."))],
        )
    rows: list[_Row] = []
    for done, (number, values) in enumerate(sheet.rows, start=1):
        rows.append(_parse_row(sheet, number, values))
        if done % PROGRESS_EVERY == 0 and done < total:
            tell("checked", done)
    _resolve_enterprises(actor, sheet, rows, default)
    _check_against_stored(rows, sheet, correct=correct, reason=reason)
    tell("checked", total)
    report.set_errors([e for row in rows for e in row.errors])
    if report.errors and not partial:
        raise FiguresImportRejected(report)
    seen: set[tuple[int, Any]] = set()
    changed_months: set[dt.date] = set()
    changed_enterprises: set[int] = set()
    with transaction.atomic():
        for done, row in enumerate(rows, start=1):
            if done % PROGRESS_EVERY == 0:
                tell("written", done)
            if row.errors or row.enterprise is None:
                continue
            key = (row.enterprise.pk, row.month)
            if key in seen:
                continue
            seen.add(key)
            if row.action == "unchanged":
                report.unchanged += 1
                continue
            try:
                result = submit_figures(
                    actor=actor,
                    enterprise=row.enterprise,
                    month=row.month,
                    data=row.data,
                    source=FiguresSource.IMPORT,
                    expected_version=row.expected_version,
                    reason=row.reason,
                    row=row.number,
                    schedule_tasks=False,
                )
            except DomainError as exc:
                # A concurrent change between the check and the write: report it as the row's.
                report.set_errors(
                    [*report.errors, *(exc.errors or [FieldError(None, str(exc), row.number)])]
                )
                if not partial:
                    transaction.set_rollback(True)
                    report.created = report.corrected = report.unchanged = 0
                    raise FiguresImportRejected(report) from exc
                continue
            if result.action != "unchanged":
                changed_months.add(result.figures.month)
                changed_enterprises.add(row.enterprise.pk)
            if result.action == "created":
                report.created += 1
            elif result.action == "corrected":
                report.corrected += 1
            else:
                report.unchanged += 1
        tell("written", total)
        schedule_alert_refresh(changed_months)
        schedule_policy_matching(changed_enterprises)
    report.written = True
    return report


def _parse_row(sheet: _Sheet, number: int, values: list[str]) -> _Row:
    row = _Row(number=number, values=values)

    def cell(column: str) -> str:
        return _cell(sheet, row, column)

    def error(column: str, message: str) -> None:
        row.errors.append(FieldError(sheet.label.get(column, column), message, number))

    try:
        row.month = parse_month(cell("month"))
    except ValueError:
        error("month", _("%(value)r is not a month (write 2025-03 or 2025年3月).")
              % {"value": cell("month")})  # fmt: skip
    row.reason = cell("reason")
    too_long = check_length(row.reason, kind="reason", field="reason")
    if too_long:
        error("reason", too_long.message)
    for column in sheet.index:
        text = cell(column)
        try:
            if column in AMOUNT_COLUMNS:
                amount = parse_decimal(text)
                amount = None if amount is None else _fit_column(amount * sheet.factor[column])
                setattr(row.data, column, amount)
            elif column == "employees":
                row.data.employees = parse_int(text)
            elif column.startswith("domestic."):
                amount = parse_decimal(text)
                if amount:
                    amount = _fit_column(amount * sheet.factor[column])
                    row.data.domestic[column.split(".", 1)[1]] = amount
            elif column.startswith("export."):
                mode = column.split(".", 1)[1]
                for country, amount in parse_destinations(text, sheet.factor[column]).items():
                    row.data.exports[(country, mode)] = amount
        except BadCell as exc:
            error(column, str(exc))
    if row.month is not None:
        for e in check_figures(row.data, month=row.month, row=number):
            parts = (e.field or "").split(".")
            name = f"export.{parts[-1]}" if parts[0] == "export" else e.field or ""
            row.errors.append(FieldError(sheet.label.get(name, e.field), e.message, number))
    return row


def _resolve_enterprises(
    actor: Any, sheet: _Sheet, rows: list[_Row], default: Enterprise | None
) -> None:
    codes = {c.upper() for c in (_cell(sheet, r, "credit_code") for r in rows) if c}
    names = {n for n in (_cell(sheet, r, "enterprise") for r in rows) if n}
    found = list(Enterprise.objects.filter(credit_code__in=codes)) if codes else []
    found += list(Enterprise.objects.filter(name_zh__in=names)) if names else []
    by_code = {e.credit_code: e for e in found if e.credit_code}
    by_name = {e.name_zh: e for e in found}
    for row in rows:
        code = _cell(sheet, row, "credit_code").upper()
        name = _cell(sheet, row, "enterprise")
        enterprise = by_code.get(code) if code else by_name.get(name) if name else default
        column = "credit_code" if code else "enterprise"
        if enterprise is None:
            row.errors.append(
                FieldError(
                    sheet.label.get(column, column),
                    _("No enterprise %(name)r on the platform.") % {"name": code or name}
                    if code or name
                    else _("Name the enterprise of this row."),
                    row.number,
                )
            )
        elif not can_enter_figures(actor, enterprise):
            row.errors.append(
                FieldError(
                    sheet.label.get(column, column),
                    _("You may not enter figures for %(name)s.") % {"name": enterprise},
                    row.number,
                )
            )
        else:
            row.enterprise = enterprise


def _cell(sheet: _Sheet, row: _Row, column: str) -> str:
    i = sheet.index.get(column)
    return row.values[i].strip() if i is not None and i < len(row.values) else ""


def _check_against_stored(rows: list[_Row], sheet: _Sheet, *, correct: bool, reason: str) -> None:
    """Months already submitted: unchanged, or a correction (allowed only with ``correct``)."""
    valid = [r for r in rows if not r.errors and r.enterprise is not None]
    if not valid:
        return
    stored = {
        (f.enterprise_id, f.month): f
        for f in MonthlyFigures.objects.filter(
            enterprise_id__in={r.enterprise.pk for r in valid if r.enterprise},
            month__in={r.month for r in valid},
        ).prefetch_related("domestic", "exports")
    }
    seen: dict[tuple[int, Any], int] = {}
    for row in valid:
        assert row.enterprise is not None
        key = (row.enterprise.pk, row.month)
        if key in seen:
            row.errors.append(
                FieldError(
                    sheet.label["month"],
                    _("Row %(row)d already gives this enterprise's figures for this month.")
                    % {"row": seen[key]},
                    row.number,
                )
            )
            continue
        seen[key] = row.number
        existing = stored.get(key)
        if existing is None:
            row.action = "create"
            continue
        if not diff_snapshots(figures_snapshot(existing), row.data.snapshot()):
            row.action = "unchanged"
        elif not correct:
            row.errors.append(
                FieldError(
                    sheet.label["month"],
                    _(
                        "This month was already submitted with other figures; choose to "
                        "correct submitted months to replace them (the old figures are kept)."
                    ),
                    row.number,
                )
            )
        else:
            row.reason = row.reason or reason
            if not row.reason.strip():
                row.errors.append(
                    FieldError(
                        sheet.label.get("reason", "reason"),
                        _("A correction needs a reason."),
                        row.number,
                    )
                )
            row.action = "correct"
            row.expected_version = existing.version
