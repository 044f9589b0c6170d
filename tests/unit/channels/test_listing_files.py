"""The listing-file shapes as data (channels/data/listing_files.json) and the last gate
before a file (listing_files.check_record): pure, no database."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from dualcirc.channels.listing_files import (
    ListingRecord,
    SkuRecord,
    check_record,
    load_listing_formats,
    read_listing_formats,
)
from dualcirc.channels.rules import DATA_DIR, RuleFileError, load_rule_book


def record(**changes) -> ListingRecord:
    values = {
        "sku": "T-1",
        "title": "北欧实木餐桌 橡木长方形家用饭桌",
        "brand": "莱木",
        "category_path": ("家具", "餐桌"),
        "retail_price": Decimal("1999"),
        "attributes": {"材质": "oak"},
        "qualifications": {},
        "shipping_hours": 48,
        "seven_day_return": True,
        "image_count": 3,
        "tiers": (),
        "moq": None,
        "unit": "张",
        "skus": (
            SkuRecord("T-1-1", {"颜色分类": "原木色"}, Decimal("1999"), 10),
            SkuRecord("T-1-2", {"颜色分类": "胡桃色"}, Decimal("2299"), 5),
        ),
    }
    values.update(changes)
    return ListingRecord(**values)


def test_every_channel_has_a_file_shape_and_every_mapping_names_its_source():
    formats = load_listing_formats()

    assert set(formats) == set(load_rule_book().channels)
    assert {f.format for f in formats.values()} == {"csv", "xlsx", "json"}
    for fmt in formats.values():
        assert fmt.source
        assert all(m.source.strip() for m in (*fmt.columns, *fmt.fields, *fmt.sku_fields))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"value": "no_such_value"}, "unknown value 'no_such_value'"),
        ({"source": " "}, "every mapping names its source"),
        ({"value": "const:not json"}, "const: needs a JSON value"),
    ],
)
def test_a_bad_mapping_in_the_data_file_is_refused_naming_its_key(tmp_path, change, problem):
    doc = json.loads((DATA_DIR / "listing_files.json").read_text(encoding="utf-8"))
    doc["channels"]["jd"]["columns"][2].update(change)
    path = tmp_path / "listing_files.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(RuleFileError) as caught:
        read_listing_formats(path)

    assert str(caught.value) == f"listing_files.json: channels.jd.columns[2]: {problem}"


def test_a_record_that_fits_the_channel_passes():
    assert check_record(record(), load_rule_book().channels["jd"]) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title": "餐桌"}, "Title length 2 is outside 10–45."),
        ({"retail_price": Decimal("5000")}, "The listed price must lie within the SKU prices."),
        ({"shipping_hours": 96}, "Shipping promise 96 h is beyond the channel's 48 h."),
        ({"skus": ()}, "0 SKUs; the channel takes 1 to 500."),
        (
            {"skus": (SkuRecord("T-1-1", {"颜色分类": "原木色"}, None, 10),)},
            "Every SKU needs a price.",
        ),
        ({"image_count": 0}, "Too few main images."),
    ],
)
def test_a_record_that_breaks_a_rule_is_refused_with_the_reason(changes, expected):
    problems = check_record(record(**changes), load_rule_book().channels["jd"])

    assert expected in problems


def test_1688_needs_rising_tiers_and_a_moq():
    rule = load_rule_book().channels["1688"]
    ok = record(
        retail_price=None,
        tiers=((Decimal(10), Decimal(1500)), (Decimal(50), Decimal(1350))),
        moq=Decimal(10),
    )

    assert check_record(ok, rule) == []
    assert "Wholesale tiers must rise in quantity." in check_record(
        record(
            retail_price=None,
            tiers=((Decimal(50), Decimal(1350)), (Decimal(10), Decimal(1500))),
            moq=Decimal(10),
        ),
        rule,
    )
    assert "A minimum order quantity is needed." in check_record(
        record(retail_price=None, tiers=((Decimal(10), Decimal(1500)),)), rule
    )
