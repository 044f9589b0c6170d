"""Catalog files as data: reading CSV/XLSX, mapping headers, parsing cells. No database access.

The import itself (permissions, validation, writing) is :mod:`dualcirc.catalog.importing`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import Product
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.core.sanitize import text_problem

HEADER_SEARCH_ROWS = 10

# Canonical column → accepted header names. Matching ignores case, spaces, "_", "-", "*",
# full-width forms and a bracketed suffix such as a unit: "交期（天）" matches "交期".
COLUMNS: dict[str, tuple[str, ...]] = {
    "enterprise": ("enterprise", "enterprise_zh", "company", "company name", "enterprise name",
                   "supplier", "企业名称", "公司名称", "企业", "公司", "企业名", "供应商",
                   "企业名称(中文)", "中文企业名称"),
    "enterprise_en": ("enterprise_en", "company_en", "english company name",
                      "enterprise name (en)", "英文企业名称", "企业英文名称", "英文公司名称",
                      "公司英文名称", "企业名称(英文)"),
    "credit_code": ("credit_code", "credit code", "uscc", "unified social credit code",
                    "统一社会信用代码", "社会信用代码", "信用代码"),
    "province": ("province", "省份", "省"),
    "city": ("city", "城市", "市", "区县", "市/区县", "城市/区县"),
    "industry": ("industry", "行业", "产业", "所属行业", "产业带"),
    "sku": ("sku", "货号", "产品编号", "型号", "商品编号", "产品编码", "产品货号", "item no",
            "item number", "product code"),
    "title_zh": ("title_zh", "title (zh)", "chinese title", "产品名称", "品名", "中文名称",
                 "中文品名", "商品名称", "产品名称(中文)", "中文产品名称"),
    "title_en": ("title_en", "title (en)", "english title", "title", "英文名称", "英文品名",
                 "产品英文名称", "英文产品名称", "产品名称(英文)"),
    "title_vi": ("title_vi", "title (vi)", "vietnamese title", "越南语名称", "越南文名称",
                 "越南语品名", "产品名称(越南语)"),
    "description_zh": ("description_zh", "description (zh)", "产品描述", "中文描述", "描述",
                       "产品介绍", "商品描述", "产品描述(中文)"),
    "description_en": ("description_en", "description (en)", "description", "英文描述",
                       "产品英文描述", "产品描述(英文)"),
    "description_vi": ("description_vi", "description (vi)", "越南语描述", "越南文描述",
                       "产品描述(越南语)"),
    "hs_code": ("hs_code", "hs code", "hs", "hscode", "海关编码", "hs编码", "商品编码", "税号",
                "海关商品编码"),
    "attributes": ("attributes", "specifications", "属性", "规格参数", "规格", "产品属性",
                   "参数"),
    "moq": ("moq", "minimum order quantity", "min order", "起订量", "最小起订量", "最低起订量"),
    "unit": ("unit", "单位", "计量单位"),
    "price": ("price", "unit price", "价格", "单价"),
    "price_min": ("price_min", "min price", "lowest price", "最低价", "最低价格", "最低单价"),
    "price_max": ("price_max", "max price", "highest price", "最高价", "最高价格", "最高单价"),
    "currency": ("currency", "币种", "货币", "币别"),
    "certifications": ("certifications", "certificates", "认证", "资质认证", "资质", "认证证书"),
    "export_markets": ("export_markets", "export markets", "markets", "出口市场", "出口国家"),
    "lead_time_days": ("lead_time_days", "lead time", "lead time (days)", "delivery time",
                       "交期", "交期(天)", "交货期", "生产周期"),
    "status": ("status", "状态", "上架状态", "发布状态"),
}  # fmt: skip
# Columns a factory's sheet often carries that mean nothing to the catalog: skipped with a
# warning. Any other unknown column is an error, so that a mistyped header never drops data.
IGNORED_COLUMNS = ("序号", "no", "no.", "#", "备注", "remark", "remarks", "note", "notes", "图片",
                   "image", "images", "photo", "photos")  # fmt: skip
ENTERPRISE_COLUMNS = ("enterprise", "enterprise_en", "credit_code")
TITLE_COLUMNS = ("title_zh", "title_en", "title_vi")
TEXT_COLUMNS = ("sku", "title_zh", "title_en", "title_vi", "description_zh", "description_en",
                "description_vi", "unit")  # fmt: skip

STATUS_WORDS = {
    ProductStatus.PUBLISHED: ("published", "publish", "online", "已发布", "发布", "上架", "已上架"),
    ProductStatus.DRAFT: ("draft", "offline", "草稿", "未发布", "下架", "已下架"),
}
CURRENCY_WORDS = {
    "RMB": "CNY", "人民币": "CNY", "元": "CNY", "¥": "CNY", "美元": "USD", "US$": "USD",
    "$": "USD", "欧元": "EUR", "€": "EUR", "港币": "HKD", "港元": "HKD", "日元": "JPY",
    "越南盾": "VND", "英镑": "GBP", "£": "GBP",
}  # fmt: skip

_BRACKETED = re.compile(r"[(\[【][^)\]】]*[)\]】]")
_HEADER_NOISE = re.compile(r"[\s_\-*./:]+")
_LIST_SPLIT = re.compile(r"[;,；，、\n]")
_PAIR_SPLIT = re.compile(r"[;；\n]")
_KEY_VALUE = re.compile(r"[=＝:：]")
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_HS_TEXT = re.compile(r"^[\d.\s]+$")


# Reading the file --------------------------------------------------------------------------
#
# The reader is bounded, because anyone who may import can send any file: its size is checked
# before a byte of it is parsed (IMPORT_MAX_BYTES), an XLSX archive's unpacked size before it is
# opened (IMPORT_MAX_UNPACKED_BYTES), the header is looked for in the first rows and columns only
# (HEADER_SEARCH_ROWS, IMPORT_MAX_COLUMNS), data rows are read no wider than the header and no
# more than IMPORT_MAX_ROWS of them. A sheet's declared dimension is not trusted: Excel records
# ``A1:XFD1048576`` for a sheet formatted to its end, which would have the reader pad a million
# rows to 16,384 cells each.


@dataclass
class Table:
    """A sheet as text: the header row as written, then the non-empty data rows."""

    header: list[str]
    header_row: int
    rows: list[tuple[int, list[str]]]


def file_error(message: str) -> InvalidInput:
    return InvalidInput(message, [FieldError(field="file", message=message)])


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def too_large_error(size: int | None = None) -> InvalidInput:
    limit = settings.IMPORT_MAX_BYTES
    if size is None:
        return file_error(
            _("The file is larger than %(limit)s MB: split it into smaller files.")
            % {"limit": _megabytes(limit)}
        )
    return file_error(
        _(
            "The file is %(size)s MB, more than the %(limit)s MB allowed: split it into "
            "smaller files."
        )
        % {"size": _megabytes(size), "limit": _megabytes(limit)}
    )


def source_size(source: bytes | IO[bytes] | Path | str) -> int | None:
    """The size of an upload, a path or bytes without reading them; None when unknown."""
    if isinstance(source, bytes):
        return len(source)
    if isinstance(source, (str, Path)):
        try:
            return Path(source).stat().st_size
        except OSError:
            return None
    size = getattr(source, "size", None)
    return size if isinstance(size, int) else None


def check_source_size(source: bytes | IO[bytes] | Path | str) -> None:
    """Raise InvalidInput (field ``file``) when ``source`` is over IMPORT_MAX_BYTES.

    Cheap: the size of an upload or a file is known without reading it, so callers check it
    before anything else (permissions aside).
    """
    size = source_size(source)
    if size is not None and size > settings.IMPORT_MAX_BYTES:
        raise too_large_error(size)


def _read_bytes(source: bytes | IO[bytes] | Path | str) -> bytes:
    """The file's bytes, refused by size before they are read or parsed."""
    check_source_size(source)
    limit = settings.IMPORT_MAX_BYTES
    if isinstance(source, bytes):
        return source
    if isinstance(source, (str, Path)):
        with Path(source).open("rb") as file:
            data = file.read(limit + 1)
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(limit + 1)
    if len(data) > limit:  # a stream whose size was not known beforehand
        raise too_large_error()
    return data


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person sees (``1000.0`` → ``1000``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value).strip()


