"""Listing files: only ready products, one row per SKU, re-read and re-checked."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dualcirc.channels.domain import record_listing
from dualcirc.channels.export import COLUMNS, build_channel_export, write_listing_csv
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


def reread(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize("channel", ["tmall", "jd", "douyin", "pdd", "1688"])
def test_file_holds_ready_products_only_and_passes_the_channel_rules(factory, channel):
    enterprise, member, *_products = factory
    rule = load_rule_book().channels[channel]

    export = build_channel_export(user=member, enterprise=enterprise, channel_key=channel)
    rows = reread(write_listing_csv(export))

    assert [p.sku for p in export.exported] == ["T-1"]
    assert [p.sku for p, _reasons in export.refused] == ["TV-1"]
    assert any("CCC" in reason for reason in export.refused[0][1])
    assert list(rows[0]) == list(COLUMNS)
    assert [(r["商家编码"], r["销售属性"], r["SKU库存"]) for r in rows] == [
        ("T-1", "颜色分类:原木色;尺寸:1.4米", "10"),
        ("T-1", "颜色分类:胡桃色;尺寸:1.6米", "5"),
    ]
    for row in rows:  # the project's own rules, applied to the file as re-read
        assert rule.title.min <= count_title(row["商品标题"], rule.title.unit) <= rule.title.max
        assert row["类目"] == ">".join(rule.categories["furniture-table"])
        assert int(row["发货时效(小时)"]) <= rule.max_promise_hours
        assert "formaldehyde-grade:E0" in row["资质"]
        assert "材质:oak" in row["类目属性"]
    if rule.wholesale:
        assert (rows[0]["阶梯价"], rows[0]["起批量"], rows[0]["一口价"]) == (
            "10:1500.00;50:1350.00",
            "50",
            "",
        )
    else:
        assert rows[0]["一口价"] == "1999.00"


def test_download_answers_csv_for_members_and_403_for_outsiders(client, factory):
    enterprise, member, *_ = factory
    url = reverse("channels-export", args=[enterprise.pk, "jd"])

    client.force_login(member)
    response = client.get(url)
    client.force_login(make_buyer())
    refused = client.get(url)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert len(reread(response.content)) == 2
    assert refused.status_code == 403
    with pytest.raises(AccessDenied):
        build_channel_export(user=make_buyer(), enterprise=enterprise, channel_key="jd")


def test_cells_that_start_like_a_formula_are_kept_as_text(factory):
    enterprise, member, table, _tv = factory
    record_listing(actor=member, product=table, data={"brand": '=HYPERLINK("http://x","y")'})

    rows = reread(
        write_listing_csv(
            build_channel_export(user=member, enterprise=enterprise, channel_key="jd")
        )
    )

    assert rows[0]["品牌"] == '\'=HYPERLINK("http://x","y")'
