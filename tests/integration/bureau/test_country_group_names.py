"""Country groups named in Vietnamese: seeded by the migration, edited by the operator, shown
to a Vietnamese viewer on the indicators, settings and report pages."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from dualcirc.bureau.demo import COUNTRY_GROUPS, ensure_country_groups
from dualcirc.bureau.models import CountryGroup
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import make_government_user, make_operator
from tests.factories.bureau import make_figures

pytestmark = pytest.mark.django_db

BRI_VI = "Các nước “Vành đai và Con đường”"
LAIXI_JUNE = "scope=region:370285&period=month&month=2025-06"


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def laixi_gov() -> Client:
    """A Laixi official; three Laixi enterprises sold 60 to Vietnam and 40 to the US in June
    2025, so Belt and Road countries take 60 % of exports."""
    regions = make_region_tree()
    for i in range(3):
        e = make_enterprise(region=regions["laixi"], name_zh=f"莱西{i}厂")
        make_figures(enterprise=e, month="2025-06", revenue=100, output_value=100,
                     exports={"VN": 60, "US": 40})  # fmt: skip
    return login(make_government_user(region=regions["laixi"]))


def group_rows(html: str) -> dict[str, str]:
    """The indicators page's country groups table as {name: share}."""
    table = html[html.index('id="country-groups"') :].split("</table>")[0]
    rows = re.findall(r'<th scope="row">([^<]*)</th><td class="num">([^<]*)</td>', table)
    return dict(rows)


def test_seeded_groups_have_their_vietnamese_names_after_migrate() -> None:
    names = dict(CountryGroup.objects.values_list("slug", "name_vi"))
    assert names == {"asean": "ASEAN", "belt-and-road": BRI_VI}
    assert {slug: g.name_vi for slug, g in COUNTRY_GROUPS.items()} == names


def test_migration_fills_blank_vietnamese_names_and_keeps_written_ones() -> None:
    migration = importlib.import_module("dualcirc.bureau.migrations.0007_country_group_name_vi")
    CountryGroup.objects.filter(slug="belt-and-road").update(name_vi="")
    CountryGroup.objects.filter(slug="asean").update(name_vi="Hiệp hội các quốc gia Đông Nam Á")

    migration.name_seeded_groups_in_vietnamese(apps, None)

    names = dict(CountryGroup.objects.values_list("slug", "name_vi"))
    assert names == {"asean": "Hiệp hội các quốc gia Đông Nam Á", "belt-and-road": BRI_VI}


def test_ensure_country_groups_seeds_the_vietnamese_names() -> None:
    CountryGroup.objects.all().delete()

    ensure_country_groups()

    rows = set(CountryGroup.objects.values_list("slug", "name_zh", "name_en", "name_vi"))
    assert rows == {
        ("asean", "东盟", "ASEAN", "ASEAN"),
        ("belt-and-road", "“一带一路”沿线国家", "Belt and Road countries", BRI_VI),
    }


def test_vietnamese_viewer_sees_the_groups_named_in_vietnamese_on_the_indicators_page(
    laixi_gov: Client,
) -> None:
    html = laixi_gov.get(f"/vi/bureau/indicators/?{LAIXI_JUNE}").content.decode()

    rows = group_rows(html)
    assert (rows["ASEAN"], rows[BRI_VI]) == ("60,0%", "60,0%")
    assert "Belt and Road countries" not in html


def test_indicators_page_names_the_groups_in_each_language(laixi_gov: Client) -> None:
    pages = {
        lang: laixi_gov.get(f"/{lang}/bureau/indicators/?{LAIXI_JUNE}").content.decode()
        for lang in ("zh-hans", "en", "vi")
    }
    names = {lang: set(group_rows(html)) for lang, html in pages.items()}
    assert names == {
        "zh-hans": {"东盟", "“一带一路”沿线国家"},
        "en": {"ASEAN", "Belt and Road countries"},
        "vi": {"ASEAN", BRI_VI},
    }


def test_group_without_a_vietnamese_name_shows_its_original_to_a_vietnamese_viewer(
    laixi_gov: Client,
) -> None:
    CountryGroup.objects.filter(slug="belt-and-road").update(name_vi="")

    html = laixi_gov.get(f"/vi/bureau/indicators/?{LAIXI_JUNE}").content.decode()

    # The original (Chinese, written first) as l10n.local_name gives it, never a blank row.
    assert set(group_rows(html)) == {"ASEAN", "“一带一路”沿线国家"}


def test_report_labels_the_group_shares_in_vietnamese(laixi_gov: Client) -> None:
    html = laixi_gov.get(f"/vi/bureau/report/?{LAIXI_JUNE}").content.decode()

    assert re.findall(r'<summary data-key="market_[^"]*">([^<]*)</summary>', html) == [
        "Xuất khẩu sang ASEAN: 60,0%",
        f"Xuất khẩu sang {BRI_VI}: 60,0%",
    ]
    # The report's sentences are written in Chinese and English only.
    assert "Exports to Belt and Road countries were 60.0 percent of exports." in html


def test_report_labels_a_group_without_a_vietnamese_name_in_english(laixi_gov: Client) -> None:
    CountryGroup.objects.filter(slug="belt-and-road").update(name_vi="")

    html = laixi_gov.get(f"/vi/bureau/report/?{LAIXI_JUNE}").content.decode()

    label = re.findall(r'<summary data-key="market_belt-and-road">([^<]*)</summary>', html)
    assert label == ["Xuất khẩu sang Belt and Road countries: 60,0%"]


def test_operator_saves_a_groups_vietnamese_name_and_sees_it_listed() -> None:
    client = login(make_operator())
    response = client.post(
        "/vi/bureau/settings/country-groups/new/",
        {
            "slug": "rcep",
            "name_zh": "区域全面经济伙伴关系协定成员国",
            "name_en": "RCEP members",
            "name_vi": "Các nước thành viên RCEP",
            "countries": "jp, KR, au",
            "is_new_market": "on",
        },
    )
    group = CountryGroup.objects.get(slug="rcep")
    assert (response.status_code, group.name_vi) == (302, "Các nước thành viên RCEP")

    edit = client.get(f"/vi/bureau/settings/country-groups/{group.pk}/").content.decode()
    assert 'value="Các nước thành viên RCEP"' in edit
    assert '<header class="page-header"><h1>Các nước thành viên RCEP</h1></header>' in edit
    listed = client.get("/vi/bureau/settings/").content.decode()
    link = f'<a href="/vi/bureau/settings/country-groups/{group.pk}/">'
    assert f'{link}<span lang="vi">Các nước thành viên RCEP</span></a>' in listed


def test_settings_page_marks_a_group_without_a_vietnamese_name_as_original() -> None:
    group = CountryGroup.objects.get(slug="belt-and-road")
    group.name_vi = ""
    group.save()

    listed = login(make_operator()).get("/vi/bureau/settings/").content.decode()

    link = f'<a href="/vi/bureau/settings/country-groups/{group.pk}/">'
    assert f'{link}<span lang="zh">“一带一路”沿线国家</span> <small' in listed
