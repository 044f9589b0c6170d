"""Listing files in each channel's shape (XLSX, CSV, JSON): only ready products, re-read with
the format's own reader and re-checked against the channel's rules."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dualcirc.channels.domain import record_listing
from dualcirc.channels.export import build_channel_export
from dualcirc.channels.listing_files import load_listing_formats
from dualcirc.channels.readiness import count_title
from dualcirc.channels.rules import load_rule_book
from dualcirc.core.access import AccessDenied
from tests.factories import make_enterprise, make_product
from tests.factories.api import make_buyer, make_enterprise_user
from tests.factories.brands import make_brand, put_under_brand
from tests.factories.files import photo_bytes

pytestmark = pytest.mark.django_db


def photo(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_bytes(width=900, height=900), content_type="image/jpeg")


@pytest.fixture
def factory():
    enterprise = make_enterprise()
    member = make_enterprise_user(enterprise=enterprise)
    table = make_product(
        enterprise=enterprise,
        sku="T-1",
        title_zh="实木餐桌",
        attributes={"wood": "oak", "style": "Nordic"},
    )
    record_listing(
        actor=member,
        product=table,
        data={
            "title_zh": "北欧实木餐桌 橡木长方形家用饭桌",
            "brand": "莱木",
            "retail_price": "1999",
            "spec_matrix": "原木色, 1.4米, 1999, 10\n胡桃色, 1.6米, 2299, 5",
            "wholesale_tiers": "10, 1500\n50, 1350",
            "shipping_hours": 48,
            "seven_day_return": True,
            "attributes": {"是否可定制": "否"},
        },
        evidence={"formaldehyde-grade": "E0"},
        images=[photo("a.jpg"), photo("b.jpg"), photo("c.jpg")],
    )
    brand = make_brand(actor=member, enterprise=enterprise)
    put_under_brand(actor=member, products=[table], brand=brand)
    tv = make_product(
        enterprise=enterprise, sku="TV-1", title_zh="4K智能液晶电视", hs_code="852872"
    )
    return enterprise, member, table, tv


def reread_csv(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def reread_xlsx(data: bytes) -> dict[str, list[dict[str, object]]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    sheets = {}
    for sheet in workbook.worksheets:
        header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        sheets[sheet.title] = [dict(zip(header, row, strict=True)) for row in rows]
    return sheets


def export_of(member, enterprise, channel):
    return build_channel_export(user=member, enterprise=enterprise, channel_key=channel)


def check_sku_rows(rows, channel):
    """The project's own rules, applied to SKU rows as re-read (CSV or XLSX)."""
    rule = load_rule_book().channels[channel]
    headers = [c.name for c in load_listing_formats()[channel].columns]
    assert list(rows[0]) == headers
    title = "宝贝标题" if "宝贝标题" in headers else "商品标题"
    stock = "SKU数量" if "SKU数量" in headers else "SKU库存"
    hours = next(h for h in headers if h.startswith("发货"))
    assert [(r["商家编码"], r["销售属性"], str(r[stock])) for r in rows] == [
        ("T-1", "颜色分类:原木色;尺寸:1.4米", "10"),
        ("T-1", "颜色分类:胡桃色;尺寸:1.6米", "5"),
    ]
    prices = [Decimal(str(r["SKU价格"])) for r in rows]
    for row in rows:
        assert rule.title.min <= count_title(row[title], rule.title.unit) <= rule.title.max
        assert row["类目"] == ">".join(rule.categories["furniture-table"])
        assert int(row[hours]) <= rule.max_promise_hours
        assert "formaldehyde-grade:E0" in row["资质"]
        assert min(prices) <= Decimal(str(row["一口价"])) <= max(prices)


