"""The attribute vocabulary: names a supplier writes in any language map to one key with a
translated label; bilingual values show the viewer's part."""

from __future__ import annotations

from django.utils import translation

from dualcirc.catalog.attributes import (
    AttributeRow,
    attribute_key,
    attribute_label,
    attribute_rows,
    attribute_value,
)


def test_attribute_key_gathers_chinese_vietnamese_and_english_names():
    assert [attribute_key(n) for n in ("颜色", "Color", "màu sắc", " colour ")] == ["colour"] * 4
    assert attribute_key("材质") == "material"
    assert attribute_key("产地") == "origin"


def test_attribute_key_of_an_unknown_name_is_the_name_as_written():
    assert attribute_key("  是否  进口 ") == "是否 进口"


def test_attribute_label_is_translated_or_the_name_capitalised():
    with translation.override("en"):
        assert attribute_label("材质") == "Material"
        assert attribute_label("origin") == "Place of origin"
        assert attribute_label("thread colour") == "Thread colour"


def test_attribute_value_of_a_bilingual_pair_is_the_viewers_part():
    assert attribute_value("黑色 / black", language="zh-hans") == "黑色"
    assert attribute_value("黑色 / black", language="en") == "black"
    assert attribute_value("black / 黑色", language="zh-hans") == "黑色"
    assert attribute_value("黑色 / black", language="vi") == "black"


def test_attribute_value_keeps_other_slashes_and_spells_out_codes():
    assert attribute_value("40 / 60 cm", language="en") == "40 / 60 cm"
    assert attribute_value("reflective-tape", language="en") == "reflective tape"
    assert attribute_value("PP-handle", language="en") == "PP-handle"


def test_attribute_rows_keep_the_suppliers_order():
    with translation.override("en"):
        rows = attribute_rows({"颜色": "白色 / white", "width": "150 cm"}, language="en")

    assert rows == [
        AttributeRow(key="colour", label="Colour", value="white", lang="en"),
        AttributeRow(key="width", label="Width", value="150 cm", lang="en"),
    ]
