"""Readiness of one product for one channel: pure functions over plain facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from dualcirc.channels.readiness import (
    AuthorisationFacts,
    BrandFacts,
    ImageFacts,
    ListingFacts,
    SpecRow,
    assess_channel_readiness,
    count_title,
)
from dualcirc.channels.rules import load_rule_book

BOOK = load_rule_book()
SQUARE = ImageFacts(width=1000, height=1000, bytes=200_000)
TODAY = date(2026, 12, 7)
OWN_BRAND = BrandFacts(
    name="莱木",
    owned=True,
    trademark_number="51234567",
    registered=True,
    expires_on=date(2031, 3, 13),
)


def table_facts(**changes) -> ListingFacts:
    """A solid-wood dining table with everything every channel asks for."""
    facts = ListingFacts(
        hs_code="940360",
        titles="实木餐桌 Solid oak dining table",
        title_zh="北欧实木餐桌 橡木 长方形 家用饭桌",
        brand="莱木",
        retail_price=Decimal("1999.00"),
        spec_rows=[
            SpecRow(
                axes={"颜色分类": "原木色", "尺寸": "1.4米"}, price=Decimal("1999.00"), stock=10
            ),
            SpecRow(
                axes={"颜色分类": "胡桃色", "尺寸": "1.6米"}, price=Decimal("2299.00"), stock=5
            ),
        ],
        attributes={"是否可定制": "否"},
        catalog_attributes={"wood": "oak", "style": "Nordic"},
        images=[SQUARE, SQUARE, SQUARE],
        shipping_hours=48,
        seven_day_return=True,
        wholesale_tiers=[(Decimal("10"), Decimal("1500")), (Decimal("50"), Decimal("1350"))],
        moq=Decimal("10"),
        evidence={"formaldehyde-grade": "E0"},
        today=TODAY,
        brand_record=OWN_BRAND,
    )
    return replace(facts, **changes)


def assess(channel: str, facts: ListingFacts, language: str = "en"):
    return assess_channel_readiness(book=BOOK, channel_key=channel, facts=facts, language=language)


def test_complete_table_is_ready_on_every_channel_with_full_score():
    results = {key: assess(key, table_facts()) for key in BOOK.channels}

    assert {k: (r.ready, r.score) for k, r in results.items()} == {
        k: (True, 100) for k in BOOK.channels
    }
    assert results["jd"].category_path == ("家具", "餐厅家具", "餐桌")


def test_missing_fields_are_listed_with_the_fields_that_fix_them():
    facts = table_facts(
        title_zh="",
        brand="",
        retail_price=None,
        spec_rows=[],
        attributes={},
        evidence={},
        brand_record=None,
    )

    result = assess("jd", facts)

    assert result.ready is False
    assert [c.code for c in result.missing] == [
        "title",
        "brand",
        "spec",
        "price",
        "attributes",
        "qualification:trademark",
        "compliance:formaldehyde-grade",
    ]
    assert result.fix_fields == (
        "title_zh",
        "brand",
        "spec_matrix",
        "retail_price",
        "attr:是否可定制",
        "brand_record",
        "evidence:formaldehyde-grade",
    )
    assert 0 < result.score < 100


def test_ccc_product_without_a_valid_ccc_number_is_never_ready():
    tv = table_facts(
        hs_code="852872",
        titles="4K智能液晶电视",
        spec_rows=[
            SpecRow(axes={"颜色分类": "黑色", "屏幕尺寸": "55英寸"}, price=Decimal("2999"), stock=3)
        ],
        retail_price=Decimal("2999"),
        attributes={"屏幕尺寸": "55英寸", "分辨率": "3840×2160"},
        evidence={"energy-label": "CEL-123"},
    )

    without = {k: assess(k, tv).ready for k in BOOK.channels}
    malformed = {
        k: assess(k, replace(tv, evidence={**tv.evidence, "ccc": "CCC-55"})).ready
        for k in BOOK.channels
    }
    valid = {
        k: assess(k, replace(tv, evidence={**tv.evidence, "ccc": "2020010701234567"})).ready
        for k in BOOK.channels
    }

    assert without == {k: False for k in BOOK.channels}
    assert malformed == {k: False for k in BOOK.channels}
    assert valid == {k: True for k in BOOK.channels}


def test_non_blocking_evidence_lowers_the_score_but_not_readiness():
    tv = table_facts(
        hs_code="852872",
        titles="4K智能液晶电视",
        spec_rows=[SpecRow(axes={"颜色分类": "黑色"}, price=Decimal("2999"), stock=3)],
        retail_price=Decimal("2999"),
        attributes={"屏幕尺寸": "55英寸", "分辨率": "4K"},
        evidence={"ccc": "2020010701234567"},
    )

    result = assess("tmall", tv)

    assert (result.ready, result.score < 100) == (True, True)
    assert [c.code for c in result.missing] == ["compliance:energy-label"]


def test_title_length_counts_gbk_bytes_on_tmall_and_characters_on_jd():
    title = "实木餐桌" * 8  # 32 characters, 64 GBK bytes

    tmall = assess("tmall", table_facts(title_zh=title))
    jd = assess("jd", table_facts(title_zh=title))

    assert (count_title(title, "gbk_bytes"), count_title("AB餐桌", "gbk_bytes")) == (64, 6)
    assert ("title" in [c.code for c in tmall.missing], jd.ready) == (True, True)


def test_retail_price_must_lie_within_the_sku_prices():
    result = assess("douyin", table_facts(retail_price=Decimal("999.00")))

    assert [c.code for c in result.missing] == ["price"]
    assert result.missing[0].fix == ("retail_price", "spec_matrix")


def test_images_must_be_large_enough_and_square():
    small = ImageFacts(width=700, height=700, bytes=100_000)
    wide = ImageFacts(width=1200, height=800, bytes=100_000)

    tmall_small = assess("tmall", table_facts(images=[small]))
    pdd_small = assess("pdd", table_facts(images=[small]))
    jd_wide = assess("jd", table_facts(images=[wide]))
    douyin_one = assess("douyin", table_facts(images=[SQUARE]))

    assert (tmall_small.ready, pdd_small.ready, jd_wide.ready, douyin_one.ready) == (
        False,
        True,
        False,
        False,
    )
    assert douyin_one.missing[0].message == "1 main image(s); at least 3 needed."


def test_1688_needs_falling_price_tiers_and_no_retail_price():
    rising = [(Decimal("10"), Decimal("1500")), (Decimal("50"), Decimal("1600"))]

    ok = assess("1688", table_facts(retail_price=None, seven_day_return=None))
    bad = assess("1688", table_facts(wholesale_tiers=rising))
    none = assess("1688", table_facts(wholesale_tiers=[]))

    assert ok.ready is True
    assert [c.code for c in bad.missing] == ["wholesale"]
    assert none.missing[0].fix == ("wholesale_tiers",)


def test_food_is_exempt_from_seven_day_return_but_needs_an_sc_licence():
    snack = table_facts(
        hs_code="160521",
        titles="即食烤虾干",
        spec_rows=[
            SpecRow(axes={"口味": "原味", "包装规格": "100g"}, price=Decimal("39"), stock=100)
        ],
        retail_price=Decimal("39"),
        attributes={"保质期": "12个月", "储存条件": "常温", "净含量": "100g"},
        seven_day_return=None,
        evidence={"food-label": "已符合", "sc-licence": "SC123"},
    )

    bad_sc = assess("jd", snack)
    good_sc = assess(
        "jd", replace(snack, evidence={**snack.evidence, "sc-licence": "SC11137028500123"})
    )

    assert [c.code for c in bad_sc.missing] == ["compliance:sc-licence"]
    assert "SC11137028500123" in bad_sc.missing[0].message  # the example of the right format
    assert good_sc.ready is True


def test_requirement_names_follow_the_viewer_language():
    facts = table_facts(evidence={})

    zh = assess("jd", facts, language="zh-hans").missing[0].message
    en = assess("jd", facts, language="en").missing[0].message

    assert zh.startswith("人造板及其制品甲醛释放量等级")
    assert en.startswith("Formaldehyde emission grade")


def test_unmapped_hs_code_has_no_category_and_is_not_ready():
    result = assess("pdd", table_facts(hs_code="010121", titles="horse"))

    assert (result.ready, result.category_path, result.missing[0].code) == (False, (), "category")


def test_typed_brand_name_is_no_trademark_on_tmall_jd_and_douyin():
    facts = table_facts(brand_record=None, evidence={"formaldehyde-grade": "E0"})

    results = {key: assess(key, facts) for key in BOOK.channels}

    assert {k: r.ready for k, r in results.items()} == {
        "tmall": False,
        "jd": False,
        "douyin": False,
        "pdd": True,
        "1688": True,
    }
    assert [c.code for c in results["jd"].missing] == ["qualification:trademark"]
    assert results["jd"].fix_fields == ("brand_record",)


def test_own_brand_needs_a_registered_trademark_that_has_not_expired():
    applied = replace(OWN_BRAND, registered=False)
    expired = replace(OWN_BRAND, expires_on=date(2026, 12, 6))
    last_day = replace(OWN_BRAND, expires_on=TODAY)

    assert assess("jd", table_facts(brand_record=applied)).ready is False
    result = assess("jd", table_facts(brand_record=expired))
    assert [c.message for c in result.missing] == [
        "Brand: trademark 51234567 of 莱木 expired on 2026-12-06."
    ]
    assert assess("jd", table_facts(brand_record=last_day)).ready is True


def test_distributor_is_ready_only_on_the_channels_of_a_valid_authorisation():
    letter = AuthorisationFacts(("jd", "tmall"), date(2026, 1, 1), date(2027, 6, 30))
    brand = replace(OWN_BRAND, owned=False, authorisations=(letter,))

    results = {key: assess(key, table_facts(brand_record=brand)) for key in BOOK.channels}

    assert {k: r.ready for k, r in results.items()} == {
        "tmall": True,
        "jd": True,
        "douyin": False,
        "pdd": True,
        "1688": True,
    }
    assert [c.message for c in results["douyin"].missing] == [
        "No valid authorisation to sell 莱木 on this channel."
    ]


def test_expired_authorisation_makes_the_product_not_ready_for_its_channel():
    letter = AuthorisationFacts(("jd",), date(2025, 1, 1), date(2026, 12, 6))
    brand = replace(OWN_BRAND, owned=False, authorisations=(letter,))

    result = assess("jd", table_facts(brand_record=brand))

    assert result.ready is False
    assert [c.message for c in result.missing] == [
        "The authorisation to sell 莱木 here expired on 2026-12-06."
    ]


def test_authorisation_does_not_cover_an_owner_trademark_that_expired():
    letter = AuthorisationFacts(("jd",), date(2026, 1, 1), date(2027, 6, 30))
    brand = replace(OWN_BRAND, owned=False, authorisations=(letter,), expires_on=date(2026, 11, 30))

    assert assess("jd", table_facts(brand_record=brand)).ready is False