def test_tmall_file_is_an_xlsx_of_sku_rows_with_the_products_left_out(factory):
    enterprise, member, *_ = factory

    export = export_of(member, enterprise, "tmall")
    sheets = reread_xlsx(export.render())

    assert list(sheets) == ["商品", "未导出"]
    check_sku_rows(sheets["商品"], "tmall")
    assert [r["SKU商家编码"] for r in sheets["商品"]] == ["T-1-1", "T-1-2"]
    assert "材质:oak" in str(sheets["商品"][0]["宝贝属性"])
    [left_out] = sheets["未导出"]
    assert left_out["商家编码"] == "TV-1" and "CCC" in str(left_out["原因"])


def test_jd_file_is_a_csv_of_sku_rows(factory):
    enterprise, member, *_ = factory

    export = export_of(member, enterprise, "jd")
    rows = reread_csv(export.render())

    check_sku_rows(rows, "jd")
    assert [p.sku for p in export.exported] == ["T-1"]
    assert [p.sku for p, _reasons in export.refused] == ["TV-1"]
    assert any("CCC" in reason for reason in export.refused[0][1])
    assert (rows[0]["一口价"], rows[0]["阶梯价"], rows[0]["类目属性"][:6]) == (
        "1999.00",
        "",
        "材质:oak",
    )


def test_douyin_file_holds_product_addv2_payloads_with_prices_in_fen(factory):
    enterprise, member, *_ = factory

    document = json.loads(export_of(member, enterprise, "douyin").render())

    [payload] = document["products"]
    assert (document["channel"], document["api"]) == ("douyin", "product/addV2")
    assert (payload["outer_product_id"], payload["delivery_delay_day"]) == ("T-1", 2)
    assert payload["specs"] == "颜色分类|原木色,胡桃色^尺寸|1.4米,1.6米"
    assert payload["spec_prices"] == [
        {
            "code": "T-1-1",
            "spec_detail_name1": "原木色",
            "spec_detail_name2": "1.4米",
            "price": 199900,
            "stock_num": 10,
        },
        {
            "code": "T-1-2",
            "spec_detail_name1": "胡桃色",
            "spec_detail_name2": "1.6米",
            "price": 229900,
            "stock_num": 5,
        },
    ]
    assert payload["supply_7day_return"] == 1
    rule = load_rule_book().channels["douyin"]
    assert count_title(payload["name"], rule.title.unit) <= rule.title.max
    assert payload["dualcirc"]["category_path"] == list(rule.categories["furniture-table"])
    assert [p["sku"] for p in document["not_exported"]] == ["TV-1"]


def test_pdd_file_holds_goods_add_payloads(factory):
    enterprise, member, *_ = factory

    document = json.loads(export_of(member, enterprise, "pdd").render())

    [payload] = document["products"]
    assert (payload["out_goods_id"], payload["market_price"]) == ("T-1", 229900)
    assert payload["shipment_limit_second"] == 48 * 3600
    assert payload["is_refundable"] is True
    assert [(s["out_sku_sn"], s["price"], s["quantity"]) for s in payload["sku_list"]] == [
        ("T-1-1", 199900, 10),
        ("T-1-2", 229900, 5),
    ]


def test_1688_file_holds_product_add_payloads_with_tiers_and_moq(factory):
    enterprise, member, *_ = factory

    document = json.loads(export_of(member, enterprise, "1688").render())

    [payload] = document["products"]
    sale = payload["saleInfo"]
    assert payload["productType"] == "wholesale"
    assert sale["priceRanges"] == [
        {"startQuantity": 10, "price": "1500.00"},
        {"startQuantity": 50, "price": "1350.00"},
    ]
    assert (sale["minOrderQuantity"], sale["amountOnSale"]) == (50, 15)
    assert [s["cargoNumber"] for s in payload["skuInfos"]] == ["T-1-1", "T-1-2"]
    assert payload["skuInfos"][0]["attributes"] == [
        {"attributeName": "颜色分类", "attributeValue": "原木色"},
        {"attributeName": "尺寸", "attributeValue": "1.4米"},
    ]
    assert payload["dualcirc"]["retail_price"] is None  # 1688 is wholesale


