from decimal import Decimal

from dualcirc.core.csvfiles import csv_bytes


def test_csv_bytes_writes_bom_crlf_and_keeps_formula_like_text_as_text():
    data = csv_bytes(["subject", "change"], [["=HYPERLINK(1)", Decimal("-0.25")], ["bàn ăn", 3]])

    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").split("\r\n") == [
        "subject,change",
        "'=HYPERLINK(1),-0.25",
        "bàn ăn,3",
        "",
    ]
