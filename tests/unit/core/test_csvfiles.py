import io
from decimal import Decimal

from openpyxl import load_workbook

from dualcirc.core.csvfiles import csv_bytes, xlsx_bytes


def test_csv_bytes_writes_bom_crlf_and_keeps_formula_like_text_as_text():
    data = csv_bytes(["subject", "change"], [["=HYPERLINK(1)", Decimal("-0.25")], ["bàn ăn", 3]])

    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").split("\r\n") == [
        "subject,change",
        "'=HYPERLINK(1),-0.25",
        "bàn ăn,3",
        "",
    ]


def test_xlsx_bytes_writes_one_sheet_with_a_bold_header_numbers_and_safe_text():
    data = xlsx_bytes(
        ["subject", "change"],
        [["=HYPERLINK(1)", Decimal("-0.25")], ["bàn ăn", 3]],
        title="A title longer than the thirty-one characters Excel allows",
        first_column_width=36,
    )

    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert workbook.sheetnames == ["A title longer than the thirty-"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["subject", "change"],
        ["'=HYPERLINK(1)", -0.25],
        ["bàn ăn", 3],
    ]
    assert [c.font.b for c in sheet[1]] == [True, True]
    assert sheet.column_dimensions["A"].width == 36
