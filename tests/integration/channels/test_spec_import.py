"""Spec matrices from a spreadsheet: the catalog's bounded reader, header synonyms, row-named
errors, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dualcirc.channels.models import DomesticListing
from dualcirc.channels.spec_import import import_spec_matrix
from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import InvalidInput
from tests.factories import make_enterprise, make_product
from tests.factories.api import make_buyer, make_enterprise_user
from tests.factories.catalog_import import write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def factory():
    enterprise = make_enterprise()
    table = make_product(enterprise=enterprise, sku="T-1", title_zh="实木餐桌", hs_code="940360")
    shirt = make_product(enterprise=enterprise, sku="K-9", title_zh="纯棉T恤", hs_code="610910")
    member = make_enterprise_user(enterprise=enterprise)
    return enterprise, table, shirt, member


def test_xlsx_with_chinese_and_english_headers_replaces_each_named_matrix(factory, tmp_path: Path):
    enterprise, table, shirt, member = factory
    path = write_xlsx(
        tmp_path / "spec.xlsx",
        ["货号", "Colour", "Size", "售价", "库存"],
        [
            ["T-1", "原木色", "1.4米", 1999, 10],
            ["T-1", "胡桃色", "1.6米", "2299.5", 5],
            ["K-9", "白色", "L", 59, 300],
        ],
    )

    counts = import_spec_matrix(actor=member, enterprise=enterprise, source=path)

    assert counts == {"T-1": 2, "K-9": 1}
    assert DomesticListing.objects.get(product=table).spec_matrix == [
        {"axes": {"颜色分类": "原木色", "尺寸": "1.4米"}, "price": "1999.00", "stock": 10},
        {"axes": {"颜色分类": "胡桃色", "尺寸": "1.6米"}, "price": "2299.50", "stock": 5},
    ]
    assert DomesticListing.objects.get(product=shirt).spec_matrix == [
        {"axes": {"颜色分类": "白色", "尺码": "L"}, "price": "59.00", "stock": 300}
    ]


def test_bad_rows_are_named_and_nothing_is_written(factory):
    enterprise, _table, _shirt, member = factory
    csv = (
        "货号,颜色分类,尺寸,价格,库存\n"
        "T-1,原木色,1.4米,1999,10\n"
        "T-1,胡桃色,1.6米,-5,5\n"
        "X-404,红,1米,9,1\n"
    )

    with pytest.raises(InvalidInput) as caught:
        import_spec_matrix(actor=member, enterprise=enterprise, source=csv.encode())

    assert [(e.row, e.field, e.message) for e in caught.value.errors] == [
        (3, "spec_matrix", "-5 is not a positive amount."),
        (4, "sku", "No product with SKU X-404."),
    ]
    assert DomesticListing.objects.count() == 0


def test_outsiders_may_not_import(factory):
    enterprise, *_ = factory

    with pytest.raises(AccessDenied):
        import_spec_matrix(
            actor=make_buyer(), enterprise=enterprise, source=b"sku,colour,size,price,stock\n"
        )


def test_upload_page_reports_success_and_errors(client, factory):
    enterprise, table, _shirt, member = factory
    client.force_login(member)
    url = reverse("channels-spec-import", args=[enterprise.pk])
    good = "sku,colour,size,price,stock\nT-1,原木色,1.4米,1999,10\n".encode()
    bad = "sku,colour,price,stock\nT-1,原木色,1999,10\n".encode()

    ok = client.post(url, {"file": SimpleUploadedFile("s.csv", good, "text/csv")})
    refused = client.post(url, {"file": SimpleUploadedFile("s.csv", bad, "text/csv")})

    assert ok.status_code == 302
    assert DomesticListing.objects.get(product=table).spec_matrix[0]["stock"] == 10
    assert refused.status_code == 422
    assert [e.message for e in refused.context["import_errors"]] == [
        "SKU T-1 needs the columns 尺寸."
    ]
