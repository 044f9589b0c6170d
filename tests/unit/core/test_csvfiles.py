import io
from decimal import Decimal

from openpyxl import load_workbook

from dualcirc.core.csvfiles import Sheet, csv_bytes, xlsx_bytes, xlsx_sheets_bytes


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


def test_xlsx_sheets_bytes_writes_each_sheet_in_order_with_the_one_guard():
    data = xlsx_sheets_bytes(
        [
            Sheet("SKUs", ["sku", "price"], [["=1+1", Decimal("12.50")], ["", 3]]),
            Sheet("Left out", ["sku", "why"], [["@SUM(A1)", "\tTab"], ["-2", "\rReturn"]]),
        ]
    )

    workbook = load_workbook(io.BytesIO(data))
    cells = {
        name: [[c.value for c in row] for row in workbook[name].iter_rows()]
        for name in workbook.sheetnames
    }
    assert workbook.sheetnames == ["SKUs", "Left out"]
    assert cells == {
        "SKUs": [["sku", "price"], ["'=1+1", 12.5], [None, 3]],
        "Left out": [["sku", "why"], ["'@SUM(A1)", "'\tTab"], ["'-2", "'\rReturn"]],
    }
    assert [c.font.b for c in workbook["Left out"][1]] == [True, True]
    assert {c.data_type for row in workbook["Left out"].iter_rows() for c in row} == {"s"}