class _Rows:
    """Rows of a sheet as lists of text, read ``width`` cells wide (a header narrows it)."""

    def __init__(
        self, rows: Callable[[int, int], Iterator[Sequence[Any]]], *, texts: bool = False
    ) -> None:
        self._rows = rows  # (first row, width) → rows of raw values
        self._texts = texts  # the values are already the cells' text (CSV)

    def read(self, *, first: int, width: int) -> Iterator[tuple[int, list[str]]]:
        """``(row number, cells)`` from row ``first`` on, empty rows skipped, ``width`` wide."""
        for number, values in enumerate(self._rows(first, width), start=first):
            if any(values):  # a sheet may record a million empty rows: skipped at C speed
                if self._texts:
                    yield number, list(values[:width])
                else:
                    yield number, [_cell_text(v) for v in values[:width]]


def _check_archive(data: bytes) -> None:
    """Refuse a workbook whose parts unpack to more than IMPORT_MAX_UNPACKED_BYTES.

    The sizes are those the archive declares; the zip reader never inflates a part past its
    declared size, so a lying archive fails to read rather than growing without bound.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise file_error(_("The XLSX file cannot be read: %(error)s") % {"error": exc}) from exc
    if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
        raise file_error(
            _("The workbook unpacks to more than %(limit)s MB: split it into smaller files.")
            % {"limit": _megabytes(settings.IMPORT_MAX_UNPACKED_BYTES)}
        )


def _open_xlsx(data: bytes) -> tuple[_Rows, Callable[[], None]]:
    from openpyxl import load_workbook

    _check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors alike
        raise file_error(_("The XLSX file cannot be read: %(error)s") % {"error": exc}) from exc
    # The declared dimension (``A1:XFD1048576`` for a sheet formatted to its end) is ignored:
    # rows are as wide as asked and only those the sheet holds are read.
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()

    def rows(first: int, width: int) -> Iterator[Sequence[Any]]:
        try:
            yield from sheet.iter_rows(min_row=first, max_col=width, values_only=True)
        except InvalidInput:
            raise
        except Exception as exc:  # a damaged sheet part: zlib, XML or openpyxl errors
            raise file_error(_("The XLSX file cannot be read: %(error)s") % {"error": exc}) from exc

    return _Rows(rows), workbook.close


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise file_error(_("The file is neither UTF-8 nor GB18030/GBK text, nor an XLSX workbook."))


def _open_csv(data: bytes) -> _Rows:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    lines: list[list[str]] = []  # parsed once; the header search and the data share them

    def rows(first: int, width: int) -> Iterator[Sequence[Any]]:
        if not lines:
            try:
                reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
                lines.extend([v.strip() for v in values[: settings.IMPORT_MAX_COLUMNS]]
                             for values in reader)  # fmt: skip
            except csv.Error as exc:
                raise file_error(
                    _("The CSV file cannot be read: %(error)s") % {"error": exc}
                ) from exc
        for values in lines[first - 1 :]:
            yield values[:width]

    return _Rows(rows, texts=True)


def read_table(
    source: bytes | IO[bytes] | Path | str,
    *,
    recognise: Callable[[str], str | None] | None = None,
    no_header_message: str | None = None,
) -> Table:
    """Read a CSV (UTF-8 with or without BOM, or GB18030/GBK) or XLSX file, within the limits
    above.

    The header is the first of the first rows that names at least two known columns (a title
    line above it is skipped); row numbers are those of the spreadsheet; data rows are cut to
    the header's width. ``recognise`` maps a header to its column (default: the catalog's
    :func:`column_of`), so another import (the bureau's figures) reads its own columns with the
    same reader; ``no_header_message`` replaces the catalog's hint. Raises InvalidInput (field
    ``file``) for a file over a limit, an empty, binary or unreadable file, or one without a
    header.
    """
    recognise = recognise or column_of
    data = _read_bytes(source)
    if not data.strip():
        raise file_error(_("The file is empty."))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise file_error(_("Old Excel (.xls) files are not supported: save it as .xlsx or CSV."))
    close: Callable[[], None] = lambda: None  # noqa: E731  # replaced by the workbook's
    if data.startswith(b"PK\x03\x04"):
        sheet, close = _open_xlsx(data)
    elif b"\x00" in data[:4096]:
        raise file_error(_("This is not a CSV or XLSX file."))
    else:
        sheet = _open_csv(data)
    try:
        return _read_sheet(sheet, recognise, no_header_message)
    finally:
        close()


def _read_sheet(
    sheet: _Rows, recognise: Callable[[str], str | None], no_header_message: str | None
) -> Table:
    header: list[str] | None = None
    header_row = 0
    for number, values in sheet.read(first=1, width=settings.IMPORT_MAX_COLUMNS):
        if number > HEADER_SEARCH_ROWS:
            break
        if sum(1 for v in values if recognise(v)) >= 2:
            header, header_row = values, number
            break
    if header is None:
        default_hint = _(
            "No header row found: the first row must name the columns (sku, title_zh, hs_code…)."
        )
        raise file_error(no_header_message or default_hint)
    while header and not header[-1]:
        header.pop()
    limit = settings.IMPORT_MAX_ROWS
    rows: list[tuple[int, list[str]]] = []
    bad: list[FieldError] = []
    for number, values in sheet.read(first=header_row + 1, width=len(header)):
        if len(rows) == limit:
            raise file_error(
                _("The file has more than %(limit)d data rows: split it into smaller files.")
                % {"limit": limit}
            )
        rows.append((number, values))
        if text_problem("".join(values)):  # one scan per row; the cells only when it fails
            for position, text in enumerate(values):
                problem = text_problem(text)
                if problem:
                    bad.append(
                        FieldError(field=header[position] or None, message=problem, row=number)
                    )
    if bad:
        shown, omitted = cap_errors(bad)
        message = _("Some cells hold characters that cannot be stored; nothing was imported.")
        if omitted:
            message += " " + _("%(count)d more problems are not listed.") % {"count": omitted}
        raise InvalidInput(message, shown)
    return Table(header=header, header_row=header_row, rows=rows)


def cap_errors(errors: list[FieldError]) -> tuple[list[FieldError], int]:
    """The first IMPORT_MAX_ERRORS problems of an import, and how many more there are."""
    limit = settings.IMPORT_MAX_ERRORS
    return errors[:limit], max(0, len(errors) - limit)


# Header ------------------------------------------------------------------------------------


def header_keys(text: str) -> tuple[str, str]:
    """(name with its bracketed part kept, name without it), both normalised."""
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = _HEADER_NOISE.sub("", re.sub(r"[()\[\]【】]", "", text))
    dropped = _HEADER_NOISE.sub("", _BRACKETED.sub("", text))
    return kept, dropped


_ALIASES: dict[str, str] = {
    header_keys(alias)[0]: column for column, aliases in COLUMNS.items() for alias in aliases
}
_IGNORED = {header_keys(name)[0] for name in IGNORED_COLUMNS}


def column_of(header: str) -> str | None:
    kept, dropped = header_keys(header)
    return _ALIASES.get(kept) or _ALIASES.get(dropped)


@dataclass
class ColumnMap:
    """Where each canonical column is in the sheet and how the file names it."""

    index: dict[str, int]
    label: dict[str, str]
    ignored: list[str]

    def has(self, column: str) -> bool:
        return column in self.index


def map_header(header: list[str]) -> ColumnMap:
    """Map the file's header to canonical columns.

    Raises InvalidInput naming each unknown column, each column given twice, and each required
    column that is missing (sku, hs_code, one title column).
    """
    index: dict[str, int] = {}
    label: dict[str, str] = {}
    ignored: list[str] = []
    errors: list[FieldError] = []
    for position, name in enumerate(header):
        if not name:
            continue
        column = column_of(name)
        if column is None:
            if header_keys(name)[0] in _IGNORED:
                ignored.append(name)
            else:
                errors.append(FieldError(field=name, message=_("Unknown column.")))
        elif column in index:
            errors.append(
                FieldError(
                    field=name,
                    message=_("This column means the same as column %(other)r.")
                    % {"other": label[column]},
                )
            )
        else:
            index[column], label[column] = position, name
    if "price" in index and ("price_min" in index or "price_max" in index):
        errors.append(
            FieldError(
                field=label["price"],
                message=_("Give either one price column or lowest and highest price columns."),
            )
        )
    for column in ("sku", "hs_code"):
        if column not in index:
            errors.append(FieldError(field=column, message=_("This column is required.")))
    if not any(c in index for c in TITLE_COLUMNS):
        errors.append(
            FieldError(
                field="title_zh",
                message=_("A title column is required (title_zh, title_en or title_vi)."),
            )
        )
    if errors:
        raise InvalidInput(_("The header of the file is not valid."), errors)
    return ColumnMap(index=index, label=label, ignored=ignored)


# Cells -------------------------------------------------------------------------------------


class BadCell(ValueError):
    """A cell that cannot be read as its column's kind of value; the message says why."""


