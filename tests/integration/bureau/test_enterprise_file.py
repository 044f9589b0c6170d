"""The enterprise's one-page file (一企一档): what it joins, who sees it, and its bounded
number of queries."""

from __future__ import annotations

import re
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client

from dualcirc.bureau.domain import cases, policies
from dualcirc.bureau.enterprise_file import yearly_indicators
from dualcirc.bureau.enums import CaseStatus, NeedType, PolicyMode
from dualcirc.bureau.models import MonthlyFigures, SupportPolicy
from dualcirc.channels.rules import load_rule_book
from tests.factories import make_enterprise, make_product, make_region_tree
from tests.factories.api import make_enterprise_user, make_government_user
from tests.factories.bureau import make_figures
from tests.factories.query_counts import page_queries

pytestmark = pytest.mark.django_db


def test_yearly_indicators_compare_only_months_reported_in_both_years() -> None:
    e = make_enterprise()
    for month, exports in (("2024-01", 100), ("2024-02", 100), ("2024-03", 500),
                           ("2025-01", 150), ("2025-02", 150)):  # fmt: skip
        make_figures(enterprise=e, month=month, revenue=exports, exports={"US": exports},
                     domestic={"tmall": exports})  # fmt: skip
    rows = yearly_indicators(list(MonthlyFigures.objects.filter(enterprise=e)))
    assert [(r.year, r.months, r.exports, r.export_share, r.exports_growth) for r in rows] == [
        (2025, 2, D(300), D("50.0"), D("50.0")),  # Jan+Feb against Jan+Feb, not against 700
        (2024, 3, D(700), D("50.0"), None),
    ]


def _file_setup() -> tuple[Any, Any, Any, Any]:
    regions = make_region_tree()
    enterprise = make_enterprise(region=regions["laixi"], name_zh="莱西家具厂", employees=80)
    member = make_enterprise_user(enterprise=enterprise)
    gov = make_government_user(region=regions["laixi"])
    for month in ("2024-06", "2025-06"):
        make_figures(enterprise=enterprise, month=month, revenue=3_000_000,
                     domestic={"tmall": 1_000_000}, exports={"US": 2_000_000})  # fmt: skip
    make_product(enterprise=enterprise, sku="SOFA-1", title_zh="布艺沙发")
    case = cases.open_case(actor=gov, enterprise=enterprise, need_type=NeedType.FINANCING,
                           title="个案-融资")  # fmt: skip
    for to in (CaseStatus.ASSIGNED, CaseStatus.HANDLING, CaseStatus.FEEDBACK):
        cases.move_case(actor=gov, case=case, to=to, team="金融组", note="对接了两家银行授信")
    SupportPolicy.objects.create(title="稳岗补贴", mode=PolicyMode.AUTOMATIC, amount=D("50000"))
    policies.match_policies(enterprise_ids=[enterprise.pk])
    return regions, enterprise, member, gov


def test_the_file_joins_figures_products_cases_and_policies_in_both_languages() -> None:
    _regions, enterprise, _member, gov = _file_setup()
    client = Client()
    client.force_login(gov)

    zh = client.get(f"/zh-hans/bureau/enterprises/{enterprise.pk}/").content.decode()
    en = client.get(f"/en/bureau/enterprises/{enterprise.pk}/").content.decode()

    assert "一企一档" not in en
    for text in ("布艺沙发", "对接了两家银行授信", "稳岗补贴", "5.00万元", "2025"):
        assert text in zh, text
    assert "CN¥50,000" in en
    assert 'id="file-products"' in en and "SOFA-1" in en
    assert 'id="chart-trend"' in en


@pytest.mark.parametrize(
    ("language", "tmall"), [("zh-hans", "天猫"), ("en", "Tmall"), ("vi", "Tmall")]
)
def test_the_files_channel_columns_are_named_as_on_the_channel_pages(
    language: str, tmall: str
) -> None:
    _regions, enterprise, _member, gov = _file_setup()
    client = Client()
    client.force_login(gov)

    page = client.get(f"/{language}/bureau/enterprises/{enterprise.pk}/")

    html = page.content.decode()
    header = html[html.index('<table class="data readiness">') :].split("</thead>")[0]
    columns = re.findall(r'<th class="num" scope="col">([^<]*)</th>', header)
    assert columns[0] == tmall
    assert len(columns) == len(load_rule_book().channels)


def test_the_file_keeps_todays_access_rules() -> None:
    regions, enterprise, member, _gov = _file_setup()
    other_county = Client()
    other_county.force_login(make_government_user(region=regions["jiaozhou"]))
    own = Client()
    own.force_login(member)
    other_member = Client()
    other_member.force_login(make_enterprise_user(enterprise=make_enterprise()))
    url = f"/en/bureau/enterprises/{enterprise.pk}/"
    assert other_county.get(url).status_code == 404
    assert other_member.get(url).status_code == 404
    page = own.get(url)
    assert page.status_code == 200
    assert "Open a support case" not in page.content.decode()  # members do not manage cases


def test_the_file_runs_a_bounded_number_of_queries(django_assert_max_num_queries: Any) -> None:
    _regions, enterprise, _member, gov = _file_setup()
    n_products = [0]

    def grow(n: int) -> None:
        for _i in range(n):
            n_products[0] += 1
            make_product(enterprise=enterprise, sku=f"P-{n_products[0]}", title_zh="产品行")
            case = cases.open_case(actor=gov, enterprise=enterprise,
                                   need_type=NeedType.OTHER, title="个案行")  # fmt: skip
            cases.move_case(actor=gov, case=case, to=CaseStatus.CLOSED, note="已解决")
            p = SupportPolicy.objects.create(title=f"政策行{n_products[0]}", amount=D(1000))
            policies.match_policies(enterprise_ids=[enterprise.pk], policy_ids=[p.pk])

    url = f"/en/bureau/enterprises/{enterprise.pk}/"
    counts = page_queries(django_assert_max_num_queries, gov, url, grow, "政策行", 30)
    assert counts[0] == counts[1]


def test_the_file_shows_each_months_review_status_and_large_changes() -> None:
    from dualcirc.bureau.enums import FiguresStatus

    _regions, enterprise, member, gov = _file_setup()
    june = MonthlyFigures.objects.get(enterprise=enterprise, month__year=2025)
    june.status = FiguresStatus.RETURNED
    june.jumps = [{"field": "revenue", "basis": "yoy", "before": "1000000", "after": "3000000",
                   "change": "200.0"}]  # fmt: skip
    june.jumps_confirmed = True
    june.save()
    client = Client()
    client.force_login(gov)

    en = client.get(f"/en/bureau/enterprises/{enterprise.pk}/").content.decode()
    rows = en[en.index('<table class="data figures">') :]
    rows = rows[: rows.index("</table>")]
    assert "Returned for correction" in rows and "Submitted" in rows  # June 2025, June 2024
    assert "+200.0%" in rows and "confirmed" in rows
    assert f'href="/en/bureau/reporting/{enterprise.pk}/2025-06/"' in rows  # to the review
    own = Client()
    own.force_login(member)  # the enterprise's own member reads the statuses, without the link
    mine = own.get(f"/en/bureau/enterprises/{enterprise.pk}/").content.decode()
    assert "Returned for correction" in mine and "/en/bureau/reporting/" not in mine
