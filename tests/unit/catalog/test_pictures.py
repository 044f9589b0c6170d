"""The illustration a product without a photo gets (catalog.pictures)."""

from __future__ import annotations

import colorsys
from types import SimpleNamespace

import pytest

from dualcirc.catalog.pictures import (
    FALLBACK,
    ICON_DIR,
    icon_svg,
    named_colour,
    picture_for,
    shades,
    vendored_icons,
)
from dualcirc.demo import kinds_goods, kinds_textiles

DEMO_KINDS = (
    *kinds_goods.FURNITURE, *kinds_goods.ORAL_CARE, *kinds_goods.SEAFOOD, *kinds_goods.APPLIANCES,
    *kinds_goods.HARDWARE, *kinds_textiles.DENIM_AND_GREY_CLOTH, *kinds_textiles.SILK,
    *kinds_textiles.HOME_TEXTILES, *kinds_textiles.WORKWEAR, *kinds_textiles.KNITWEAR,
)  # fmt: skip


def _product(title_en: str = "", title_zh: str = "", hs: str = "", **attributes: str) -> object:
    return SimpleNamespace(
        title_en=title_en, title_zh=title_zh, title_vi="", hs_code=hs, attributes=attributes
    )


def test_every_icon_the_kinds_use_is_vendored_with_the_licence() -> None:
    missing = [name for name in vendored_icons() if not (ICON_DIR / f"{name}.svg").is_file()]

    assert missing == []
    assert "MIT License" in (ICON_DIR.parent / "LICENSE.txt").read_text()


@pytest.mark.parametrize(
    ("title_en", "title_zh", "hs", "icon"),
    [
        ("3-seater sofa with solid wood frame", "", "940161", "sofa"),
        ("", "实木餐桌", "940360", "desk"),
        ("Men's jeans", "", "620342", "hanger"),
        ("Combed cotton socks", "精梳棉袜", "611595", "sock"),  # "combed" is no bed
        ("", "手撕鱿鱼丝", "160554", "fish"),  # shredded squid, not silk
        ("", "卧式冷柜", "841830", "snowflake"),  # a freezer, not a cabinet
        ("Side-by-side refrigerator", "", "841810", "fridge"),
        ("Cordless impact drill", "", "846721", "hammer-drill"),
        ("", "", "630260", "wash-dry-a"),  # no words it knows: the HS code decides
        ("Mystery widget", "", "999999", FALLBACK.icon),
    ],
)
def test_picture_for_picks_the_product_type(
    title_en: str, title_zh: str, hs: str, icon: str
) -> None:
    assert picture_for(_product(title_en, title_zh, hs)).icon == icon


def test_demo_kinds_all_get_a_type_picture_not_the_fallback() -> None:
    fallbacks = [
        kind.key
        for kind in DEMO_KINDS
        if picture_for(_product(kind.name.en, kind.name.zh, kind.hs_code)).icon == FALLBACK.icon
    ]

    assert len(DEMO_KINDS) > 100
    assert fallbacks == []


def test_named_colour_reads_bilingual_colour_attributes() -> None:
    assert named_colour({"colour": "浅蓝色 / light blue"}) == "#90c2e7"
    assert named_colour({"Color": "dark green"}) == "#2b5d34"
    assert named_colour({"material": "oak"}) is None
    assert named_colour(None) is None


def test_shades_keep_a_white_product_visible_on_its_background() -> None:
    stroke, background = shades("#e9ecef")  # white

    stroke_l = colorsys.rgb_to_hls(*(int(stroke[i : i + 2], 16) / 255 for i in (1, 3, 5)))[1]
    back_l = colorsys.rgb_to_hls(*(int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)))[1]
    assert stroke_l <= 0.42 < 0.9 <= back_l


def test_picture_for_is_the_same_every_time() -> None:
    product = _product("Printed cotton bedding set", "", "630221", colour="navy")

    assert picture_for(product) == picture_for(product)
    assert picture_for(product).stroke == "#1d3557"


def test_icon_svg_is_inline_markup_that_takes_the_css_colour() -> None:
    svg = icon_svg("sofa")

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"')
    assert 'stroke="currentColor"' in svg
    assert svg.endswith("</svg>")
    assert svg.count("<svg") == 1
    assert icon_svg("no-such-icon") == icon_svg(FALLBACK.icon)
