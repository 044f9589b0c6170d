"""The monthly reporting cycle: deadline and expected enterprises, reminders (once each), the
form pre-filled from last month, jumps confirmed on submit, the bureau's return for correction
and the resubmission, coverage on the dashboard, the API — and who may do what."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dualcirc.bureau.domain.figures import FiguresInput, submit_figures
from dualcirc.bureau.domain.jumps import JumpsToConfirm
from dualcirc.bureau.domain.reporting import (
    accept_figures,
    collecting_month,
    due_date,
    reporting_coverage,
    return_figures,
    send_reminders,
)
from dualcirc.bureau.models import (
    FiguresRevision,
    MonthlyFigures,
    ReportingReminder,
    current_settings,
)
from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import Conflict, InvalidInput
from dualcirc.l10n import format_date, format_month
from dualcirc.notify.models import Notification
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import bearer, make_enterprise_user, make_government_user
from tests.factories.bureau import make_figures

pytestmark = pytest.mark.django_db

MONTH = collecting_month()
PREVIOUS = (MONTH - dt.timedelta(days=1)).replace(day=1)
LABEL, PREVIOUS_LABEL = f"{MONTH:%Y-%m}", f"{PREVIOUS:%Y-%m}"


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    regions = make_region_tree()
    laixi = make_enterprise(region=regions["laixi"], name_zh="莱西木业")
    other = make_enterprise(region=regions["laixi"], name_zh="莱西家具")
    lanxi = make_enterprise(region=regions["lanxi"], name_zh="兰溪纺织")
    make_figures(enterprise=laixi, month=PREVIOUS_LABEL, revenue=1_000_000,
                 output_value=1_100_000, domestic={"tmall": 400_000},
                 exports={"US": 600_000})  # fmt: skip
    return {
        "regions": regions,
        "laixi": laixi,
        "other": other,
        "lanxi": lanxi,
        "admin": make_enterprise_user(enterprise=laixi, role="admin"),
        "other_member": make_enterprise_user(enterprise=other),
        "gov": make_government_user(region=regions["qingdao"]),
        "lanxi_gov": make_government_user(region=regions["lanxi"]),
    }


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def like_last_month(scale: str = "1.1") -> FiguresInput:
    k = D(scale)
    return FiguresInput(revenue=D(1_000_000) * k, output_value=D(1_100_000) * k,
                        domestic={"tmall": D(400_000) * k},
                        exports={("US", "general_trade"): D(600_000) * k})  # fmt: skip


def form_post(scale: str, **extra: str) -> dict[str, str]:
    k = D(scale)
    return {"revenue": str(D(1_000_000) * k), "output_value": str(D(1_100_000) * k),
            "domestic_tmall": str(D(400_000) * k), "export_general_trade": f"US={D(600_000) * k}",
            **extra}  # fmt: skip


# Deadline and expected enterprises -------------------------------------------------------------


def test_due_date_is_the_configured_day_of_the_next_month() -> None:
    settings = current_settings()
    settings.report_due_day = 10
    settings.save()
    assert due_date(dt.date(2025, 12, 1)) == dt.date(2026, 1, 10)
    assert due_date(dt.date(2025, 6, 1), due_day=20) == dt.date(2025, 7, 20)
    assert collecting_month(dt.date(2026, 1, 3)) == dt.date(2025, 12, 1)


def test_enterprise_registered_after_the_due_day_is_expected_only_if_it_reports(world) -> None:  # type: ignore[no-untyped-def]
    late = due_date(MONTH) + dt.timedelta(days=1)
    Enterprise.objects.filter(pk=world["other"].pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(late, dt.time(9)))
    )
    coverage = reporting_coverage(enterprises=Enterprise.objects.all(), month=MONTH)
    assert (coverage.expected, coverage.reported) == (2, 0)
    make_figures(enterprise=world["other"], month=LABEL, revenue=10)  # reported all the same
    coverage = reporting_coverage(enterprises=Enterprise.objects.all(), month=MONTH)
    assert (coverage.expected, coverage.reported) == (3, 1)


# Reminders ------------------------------------------------------------------------------------


def test_reminders_go_before_the_deadline_once_and_only_to_those_missing(world) -> None:  # type: ignore[no-untyped-def]
    submit_figures(actor=world["admin"], enterprise=world["laixi"], month=MONTH,
                   data=like_last_month())  # fmt: skip
    due = due_date(MONTH)
    assert send_reminders(today=due - dt.timedelta(days=4)) == {}  # before the lead time
    assert send_reminders(today=due - dt.timedelta(days=3)) == {"due_soon": 2}
    assert send_reminders(today=due - dt.timedelta(days=1)) == {}  # never twice
    notes = Notification.objects.filter(verb="figures_due")
    assert [n.recipient for n in notes] == [world["other_member"]]
    assert notes[0].target_label == f"莱西家具 {LABEL}"
    assert notes[0].url == reverse("bureau:figures-edit", args=[world["other"].pk, LABEL])
    assert set(ReportingReminder.objects.values_list("enterprise__name_zh", "kind")) == {
        ("莱西家具", "due_soon"),
        ("兰溪纺织", "due_soon"),
    }


def test_overdue_reminder_follows_the_deadline_once(world) -> None:  # type: ignore[no-untyped-def]
    due = due_date(MONTH)
    assert send_reminders(today=due + dt.timedelta(days=1)) == {"overdue": 3}
    assert send_reminders(today=due + dt.timedelta(days=2)) == {}
    assert Notification.objects.filter(verb="figures_overdue").count() == 2  # users, not firms
    assert Notification.objects.filter(verb="figures_due").count() == 0


def test_reminder_command_reports_what_it_sent(world, capsys) -> None:  # type: ignore[no-untyped-def]
    day = due_date(MONTH) - dt.timedelta(days=2)
    call_command("bureau_reminders", "--today", day.isoformat())
    call_command("bureau_reminders", "--today", day.isoformat())
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "3 due-soon and 0 overdue reminders sent.",
        "0 due-soon and 0 overdue reminders sent.",
    ]


# The form: pre-filled, jumps confirmed -------------------------------------------------------


def test_form_for_a_new_month_starts_from_last_months_figures(world) -> None:  # type: ignore[no-untyped-def]
    response = login(world["admin"]).get(f"/en/bureau/figures/{world['laixi'].pk}/{LABEL}/")
    form = response.context["form"]
    assert response.context["prefilled_from"] == "last_month"
    assert (form.initial["revenue"], form.initial["domestic_tmall"]) == (D(1_000_000), D(400_000))
    assert form.initial["export_general_trade"] == "US=600000.00"
    assert "prefill-note" in response.content.decode()


def test_a_jump_is_refused_until_confirmed_then_kept_with_its_explanation(world) -> None:  # type: ignore[no-untyped-def]
    client = login(world["admin"])
    url = f"/en/bureau/figures/{world['laixi'].pk}/{LABEL}/"
    refused = client.post(url, form_post("2.5"))
    assert refused.status_code == 422
    assert [j["field"] for j in refused.context["failure"].jumps] == [
        "output_value", "revenue", "domestic_sales", "export_sales"
    ]  # fmt: skip
    assert "+150.0%" in refused.content.decode()
    assert not MonthlyFigures.objects.filter(month=MONTH).exists()
    client.post(url, form_post("2.5", confirm_jumps="on", jump_explanation="大额订单"))
    figures = MonthlyFigures.objects.get(month=MONTH)
    assert (figures.jumps_confirmed, figures.jump_explanation, figures.revenue) == (
        True, "大额订单", D(2_500_000)
    )  # fmt: skip
    assert {(j["field"], j["basis"], j["change"]) for j in figures.jumps} >= {
        ("revenue", "mom", "150.0")
    }
    review = login(world["gov"]).get(f"/en/bureau/reporting/{world['laixi'].pk}/{LABEL}/")
    assert "大额订单" in review.content.decode()
    assert "Large changes, confirmed by the enterprise" in review.content.decode()


def test_a_change_within_the_threshold_is_no_jump_and_the_threshold_is_configurable(world) -> None:  # type: ignore[no-untyped-def]
    result = submit_figures(actor=world["admin"], enterprise=world["laixi"], month=MONTH,
                            data=like_last_month("1.4"), enforce_jumps=True)  # fmt: skip
    assert result.figures.jumps == []
    settings = current_settings()
    settings.jump_threshold = D(30)
    settings.save()
    with pytest.raises(JumpsToConfirm) as refused:
        submit_figures(actor=world["admin"], enterprise=world["laixi"], month=MONTH,
                       data=like_last_month("1.45"), enforce_jumps=True,
                       expected_version=1, reason="typo")  # fmt: skip
    assert refused.value.code == "jumps_to_confirm"
    assert [e.field for e in refused.value.errors] == ["confirm_jumps"] * 4


def test_a_year_on_year_jump_is_flagged_and_the_import_keeps_it_unconfirmed(world) -> None:  # type: ignore[no-untyped-def]
    year_ago = MONTH.replace(year=MONTH.year - 1)
    make_figures(enterprise=world["other"], month=f"{year_ago:%Y-%m}", revenue=100)
    result = submit_figures(actor=world["other_member"], enterprise=world["other"], month=MONTH,
                            data=FiguresInput(revenue=D(40)))  # fmt: skip
    assert result.figures.jumps == [{"field": "revenue", "basis": "yoy", "before": "100.00",
                                     "after": "40", "change": "-60.0"}]  # fmt: skip
    assert result.figures.jumps_confirmed is False


# Return for correction -----------------------------------------------------------------------


def test_return_resubmit_accept_is_audited_and_the_enterprise_is_told(world) -> None:  # type: ignore[no-untyped-def]
    submit_figures(actor=world["admin"], enterprise=world["laixi"], month=MONTH,
                   data=like_last_month())  # fmt: skip
    gov = login(world["gov"])
    base = f"/en/bureau/reporting/{world['laixi'].pk}/{LABEL}/"
    gov.post(base + "return/", {"reason": "出口额与报关单不符", "expected_version": 1})
    figures = MonthlyFigures.objects.get(month=MONTH)
    assert (figures.status, figures.version, figures.return_reason) == (
        "returned", 2, "出口额与报关单不符"
    )  # fmt: skip
    note = Notification.objects.get(verb="figures_returned")
    assert (note.recipient, note.url) == (
        world["admin"], reverse("bureau:figures-edit", args=[world["laixi"].pk, LABEL])
    )  # fmt: skip
    page = login(world["admin"]).get(f"/en/bureau/figures/{world['laixi'].pk}/{LABEL}/")
    assert "出口额与报关单不符" in page.content.decode()
    login(world["admin"]).post(
        f"/en/bureau/figures/{world['laixi'].pk}/{LABEL}/",
        form_post("1.2", expected_version="2", reason="按报关单更正"),
    )
    figures.refresh_from_db()
    assert (figures.status, figures.version) == ("resubmitted", 3)
    gov.post(base + "accept/", {"expected_version": 3})
    figures.refresh_from_db()
    assert figures.status == "accepted"
    history = list(FiguresRevision.objects.filter(figures=figures).order_by("version")
                   .values_list("version", "event", "changes__status"))  # fmt: skip
    assert history == [
        (1, "submitted", None),
        (2, "returned", ["submitted", "returned"]),
        (3, "resubmitted", ["returned", "resubmitted"]),
        (4, "accepted", ["resubmitted", "accepted"]),
    ]


def test_a_return_needs_a_reason_and_a_returned_month_cannot_be_returned_again(world) -> None:  # type: ignore[no-untyped-def]
    figures = submit_figures(actor=world["admin"], enterprise=world["laixi"], month=MONTH,
                             data=like_last_month()).figures  # fmt: skip
    with pytest.raises(InvalidInput) as no_reason:
        return_figures(actor=world["gov"], figures=figures, reason="  ")
    assert [e.field for e in no_reason.value.errors] == ["reason"]
    return_figures(actor=world["gov"], figures=figures, reason="check exports")
    with pytest.raises(Conflict):
        return_figures(actor=world["gov"], figures=figures, reason="again")
    with pytest.raises(Conflict):
        accept_figures(actor=world["gov"], figures=figures)
    with pytest.raises(Conflict):  # a stale version
        return_figures(actor=world["gov"], figures=figures, reason="x", expected_version=1)


def test_only_officials_of_the_region_review_a_month(world) -> None:  # type: ignore[no-untyped-def]
    figures = submit_figures(actor=world["admin"], enterprise=world["laixi"], month=MONTH,
                             data=like_last_month()).figures  # fmt: skip
    base = f"/en/bureau/reporting/{world['laixi'].pk}/{LABEL}/"
    lanxi = login(world["lanxi_gov"])
    assert lanxi.get(base).status_code == 404
    assert lanxi.post(base + "return/", {"reason": "x"}).status_code == 404
    assert login(world["admin"]).post(base + "return/", {"reason": "x"}).status_code == 403
    with pytest.raises(AccessDenied):
        return_figures(actor=world["lanxi_gov"], figures=figures, reason="x")
    figures.refresh_from_db()
    assert (figures.status, figures.version) == ("submitted", 1)


# Coverage on the dashboard and the list of who is missing ------------------------------------


def test_dashboard_shows_reported_over_expected_and_links_to_the_missing(world) -> None:  # type: ignore[no-untyped-def]
    submit_figures(
        actor=world["admin"], enterprise=world["laixi"], month=MONTH, data=like_last_month("3")
    )  # a jump, stored unconfirmed by the domain call
    gov = login(world["gov"])
    page = gov.get(f"/en/bureau/?region=3702&period=month&month={LABEL}")
    coverage = page.context["reporting"]
    assert (coverage.expected, coverage.reported, coverage.missing, coverage.flagged) == (
        2,
        1,
        1,
        1,
    )
    assert coverage.share == D("50.0")
    html = page.content.decode()
    assert '<span id="coverage-reported">1</span> / <span id="coverage-expected">2</span>' in html
    missing = gov.get(f"/en/bureau/reporting/?region=3702&period=month&month={LABEL}&state=missing")
    assert [r.enterprise.name_zh for r in missing.context["rows"]] == ["莱西家具"]
    every = gov.get(f"/en/bureau/reporting/?region=3702&period=month&month={LABEL}")
    assert [(r.enterprise.name_zh, r.state) for r in every.context["rows"]] == [
        ("莱西家具", "missing"), ("莱西木业", "submitted")
    ]  # fmt: skip


def test_late_and_returned_reports_are_counted(world) -> None:  # type: ignore[no-untyped-def]
    figures = submit_figures(actor=world["admin"], enterprise=world["laixi"], month=MONTH,
                             data=like_last_month()).figures  # fmt: skip
    after = timezone.make_aware(dt.datetime.combine(due_date(MONTH) + dt.timedelta(days=2),
                                                    dt.time(8)))  # fmt: skip
    MonthlyFigures.objects.filter(pk=figures.pk).update(submitted_at=after)
    return_figures(actor=world["gov"], figures=figures, reason="check")
    coverage = reporting_coverage(enterprises=Enterprise.objects.all(), month=MONTH)
    assert (coverage.expected, coverage.reported, coverage.late, coverage.returned) == (3, 1, 1, 1)


# API ------------------------------------------------------------------------------------------


def test_api_refuses_a_jump_until_confirmed_and_reports_status(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    url = f"/api/bureau/figures/{world['laixi'].pk}/{LABEL}"
    body = {"revenue": "3000000", "domestic": {"tmall": "1200000"},
            "exports": [{"country": "US", "amount": "1800000"}]}  # fmt: skip
    headers = bearer(world["admin"])
    refused = client.put(url, json.dumps(body), content_type="application/json", headers=headers)
    assert refused.status_code == 422
    assert refused.json()["code"] == "jumps_to_confirm"
    assert {e["field"] for e in refused.json()["errors"]} == {"confirm_jumps"}
    body |= {"confirm_jumps": True, "jump_explanation": "new customer"}
    taken = client.put(url, json.dumps(body), content_type="application/json", headers=headers)
    assert (taken.status_code, taken.json()["figures"]["status"]) == (200, "submitted")
    status = client.get(url + "/status", headers=headers).json()
    assert (status["status"], status["jumps_confirmed"], status["jump_explanation"]) == (
        "submitted", True, "new customer"
    )  # fmt: skip
    assert [h["event"] for h in status["history"]] == ["submitted"]


def test_api_return_and_access(world) -> None:  # type: ignore[no-untyped-def]
    submit_figures(actor=world["admin"], enterprise=world["laixi"], month=MONTH,
                   data=like_last_month())  # fmt: skip
    client = Client()
    url = f"/api/bureau/figures/{world['laixi'].pk}/{LABEL}"
    body = json.dumps({"reason": "check exports", "expected_version": 1})
    other_region = client.post(url + "/return", body, content_type="application/json",
                               headers=bearer(world["lanxi_gov"]))  # fmt: skip
    assert other_region.status_code == 404
    assert client.get(url + "/status", headers=bearer(world["other_member"])).status_code == 404
    member = client.post(url + "/return", body, content_type="application/json",
                         headers=bearer(world["admin"]))  # fmt: skip
    assert member.status_code == 404
    done = client.post(url + "/return", body, content_type="application/json",
                       headers=bearer(world["gov"]))  # fmt: skip
    assert (done.status_code, done.json()["status"], done.json()["return_reason"]) == (
        200, "returned", "check exports"
    )  # fmt: skip
    seen = client.get(url + "/status", headers=bearer(world["admin"])).json()
    assert [h["event"] for h in seen["history"]] == ["returned", "submitted"]
    listing = client.get(f"/api/bureau/reporting?scope=region:3702&month={LABEL}",
                         headers=bearer(world["gov"])).json()  # fmt: skip
    assert (listing["expected"], listing["reported"], listing["returned"]) == (2, 1, 1)
    assert {(r["name"], r["state"]) for r in listing["enterprises"]} == {
        ("莱西木业", "returned"), ("莱西家具", "missing")
    }  # fmt: skip


def test_figures_home_says_when_the_month_is_due_and_which_month_was_returned(world) -> None:  # type: ignore[no-untyped-def]
    figures = submit_figures(actor=world["admin"], enterprise=world["laixi"], month=MONTH,
                             data=like_last_month()).figures  # fmt: skip
    return_figures(actor=world["gov"], figures=figures, reason="check")
    html = login(world["admin"]).get("/en/bureau/figures/").content.decode()
    # the month and the date as every page writes them (babel's medium date: "Dec 15, 2026")
    due, month = format_date(due_date(MONTH), language="en"), format_month(MONTH, language="en")
    assert f"The figures for {month} are due by {due}." in html
    assert html.count("state-returned") == 1
    vi = login(world["admin"]).get("/vi/bureau/figures/").content.decode()
    assert format_date(due_date(MONTH), language="vi") in vi  # "15 thg 12, 2026"
    assert "Ngày" not in vi  # not Django's "Ngày 15 tháng 12 năm 2026" in mid-sentence
    assert "tháng thg" not in vi  # the month says "thg" itself


def test_api_accept_records_the_source_and_refuses_bad_states_and_outsiders(world) -> None:  # type: ignore[no-untyped-def]
    submit_figures(actor=world["admin"], enterprise=world["laixi"], month=MONTH,
                   data=like_last_month())  # fmt: skip
    client = Client()
    url = f"/api/bureau/figures/{world['laixi'].pk}/{LABEL}/accept"
    stale = client.post(url, json.dumps({"expected_version": 7}),
                        content_type="application/json", headers=bearer(world["gov"]))  # fmt: skip
    assert (stale.status_code, stale.json()["code"]) == (409, "conflict")
    done = client.post(url, "{}", content_type="application/json", headers=bearer(world["gov"]))
    assert (done.status_code, done.json()["status"]) == (200, "accepted")
    step = FiguresRevision.objects.get(event="accepted")
    assert (step.source, step.changed_by) == ("api", world["gov"])
    bad = client.get("/api/bureau/reporting?scope=region:3702&state=late",
                     headers=bearer(world["gov"]))  # fmt: skip
    assert (bad.status_code, [e["field"] for e in bad.json()["errors"]]) == (422, ["state"])
    member = client.get("/api/bureau/reporting?scope=region:3702", headers=bearer(world["admin"]))
    assert member.status_code == 403
    other = client.get("/api/bureau/reporting?scope=region:3702",
                       headers=bearer(world["lanxi_gov"]))  # fmt: skip
    assert other.status_code == 403
