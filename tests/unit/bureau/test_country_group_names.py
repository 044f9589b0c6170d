"""A country group's name in the viewer's language (no database: unsaved groups)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import translation

from dualcirc.bureau.domain.reports import Headline
from dualcirc.bureau.models import CountryGroup
from dualcirc.l10n import local_name

BRI = {
    "name_zh": "“一带一路”沿线国家",
    "name_en": "Belt and Road countries",
    "name_vi": "Các nước “Vành đai và Con đường”",
}


@pytest.mark.parametrize(
    ("language", "shown"),
    [("zh-hans", BRI["name_zh"]), ("en", BRI["name_en"]), ("vi", BRI["name_vi"])],
)
def test_local_name_picks_the_groups_name_in_the_viewers_language(
    language: str, shown: str
) -> None:
    assert local_name(CountryGroup(slug="belt-and-road", **BRI), language=language) == shown


def test_blank_vietnamese_name_falls_back_to_the_original_like_other_names() -> None:
    group = CountryGroup(slug="belt-and-road", **{**BRI, "name_vi": ""})

    shown = local_name(group, language="vi")

    assert shown == BRI["name_zh"]  # the first written of zh, en, vi, as for regions


def test_str_lists_each_written_name_once() -> None:
    bri = CountryGroup(slug="belt-and-road", **BRI)
    asean = CountryGroup(slug="asean", name_zh="东盟", name_en="ASEAN", name_vi="ASEAN")

    assert (str(bri), str(asean)) == (
        "“一带一路”沿线国家 / Belt and Road countries / Các nước “Vành đai và Con đường”",
        "东盟 / ASEAN",
    )


@pytest.mark.parametrize(
    ("language", "name_vi", "label"),
    [
        ("zh-hans", BRI["name_vi"], "出口至“一带一路”沿线国家"),
        ("en", BRI["name_vi"], "Exports to Belt and Road countries"),
        ("vi", BRI["name_vi"], "Xuất khẩu sang Các nước “Vành đai và Con đường”"),
        ("vi", "", "Xuất khẩu sang Belt and Road countries"),
    ],
)
def test_report_headline_labels_a_market_group_in_the_active_language(
    language: str, name_vi: str, label: str
) -> None:
    headline = Headline("market_belt-and-road", D("60.0"), "…", "…", "",
                        (BRI["name_zh"], BRI["name_en"], name_vi))  # fmt: skip

    with translation.override(language):
        assert headline.label == label
