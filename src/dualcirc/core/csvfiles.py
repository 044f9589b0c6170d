"""Table files people open in Excel or WPS: CSV in UTF-8 with the byte-order mark (without it
both read Chinese as mojibake), and XLSX with one sheet; in both, text cells cannot run as
formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

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
    from openpyxl import Workbook  # imported here: only the XLSX exports need it
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = title[:31]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    if first_column_width is not None:
        sheet.column_dimensions["A"].width = first_column_width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
