"""The product list's orders: one enumeration whose values are the ``sort`` parameter of the
page and the API and whose labels are the page's sort menu."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import translation

from dualcirc.catalog.enums import ProductSort
from dualcirc.catalog.queries import ProductFilters, parse_product_filters


def test_product_sort_values_are_the_url_parameter_values():
    assert ProductSort.values == ["newest", "price", "moq", "lead_time"]


def test_product_sort_labels_name_each_order():
    with translation.override("en"):
        labels = [str(label) for label in ProductSort.labels]

    assert labels == ["Newest", "Lowest price", "Lowest MOQ", "Shortest lead time"]


def test_parse_product_filters_keeps_a_known_sort():
    parsed = parse_product_filters(QueryDict("sort=lead_time"))

    assert parsed.errors == []
    assert parsed.filters.sort == ProductSort.LEAD_TIME


def test_parse_product_filters_refuses_an_unknown_sort_naming_the_field_and_choices():
    with translation.override("en"):
        parsed = parse_product_filters(QueryDict("sort=cheapest"))

    assert [e.field for e in parsed.errors] == ["sort"]
    assert parsed.errors[0].message == "Sort by one of: newest, price, moq, lead_time."
    assert parsed.filters.sort == ProductFilters().sort == "newest"


def test_the_sort_menu_lists_every_order_with_newest_left_out_of_the_url():
    from dualcirc.catalog.views.pages import PRODUCT_SORT_CHOICES

    with translation.override("en"):
        menu = [(value, str(label)) for value, label in PRODUCT_SORT_CHOICES]

    assert menu == [
        ("", "Newest"),
        ("price", "Lowest price"),
        ("moq", "Lowest MOQ"),
        ("lead_time", "Shortest lead time"),
    ]
