"""Honest pictures for products without a photo: an illustration of the product's type.

A product with no uploaded photo is shown as an icon of what it is (a sofa, a pair of jeans, a
fridge …) tinted with its colour on a soft background, never as a grey block and never as a
photo it does not have. The type comes from words in its titles (Chinese, English, Vietnamese),
else from its HS code; the colour from its ``colour`` attribute when that names a colour, else a
stable colour per type. The icons are Tabler Icons (MIT), vendored as SVG files under
``web/static/web/vendor/tabler-icons/`` and inlined, so there is no image that can fail to load.
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ICON_DIR = Path(__file__).resolve().parent.parent / "web/static/web/vendor/tabler-icons/outline"


@dataclass(frozen=True)
class PictureKind:
    icon: str  # a file name under ICON_DIR, without ".svg"
    colour: str  # the type's own colour, when the product names none
    words: tuple[str, ...]  # lower-case fragments of titles (zh, en, vi)
    hs: tuple[str, ...] = ()  # HS code prefixes


# First match wins: specific words before general ones, words before HS codes.
KINDS: tuple[PictureKind, ...] = (
    # Toiletries and food first: their words are the most specific ("鱿鱼丝" is not silk).
    PictureKind("brush", "#2a9d8f", ("toothbrush", "牙刷", "bàn chải", "hair brush", "按摩梳")),
    PictureKind(
        "dental",
        "#3a86ff",
        ("toothpaste", "牙膏", "floss", "牙线", "mouthwash", "漱口", "kem đánh răng"),
        ("3306",),
    ),
    PictureKind("bottle", "#8e7dbe", ("shampoo", "洗发", "body wash", "沐浴"), ("3305", "3401")),
    PictureKind("fish", "#1b98e0", ("fish", "鱼", "croaker", "squid", "mực"), ("03",)),
    PictureKind("fish", "#ef8354", ("shrimp", "虾", "tôm", "octopus", "章鱼", "clam", "蛤")),
    PictureKind("leaf", "#2d6a4f", ("seaweed", "laver", "紫菜", "海苔", "rong biển"), ("1212",)),
    PictureKind("soup", "#bc4749", ("canned", "罐装"), ("16",)),
    PictureKind("cookie", "#dda15e", ("snack", "零食", "crisps"), ("19", "20")),
    # Furniture named after an appliance or a bed.
    PictureKind("desk", "#7f5539", ("tv stand", "电视柜", "kệ tivi")),
    PictureKind("stack-2", "#6f4e37", ("bedside", "nightstand", "床头柜", "tủ đầu giường")),
    # Appliances and kitchenware before furniture ("冷柜" is a freezer, not a cabinet).
    PictureKind("fridge", "#6c757d", ("fridge", "refrigerator", "冰箱", "tủ lạnh"), ("841810",)),
    PictureKind("snowflake", "#48cae4", ("freezer", "冷柜", "tủ đông"), ("8418",)),
    PictureKind("wash-machine", "#457b9d", ("washing machine", "洗衣机", "máy giặt"), ("8450",)),
    PictureKind("device-tv", "#212529", (" tv", "电视", "tivi"), ("8528",)),
    PictureKind("device-projector", "#343a40", ("projector", "投影", "máy chiếu")),
    PictureKind("air-conditioning", "#0096c7", ("air conditioner", "空调", "điều hòa"), ("8415",)),
    PictureKind("microwave", "#495057", ("microwave", "微波", "vi sóng"), ("851650",)),
    PictureKind("blender", "#2b9348", ("blender", "料理机", "máy xay"), ("850940",)),
    PictureKind("propeller", "#0077b6", ("standing fan", "落地扇", "quạt"), ("841451",)),
    PictureKind("droplet", "#e76f51", ("water heater", "热水器", "dishwasher", "洗碗")),
    PictureKind("cup", "#52796f", ("flask", "保温杯", "bình giữ nhiệt"), ("9617",)),
    PictureKind("tools-kitchen-2", "#6c584c", ("wok", "stockpot", "锅", "nồi", "chảo"), ("7323",)),
    # Furniture (a throw pillow "for the sofa" is a pillow).
    PictureKind("pillow", "#e07a5f", ("throw pillow", "抱枕")),
    PictureKind("sofa", "#b5651d", ("sofa", "沙发"), ("940161",)),
    PictureKind("armchair", "#a0522d", ("armchair", "lounge chair", "休闲椅", "rattan")),
    PictureKind("chair-director", "#8b5a2b", ("chair", "椅", "ghế"), ("9401",)),
    PictureKind("bed", "#9c6644", (" bed ", "double bed", "children's bed", "床", "giường")),
    PictureKind("desk", "#7f5539", ("table", "desk", "桌", "bàn", "茶几")),
    PictureKind(
        "stack-2", "#6f4e37", ("wardrobe", "cabinet", "shelf", "柜", "架", "tủ", "kệ"), ("9403",)
    ),
    # Home textiles, garments, fabrics.
    PictureKind(
        "pillow",
        "#e07a5f",
        ("pillow", "cushion", "抱枕", "duvet", "被", "quilt", "chăn", "blanket", "毯"),
    ),
    PictureKind("bed", "#9c6644", ("bedding", "sheet", "床单", "床笠", "四件套"), ("6302",)),
    PictureKind("wash-dry-a", "#4ea8de", ("towel", "毛巾", "khăn bông"), ("630260",)),
    PictureKind("layers-subtract", "#5e548e", ("curtain", "窗帘", "rèm"), ("6303",)),
    PictureKind("tent", "#588157", ("sleeping bag", "睡袋"), ("9404",)),
    PictureKind("baby-carriage", "#f28482", ("baby", "婴儿")),
    PictureKind("jacket", "#22577a", ("jacket", "coverall", "连体", "雨衣", "棉服", "áo khoác")),
    PictureKind(
        "hanger", "#355c7d", ("jeans", "牛仔裤", "trousers", "裤", "quần"), ("6203", "6204")
    ),
    PictureKind("tie", "#9d0208", ("silk tie", "领带", "cà vạt")),
    PictureKind("butterfly", "#c9184a", ("silk", "丝", "lụa", "tơ tằm"), ("50",)),
    PictureKind("helmet", "#f4a261", ("helmet", "安全帽", "mũ bảo hộ"), ("6506",)),
    PictureKind("shirt-sport", "#ffb703", ("vest", "背心", "áo gile")),
    PictureKind("sock", "#6d597a", ("sock", "袜", "tất"), ("6115",)),
    PictureKind(
        "shirt", "#1d3557", ("shirt", "衫", "blouse", "pullover", "cardigan", "áo"), ("61", "62")
    ),
    PictureKind("yarn", "#bc6c25", ("yarn", "纱", "sợi"), ("5205", "5004")),
    PictureKind(
        "needle-thread",
        "#3d5a80",
        ("fabric", "denim", "poplin", "canvas", "twill", "taffeta", "布", "vải"),
        ("52", "54", "55"),
    ),
    # Hardware.
    PictureKind("lock", "#3c096c", ("door lock", "门锁", "khóa")),
    PictureKind("door", "#5c677d", ("door", "门", "cửa")),
    PictureKind("hammer-drill", "#f77f00", ("drill", "钻", "máy khoan"), ("846721",)),
    PictureKind("tool", "#d62828", ("saw", "锯", "spanner", "wrench", "扳手"), ("8467", "82")),
    PictureKind("scooter-electric", "#06d6a0", ("scooter", "滑板车"), ("8711",)),
    PictureKind("building-factory-2", "#4a5568", ()),  # anything else: made in a factory
)
FALLBACK = KINDS[-1]

# Colour words of the listings (and of the demo's vocabularies) and what they look like.
COLOURS: dict[str, str] = {
    "white": "#e9ecef", "白": "#e9ecef", "trắng": "#e9ecef",
    "black": "#212529", "黑": "#212529", "đen": "#212529",
    "grey": "#868e96", "gray": "#868e96", "灰": "#868e96", "xám": "#868e96",
    "navy": "#1d3557", "藏青": "#1d3557",
    "beige": "#d6c6a5", "米色": "#d6c6a5", "màu be": "#d6c6a5",
    "silver": "#adb5bd", "银": "#adb5bd", "bạc": "#adb5bd",
    "light blue": "#90c2e7", "浅蓝": "#90c2e7", "xanh nhạt": "#90c2e7",
    "light pink": "#f4acb7", "浅粉": "#f4acb7", "hồng nhạt": "#f4acb7",
    "pink": "#f4acb7", "粉": "#f4acb7",
    "blue": "#1971c2", "蓝": "#1971c2",
    "red": "#c92a2a", "红": "#c92a2a", "đỏ": "#c92a2a",
    "orange": "#f76707", "橙": "#f76707", "cam": "#f76707",
    "fluorescent yellow": "#d4e600", "荧光黄": "#d4e600", "yellow": "#f59f00", "黄": "#f59f00",
    "khaki": "#a68a64", "卡其": "#a68a64", "kaki": "#a68a64",
    "dark green": "#2b5d34", "墨绿": "#2b5d34", "green": "#2f9e44", "绿": "#2f9e44",
    "champagne gold": "#c9a86a", "香槟金": "#c9a86a", "gold": "#c9a86a", "金": "#c9a86a",
    "brown": "#7f5539", "棕": "#7f5539", "walnut": "#5c4033", "胡桃": "#5c4033",
    "oak": "#c8a165", "橡": "#c8a165",
}  # fmt: skip
COLOUR_ATTRIBUTES = ("colour", "color", "颜色", "màu", "màu sắc")
_COLOUR_WORDS = sorted(COLOURS, key=len, reverse=True)  # "light blue" before "blue"


@dataclass(frozen=True)
class Picture:
    icon: str
    stroke: str  # the icon's colour
    background: str  # a soft tint of it


def _product_text(product: Any) -> str:
    titles = (product.title_en, product.title_zh, product.title_vi)
    return " " + " ".join(t for t in titles if t).lower() + " "  # words at both ends too


def pick_kind(*, text: str, hs_code: str) -> PictureKind:
    """The first kind whose words occur in ``text`` (lower case), else whose HS prefix
    ``hs_code`` starts with (longest prefix first), else the factory fallback."""
    for kind in KINDS:
        if any(word in text for word in kind.words):
            return kind
    best: PictureKind | None = None
    best_length = 0
    for kind in KINDS:
        for prefix in kind.hs:
            if hs_code.startswith(prefix) and len(prefix) > best_length:
                best, best_length = kind, len(prefix)
    return best or FALLBACK


def named_colour(attributes: dict[str, Any] | None) -> str | None:
    """The colour a product's ``colour`` attribute names, as a hex code, if any."""
    for key, value in (attributes or {}).items():
        if str(key).strip().lower() in COLOUR_ATTRIBUTES and isinstance(value, str):
            lowered = value.lower()
            for word in _COLOUR_WORDS:
                if word in lowered:
                    return COLOURS[word]
    return None


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def shades(colour: str) -> tuple[str, str]:
    """(stroke, background) for an icon of ``colour``: a stroke dark enough to see on a
    background that is the same hue, very light (white and pale colours get a darker stroke)."""
    hue, lightness, saturation = colorsys.rgb_to_hls(*_rgb(colour))
    stroke = colorsys.hls_to_rgb(hue, min(lightness, 0.42), saturation)
    background = colorsys.hls_to_rgb(hue, 0.93, min(saturation, 0.55))
    return _hex(stroke), _hex(background)