def parse_decimal(text: str, *, places: int | None = None) -> Decimal | None:
    """``"1,000"``, ``"1000.00"``, ``"１０００"`` → Decimal; empty → None.

    Trailing zeros beyond ``places`` are dropped (``"2.95000"`` fits 4 places); real extra
    precision is left for the model's validator to refuse.
    """
    text = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if not text:
        return None
    if "," in text:
        if not _GROUPED_NUMBER.match(text):
            raise BadCell(_("%(value)r is not a number.") % {"value": text})
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise BadCell(_("%(value)r is not a number.") % {"value": text}) from None
    if not number.is_finite():
        raise BadCell(_("%(value)r is not a number.") % {"value": text})
    exponent = number.as_tuple().exponent  # an int: NaN and infinities are refused above
    if places is not None and isinstance(exponent, int) and exponent < -places:
        rounded = number.quantize(Decimal(1).scaleb(-places))
        if rounded == number:
            number = rounded
    return number


def parse_int(text: str) -> int | None:
    number = parse_decimal(text)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise BadCell(_("%(value)r is not a whole number.") % {"value": text})
    return int(number)


def parse_hs_code(text: str) -> str:
    """``9401.61`` / ``940161`` / ``94016100`` / ``9401610000`` → ``940161``.

    An 8- or 10-digit national code keeps its first 6 digits; a 5-, 7- or 9-digit code lost its
    leading zero in a spreadsheet number cell and gets it back. Existence is checked later by
    the model's validator.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return ""
    if not _HS_TEXT.match(text):
        raise BadCell(_("%(value)r is not an HS code (digits and dots only).") % {"value": text})
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) in (5, 7, 9):
        digits = "0" + digits
    if len(digits) in (8, 10):
        digits = digits[:6]
    return digits


def parse_attributes(text: str) -> dict[str, str]:
    """``key=value; key=value`` (also ``；``, ``＝``, ``：``) → dict."""
    attributes: dict[str, str] = {}
    for part in _PAIR_SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        found = _KEY_VALUE.search(part)
        key = part[: found.start()].strip() if found else ""
        if not found or not key:
            raise BadCell(_("%(pair)r is not written as key=value.") % {"pair": part})
        attributes[key] = part[found.end() :].strip()
    return attributes


def parse_list(text: str) -> list[str]:
    """Split on ``; , ； ， 、`` and line breaks."""
    return [item.strip() for item in _LIST_SPLIT.split(text) if item.strip()]


def parse_status(text: str) -> str | None:
    word = text.strip().casefold()
    if not word:
        return None
    for status, words in STATUS_WORDS.items():
        if word in words:
            return str(status)
    raise BadCell(
        _("%(value)r is not a status: write published or draft (已发布 / 草稿).") % {"value": text}
    )


def parse_currency(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    return CURRENCY_WORDS.get(text, CURRENCY_WORDS.get(text.upper(), text.upper()))


def _decimal_places(name: str) -> int:
    model_field = Product._meta.get_field(name)
    assert isinstance(model_field, models.DecimalField)
    return int(model_field.decimal_places)


_PLACES = {name: _decimal_places(name) for name in ("moq", "price_min", "price_max")}


def parse_product_cells(cells: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Product field values from a row's cells, and the columns that could not be parsed."""
    values: dict[str, Any] = {}
    bad: dict[str, str] = {}
    for column, text in cells.items():
        try:
            if column in TEXT_COLUMNS:
                values[column] = text
            elif column == "hs_code":
                values["hs_code"] = parse_hs_code(text)
            elif column == "attributes":
                values["attributes"] = parse_attributes(text)
            elif column in ("certifications", "export_markets"):
                values[column] = parse_list(text)
            elif column in ("moq", "price_min", "price_max"):
                values[column] = parse_decimal(text, places=_PLACES[column])
            elif column == "price":
                price = parse_decimal(text, places=_PLACES["price_min"])
                values["price_min"] = values["price_max"] = price
            elif column == "currency":
                values["currency"] = parse_currency(text)
            elif column == "lead_time_days":
                values["lead_time_days"] = parse_int(text)
            elif column == "status":
                status = parse_status(text)
                if status is not None:
                    values["status"] = status
        except BadCell as exc:
            bad[column] = str(exc)
    return values, bad


# Columns that describe the enterprise a row belongs to, not the product.
ENTERPRISE_CELLS = ("enterprise", "enterprise_en", "credit_code", "province", "city", "industry")
PRODUCT_COLUMNS = tuple(c for c in COLUMNS if c not in ENTERPRISE_CELLS)
