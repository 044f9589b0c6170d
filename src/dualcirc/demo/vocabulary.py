"""Words shared by the demo's product vocabularies: units, colours and small constructors."""

from __future__ import annotations

from dualcirc.demo.types import Axis, ProductKind, Text

T = Text

UNITS: dict[str, Text] = {
    "pcs": T("件", "pcs", "chiếc"),
    "units": T("台", "units", "chiếc"),
    "sets": T("套", "sets", "bộ"),
    "m": T("米", "m", "mét"),
    "kg": T("千克", "kg", "kg"),
    "pairs": T("双", "pairs", "đôi"),
    "bags": T("袋", "bags", "túi"),
    "cans": T("罐", "cans", "lon"),
    "bottles": T("瓶", "bottles", "chai"),
    "boxes": T("盒", "boxes", "hộp"),
}

WHITE = T("白色", "white", "trắng")
BLACK = T("黑色", "black", "đen")
GREY = T("灰色", "grey", "xám")
NAVY = T("藏青色", "navy", "xanh navy")
BEIGE = T("米色", "beige", "màu be")
SILVER = T("银色", "silver", "bạc")
LIGHT_BLUE = T("浅蓝色", "light blue", "xanh nhạt")
LIGHT_PINK = T("浅粉色", "light pink", "hồng nhạt")
RED = T("红色", "red", "đỏ")
ORANGE = T("橙色", "orange", "cam")
HI_VIS_YELLOW = T("荧光黄", "fluorescent yellow", "vàng huỳnh quang")
KHAKI = T("卡其色", "khaki", "kaki")
DARK_GREEN = T("墨绿色", "dark green", "xanh lục đậm")

COLOURS = (WHITE, BLACK, GREY, NAVY, BEIGE, DARK_GREEN)


def axis(key: str, *options: Text, suffix: bool = False) -> Axis:
    return Axis(key=key, options=options, suffix=suffix)


def kind(
    key: str,
    name: Text,
    hs_code: str,
    unit: str,
    moq: tuple[int, ...],
    price_cny: tuple[str, str],
    lead_days: tuple[int, int],
    *axes: Axis,
    certs: tuple[str, ...] = (),
) -> ProductKind:
    assert unit in UNITS, unit
    return ProductKind(
        key=key,
        name=name,
        hs_code=hs_code,
        unit=unit,
        moq=moq,
        price_cny=price_cny,
        lead_days=lead_days,
        axes=axes,
        certifications=certs,
    )
