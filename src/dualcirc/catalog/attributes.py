"""The vocabulary of product attribute names, and how a product page shows them.

A supplier writes attributes as free ``key=value`` pairs (the import's ``attributes`` column,
the product form), in English, Chinese or Vietnamese: ``material=oak``, ``材质=橡木``,
``chất liệu=gỗ sồi``. The common names are gathered here under one key each, with a label every
page language translates; a name not in the vocabulary is shown as the supplier wrote it.

A value written in two languages, ``黑色 / black`` (the demo and many bilingual spreadsheets
do so), is shown in the part the viewer reads: the Chinese part on Chinese pages, the other
part elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext_lazy

from dualcirc.l10n.languages import language_family
from dualcirc.l10n.text import guess_language

CONTEXT = "product attribute"

# key → (label, names a supplier may write for it besides the key itself)
VOCABULARY: dict[str, tuple[Promise, tuple[str, ...]]] = {
    "material": (
        pgettext_lazy("product attribute", "Material"),
        ("materials", "材质", "材料", "面料", "chất liệu"),
    ),
    "colour": (
        pgettext_lazy("product attribute", "Colour"),
        ("color", "颜色", "颜色分类", "màu", "màu sắc"),
    ),
    "size": (
        pgettext_lazy("product attribute", "Size"),
        ("dimensions", "尺寸", "尺码", "kích thước", "kích cỡ"),
    ),
    "origin": (
        pgettext_lazy("product attribute", "Place of origin"),
        ("place of origin", "country of origin", "产地", "原产地", "xuất xứ", "nơi sản xuất"),
    ),
    "style": (
        pgettext_lazy("product attribute", "Style"),
        ("风格", "款式", "phong cách", "kiểu dáng"),
    ),
    "wood": (pgettext_lazy("product attribute", "Wood"), ("木材", "木种", "loại gỗ", "gỗ")),
    "weight": (
        pgettext_lazy("product attribute", "Weight"),
        ("重量", "克重", "净重", "trọng lượng", "khối lượng"),
    ),
    "capacity": (pgettext_lazy("product attribute", "Capacity"), ("容量", "dung tích")),
    "pack": (
        pgettext_lazy("product attribute", "Packing"),
        ("packing", "packaging", "包装", "đóng gói", "quy cách"),
    ),
    "flavour": (pgettext_lazy("product attribute", "Flavour"), ("flavor", "口味", "hương vị")),
    "pattern": (pgettext_lazy("product attribute", "Pattern"), ("图案", "花型", "hoa văn")),
    "handle": (pgettext_lazy("product attribute", "Handle"), ("把手", "手柄", "tay cầm")),
    "width": (pgettext_lazy("product attribute", "Width"), ("幅宽", "宽度", "khổ", "chiều rộng")),
    "length": (pgettext_lazy("product attribute", "Length"), ("长度", "chiều dài")),
    "trim": (pgettext_lazy("product attribute", "Trim"), ("辅料", "装饰", "viền")),
    "yarn count": (pgettext_lazy("product attribute", "Yarn count"), ("纱支", "chi số sợi")),
    "fit": (pgettext_lazy("product attribute", "Fit"), ("版型", "dáng")),
    "age": (pgettext_lazy("product attribute", "Age group"), ("适用年龄", "độ tuổi")),
    "bristles": (pgettext_lazy("product attribute", "Bristles"), ("刷毛", "lông bàn chải")),
    "finish": (pgettext_lazy("product attribute", "Finish"), ("表面处理", "工艺", "hoàn thiện")),
    "weave": (pgettext_lazy("product attribute", "Weave"), ("织法", "组织", "kiểu dệt")),
    "grade": (pgettext_lazy("product attribute", "Grade"), ("等级", "phân loại")),
    "type": (pgettext_lazy("product attribute", "Type"), ("类型", "loại")),
    "feature": (pgettext_lazy("product attribute", "Feature"), ("特点", "功能", "đặc điểm")),
    "sleeve": (pgettext_lazy("product attribute", "Sleeve"), ("袖长", "袖型", "tay áo")),
    "season": (pgettext_lazy("product attribute", "Season"), ("季节", "mùa")),
    "fill": (pgettext_lazy("product attribute", "Filling"), ("filling", "填充物", "ruột")),
    "blend": (pgettext_lazy("product attribute", "Fibre blend"), ("成分", "thành phần")),
    "neckline": (pgettext_lazy("product attribute", "Neckline"), ("领型", "cổ áo")),
    "voltage": (pgettext_lazy("product attribute", "Voltage"), ("电压", "điện áp")),
    "power": (pgettext_lazy("product attribute", "Power"), ("功率", "công suất")),
    "density": (pgettext_lazy("product attribute", "Density"), ("密度", "mật độ")),
    "upholstery": (pgettext_lazy("product attribute", "Upholstery"), ("面料材质", "vải bọc")),
    "lining": (pgettext_lazy("product attribute", "Lining"), ("里料", "lớp lót")),
    "coating": (pgettext_lazy("product attribute", "Coating"), ("涂层", "lớp phủ")),
    "scent": (pgettext_lazy("product attribute", "Scent"), ("香型", "mùi hương")),
    "pieces": (pgettext_lazy("product attribute", "Pieces"), ("件数", "số món")),
    "seats": (pgettext_lazy("product attribute", "Seats"), ("座位数", "số chỗ ngồi")),
    "doors": (pgettext_lazy("product attribute", "Doors"), ("门数", "số cánh")),
    "motor": (pgettext_lazy("product attribute", "Motor"), ("电机", "động cơ")),
    "resolution": (pgettext_lazy("product attribute", "Resolution"), ("分辨率", "độ phân giải")),
    "denier": (pgettext_lazy("product attribute", "Denier"), ("旦数", "độ denier")),
}

_NAMES: dict[str, str] = {}
for _key, (_label, _synonyms) in VOCABULARY.items():
    for _name in (_key, *_synonyms):
        _NAMES[_name.casefold()] = _key

# "黑色 / black": one part in Han characters, the other not
_BILINGUAL = re.compile(r"^(?P<a>[^/]+?)\s+/\s+(?P<b>[^/]+)$")
# "reflective-tape": a code-like value of lowercase words joined by hyphens
_CODE = re.compile(r"^[a-z]+(?:-[a-z]+)+$")


@dataclass(frozen=True)
class AttributeRow:
    """One attribute as a page shows it: its label and value in the viewer's language where
    the vocabulary or the value has one; ``lang`` is the language the value is written in."""

    key: str
    label: str
    value: str
    lang: str


def attribute_key(name: str) -> str:
    """The vocabulary's key for a name a supplier wrote (``颜色``, ``Color`` → ``colour``); a
    name the vocabulary lacks is returned as written, trimmed."""
    name = " ".join((name or "").split())
    return _NAMES.get(name.casefold(), name)


def attribute_label(name: str) -> str:
    """The translated label of an attribute name, else the name as written (first letter up)."""
    key = attribute_key(name)
    if key in VOCABULARY:
        return str(VOCABULARY[key][0])
    return key[:1].upper() + key[1:]


def attribute_value(value: Any, *, language: str | None = None) -> str:
    """``value`` as the viewer reads it: of a ``中文 / English`` pair the Chinese part on
    Chinese pages and the other part elsewhere; a ``lower-case-code`` with spaces."""
    text = " ".join(str(value if value is not None else "").split())
    pair = _BILINGUAL.match(text)
    if pair:
        a, b = pair["a"].strip(), pair["b"].strip()
        langs = guess_language(a), guess_language(b)
        if "zh" in langs and langs[0] != langs[1]:
            chinese, other = (a, b) if langs[0] == "zh" else (b, a)
            return chinese if language_family(language or get_language()) == "zh" else other
    if _CODE.match(text):
        return text.replace("-", " ")
    return text


def attribute_rows(
    attributes: dict[str, Any] | None, *, language: str | None = None
) -> list[AttributeRow]:
    """A product's attributes as rows for its page, in the order the supplier wrote them."""
    rows = []
    for name, value in (attributes or {}).items():
        shown = attribute_value(value, language=language)
        rows.append(
            AttributeRow(
                key=attribute_key(name),
                label=attribute_label(name),
                value=shown,
                lang=guess_language(shown),
            )
        )
    return rows