@pytest.mark.parametrize(
    ("channel", "content_type", "extension"),
    [
        ("tmall", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ("jd", "text/csv; charset=utf-8", "csv"),
        ("douyin", "application/json", "json"),
        ("pdd", "application/json", "json"),
        ("1688", "application/json", "json"),
    ],
)
def test_download_answers_each_channel_format_for_members_and_403_for_outsiders(
    client, factory, channel, content_type, extension
):
    enterprise, member, *_ = factory
    url = reverse("channels-export", args=[enterprise.pk, channel])

    client.force_login(member)
    response = client.get(url)
    client.force_login(make_buyer())
    refused = client.get(url)

    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="listing-{channel}-{enterprise.pk}.{extension}"'
    )
    assert refused.status_code == 403
    with pytest.raises(AccessDenied):
        build_channel_export(user=make_buyer(), enterprise=enterprise, channel_key=channel)


def test_cells_that_start_like_a_formula_are_kept_as_text(factory):
    enterprise, member, table, _tv = factory
    record_listing(actor=member, product=table, data={"brand": '=HYPERLINK("http://x","y")'})

    rows = reread_csv(export_of(member, enterprise, "jd").render())
    sheet = reread_xlsx(export_of(member, enterprise, "tmall").render())["商品"]

    assert rows[0]["品牌"] == '\'=HYPERLINK("http://x","y")'
    assert sheet[0]["品牌"] == '\'=HYPERLINK("http://x","y")'


def test_a_title_that_starts_like_a_formula_is_text_in_every_sheet_and_the_csv(factory):
    enterprise, member, table, _tv = factory
    title = "=北欧实木餐桌 橡木长方形家用饭桌"
    record_listing(actor=member, product=table, data={"title_zh": title})
    make_product(enterprise=enterprise, sku="@TV-2", title_zh="智能电视", hs_code="852872")

    xlsx = export_of(member, enterprise, "tmall").render()
    csv_rows = reread_csv(export_of(member, enterprise, "jd").render())
    sheets = reread_xlsx(xlsx)
    workbook = load_workbook(io.BytesIO(xlsx))
    title_cells = [row[2] for row in workbook["商品"].iter_rows(min_row=2)]

    assert [r["宝贝标题"] for r in sheets["商品"]] == ["'" + title, "'" + title]
    assert [(c.value, c.data_type) for c in title_cells] == [("'" + title, "s")] * 2
    assert [r["商品标题"] for r in csv_rows] == ["'" + title, "'" + title]
    # The sheet of products left out is guarded too (the SKU is the seller's own text).
    assert [r["商家编码"] for r in sheets["未导出"]] == ["'@TV-2", "TV-1"]


def test_a_ready_product_whose_values_break_a_rule_is_left_out_not_half_written(factory):
    enterprise, member, table, _tv = factory
    # readiness allows a listed price anywhere in the SKU range; the file gate checks it on the
    # value written: a stored price outside the range (written before the SKUs changed)
    from dualcirc.channels.models import DomesticListing

    DomesticListing.objects.filter(product=table).update(retail_price=Decimal("99999"))

    export = export_of(member, enterprise, "jd")

    assert export.records == [] and export.exported == []
    reasons = dict((p.sku, r) for p, r in export.refused)["T-1"]
    assert reasons
    assert reread_csv(export.render()) == []


def test_the_enterprise_page_names_each_listing_file_format(client, factory):
    enterprise, member, *_ = factory
    client.force_login(member)

    page = client.get(reverse("channels-enterprise", args=[enterprise.pk]))

    formats = {c["key"]: c["format"] for c in page.context["channels"]}
    assert formats == {
        "tmall": "XLSX",
        "jd": "CSV",
        "douyin": "JSON",
        "pdd": "JSON",
        "1688": "JSON",
    }
    assert "JD.com file (1) · CSV" in page.content.decode()
