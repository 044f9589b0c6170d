"""Submitting, correcting and importing monthly figures; who may do it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import openpyxl
import pytest
from django.utils import translation

from dualcirc.bureau.domain.figures import FiguresInput, submit_figures
from dualcirc.bureau.domain.figures_import import FiguresImportRejected, import_figures
from dualcirc.bureau.models import FiguresRevision, MonthlyFigures
from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import Conflict, InvalidInput
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import make_enterprise_user, make_government_user, make_operator

pytestmark = pytest.mark.django_db

MARCH = dt.date(2025, 3, 1)


def sample() -> FiguresInput:
    return FiguresInput(
        output_value=D("1200000"),
        revenue=D("1000000"),
        orders_export=D("500000"),
        employees=80,
        domestic={"tmall": D("100000"), "offline_wholesale": D("300000")},
        exports={("US", "general_trade"): D("450000"), ("VN", "cross_border_ecommerce"): D(150000)},
    )


def test_submit_figures_stores_totals_lines_and_first_revision() -> None:
    enterprise = make_enterprise()
    user = make_enterprise_user(enterprise=enterprise)
    result = submit_figures(actor=user, enterprise=enterprise, month=MARCH, data=sample())
    f = MonthlyFigures.objects.get(enterprise=enterprise, month=MARCH)
    assert (result.action, f.version, f.domestic_sales, f.export_sales) == (
        "created", 1, D("400000.00"), D("600000.00"),
    )  # fmt: skip
    assert sorted(f.exports.values_list("country", "mode", "amount")) == [
        ("US", "general_trade", D("450000.00")),
        ("VN", "cross_border_ecommerce", D("150000.00")),
    ]
    revision = FiguresRevision.objects.get(figures=f)
    assert (revision.version, revision.changed_by, revision.changes["revenue"]) == (
        1, user, [None, "1000000.00"],
    )  # fmt: skip


def test_submit_figures_refuses_a_silent_overwrite_and_keeps_corrections() -> None:
    enterprise = make_enterprise()
    user = make_enterprise_user(enterprise=enterprise)
    submit_figures(actor=user, enterprise=enterprise, month=MARCH, data=sample())
    changed = sample()
    changed.revenue = D("1100000")
    with pytest.raises(Conflict):
        submit_figures(actor=user, enterprise=enterprise, month=MARCH, data=changed)
    with pytest.raises(InvalidInput) as no_reason:
        submit_figures(
            actor=user, enterprise=enterprise, month=MARCH, data=changed, expected_version=1
        )
    assert no_reason.value.errors[0].field == "reason"

    result = submit_figures(
        actor=user, enterprise=enterprise, month=MARCH, data=changed, expected_version=1,
        reason="Late invoices",
    )  # fmt: skip
    assert (result.action, result.figures.version, result.figures.revenue) == (
        "corrected", 2, D("1100000.00"),
    )  # fmt: skip
    latest = FiguresRevision.objects.get(figures=result.figures, version=2)
    assert (latest.reason, latest.changes) == (
        "Late invoices", {"revenue": ["1000000.00", "1100000.00"]},
    )  # fmt: skip


def test_submit_figures_unchanged_values_write_nothing() -> None:
    enterprise = make_enterprise()
    user = make_enterprise_user(enterprise=enterprise)
    submit_figures(actor=user, enterprise=enterprise, month=MARCH, data=sample())
    result = submit_figures(actor=user, enterprise=enterprise, month=MARCH, data=sample())
    assert (result.action, FiguresRevision.objects.count()) == ("unchanged", 1)


def test_submit_figures_names_each_bad_field() -> None:
    enterprise = make_enterprise()
    data = FiguresInput(revenue=D(-1), exports={("XX", "general_trade"): D(1)})
    with pytest.raises(InvalidInput) as exc:
        submit_figures(actor=make_operator(), enterprise=enterprise, month=MARCH, data=data)
    assert sorted(e.field for e in exc.value.errors) == ["export.XX.general_trade", "revenue"]


def test_submit_figures_refuses_other_enterprises_and_governments() -> None:
    regions = make_region_tree()
    mine = make_enterprise(region=regions["laixi"])
    theirs = make_enterprise(region=regions["laixi"])
    with pytest.raises(AccessDenied):
        submit_figures(
            actor=make_enterprise_user(enterprise=mine), enterprise=theirs, month=MARCH,
            data=sample(),
        )  # fmt: skip
    with pytest.raises(AccessDenied):
        submit_figures(
            actor=make_government_user(region=regions["laixi"]), enterprise=theirs, month=MARCH,
            data=sample(),
        )  # fmt: skip
    assert MonthlyFigures.objects.count() == 0


def xlsx(tmp_path, rows):  # type: ignore[no-untyped-def]
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    path = tmp_path / "figures.xlsx"
    wb.save(path)
    return path


HEADER = ["月份", "营业收入(万元)", "工业总产值", "天猫", "一般贸易出口", "出口在手订单", "备注"]


def test_import_figures_xlsx_of_an_enterprise_member(tmp_path) -> None:  # type: ignore[no-untyped-def]
    enterprise = make_enterprise()
    user = make_enterprise_user(enterprise=enterprise)
    path = xlsx(tmp_path, [HEADER, ["2025-01", 100, 1100000, 200000, "US=500000; 越南=300000",
                                    400000, ""],
                           ["2025年2月", 90, 1000000, 150000, "US=700000", "", "x"]])  # fmt: skip
    with translation.override("en"):
        report = import_figures(actor=user, file=path)
    assert (report.created, report.errors, report.written) == (2, [], True)
    jan = MonthlyFigures.objects.get(enterprise=enterprise, month=dt.date(2025, 1, 1))
    assert (jan.revenue, jan.export_sales, jan.domestic_sales) == (
        D("1000000.00"), D("800000.00"), D("200000.00"),
    )  # fmt: skip
    assert sorted(jan.exports.values_list("country", flat=True)) == ["US", "VN"]
    assert report.warnings == ["Column '备注' is ignored."]


def test_import_figures_reports_row_column_reason_and_writes_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    enterprise = make_enterprise()
    user = make_enterprise_user(enterprise=enterprise)
    path = xlsx(tmp_path, [HEADER, ["2025-01", 100, 1, 1, "US=5", 1, ""],
                           ["2025-13", "abc", 1, 1, "Atlantis=5", 1, ""]])  # fmt: skip
    with pytest.raises(FiguresImportRejected) as exc:
        import_figures(actor=user, file=path)
    errors = {(e.row, e.field) for e in exc.value.report.errors}
    assert errors == {(3, "月份"), (3, "营业收入(万元)"), (3, "一般贸易出口")}
    assert MonthlyFigures.objects.count() == 0


def test_import_figures_corrects_submitted_months_only_when_asked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    enterprise = make_enterprise()
    user = make_enterprise_user(enterprise=enterprise)
    import_figures(actor=user, file=xlsx(tmp_path, [HEADER, ["2025-01", 100, 1, 1, "US=5", 1, ""]]))
    changed = xlsx(tmp_path, [HEADER, ["2025-01", 120, 1, 1, "US=5", 1, ""]])
    with pytest.raises(FiguresImportRejected) as exc:
        import_figures(actor=user, file=changed)
    assert exc.value.report.errors[0].row == 2
    report = import_figures(actor=user, file=changed, correct=True, reason="Audit")
    f = MonthlyFigures.objects.get(enterprise=enterprise)
    assert (report.corrected, f.version, f.revenue) == (1, 2, D("1200000.00"))
    assert f.revisions.get(version=2).reason == "Audit"


def test_import_figures_refuses_rows_of_another_enterprise(tmp_path) -> None:  # type: ignore[no-untyped-def]
    mine = make_enterprise(name_zh="莱西木业")
    make_enterprise(name_zh="兰溪布业")
    user = make_enterprise_user(enterprise=mine)
    path = xlsx(tmp_path, [["企业名称", "月份", "营业收入"], ["兰溪布业", "2025-01", 5]])
    with pytest.raises(FiguresImportRejected) as exc:
        import_figures(actor=user, file=path)
    assert [(e.row, e.field) for e in exc.value.report.errors] == [(2, "企业名称")]


def test_prefill_from_deals_is_none_without_orders() -> None:
    from dualcirc.bureau.domain.figures import prefill_from_deals

    assert prefill_from_deals(enterprise=make_enterprise(), month=MARCH) is None
