"""Table files people open in Excel or WPS: CSV in UTF-8 with the byte-order mark (without it
both read Chinese as mojibake), and XLSX with one sheet or several; in all, text cells cannot
run as formulas (one guard, :func:`safe_cell`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# A cell starting with one of these is read as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text that starts like a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """The header and rows as a CSV file: UTF-8 with BOM, CRLF line ends, safe text cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class Sheet:
    """One sheet of an XLSX workbook: its title (cut to Excel's 31 characters), header (bold)
    and rows; ``first_column_width`` widens column A (names) when given."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]
    first_column_width: float | None = None


def xlsx_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    title: str,
    first_column_width: float | None = None,
) -> bytes:
    """The header (bold) and rows as an XLSX workbook of one sheet named ``title`` (cut to
    Excel's 31 characters); numbers stay numbers, text cells are made safe as in
    :func:`csv_bytes`. ``first_column_width`` widens column A (names) when given."""
    return xlsx_sheets_bytes([Sheet(title, header, rows, first_column_width)])


def xlsx_sheets_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook of ``sheets`` (at least one), in order, each written as
    :func:`xlsx_bytes` writes its one: bold header, numbers stay numbers, text cells made safe
    as in :func:`csv_bytes`."""
    from openpyxl import Workbook  # imported here: only the XLSX exports need it
    from openpyxl.styles import Font

    if not sheets:
        raise ValueError("an XLSX workbook needs at least one sheet")
    workbook = Workbook()
    first = workbook.active
    assert first is not None  # a new workbook has its one sheet
    for n, spec in enumerate(sheets):
        sheet = first if n == 0 else workbook.create_sheet()
        sheet.title = spec.title[:31]
        sheet.append(list(spec.header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in spec.rows:
            sheet.append([safe_cell(v) for v in row])
        if spec.first_column_width is not None:
            sheet.column_dimensions["A"].width = spec.first_column_width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