def picture_for(product: Any) -> Picture:
    """The illustration for ``product`` (anything with titles, ``hs_code`` and
    ``attributes``): deterministic, so the same product always looks the same."""
    kind = pick_kind(text=_product_text(product), hs_code=product.hs_code or "")
    stroke, background = shades(named_colour(product.attributes) or kind.colour)
    return Picture(kind.icon, stroke, background)


_SVG_OPEN = re.compile(r"<svg\b[^>]*>", re.DOTALL)


@cache
def icon_svg(name: str) -> str:
    """The vendored icon ``name`` as inline SVG markup that scales with its box and takes
    its colour from CSS ``color``; the fallback icon for a name that is not vendored."""
    path = ICON_DIR / f"{name}.svg"
    if not path.is_file():
        path = ICON_DIR / f"{FALLBACK.icon}.svg"
    body = _SVG_OPEN.sub("", path.read_text(encoding="utf-8"), count=1)
    body = re.sub(r"\s*\n\s*", "", body).replace("</svg>", "")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="1.5" stroke-linecap="round" '
        'stroke-linejoin="round" aria-hidden="true" focusable="false">' + body + "</svg>"
    )


def vendored_icons() -> list[str]:
    """Every icon name the kinds use (the files that must be vendored)."""
    return sorted({kind.icon for kind in KINDS})
