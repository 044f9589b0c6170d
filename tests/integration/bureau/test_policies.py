"""Support policies reaching enterprises: matching on change, one notification per policy and
enterprise, confirmation, payment, the data a rule lacks, and who sees what."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dualcirc.bureau.domain import policies
from dualcirc.bureau.domain.config import save_policy
from dualcirc.bureau.domain.figures import FiguresInput, submit_figures
from dualcirc.bureau.enums import DeliveryState, PolicyMode
from dualcirc.bureau.models import SupportPolicy
from dualcirc.bureau.models.cases import PolicyDelivery, PolicyDeliveryEvent
from dualcirc.bureau.tasks import match_month_policies_task, match_policies_task
from dualcirc.catalog.domain import update_enterprise
from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import Conflict, InvalidInput
from dualcirc.notify.models import Notification
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import make_enterprise_user, make_government_user, make_operator
from tests.factories.bureau import make_figures
from tests.factories.tasks import queued

pytestmark = pytest.mark.django_db


def last_month(months_back: int = 1) -> str:
    first = timezone.localdate().replace(day=1)
    for _i in range(months_back):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return f"{first:%Y-%m}"


def policies_month() -> dt.date:
    """Last month (inside the rules' 12-month window), as a date."""
    return dt.date.fromisoformat(f"{last_month()}-01")


def policy(**fields: object) -> SupportPolicy:
    defaults: dict[str, object] = {"title": "外贸稳岗补贴", "mode": PolicyMode.AUTOMATIC,
                                   "amount": D("50000"), "currency": "CNY"}  # fmt: skip
    defaults.update(fields)
    return SupportPolicy.objects.create(**defaults)


def three_notified_in_laixi_one_paid(
    *, title: str = "", figures_month: str | None = None
) -> Client:
    """A 50,000-yuan policy matched to three Laixi enterprises (and one in Lanxi, outside
    Qingdao's Laixi scope), one of the Laixi deliveries paid; a Qingdao official's client."""
    regions = make_region_tree()
    gov = make_government_user(region=regions["qingdao"])
    policy(amount=D("50000"), **({"title": title} if title else {}))
    for i in range(3):
        e = make_enterprise(region=regions["laixi"], name_zh=f"厂{i}")
        make_enterprise_user(enterprise=e)
        if figures_month:
            make_figures(enterprise=e, month=figures_month, revenue=1000)
    make_enterprise_user(enterprise=make_enterprise(region=regions["lanxi"]))  # not in scope
    policies.match_policies()
    first = PolicyDelivery.objects.filter(enterprise__region=regions["laixi"]).first()
    assert first is not None
    policies.record_delivery_payment(actor=gov, delivery=first, amount=D("50000"),
                                     paid_on=timezone.localdate())  # fmt: skip
    client = Client()
    client.force_login(gov)
    return client


def test_an_enterprise_that_newly_qualifies_is_notified_once() -> None:
    regions = make_region_tree()
    enterprise = make_enterprise(region=regions["laixi"], employees=120)
    member = make_enterprise_user(enterprise=enterprise, preferred_language="vi")
    grant = policy(min_employees=100, region=regions["qingdao"])

    first = policies.match_policies(enterprise_ids=[enterprise.pk])
    again = policies.match_policies(enterprise_ids=[enterprise.pk])

    delivery = PolicyDelivery.objects.get()
    assert [d.pk for d in first] == [delivery.pk]
    assert again == []
    assert (delivery.policy, delivery.state, delivery.amount, delivery.currency) == (
        grant,
        DeliveryState.NOTIFIED,
        D("50000.00"),
        "CNY",
    )
    note = Notification.objects.get()
    assert (note.recipient, note.verb, note.target_label, note.url) == (
        member,
        "policy_granted",
        "“外贸稳岗补贴” (CNY 50,000.00)",
        "/vi/bureau/my-policies/",
    )
    events = list(PolicyDeliveryEvent.objects.values_list("from_state", "to_state"))
    assert events == [("", "eligible"), ("eligible", "notified")]


def test_a_policy_to_confirm_says_so_and_an_enterprise_without_members_waits() -> None:
    regions = make_region_tree()
    silent = make_enterprise(region=regions["laixi"], industries=["furniture"])
    policy(mode=PolicyMode.CONFIRM, industries=["furniture"])

    policies.match_policies(enterprise_ids=[silent.pk])
    assert PolicyDelivery.objects.get().state == DeliveryState.ELIGIBLE
    assert Notification.objects.count() == 0

    member = make_enterprise_user(enterprise=silent)
    policies.match_policies(enterprise_ids=[silent.pk])

    assert PolicyDelivery.objects.get().state == DeliveryState.NOTIFIED
    assert list(Notification.objects.values_list("recipient", "verb")) == [
        (member.pk, "policy_to_confirm")
    ]


def test_rules_on_profile_and_12_months_of_figures() -> None:
    regions = make_region_tree()
    big = make_enterprise(region=regions["laixi"], export_share=D("80"))
    small = make_enterprise(region=regions["laixi"], export_share=D("80"))
    elsewhere = make_enterprise(region=regions["lanxi"], export_share=D("80"))
    for e, amount in ((big, 6_000_000), (small, 100_000), (elsewhere, 6_000_000)):
        make_figures(enterprise=e, month=last_month(), revenue=amount, exports={"US": amount})
    # a month outside the window does not count
    make_figures(enterprise=small, month=last_month(14), revenue=9_000_000,
                 exports={"US": 9_000_000})  # fmt: skip
    rule = policy(min_exports=D("5000000"), min_export_share=D("50"), region=regions["shandong"])

    policies.match_policies()

    assert list(PolicyDelivery.objects.values_list("enterprise", flat=True)) == [big.pk]
    assert policies.required_data(rule) == ["export_share", "region", "exports_12m"]
    assert policies.missing_data(rule) == []


def test_a_rule_needing_data_the_platform_lacks_is_never_matched_and_says_which() -> None:
    regions = make_region_tree()
    enterprise = make_enterprise(region=regions["laixi"])
    rd = policy(title="研发费用加计扣除奖励", needs_data=["rd_spending", "tax_paid"])

    policies.match_policies()

    assert PolicyDelivery.objects.count() == 0
    assert policies.missing_data(rd) == ["rd_spending", "tax_paid"]
    assert policies.matching_policies(enterprise) == []
    client = Client()
    client.force_login(make_government_user(region=regions["qingdao"]))
    page = client.get(f"/en/bureau/policies/{rd.pk}/").content.decode()
    assert (
        "This rule needs data the platform does not hold:</strong> R&amp;D spending, Tax paid"
        in page
    )


def test_submitting_figures_matches_that_enterprise_only_not_others_of_the_month(
    django_capture_on_commit_callbacks: Any,
) -> None:
    regions = make_region_tree()
    saver = make_enterprise(region=regions["laixi"])
    member = make_enterprise_user(enterprise=saver)
    neighbour = make_enterprise(region=regions["laixi"])  # reported the same month
    make_enterprise_user(enterprise=neighbour)
    make_figures(enterprise=neighbour, month=last_month(), revenue=2_000_000)
    policy(min_revenue=D("1000000"))  # the neighbour qualifies too, but nothing of it changed

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit_figures(actor=member, enterprise=saver, month=policies_month(),
                       data=FiguresInput(revenue=D(1_500_000)))  # fmt: skip
    assert queued() == []  # nothing before the transaction commits
    for callback in callbacks:
        callback()

    matching = [args for name, args in queued() if name == "match_policies_task"]
    assert matching == [[[saver.pk]]]
    assert match_policies_task.call([saver.pk]) == 1  # what the worker does
    assert list(PolicyDelivery.objects.values_list("enterprise", flat=True)) == [saver.pk]


def test_saving_a_profile_enqueues_matching_of_that_enterprise_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    regions = make_region_tree()
    enterprise = make_enterprise(region=regions["laixi"], employees=10)
    member = make_enterprise_user(enterprise=enterprise)

    with django_capture_on_commit_callbacks(execute=True):
        update_enterprise(actor=member, enterprise=enterprise, data={"employees": 300})

    assert queued() == [("match_policies_task", [[enterprise.pk]])]
    policy(min_employees=200)
    assert match_policies_task.call([enterprise.pk]) == 1  # what the worker does
    assert match_policies_task.call([enterprise.pk]) == 0  # already delivered


def test_saving_a_policy_matches_it_against_its_region(
    django_capture_on_commit_callbacks: Any,
) -> None:
    regions = make_region_tree()
    operator = make_operator()
    with django_capture_on_commit_callbacks(execute=True):
        saved = save_policy(actor=operator, title="跨境电商补贴", mode=PolicyMode.AUTOMATIC,
                            amount=D("20000"), currency="cny", region=regions["laixi"],
                            needs_data=[], active=True)  # fmt: skip
    assert (saved.currency, queued()) == ("CNY", [("match_policy_task", [saved.pk])])
    with pytest.raises(InvalidInput) as err:
        save_policy(actor=operator, title="x", needs_data=["horoscope"], amount=D("-1"))
    assert sorted(e.field or "" for e in err.value.errors) == ["amount", "needs_data"]
    with pytest.raises(AccessDenied):
        save_policy(actor=make_government_user(region=regions["qingdao"]), title="x")


def test_confirm_then_pay_each_step_audited() -> None:
    regions = make_region_tree()
    enterprise = make_enterprise(region=regions["laixi"])
    member = make_enterprise_user(enterprise=enterprise)
    gov = make_government_user(region=regions["laixi"])
    policy(mode=PolicyMode.CONFIRM)
    policies.match_policies()
    delivery = PolicyDelivery.objects.get()

    with pytest.raises(Conflict):  # not confirmed yet
        policies.record_delivery_payment(actor=gov, delivery=delivery, amount=D("50000"),
                                         paid_on=timezone.localdate())  # fmt: skip
    with pytest.raises(AccessDenied):  # an official does not confirm for the enterprise
        policies.confirm_delivery(actor=gov, delivery=delivery)
    policies.confirm_delivery(actor=member, delivery=delivery)
    with pytest.raises(InvalidInput) as err:
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        policies.record_delivery_payment(
            actor=gov, delivery=delivery, amount=D("0"), paid_on=tomorrow
        )
    assert sorted(e.field or "" for e in err.value.errors) == ["amount", "paid_on"]
    paid = policies.record_delivery_payment(
        actor=gov, delivery=delivery, amount=D("50000"), paid_on=timezone.localdate(),
        reference="财拨-17",
    )  # fmt: skip

    assert (paid.state, paid.paid_amount, paid.payment_reference, paid.paid_by) == (
        DeliveryState.PAID,
        D("50000"),
        "财拨-17",
        gov,
    )
    assert list(PolicyDeliveryEvent.objects.values_list("from_state", "to_state", "by")) == [
        ("", "eligible", None), ("eligible", "notified", None),
        ("notified", "confirmed", member.pk), ("confirmed", "paid", gov.pk),
    ]  # fmt: skip
    with pytest.raises(Conflict):  # paid once
        policies.record_delivery_payment(actor=gov, delivery=paid, amount=D("1"),
                                         paid_on=timezone.localdate())  # fmt: skip


def test_an_automatic_policy_is_paid_without_confirmation_and_cannot_be_confirmed() -> None:
    regions = make_region_tree()
    enterprise = make_enterprise(region=regions["laixi"])
    member = make_enterprise_user(enterprise=enterprise)
    policy()
    policies.match_policies()
    delivery = PolicyDelivery.objects.get()
    with pytest.raises(Conflict):
        policies.confirm_delivery(actor=member, delivery=delivery)
    with pytest.raises(AccessDenied):  # another county's official
        policies.record_delivery_payment(
            actor=make_government_user(region=regions["jiaozhou"]), delivery=delivery,
            amount=D("50000"), paid_on=timezone.localdate(),
        )  # fmt: skip
    paid = policies.record_delivery_payment(
        actor=make_operator(), delivery=delivery, amount=D("50000"), paid_on=timezone.localdate()
    )
    assert paid.state == DeliveryState.PAID
    assert Notification.objects.filter(recipient=member, verb="policy_paid").count() == 1


def test_officials_see_their_region_only_and_enterprises_their_own() -> None:
    regions = make_region_tree()
    laixi = make_enterprise(region=regions["laixi"], name_zh="莱西厂")
    jiaozhou = make_enterprise(region=regions["jiaozhou"], name_zh="胶州厂")
    laixi_member = make_enterprise_user(enterprise=laixi)
    make_enterprise_user(enterprise=jiaozhou)
    everywhere = policy(title="全省补贴")
    zhejiang = policy(title="浙江专项", region=regions["zhejiang"])
    policies.match_policies()
    jz_delivery = PolicyDelivery.objects.get(enterprise=jiaozhou)

    county = Client()
    county.force_login(make_government_user(region=regions["laixi"]))
    page = county.get(f"/en/bureau/policies/{everywhere.pk}/").content.decode()
    assert ("莱西厂" in page, "胶州厂" in page) == (True, False)
    assert county.get(f"/en/bureau/policies/{zhejiang.pk}/").status_code == 404
    refused = county.post(f"/en/bureau/policies/deliveries/{jz_delivery.pk}/pay/",
                          {"amount": "50000", "paid_on": f"{timezone.localdate()}"})  # fmt: skip
    assert refused.status_code == 404
    assert PolicyDelivery.objects.get(pk=jz_delivery.pk).state == DeliveryState.NOTIFIED

    own = Client()
    own.force_login(laixi_member)
    mine = own.get("/en/bureau/my-policies/").content.decode()
    assert (mine.count("全省补贴"), "胶州厂" in mine) == (1, False)  # its own delivery only
    assert own.post(f"/en/bureau/my-policies/{jz_delivery.pk}/confirm/").status_code == 404
    assert own.get(f"/en/bureau/policies/{everywhere.pk}/").status_code == 403


def test_the_city_page_counts_and_totals_each_state_and_records_a_payment() -> None:
    regions = make_region_tree()
    gov = make_government_user(region=regions["qingdao"])
    grant = policy(amount=D("123456789"))
    for i in range(3):
        make_enterprise_user(enterprise=make_enterprise(region=regions["laixi"], name_zh=f"厂{i}"))
    policies.match_policies()
    first = PolicyDelivery.objects.order_by("pk").first()
    assert first is not None
    client = Client()
    client.force_login(gov)

    response = client.post(
        f"/zh-hans/bureau/policies/deliveries/{first.pk}/pay/",
        {"amount": "123456789", "paid_on": f"{timezone.localdate()}"},
    )
    assert response.status_code == 302
    page = client.get(f"/zh-hans/bureau/policies/{grant.pk}/").content.decode()
    assert '<strong data-state="notified">2</strong>' in page
    assert '<strong data-state="paid">1</strong>' in page
    assert "3.70亿元" in page  # granted: 3 × 123,456,789 yuan
    assert "1.23亿元" in page  # paid
    english = client.get(f"/en/bureau/policies/{grant.pk}/").content.decode()
    assert "CN¥370.37 million" in english


def test_the_report_counts_deliveries_and_amounts_of_its_scope() -> None:
    import io

    from openpyxl import load_workbook

    client = three_notified_in_laixi_one_paid(title="稳岗补贴", figures_month="2025-06")

    response = client.get("/en/bureau/report.xlsx?scope=region:3702&period=month&month=2025-06")

    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Policy delivery"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    data = [r for r in rows if r and r[0] == "稳岗补贴"]
    assert data == [["稳岗补贴", 0, 2, 0, 1, 150000, 50000]]  # numbers as numbers (yuan)


def test_the_api_lists_confirms_and_pays_within_each_callers_reach() -> None:
    from tests.factories.api import bearer

    regions = make_region_tree()
    laixi = make_enterprise(region=regions["laixi"])
    jiaozhou = make_enterprise(region=regions["jiaozhou"])
    member = make_enterprise_user(enterprise=laixi)
    make_enterprise_user(enterprise=jiaozhou)
    county = make_government_user(region=regions["laixi"])
    grant = policy(mode=PolicyMode.CONFIRM, amount=D("8000"))
    rd = policy(title="研发奖励", needs_data=["rd_spending"])
    policies.match_policies()
    mine = PolicyDelivery.objects.get(enterprise=laixi)
    theirs = PolicyDelivery.objects.get(enterprise=jiaozhou)
    client = Client()

    listed = client.get("/api/bureau/policies", headers=bearer(county)).json()
    by_title = {p["title"]: p for p in listed}
    assert (by_title["外贸稳岗补贴"]["notified"], by_title["研发奖励"]["missing_data"]) == (
        1, ["rd_spending"]
    )  # fmt: skip
    own = client.get("/api/bureau/my-policies", headers=bearer(member)).json()
    assert [d["id"] for d in own] == [mine.pk]
    assert client.post(f"/api/bureau/my-policies/{theirs.pk}/confirm",
                       headers=bearer(member)).status_code == 404  # fmt: skip
    confirmed = client.post(f"/api/bureau/my-policies/{mine.pk}/confirm", headers=bearer(member))
    assert confirmed.json()["state"] == "confirmed"
    body = {"amount": "8000.00", "paid_on": f"{timezone.localdate()}", "reference": "A-1"}
    other = client.post(f"/api/bureau/policy-deliveries/{theirs.pk}/payment", body,
                        content_type="application/json", headers=bearer(county))  # fmt: skip
    assert other.status_code == 404
    paid = client.post(f"/api/bureau/policy-deliveries/{mine.pk}/payment", body,
                       content_type="application/json", headers=bearer(county))  # fmt: skip
    assert (paid.status_code, paid.json()["state"], paid.json()["paid_amount"]) == (
        200, "paid", "8000.00"
    )  # fmt: skip
    again = client.post(f"/api/bureau/policy-deliveries/{mine.pk}/payment", body,
                        content_type="application/json", headers=bearer(county))  # fmt: skip
    assert again.status_code == 409
    deliveries = client.get(f"/api/bureau/policies/{grant.pk}/deliveries", headers=bearer(county))
    assert [d["enterprise"] for d in deliveries.json()] == [laixi.pk]
    assert client.get("/api/bureau/policies", headers=bearer(member)).status_code == 403
    assert rd.pk


def test_the_dashboard_card_counts_and_totals_deliveries_of_its_scope_only() -> None:
    client = three_notified_in_laixi_one_paid()

    zh = client.get("/zh-hans/bureau/?scope=region:3702").content.decode()
    card = zh[zh.index('id="policy-delivery"') :]
    card = card[: card.index("</section>")]
    assert 'href="/zh-hans/bureau/policies/"' in card
    counts = re.findall(r"<dt>[^<]*</dt><dd>(\d+)</dd>", card)
    assert counts == ["0", "2", "0", "1"]  # eligible, notified, confirmed, paid
    assert "<dd>15.00万元</dd>" in card and "<dd>5.00万元</dd>" in card  # 3 × 50,000; 50,000
    en = client.get("/en/bureau/?scope=region:3702").content.decode()
    assert "CN¥150,000" in en or "CN¥0.15 million" in en


def test_our_support_policies_shows_to_enterprise_members_only() -> None:
    from tests.factories.api import make_buyer

    member = make_enterprise_user(enterprise=make_enterprise())
    buyer = make_buyer()
    gov = make_government_user(region=make_region_tree()["qingdao"])
    for user, shown in ((member, True), (buyer, False), (gov, False), (make_operator(), False)):
        client = Client()
        client.force_login(user)
        html = client.get("/en/bureau/figures/").content.decode()
        assert ('href="/en/bureau/my-policies/"' in html) is shown, user


def test_a_month_matching_job_queued_before_the_upgrade_still_runs() -> None:
    # jobs in the queue from before figures queued matching per enterprise name this task
    regions = make_region_tree()
    reporter = make_enterprise(region=regions["laixi"])
    make_enterprise_user(enterprise=reporter)
    make_figures(enterprise=reporter, month=last_month(), revenue=2_000_000)
    policy(min_revenue=D("1000000"))
    assert match_month_policies_task.call(last_month()) == 1  # what the worker does
    assert match_month_policies_task.call(last_month()) == 0  # delivered once
    assert list(PolicyDelivery.objects.values_list("enterprise", flat=True)) == [reporter.pk]
