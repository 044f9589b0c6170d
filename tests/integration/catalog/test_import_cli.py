"""``dualcirc import FILE`` (management command import_catalog)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dualcirc.catalog.models import Enterprise, Product
from dualcirc.cli import main
from tests.factories import make_enterprise
from tests.factories.api import make_buyer
from tests.factories.catalog_import import catalog_row, make_enterprise_admin, write_csv

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_catalog", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_cli_as_the_platform_prints_the_summary(tmp_path):
    path = write_csv(tmp_path / "c.csv", [catalog_row(sku="A1"), catalog_row(sku="A2")])

    output = run(str(path))

    assert output.splitlines()[0] == (
        "2 rows: 2 products created, 0 updated, 0 unchanged; 1 enterprises created, "
        "0 updated; 0 invalid rows."
    )
    assert Enterprise.objects.get().products.count() == 2


def test_import_cli_refused_import_prints_each_error_and_fails(tmp_path):
    rows = [catalog_row(sku="A1", hs_code="12"), catalog_row(sku="A2", moq="lots")]
    path = write_csv(tmp_path / "c.csv", rows)
    out = StringIO()

    with pytest.raises(CommandError, match="2 of 2 rows are not valid"):
        call_command("import_catalog", str(path), stdout=out)

    lines = out.getvalue().splitlines()
    assert "Nothing was written." in lines
    assert (
        "row 2, column hs_code: '12' is not a 6-digit code of the Harmonized System "
        "nomenclature." in lines
    )
    assert "row 3, column moq: 'lots' is not a number." in lines
    assert Product.objects.count() == 0


def test_import_cli_partial_imports_valid_rows(tmp_path):
    rows = [catalog_row(sku="A1", hs_code="12"), catalog_row(sku="A2")]

    output = run(str(write_csv(tmp_path / "c.csv", rows)), "--partial")

    assert "1 products created" in output
    assert "row 2, column hs_code:" in output
    assert list(Product.objects.values_list("sku", flat=True)) == ["A2"]


def test_import_cli_as_an_admin_into_their_enterprise(tmp_path):
    enterprise = make_enterprise()
    admin = make_enterprise_admin(enterprise=enterprise)
    path = write_csv(tmp_path / "c.csv", [{"sku": "A1", "title_en": "Oak", "hs_code": "940360"}])

    run(str(path), "--as", admin.username, "--enterprise", str(enterprise.pk))

    assert list(enterprise.products.values_list("sku", flat=True)) == ["A1"]


def test_import_cli_as_a_buyer_is_refused(tmp_path):
    buyer = make_buyer()
    path = write_csv(tmp_path / "c.csv", [catalog_row()])

    with pytest.raises(CommandError):
        run(str(path), "--as", buyer.username)

    assert Product.objects.count() == 0


def test_import_cli_alias_exits_non_zero_on_a_refused_file(tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text("sku,title_en,hs_code,colour\nA1,Oak,940360,red\n", encoding="utf-8")

    status = main(["import", str(path)])

    assert status == 1
    assert "column colour: Unknown column." in capsys.readouterr().err
