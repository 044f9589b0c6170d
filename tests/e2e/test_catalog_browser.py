"""An enterprise member signs in, imports an XLSX catalog, sees the products, and is refused when
editing another enterprise's product — in a real browser against a real server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dualcirc.catalog.models import Product
from dualcirc.core.enums import Role
from tests.factories import PASSWORD, make_enterprise, make_product, make_region_tree, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def write_xlsx(path: Path) -> Path:
    """A factory's own spreadsheet: Chinese headers, one sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(
        ["货号", "产品名称", "英文名称", "海关编码", "起订量", "单位", "最低价", "最高价", "币种"]
    )
    ws.append(
        [
            "LX-T01",
            "白橡木实木餐桌",
            "White oak dining table",
            "9403.60",
            20,
            "张",
            1800,
            2400,
            "CNY",
        ]
    )
    ws.append(["LX-C02", "北欧布艺沙发", "", "940161", 10, "套", 2600, 3100, "CNY"])
    ws.append(["LX-S03", "", "Walnut bedside cabinet", "940350", 50, "pcs", 85, 99, "USD"])
    wb.save(path)
    return path


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/en/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, page.content()


def test_member_imports_xlsx_sees_products_and_is_refused_elsewhere(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    regions = make_region_tree()
    mine = make_enterprise(name_zh="莱西木匠家具有限公司", region=regions["laixi"])
    theirs = make_enterprise(name_zh="兰溪长兴布业有限公司", region=regions["lanxi"])
    their_product = make_product(enterprise=theirs, sku="LAC-1", title_zh="全棉帆布")
    make_user(username="carpenter", organisation=mine.organisation, role=Role.ADMIN)
    base = live_server.url

    sign_in(page, base, "carpenter")

    page.goto(f"{base}/en/import/")
    page.set_input_files("main input[type=file]", str(write_xlsx(tmp_path / "catalog.xlsx")))
    page.locator("main form[enctype='multipart/form-data'] [type=submit]").click()
    page.wait_for_load_state()

    assert sorted(mine.products.values_list("sku", flat=True)) == ["LX-C02", "LX-S03", "LX-T01"]
    table = Product.objects.get(enterprise=mine, sku="LX-T01")
    assert (table.hs_code, table.currency, str(table.price_min)) == ("940360", "CNY", "1800.0000")

    page.goto(f"{base}/en/enterprises/{mine.pk}/")
    body = page.inner_text("main")
    assert "白橡木实木餐桌" in body
    assert "北欧布艺沙发" in body
    assert "Walnut bedside cabinet" in body

    response = page.goto(f"{base}/en/products/{their_product.pk}/edit/")
    assert response is not None and response.status == 403
    their_product.refresh_from_db()
    assert their_product.title_zh == "全棉帆布"
