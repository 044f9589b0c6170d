"""Reading catalog files and their cells (catalog.import_format): no database involved."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dualcirc.catalog.import_format import (
    BadCell,
    map_header,
    parse_attributes,
    parse_currency,
    parse_decimal,
    parse_hs_code,
    parse_int,
    parse_list,
    parse_status,
    read_table,
)
from dualcirc.core.errors import InvalidInput
from tests.factories.catalog_import import write_xlsx


def test_map_header_canonical_names_map_to_themselves():
    header = ["enterprise", "sku", "title_zh", "title_en", "hs_code", "price_min", "price_max"]

    columns = map_header(header)

    assert columns.index == {name: i for i, name in enumerate(header)}
    assert columns.label["hs_code"] == "hs_code"


@pytest.mark.parametrize(
    ("written", "column"),
    [
        ("企业名称", "enterprise"),
        ("公司名称", "enterprise"),
        ("英文企业名称", "enterprise_en"),
        ("统一社会信用代码", "credit_code"),
        ("省份", "province"),
        ("区县", "city"),
        ("产业", "industry"),
        ("产品编号", "sku"),
        ("型号", "sku"),
        ("SKU", "sku"),
        ("品名", "title_zh"),
        ("中文品名", "title_zh"),
        ("英文品名", "title_en"),
        ("越南语名称", "title_vi"),
        ("产品描述", "description_zh"),
        ("英文描述", "description_en"),
        ("HS编码", "hs_code"),
        ("商品编码", "hs_code"),
        ("规格参数", "attributes"),
        ("最小起订量", "moq"),
        ("计量单位", "unit"),
        ("单价", "price"),
        ("最低价", "price_min"),
        ("最高价", "price_max"),
        ("货币", "currency"),
        ("资质认证", "certifications"),
        ("出口市场", "export_markets"),
        ("交货期", "lead_time_days"),
        ("状态", "status"),
        # Case, spaces, full-width brackets and units in brackets are ignored.
        ("交期（天）", "lead_time_days"),
        ("交期(天)", "lead_time_days"),
        ("价格（元）", "price"),
        ("起订量 (件)", "moq"),
        ("  HS Code ", "hs_code"),
        ("Title_EN", "title_en"),
        ("Lead Time (days)", "lead_time_days"),
        ("产品名称（英文）", "title_en"),
        ("*货号", "sku"),
    ],
)
def test_map_header_accepts_chinese_and_english_aliases(written, column):
    required = {"sku": "货号", "title_zh": "产品名称", "hs_code": "海关编码"}
    header = [written, *(name for c, name in required.items() if c != column)]

    columns = map_header(header)

    assert columns.index[column] == 0
    assert columns.label[column] == written


def test_map_header_fully_chinese_header():
    header = [
        "企业名称",
        "省份",
        "城市",
        "行业",
        "货号",
        "产品名称",
        "英文名称",
        "海关编码",
        "属性",
        "起订量",
        "单位",
        "价格",
        "币种",
        "认证",
        "出口市场",
        "交期(天)",
    ]

    columns = map_header(header)

    assert sorted(columns.index) == sorted(
        [
            "enterprise",
            "province",
            "city",
            "industry",
            "sku",
            "title_zh",
            "title_en",
            "hs_code",
            "attributes",
            "moq",
            "unit",
            "price",
            "currency",
            "certifications",
            "export_markets",
            "lead_time_days",
        ]
    )
    assert columns.label["lead_time_days"] == "交期(天)"


def test_map_header_unknown_column_is_an_error_naming_it():
    with pytest.raises(InvalidInput) as exc:
        map_header(["sku", "title_en", "hs_code", "颜色分类"])

    assert [(e.field, e.message) for e in exc.value.errors] == [("颜色分类", "Unknown column.")]


def test_map_header_row_number_and_remarks_columns_are_ignored():
    columns = map_header(["序号", "sku", "title_en", "hs_code", "备注"])

    assert columns.ignored == ["序号", "备注"]
    assert "序号" not in columns.label.values()


def test_map_header_missing_required_columns_are_named():
    with pytest.raises(InvalidInput) as exc:
        map_header(["enterprise", "moq"])

    assert [e.field for e in exc.value.errors] == ["sku", "hs_code", "title_zh"]


def test_map_header_same_column_twice_is_an_error():
    with pytest.raises(InvalidInput) as exc:
        map_header(["sku", "货号", "title_en", "hs_code"])

    assert exc.value.errors[0].field == "货号"
    assert "'sku'" in exc.value.errors[0].message


def test_map_header_single_price_and_price_range_together_is_an_error():
    with pytest.raises(InvalidInput) as exc:
        map_header(["sku", "title_en", "hs_code", "价格", "最低价"])

    assert exc.value.errors[0].field == "价格"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,000", Decimal("1000")),
        ("1000.00", Decimal("1000.00")),
        (" 12.5 ", Decimal("12.5")),
        ("１２０", Decimal("120")),
        ("1,234,567.5", Decimal("1234567.5")),
        ("", None),
    ],
)
def test_parse_decimal_reads_grouped_and_plain_numbers(text, value):
    assert parse_decimal(text) == value


def test_parse_decimal_drops_only_trailing_zeros_beyond_the_places():
    assert parse_decimal("2.950000", places=4) == Decimal("2.9500")
    assert str(parse_decimal("2.950000", places=4)) == "2.9500"
    assert str(parse_decimal("2.950001", places=4)) == "2.950001"


@pytest.mark.parametrize("text", ["abc", "1,0", "12,50", "1.000,50", "NaN", "-inf"])
def test_parse_decimal_refuses_what_is_not_a_number(text):
    with pytest.raises(BadCell):
        parse_decimal(text)


def test_parse_int_refuses_fractions():
    assert parse_int("30") == 30
    assert parse_int("30.0") == 30
    with pytest.raises(BadCell):
        parse_int("30.5")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("9401.61", "940161"),
        ("940161", "940161"),
        ("94016100", "940161"),
        ("9401610000", "940161"),
        ("30617", "030617"),  # a number cell lost the leading zero
        ("", ""),
    ],
)
def test_parse_hs_code_normalises_national_and_dotted_codes(text, code):
    assert parse_hs_code(text) == code


def test_parse_hs_code_refuses_letters():
    with pytest.raises(BadCell):
        parse_hs_code("HS9401")


def test_parse_attributes_accepts_ascii_and_full_width_separators():
    assert parse_attributes("material=oak; seats=6") == {"material": "oak", "seats": "6"}
    assert parse_attributes("材质＝橡木；座位：6") == {"材质": "橡木", "座位": "6"}
    assert parse_attributes("composition=65% polyester, 35% cotton") == {
        "composition": "65% polyester, 35% cotton"
    }
    assert parse_attributes("") == {}


def test_parse_attributes_refuses_a_pair_without_key():
    with pytest.raises(BadCell):
        parse_attributes("material=oak; just text")


def test_parse_list_splits_on_every_separator():
    assert parse_list("ISO 9001;FSC, CE；GS、BSCI") == ["ISO 9001", "FSC", "CE", "GS", "BSCI"]


def test_parse_status_and_currency_words():
    assert parse_status("已发布") == "published"
    assert parse_status("Draft") == "draft"
    assert parse_status("草稿") == "draft"
    assert parse_status("") is None
    with pytest.raises(BadCell):
        parse_status("maybe")
    assert parse_currency("人民币") == "CNY"
    assert parse_currency("usd") == "USD"
    assert parse_currency("XYZ") == "XYZ"  # refused later by the model's validator


def test_read_table_csv_with_bom_and_utf8(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("\ufeffsku,title_zh,hs_code\nA1,餐桌,940360\n".encode())

    table = read_table(path)

    assert table.header == ["sku", "title_zh", "hs_code"]
    assert table.rows == [(2, ["A1", "餐桌", "940360"])]


def test_read_table_gbk_csv_from_chinese_excel(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("货号,产品名称,海关编码\nA1,实木餐桌,940360\n".encode("gbk"))

    table = read_table(path)

    assert table.header == ["货号", "产品名称", "海关编码"]
    assert table.rows[0][1][1] == "实木餐桌"


def test_read_table_skips_a_title_line_and_blank_rows_keeping_row_numbers(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        "莱西家具产品目录,,\n货号,品名,海关编码\n,,\nA1,餐桌,940360\n", encoding="utf-8"
    )

    table = read_table(path)

    assert table.header_row == 2
    assert table.rows == [(4, ["A1", "餐桌", "940360"])]


def test_read_table_xlsx_numbers_read_as_written(tmp_path):
    path = write_xlsx(
        tmp_path / "c.xlsx",
        ["货号", "品名", "海关编码", "起订量"],
        [["A1", "餐桌", 94036000, 50.0]],
    )

    table = read_table(path)

    assert table.rows == [(2, ["A1", "餐桌", "94036000", "50"])]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV"),
        (b"PK\x03\x04garbage", "XLSX"),
        (b"just,some,words\n1,2,3\n", "No header"),
    ],
)
def test_read_table_unreadable_files_are_clear_errors(tmp_path, content, message):
    with pytest.raises(InvalidInput) as exc:
        read_table(content)

    assert exc.value.errors[0].field == "file"
    assert message in str(exc.value)
