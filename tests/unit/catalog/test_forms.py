"""The edit forms only convert typed text into the values catalog.domain takes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms

from dualcirc.catalog.domain import ENTERPRISE_FIELDS, PRODUCT_FIELDS
from dualcirc.catalog.forms import (
    AttributesField,
    ContactsField,
    CountryListField,
    CurrencyField,
    EnterpriseForm,
    PlainDecimalField,
    ProductForm,
    StringListField,
)


def test_product_form_fields_are_exactly_the_domain_fields() -> None:
    assert tuple(ProductForm.base_fields) == PRODUCT_FIELDS


def test_enterprise_form_fields_are_exactly_the_domain_fields() -> None:
    assert tuple(EnterpriseForm.base_fields) == ENTERPRISE_FIELDS


def test_string_list_field_splits_on_semicolons_and_lines() -> None:
    field = StringListField()

    assert field.clean("FSC; ISO 9001\n CE ；OEKO-TEX;;\n") == ["FSC", "ISO 9001", "CE", "OEKO-TEX"]
    assert field.clean("") == []
    assert field.prepare_value(["a", "b"]) == "a; b"


def test_country_list_field_upper_cases_and_accepts_commas_and_spaces() -> None:
    field = CountryListField()

    assert field.clean("us, de；vn\nJp") == ["US", "DE", "VN", "JP"]
    assert field.prepare_value(["US", "DE"]) == "US DE"


def test_attributes_field_reads_key_value_lines() -> None:
    field = AttributesField()

    assert field.clean("material = oak\n颜色：原木色\nsize: 180x90 cm\n\nratio=1:2") == {
        "material": "oak",
        "颜色": "原木色",
        "size": "180x90 cm",
        "ratio": "1:2",
    }
    assert field.prepare_value({"a": "1", "b": "2"}) == "a=1\nb=2"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("material=oak\nno separator", "Line 2 (“no separator”) is not written as key=value."),
        ("=oak", "Line 1 (“=oak”) has no key before “=”."),
        ("a=1\nb=2\na=3", "The key “a” is on line 1 and again on line 3."),
    ],
)
def test_attributes_field_explains_bad_lines(text: str, message: str) -> None:
    with pytest.raises(forms.ValidationError) as caught:
        AttributesField().clean(text)

    assert caught.value.messages == [message]


def test_contacts_field_reads_pipe_separated_lines_and_pads_missing_parts() -> None:
    field = ContactsField()

    assert field.clean("王伟 | 外贸经理 | 13800000000 | wang@example.com\nLi Na ｜ Sales\n") == [
        {"name": "王伟", "title": "外贸经理", "phone": "13800000000", "email": "wang@example.com"},
        {"name": "Li Na", "title": "Sales", "phone": "", "email": ""},
    ]


def test_contacts_field_round_trips_without_trailing_separators() -> None:
    field = ContactsField()
    contacts = [{"name": "Li Na", "title": "Sales", "phone": "", "email": ""}]

    assert field.prepare_value(contacts) == "Li Na | Sales"
    assert field.clean(field.prepare_value(contacts)) == contacts


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a | b | c | d | e", "Line 1 has 5 parts; write name | title | phone | email."),
        ("Wang\n | manager", "Line 2 has no name; write name | title | phone | email."),
    ],
)
def test_contacts_field_explains_bad_lines(text: str, message: str) -> None:
    with pytest.raises(forms.ValidationError) as caught:
        ContactsField().clean(text)

    assert caught.value.messages == [message]


@pytest.mark.parametrize(
    ("chosen", "other", "expected"),
    [("USD", "", "USD"), ("", "chf", "CHF"), ("USD", " eur ", "EUR"), ("", "", "")],
)
def test_currency_field_prefers_the_typed_code(chosen: str, other: str, expected: str) -> None:
    assert CurrencyField().clean([chosen, other]) == expected


def test_currency_widget_puts_uncommon_codes_in_the_text_box() -> None:
    widget = CurrencyField().widget

    assert widget.decompress("USD") == ["USD", ""]
    assert widget.decompress("chf") == ["", "CHF"]
    assert widget.decompress("") == ["", ""]


def test_plain_decimal_field_shows_stored_decimals_without_trailing_zeros() -> None:
    field = PlainDecimalField(required=False)

    assert field.prepare_value(Decimal("120.0000")) == "120"
    assert field.prepare_value(Decimal("45.5000")) == "45.5"
    assert field.clean("45.50") == Decimal("45.50")


def test_product_form_leaves_judging_values_to_the_domain() -> None:
    form = ProductForm(
        {"sku": "", "status": "draft", "hs_code": "not a code", "currency": "", "moq": "12.5"}
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["hs_code"] == "not a code"
    assert form.cleaned_data["moq"] == Decimal("12.5")
    assert form.cleaned_data["attributes"] == {}
    assert form.cleaned_data["export_markets"] == []
