"""Catalog import into a real database (catalog.importing.import_catalog): files on disk."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.importing import CatalogImportRejected, import_catalog
from dualcirc.catalog.models import Enterprise, IndustrialBelt, Product
from dualcirc.catalog.signals import products_changed
from dualcirc.core.access import AccessDenied
from dualcirc.core.enums import Role
from dualcirc.core.errors import InvalidInput
from dualcirc.core.models import Organisation, Region, User
from tests.factories import make_enterprise, make_product, make_region_tree, valid_credit_code
from tests.factories.api import make_buyer, make_operator
from tests.factories.catalog_import import (
    catalog_row,
    make_enterprise_admin,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator() -> User:
    return make_operator()


@pytest.fixture
def notifications():
    """Every products_changed signal sent, as the kwargs it carried."""
    sent: list[dict[str, Any]] = []

    def receive(sender: Any, **kwargs: Any) -> None:
        sent.append(kwargs)

    products_changed.connect(receive, dispatch_uid="test_import.notifications")
    yield sent
    products_changed.disconnect(dispatch_uid="test_import.notifications")


def counts() -> dict[str, int]:
    return {
        "products": Product.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "organisations": Organisation.objects.count(),
        "regions": Region.objects.count(),
        "belts": IndustrialBelt.objects.count(),
    }


# The shared catalog -------------------------------------------------------------------------


def test_import_shared_catalog_creates_everything_then_reimport_changes_nothing(
    shared_data, operator, notifications, django_capture_on_commit_callbacks
):
    catalog = shared_data / "sourcing-bench-dev" / "catalog.csv"

    with django_capture_on_commit_callbacks(execute=True):
        report = import_catalog(actor=operator, file=catalog)

    assert (report.rows, report.created, report.updated, report.unchanged) == (3000, 3000, 0, 0)
    assert report.enterprises_created == 150
    assert report.errors == [] and report.written
    assert Product.objects.count() == 3000
    assert Enterprise.objects.count() == 150
    assert len(notifications) == 1
    assert sorted(notifications[0]["product_ids"]) == sorted(
        Product.objects.values_list("pk", flat=True)
    )
    first = Product.objects.get(sku="LAC031-C001")
    assert first.enterprise.name_zh == "兰溪长兴布业有限公司"
    assert first.enterprise.name_en == "Lanxi Changxing Fabric Co., Ltd."
    assert first.enterprise.region.name_zh == "兰溪市"
    assert first.enterprise.region.parent.code == "CN-ZJ"
    assert first.enterprise.industries == ["Textile"]
    assert first.enterprise.belt.industry == "Textile"
    assert first.enterprise.organisation.kind == "enterprise"
    assert first.title_zh == "原色全棉帆布 400克 源头工厂" and first.title_en == ""
    assert first.hs_code == "520911"
    assert first.attributes == {"成分": "100%棉", "克重": "400克", "颜色": "本白", "门幅": "160cm"}
    assert (first.moq, first.unit) == (Decimal("1000"), "米")
    assert (first.price_min, first.price_max, first.currency) == (
        Decimal("2.95"),
        Decimal("4.72"),
        "USD",
    )
    assert first.certifications == ["ISO 9001", "ISO 14001"]
    assert first.export_markets == []
    assert first.lead_time_days == 25
    assert first.status == ProductStatus.PUBLISHED
    assert first.languages == "zh"
    stamps = dict(Product.objects.values_list("pk", "updated_at"))
    before = counts()

    with django_capture_on_commit_callbacks(execute=True):
        again = import_catalog(actor=operator, file=catalog)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3000)
    assert (again.enterprises_created, again.enterprises_updated) == (0, 0)
    assert counts() == before
    assert dict(Product.objects.values_list("pk", "updated_at")) == stamps
    assert len(notifications) == 1  # nothing changed, nothing to notify


# Creating and updating ----------------------------------------------------------------------


def test_import_changed_row_updates_only_its_product(
    tmp_path, operator, notifications, django_capture_on_commit_callbacks
):
    rows = [catalog_row(sku="A1"), catalog_row(sku="A2", title_en="Oak chair", hs_code="940161")]
    import_catalog(actor=operator, file=write_csv(tmp_path / "v1.csv", rows))
    untouched = Product.objects.get(sku="A1")
    rows[1] = catalog_row(sku="A2", title_en="Oak armchair", hs_code="940161", price_max="180")

    with django_capture_on_commit_callbacks(execute=True):
        report = import_catalog(actor=operator, file=write_csv(tmp_path / "v2.csv", rows))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    changed = Product.objects.get(sku="A2")
    assert changed.title_en == "Oak armchair"
    assert changed.price_max == Decimal("180")
    assert changed.updated_at > untouched.updated_at
    assert Product.objects.get(sku="A1").updated_at == untouched.updated_at
    assert notifications == [
        {"product_ids": [changed.pk], "deleted": False, "signal": products_changed}
    ]


def test_import_columns_absent_from_the_file_keep_their_values(tmp_path, operator):
    enterprise = make_enterprise(name_zh="莱西好工匠家具有限公司")
    product = make_product(
        enterprise=enterprise, sku="A1", title_vi="Bàn ăn gỗ sồi", status=ProductStatus.DRAFT
    )
    path = write_csv(
        tmp_path / "c.csv",
        [
            {
                "企业名称": "莱西好工匠家具有限公司",
                "货号": "A1",
                "英文名称": "Oak table",
                "海关编码": "9403.60",
            }
        ],
    )

    report = import_catalog(actor=operator, file=path)

    product.refresh_from_db()
    assert report.updated == 1
    assert product.title_en == "Oak table"
    assert product.title_vi == "Bàn ăn gỗ sồi"
    assert product.status == ProductStatus.DRAFT  # no status column: the status stays
    assert product.price_min == Decimal("120.00")


def test_import_xlsx_with_chinese_headers(tmp_path, operator):
    header = [
        "企业名称",
        "英文企业名称",
        "统一社会信用代码",
        "省份",
        "城市",
        "行业",
        "货号",
        "产品名称",
        "英文名称",
        "海关编码",
        "规格参数",
        "起订量",
        "单位",
        "单价",
        "币种",
        "认证",
        "出口市场",
        "交期(天)",
        "状态",
    ]
    code = valid_credit_code(7)
    path = write_xlsx(
        tmp_path / "目录.xlsx",
        header,
        [
            [
                "兰溪长兴布业有限公司",
                "Lanxi Changxing Fabric",
                code,
                "浙江省",
                "兰溪市",
                "纺织",
                "C-01",
                "全棉帆布",
                "Cotton canvas",
                52091100,
                "克重＝400克；颜色：本白",
                "1,000",
                "米",
                2.95,
                "人民币",
                "ISO 9001、OEKO-TEX Standard 100",
                "us, de",
                25,
                "草稿",
            ],
            [
                "兰溪长兴布业有限公司",
                "Lanxi Changxing Fabric",
                code,
                "浙江省",
                "兰溪市",
                "纺织",
                "C-02",
                "黑色帆布",
                "",
                "5209.31",
                "",
                3000,
                "米",
                "22",
                "CNY",
                "",
                "",
                "",
                "已发布",
            ],
        ],
    )

    report = import_catalog(actor=operator, file=path)

    assert (report.created, report.enterprises_created, report.errors) == (2, 1, [])
    canvas = Product.objects.get(sku="C-01")
    assert canvas.enterprise.credit_code == code
    assert canvas.enterprise.industries == ["纺织"]
    assert canvas.hs_code == "520911"
    assert canvas.attributes == {"克重": "400克", "颜色": "本白"}
    assert canvas.moq == Decimal("1000")
    assert (canvas.price_min, canvas.price_max, canvas.currency) == (
        Decimal("2.95"),
        Decimal("2.95"),
        "CNY",
    )
    assert canvas.certifications == ["ISO 9001", "OEKO-TEX Standard 100"]
    assert canvas.export_markets == ["US", "DE"]
    assert canvas.status == ProductStatus.DRAFT
    assert Product.objects.get(sku="C-02").status == ProductStatus.PUBLISHED


def test_import_gbk_csv_from_chinese_excel(tmp_path, operator):
    path = write_csv(
        tmp_path / "gbk.csv",
        [{"公司名称": "莱西好工匠家具有限公司", "省": "山东省", "市": "莱西市", "产品编号": "T1",
          "品名": "实木餐桌", "HS编码": "940360", "价格": "1,200.00", "货币": "CNY"}],
        encoding="gbk",
    )  # fmt: skip

    report = import_catalog(actor=operator, file=path)

    assert report.created == 1
    product = Product.objects.get(sku="T1")
    assert product.title_zh == "实木餐桌"
    assert product.price_min == product.price_max == Decimal("1200")


def test_import_uses_existing_regions_and_enterprises(tmp_path, operator):
    regions = make_region_tree()
    code = valid_credit_code(11)
    existing = make_enterprise(name_zh="旧名称家具厂", credit_code=code, region=regions["laixi"])
    path = write_csv(
        tmp_path / "c.csv",
        [
            catalog_row(sku="E1", enterprise="新名称家具有限公司", credit_code=code),
            catalog_row(sku="N1", enterprise="莱西新工厂", enterprise_en="", credit_code=""),
        ],
        header=[*catalog_row(), "credit_code"],
    )

    report = import_catalog(actor=operator, file=path)

    assert (report.created, report.enterprises_created, report.enterprises_updated) == (2, 1, 1)
    existing.refresh_from_db()
    assert existing.name_zh == "新名称家具有限公司"  # found by its credit code, renamed
    assert existing.region == regions["laixi"]
    assert existing.products.get().sku == "E1"
    new = Enterprise.objects.get(name_zh="莱西新工厂")
    assert new.region == regions["laixi"]  # 莱西市 found under 山东省, not created again
    assert Region.objects.count() == 7


def test_import_new_province_gets_its_iso_code_and_city_a_derived_one(tmp_path, operator):
    path = write_csv(tmp_path / "c.csv", [catalog_row(province="浙江", city="永康市")])

    import_catalog(actor=operator, file=path)

    province = Region.objects.get(level="province")
    city = Region.objects.get(level="city")
    assert (province.code, province.name_zh, province.name_en) == ("CN-ZJ", "浙江省", "Zhejiang")
    assert city.parent == province and city.name_zh == "永康市"
    assert city.code.startswith("CN-ZJ-") and len(city.code) == 12


# Errors: nothing is written ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "column", "reason"),
    [
        ({"hs_code": "940100"}, "hs_code", "not a 6-digit code"),
        ({"hs_code": "94010000"}, "hs_code", "not a 6-digit code"),
        ({"hs_code": "94-01"}, "hs_code", "not an HS code"),
        ({"hs_code": "999999"}, "hs_code", "not a 6-digit code"),  # "not specified" row
        ({"hs_code": "9999.99.00"}, "hs_code", "not a 6-digit code"),
        ({"credit_code": "91370285MA3C12345X"}, "credit_code", "mistyped"),
        ({"title_zh": "", "title_en": ""}, "title_zh / title_en", "at least one title"),
        ({"moq": "fifty"}, "moq", "not a number"),
        ({"currency": "XYZ"}, "currency", "ISO 4217"),
        ({"export_markets": "US;XX"}, "export_markets", "alpha-2"),
        ({"price_min": "200", "price_max": "150"}, "price_max", "below the lowest"),
        ({"lead_time_days": "-3"}, "lead_time_days", "greater than or equal to 0"),
    ],
)
def test_import_invalid_row_is_reported_and_nothing_written(
    tmp_path, operator, overrides, column, reason
):
    rows = [catalog_row(sku="OK1"), catalog_row(sku="BAD", **overrides)]
    path = write_csv(tmp_path / "c.csv", rows, header=[*catalog_row(), "credit_code"])
    before = counts()

    with pytest.raises(CatalogImportRejected) as exc:
        import_catalog(actor=operator, file=path)

    assert counts() == before
    errors = exc.value.report.errors
    assert [(e.row, e.field) for e in errors] == [(3, column)]
    assert reason in errors[0].message
    assert not exc.value.report.written


def test_import_duplicate_sku_names_both_rows(tmp_path, operator):
    rows = [catalog_row(sku="A1"), catalog_row(sku="B1"), catalog_row(sku="A1")]
    before = counts()

    with pytest.raises(CatalogImportRejected) as exc:
        import_catalog(actor=operator, file=write_csv(tmp_path / "c.csv", rows))

    assert counts() == before
    [error] = exc.value.report.errors
    assert (error.row, error.field) == (4, "sku")
    assert "rows 2 and 4" in error.message


def test_import_errors_name_columns_as_written_in_chinese(tmp_path, operator):
    path = write_csv(
        tmp_path / "c.csv",
        [{"企业名称": "莱西好工匠家具有限公司", "省份": "山东省", "货号": "A1", "产品名称": "餐桌",
          "海关编码": "123456", "价格": "abc", "币种": "CNY"}],
    )  # fmt: skip

    with pytest.raises(CatalogImportRejected) as exc:
        import_catalog(actor=operator, file=path)

    assert sorted((e.row, e.field) for e in exc.value.errors) == [(2, "价格"), (2, "海关编码")]


def test_import_unknown_column_refuses_the_file(tmp_path, operator):
    path = write_csv(tmp_path / "c.csv", [{**catalog_row(), "颜色分类": "红"}])

    with pytest.raises(InvalidInput) as exc:
        import_catalog(actor=operator, file=path)

    assert [(e.field, e.row) for e in exc.value.errors] == [("颜色分类", None)]
    assert Product.objects.count() == 0


def test_import_new_enterprise_without_location_cells_is_placed_by_its_name(tmp_path, operator):
    # 莱西好工匠… opens with 莱西 (莱西市); more in test_import_regions.py
    path = write_csv(tmp_path / "c.csv", [catalog_row(province="", city="")])

    report = import_catalog(actor=operator, file=path)

    enterprise = Enterprise.objects.get(name_zh="莱西好工匠家具有限公司")
    assert (report.held_rows, report.created) == (0, 1)
    assert (enterprise.region.code, enterprise.region.name_zh) == ("370285", "莱西市")


# Partial mode --------------------------------------------------------------------------------


def test_import_partial_writes_valid_rows_and_reports_the_others(tmp_path, operator):
    rows = [
        catalog_row(sku="A1"),
        catalog_row(sku="A2", hs_code="000000"),
        catalog_row(sku="A3"),
        catalog_row(sku="A1"),
    ]

    report = import_catalog(actor=operator, file=write_csv(tmp_path / "c.csv", rows), partial=True)

    assert report.written
    assert (report.rows, report.created, report.invalid_rows) == (4, 2, 2)
    assert [(e.row, e.field) for e in report.errors] == [(3, "hs_code"), (5, "sku")]
    assert sorted(Product.objects.values_list("sku", flat=True)) == ["A1", "A3"]


def test_import_partial_does_not_create_an_enterprise_whose_rows_all_fail(tmp_path, operator):
    rows = [catalog_row(sku="A1"), catalog_row(enterprise="坏工厂", sku="B1", hs_code="1")]

    report = import_catalog(actor=operator, file=write_csv(tmp_path / "c.csv", rows), partial=True)

    assert report.enterprises_created == 1
    assert list(Enterprise.objects.values_list("name_zh", flat=True)) == ["莱西好工匠家具有限公司"]


# Permissions ---------------------------------------------------------------------------------


def test_import_enterprise_admin_file_without_enterprise_columns_goes_to_their_enterprise(
    tmp_path,
):
    enterprise = make_enterprise()
    admin = make_enterprise_admin(enterprise=enterprise)
    path = write_csv(
        tmp_path / "c.csv",
        [{"货号": "A1", "产品名称": "餐桌", "海关编码": "940360"}],
    )

    report = import_catalog(actor=admin, file=path)

    assert report.created == 1
    assert Product.objects.get().enterprise == enterprise


def test_import_enterprise_admin_rows_of_another_enterprise_are_row_errors(tmp_path):
    mine = make_enterprise(name_zh="我的工厂")
    other = make_enterprise(name_zh="别人的工厂")
    admin = make_enterprise_admin(enterprise=mine)
    rows = [
        catalog_row(enterprise="我的工厂", sku="A1"),
        catalog_row(enterprise="别人的工厂", sku="B1"),
        catalog_row(enterprise="不存在的工厂", sku="C1"),
    ]
    before = counts()

    with pytest.raises(CatalogImportRejected) as exc:
        import_catalog(actor=admin, file=write_csv(tmp_path / "c.csv", rows))

    assert counts() == before
    assert [(e.row, e.field) for e in exc.value.errors] == [(3, "enterprise"), (4, "enterprise")]
    assert "别人的工厂" in exc.value.errors[0].message
    assert other.products.count() == 0


def test_import_into_a_chosen_enterprise_refuses_rows_naming_another(tmp_path, operator):
    target = make_enterprise(name_zh="目标工厂")
    rows = [
        catalog_row(enterprise="目标工厂", sku="A1"),
        catalog_row(enterprise="", enterprise_en="", sku="A2"),
        catalog_row(enterprise="别的工厂", enterprise_en="", sku="A3"),
    ]

    report = import_catalog(
        actor=operator, file=write_csv(tmp_path / "c.csv", rows), enterprise=target, partial=True
    )

    assert [(e.row, e.field) for e in report.errors] == [(4, "enterprise")]
    assert sorted(target.products.values_list("sku", flat=True)) == ["A1", "A2"]


@pytest.mark.parametrize("who", ["member", "buyer", "anonymous"])
def test_import_refused_for_anyone_but_admins_and_operators(tmp_path, who):
    from django.contrib.auth.models import AnonymousUser

    actor = {
        "member": lambda: make_enterprise_admin(role=Role.MEMBER),
        "buyer": make_buyer,
        "anonymous": AnonymousUser,
    }[who]()
    path = write_csv(tmp_path / "c.csv", [catalog_row()])

    with pytest.raises(AccessDenied):
        import_catalog(actor=actor, file=path)

    assert Product.objects.count() == 0


def test_import_admin_may_not_target_someone_elses_enterprise(tmp_path):
    admin = make_enterprise_admin()
    other = make_enterprise()

    with pytest.raises(AccessDenied):
        import_catalog(
            actor=admin, file=write_csv(tmp_path / "c.csv", [catalog_row()]), enterprise=other
        )


# Speed ----------------------------------------------------------------------------------------


def test_import_queries_do_not_grow_with_rows(tmp_path, operator):
    """No query per row: 400 rows of 20 enterprises (new, then updated) take a few dozen."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = [
        catalog_row(enterprise=f"工厂{n % 20}", enterprise_en=f"Factory {n % 20}", sku=f"S{n}")
        for n in range(400)
    ]
    path = write_csv(tmp_path / "c.csv", rows)

    with CaptureQueriesContext(connection) as created:
        import_catalog(actor=operator, file=path)
    for row in rows:
        row["moq"] = "60"
    with CaptureQueriesContext(connection) as updated:
        report = import_catalog(actor=operator, file=write_csv(tmp_path / "d.csv", rows))

    assert Product.objects.count() == 400 and report.updated == 400
    # Inserts are split by the backend's parameter limit (SQLite: ~40 rows per INSERT).
    assert len(created.captured_queries) <= 40
    assert len(updated.captured_queries) <= 15
