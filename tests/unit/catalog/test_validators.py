import pytest
from django.core.exceptions import ValidationError

from dualcirc.catalog.validators import (
    validate_country_codes,
    validate_credit_code,
    validate_currency,
    validate_hs_code,
)
from tests.factories import valid_credit_code


def test_credit_code_known_good_code_passes():
    # A published code (Haier Group): 91370200163562681G.
    validate_credit_code("91370200163562681G")


def test_credit_code_wrong_check_character_names_the_right_one():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91370200163562681H")
    assert exc.value.code == "credit_code_check"
    assert "G" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("code", "error"),
    [("9137020016356268", "credit_code_length"), ("9137020016356268IG", "credit_code_charset")],
)
def test_credit_code_bad_length_or_character_is_refused(code, error):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == error


def test_credit_code_factory_generates_valid_codes():
    for n in (1, 2, 31, 999_999):
        validate_credit_code(valid_credit_code(n))


def test_hs_code_must_be_a_real_six_digit_subheading():
    validate_hs_code("940161")
    validate_hs_code("9401.61")
    for bad in ("940198", "9401", "12345", "abc"):
        with pytest.raises(ValidationError):
            validate_hs_code(bad)


def test_country_and_currency_codes_are_iso():
    validate_country_codes(["VN", "US", "DE"])
    validate_currency("VND")
    with pytest.raises(ValidationError):
        validate_country_codes(["XX"])
    with pytest.raises(ValidationError):
        validate_currency("RMB")
