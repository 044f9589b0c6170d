"""The fix form is built by channels.forms from the product's readiness and listing: only
the fields some channel misses, each once, pre-filled from the stored listing."""

from __future__ import annotations

import pytest

from dualcirc.channels.domain import record_listing
from dualcirc.channels.forms import build_product_fix_form, fields_to_fix, fix_form_initial
from dualcirc.channels.queries import assess_product
from dualcirc.channels.readiness import Check, Readiness
from dualcirc.channels.rules import load_rule_book
from tests.factories import make_enterprise, make_product, make_region_tree
from tests.factories.api import make_enterprise_user


def _missing(*fixes: tuple[str, ...]) -> Readiness:
    checks = tuple(Check(code=f"c{i}", ok=False, message="", fix=f) for i, f in enumerate(fixes))
    return Readiness(channel="x", product_type=None, category_path=(), checks=checks)


def test_fields_to_fix_names_each_missing_field_once_in_channel_order():
    readiness = {
        "jd": _missing(("title_zh",), ("brand",)),
        "tmall": _missing(("brand", "images")),
        "pdd": Readiness(
            channel="pdd",
            product_type=None,
            category_path=(),
            checks=(Check(code="ok", ok=True, message="", fix=("shipping_hours",)),),
        ),
    }

    assert fields_to_fix(readiness) == ["title_zh", "brand", "images"]


def test_fields_to_fix_is_empty_when_nothing_is_missing():
    assert fields_to_fix({}) == []


@pytest.fixture
def table(db):
    enterprise = make_enterprise(region=make_region_tree()["laixi"])
    product = make_product(
        enterprise=enterprise,
        sku="T-100",
        title_zh="实木餐桌",
        title_en="Solid oak dining table",
        hs_code="940360",
        attributes={"wood": "oak", "style": "Nordic"},
    )
    return product, make_enterprise_user(enterprise=enterprise)


def test_fix_form_initial_before_a_listing_is_the_products_chinese_title(table):
    product, _member = table

    assert fix_form_initial(product) == {"title_zh": "实木餐桌"}


def test_fix_form_initial_writes_the_stored_listing_one_row_per_line(table):
    product, member = table
    record_listing(
        actor=member,
        product=product,
        data={"brand": "莱木", "wholesale_tiers": "10, 1500\n50, 1350"},
    )

    initial = fix_form_initial(product)

    assert (initial["title_zh"], initial["brand"]) == ("实木餐桌", "莱木")
    assert initial["wholesale_tiers"] == "10, 1500.00\n50, 1350.00"


def test_build_product_fix_form_asks_for_the_missing_fields_prefilled(table):
    product, _member = table
    book = load_rule_book()
    readiness = assess_product(product, book=book, language="zh-hans")

    form = build_product_fix_form(
        product=product, readiness=readiness, book=book, language="zh-hans"
    )

    assert form is not None
    # One field per missing name the form knows (in that order), plus each certificate's
    # validity date beside its evidence.
    asked = [name for name in form.fields if not name.startswith("evidence_until:")]
    assert asked == [name for name in fields_to_fix(readiness) if name in form.fields]
    assert {"title_zh", "brand", "retail_price", "spec_matrix"} <= set(asked)
    assert form.initial == {"title_zh": "实木餐桌"}
    assert form.is_bound is False
