"""The pages of the work behind the figures: moving and rating support cases, the contact log,
investment projects, the figures upload page and the import API — content and refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dualcirc.bureau.domain import cases, projects
from dualcirc.bureau.models import (
    ContactLogEntry,
    InvestmentProject,
    MonthlyFigures,
    ProjectChange,
    SupportCase,
)
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import (
    bearer,
    make_enterprise_user,
    make_government_user,
    make_operator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    regions = make_region_tree()
    enterprise = make_enterprise(region=regions["laixi"], name_zh="莱西木业")
    return {
        "regions": regions,
        "enterprise": enterprise,
        "gov": make_government_user(region=regions["laixi"]),
    }


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]] if response.context else []


# Support cases --------------------------------------------------------------------------------


def test_case_open_page_records_who_raised_the_need(world) -> None:  # type: ignore[no-untyped-def]
    member = make_enterprise_user(enterprise=world["enterprise"])
    url = f"/en/bureau/enterprises/{world['enterprise'].pk}/cases/"
    data = {"need_type": "certification", "title": "CE marking", "level": "blue"}

    login(member).post(url, {**data, "title": "Asked by the enterprise"})
    login(world["gov"]).post(url, {**data, "title": "Heard on a visit"})

    assert dict(
        SupportCase.objects.filter(enterprise=world["enterprise"]).values_list("title", "source")
    ) == {"Asked by the enterprise": "enterprise", "Heard on a visit": "visit"}


def test_case_page_moves_a_case_around_the_loop(world) -> None:  # type: ignore[no-untyped-def]
    case = cases.open_case(
        actor=world["gov"],
        enterprise=world["enterprise"],
        need_type="certification",
        title="CE marking",
    )
    client = login(world["gov"])
    url = f"/en/bureau/cases/{case.pk}/move/"
    client.post(url, {"to": "assigned", "team": "外贸服务队", "departments": "商务局，市场监管局"})
    client.post(url, {"to": "handling"})
    refused = client.post(url, {"to": "feedback"}, follow=True)
    assert "Say what was done." in refused.content.decode()
    case.refresh_from_db()
    assert case.status == "handling"

    client.post(url, {"to": "feedback", "note": "Lab booked"})
    client.post(url, {"to": "closed", "note": "Certified"})

    case.refresh_from_db()
    assert (case.status, case.team, case.departments) == (
        "closed",
        "外贸服务队",
        ["商务局", "市场监管局"],
    )
    assert list(case.events.values_list("to_status", "note")) == [
        ("received", ""),
        ("assigned", ""),
        ("handling", ""),
        ("feedback", "Lab booked"),
        ("closed", "Certified"),
    ]
    page = client.get(f"/en/bureau/cases/{case.pk}/").content.decode()
    assert "Certified" in page
    assert "Next step" not in page  # a closed case goes nowhere


def test_another_countys_bureau_cannot_move_a_case(world) -> None:  # type: ignore[no-untyped-def]
    case = cases.open_case(
        actor=world["gov"], enterprise=world["enterprise"], need_type="talent", title="Welders"
    )
    stranger = login(make_government_user(region=world["regions"]["lanxi"]))
    assert stranger.get(f"/en/bureau/cases/{case.pk}/").status_code == 403
    response = stranger.post(f"/en/bureau/cases/{case.pk}/move/", {"to": "closed", "note": "x"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == "received"


def test_enterprise_rates_its_closed_case_and_the_bureau_cannot(world) -> None:  # type: ignore[no-untyped-def]
    gov = world["gov"]
    case = cases.open_case(
        actor=gov, enterprise=world["enterprise"], need_type="financing", title="Loan"
    )
    cases.move_case(actor=gov, case=case, to="closed", note="Loan granted")
    member = login(make_enterprise_user(enterprise=world["enterprise"]))
    assert "Rate the outcome" in member.get(f"/en/bureau/cases/{case.pk}/").content.decode()
    assert login(gov).post(f"/en/bureau/cases/{case.pk}/rate/", {"rating": 1}).status_code == 403

    member.post(f"/en/bureau/cases/{case.pk}/rate/", {"rating": 4, "comment": "快"})

    case.refresh_from_db()
    assert (case.rating, case.rating_comment) == (4, "快")
    assert "4/5 快" in member.get(f"/en/bureau/cases/{case.pk}/").content.decode()


def test_case_list_query_count_is_constant(world) -> None:  # type: ignore[no-untyped-def]
    client = login(world["gov"])
    cases.open_case(
        actor=world["gov"], enterprise=world["enterprise"], need_type="talent", title="t0"
    )
    client.get("/en/bureau/cases/")
    with CaptureQueriesContext(connection) as few:
        client.get("/en/bureau/cases/")
    for i in range(4):
        other = make_enterprise(region=world["regions"]["laixi"], name_zh=f"莱西{i}厂")
        cases.open_case(
            actor=world["gov"], enterprise=other, need_type="logistics", title=f"t{i + 1}"
        )
    with CaptureQueriesContext(connection) as many:
        html = client.get("/en/bureau/cases/").content.decode()
    assert "莱西3厂" in html
    assert len(many) == len(few)


# The contact log ------------------------------------------------------------------------------


def test_contact_log_form_adds_an_entry_every_department_sees(world) -> None:  # type: ignore[no-untyped-def]
    enterprise = world["enterprise"]
    client = login(world["gov"])
    url = f"/en/bureau/enterprises/{enterprise.pk}/contacts/"
    client.post(
        url,
        {
            "kind": "visit",
            "happened_on": "2025-06-03",
            "department": "商务局",
            "summary": "Discussed ASEAN fairs",
        },
    )
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    refused = client.post(
        url,
        {"kind": "call", "happened_on": future, "department": "税务局", "summary": "x"},
        follow=True,
    )
    assert "The date is in the future." in refused.content.decode()

    city = login(make_government_user(region=world["regions"]["qingdao"]))
    page = city.get(f"/en/bureau/enterprises/{enterprise.pk}/").content.decode()

    assert "Jun 3, 2025 · Visit · 商务局: Discussed ASEAN fairs" in page
    assert list(ContactLogEntry.objects.values_list("department", flat=True)) == ["商务局"]


def test_enterprise_cannot_write_its_own_contact_log(world) -> None:  # type: ignore[no-untyped-def]
    enterprise = world["enterprise"]
    member = login(make_enterprise_user(enterprise=enterprise))
    response = member.post(
        f"/en/bureau/enterprises/{enterprise.pk}/contacts/",
        {"kind": "visit", "happened_on": "2025-06-03", "department": "x", "summary": "y"},
    )
    assert (response.status_code, ContactLogEntry.objects.count()) == (403, 0)


# Investment projects --------------------------------------------------------------------------


PROJECT = {
    "name": "智能家居产业园",
    "investor": "Acme Holdings",
    "amount": "100000000",
    "currency": "CNY",
    "official": "李局长",
    "description": "",
    "commitments": "自然资源局: 土地指标\n商务局：外资备案",
}


def test_county_bureau_records_a_project_in_its_county(world) -> None:  # type: ignore[no-untyped-def]
    client = login(world["gov"])
    form = client.get("/en/bureau/projects/new/").content.decode()
    assert ("莱西市 Laixi" in form, "兰溪市 Lanxi" in form) == (True, False)
    elsewhere = client.post(
        "/en/bureau/projects/new/", {**PROJECT, "region": world["regions"]["lanxi"].pk}
    )
    assert elsewhere.status_code == 422
    assert InvestmentProject.objects.count() == 0

    response = client.post(
        "/en/bureau/projects/new/", {**PROJECT, "region": world["regions"]["laixi"].pk}
    )

    project = InvestmentProject.objects.get()
    assert response["Location"] == f"/en/bureau/projects/{project.pk}/"
    assert (project.region, project.stage, project.amount) == (
        world["regions"]["laixi"],
        "lead",
        D("100000000.00"),
    )
    assert sorted(project.commitments.values_list("department", "commitment")) == [
        ("商务局", "外资备案"),
        ("自然资源局", "土地指标"),
    ]


def test_operator_records_a_project_in_the_region_it_chooses(world) -> None:  # type: ignore[no-untyped-def]
    client = login(make_operator())
    missing = client.post("/en/bureau/projects/new/", PROJECT)
    assert (missing.status_code, "This field is required." in missing.content.decode()) == (
        422,
        True,
    )

    client.post("/en/bureau/projects/new/", {**PROJECT, "region": world["regions"]["lanxi"].pk})

    project = InvestmentProject.objects.get()
    assert project.region == world["regions"]["lanxi"]
    lanxi = login(make_government_user(region=world["regions"]["lanxi"]))
    assert "智能家居产业园" in lanxi.get("/en/bureau/projects/").content.decode()
    assert "智能家居产业园" not in login(world["gov"]).get("/en/bureau/projects/").content.decode()


def test_project_page_moves_the_stage_and_keeps_the_history(world) -> None:  # type: ignore[no-untyped-def]
    project = projects.create_project(
        actor=world["gov"],
        region=world["regions"]["laixi"],
        name="板材厂",
        investor="X",
        amount=D("5000000"),
    )
    client = login(world["gov"])
    url = f"/en/bureau/projects/{project.pk}/"
    edit = {**PROJECT, "name": "板材厂", "investor": "X", "commitments": ""}
    jump = client.post(url, {**edit, "amount": "5000000", "stage": "operating"})
    assert jump.status_code == 422
    assert "A project that is Lead cannot move to operating." in jump.content.decode()

    client.post(url, {**edit, "amount": "8000000", "stage": "negotiating", "note": "Met"})

    project.refresh_from_db()
    assert (project.stage, project.amount) == ("negotiating", D("8000000.00"))
    change = ProjectChange.objects.filter(project=project).first()
    assert change is not None
    assert (change.changes["stage"], change.changes["amount"], change.note) == (
        ["lead", "negotiating"],
        ["5000000.00", "8000000.00"],
        "Met",
    )
    assert "stage: lead → negotiating" in client.get(url).content.decode()


def test_project_list_query_count_is_constant(world) -> None:  # type: ignore[no-untyped-def]
    client = login(world["gov"])
    laixi = world["regions"]["laixi"]
    projects.create_project(actor=world["gov"], region=laixi, name="p0", investor="x", amount=D(1))
    client.get("/en/bureau/projects/")
    with CaptureQueriesContext(connection) as few:
        client.get("/en/bureau/projects/")
    for i in range(4):
        projects.create_project(
            actor=world["gov"], region=laixi, name=f"p{i + 1}", investor="x", amount=D(1)
        )
    with CaptureQueriesContext(connection) as many:
        html = client.get("/en/bureau/projects/").content.decode()
    assert "p4" in html
    assert len(many) == len(few)


# Monthly figures: the upload page and the import API ------------------------------------------


GOOD = (
    "月份,营业收入(万元),天猫,一般贸易出口\n"
    "2025-01,100,200000,US=800000\n"
    "2025-02,90,100000,VN=700000\n"
)
BAD = "月份,营业收入,天猫,一般贸易出口\n2025-03,100,1,US=5\n2025-13,abc,1,Atlantis=5\n"


def test_figures_upload_page_imports_a_file(world) -> None:  # type: ignore[no-untyped-def]
    enterprise = world["enterprise"]
    client = login(make_enterprise_user(enterprise=enterprise))
    upload = SimpleUploadedFile("figures.csv", GOOD.encode(), content_type="text/csv")

    response = client.post("/en/bureau/figures/import/", {"file": upload})

    assert "2 months submitted, 0 corrected, 0 unchanged." in response.content.decode()
    jan = MonthlyFigures.objects.get(enterprise=enterprise, month=dt.date(2025, 1, 1))
    assert (jan.revenue, jan.domestic_sales, jan.export_sales, jan.source) == (
        D("1000000.00"),
        D("200000.00"),
        D("800000.00"),
        "import",
    )


def test_figures_upload_page_lists_each_bad_cell_and_writes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    client = login(make_enterprise_user(enterprise=world["enterprise"]))
    upload = SimpleUploadedFile("figures.csv", BAD.encode(), content_type="text/csv")

    response = client.post("/en/bureau/figures/import/", {"file": upload})

    html = response.content.decode()
    assert response.status_code == 422
    assert "1 of 2 rows are not valid; nothing was imported." in html
    assert ("<td>3</td><td>月份</td>" in html, "<td>3</td><td>一般贸易出口</td>" in html) == (
        True,
        True,
    )
    assert MonthlyFigures.objects.count() == 0


def test_api_figures_import_writes_months_or_names_each_bad_cell(world) -> None:  # type: ignore[no-untyped-def]
    enterprise = world["enterprise"]
    headers = bearer(make_enterprise_user(enterprise=enterprise))
    client = Client()

    ok = client.post(
        "/api/bureau/figures/import",
        {"file": SimpleUploadedFile("f.csv", GOOD.encode())},
        headers=headers,
    )
    bad = client.post(
        "/api/bureau/figures/import",
        {"file": SimpleUploadedFile("f.csv", BAD.encode())},
        headers=headers,
    )

    assert ok.status_code == 200
    assert {k: ok.json()[k] for k in ("rows", "created", "written", "errors")} == {
        "rows": 2,
        "created": 2,
        "written": True,
        "errors": [],
    }
    assert bad.status_code == 422
    assert {(e["row"], e["field"]) for e in bad.json()["errors"]} == {
        (3, "月份"),
        (3, "营业收入"),
        (3, "一般贸易出口"),
    }
    assert MonthlyFigures.objects.filter(enterprise=enterprise).count() == 2


def test_api_figures_import_refuses_a_government_user(world) -> None:  # type: ignore[no-untyped-def]
    rows = "企业名称,月份,营业收入\n莱西木业,2025-01,5\n"
    response = Client().post(
        "/api/bureau/figures/import",
        {"file": SimpleUploadedFile("f.csv", rows.encode())},
        headers={**bearer(world["gov"]), "Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert [(e["row"], e["field"], e["message"]) for e in response.json()["errors"]] == [
        (2, "企业名称", "You may not enter figures for 莱西木业.")
    ]
    assert MonthlyFigures.objects.count() == 0
