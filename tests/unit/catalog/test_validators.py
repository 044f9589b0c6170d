import pytest
from django.core.exceptions import ValidationError

from dualcirc.catalog.hs import hs_chapters, is_valid_hs_code, normalise_hs_code
from dualcirc.catalog.validators import (
    credit_code_check_character,
    validate_business_models,
    validate_contacts,
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


# GB 32100-2015 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # published on a Fuzhou business licence
        "91110000600037341L",  # published, Beijing
        "914403001922038216",  # Huawei Technologies Co., Ltd.
        "91370200163562681G",  # Haier Group
        "91350100m000100y43",  # typed in lower case
    ],
)
def test_credit_code_published_codes_pass(code):
    validate_credit_code(code)


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_credit_code_letters_outside_the_gb32100_charset_are_refused(letter):
    # The same code with one character replaced by a letter the standard leaves out (it reads
    # like 1, 0, 2, 5 or U/Y).
    code = "91350100M000100Y43".replace("M", letter)

    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)

    assert exc.value.code == "credit_code_charset"
    assert repr(letter) in exc.value.messages[0]


def test_credit_code_check_character_when_the_weighted_sum_is_a_multiple_of_31_is_0():
    # Weighted sum of 9137028516356268F (values 9,1,3,7,0,2,8,5,1,6,3,5,6,2,6,8,15 times the
    # weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28) is 1643 = 53 × 31: 31 - 0 = 31,
    # which the standard writes as 0.
    assert credit_code_check_character("9137028516356268F") == "0"
    validate_credit_code("9137028516356268F0")
    with pytest.raises(ValidationError):
        validate_credit_code("9137028516356268FY")  # index 30, what a missing "mod 31" gives


def test_credit_code_check_character_of_published_codes():
    assert credit_code_check_character("91350100M000100Y4") == "3"
    assert credit_code_check_character("91110000600037341") == "L"


# Harmonized System --------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["999999", "9999", "99", "9999.99"])
def test_hs_code_not_specified_statistical_rows_are_refused(code):
    # UN Comtrade's 999999 "commodities not specified according to kind" is a reporting
    # aggregate, not a subheading: a catalog product must name its real subheading.
    with pytest.raises(ValidationError) as exc:
        validate_hs_code(code)

    assert exc.value.code == "hs_code"
    assert not is_valid_hs_code(normalise_hs_code(code))


def test_hs_chapters_leave_out_the_statistical_chapter_99():
    codes = [c.code for c in hs_chapters()]

    assert "99" not in codes
    assert codes[0] == "01"
    assert codes[-1] == "97"
    assert len(codes) == 96  # chapter 77 is reserved for future use


@pytest.mark.parametrize("typed", ["9401.61", "9401 61", "９４０１．６１", "940161"])
def test_hs_code_separators_and_full_width_digits_are_accepted(typed):
    assert normalise_hs_code(typed) == "940161"
    validate_hs_code(typed)


@pytest.mark.parametrize("typed", ["94O161", "x940161", "940161a", "-940161-0"])
def test_hs_code_letters_are_not_dropped_into_a_valid_code(typed):
    with pytest.raises(ValidationError) as exc:
        validate_hs_code(typed)

    assert repr(typed) in exc.value.messages[0]


# Enterprise lists ---------------------------------------------------------------------------


def test_business_models_must_be_oem_odm_or_own_brand():
    validate_business_models(["oem", "odm", "own_brand"])

    with pytest.raises(ValidationError) as exc:
        validate_business_models(["oem", "wholesale"])

    assert exc.value.code == "business_model"
    assert "'wholesale'" in exc.value.messages[0]


@pytest.mark.parametrize(
    "contacts",
    [
        ["王伟"],
        [{"name": "王伟", "fax": "0532"}],
        [{"name": "王伟", "phone": 13800000000}],
        [{"name": " ", "phone": "13800000000"}],
        {"name": "王伟"},
    ],
)
def test_contacts_must_be_named_people_with_text_fields(contacts):
    with pytest.raises(ValidationError) as exc:
        validate_contacts(contacts)

    assert exc.value.code == "contacts"


def test_contacts_with_a_name_and_some_fields_pass():
    validate_contacts([{"name": "王伟", "title": "经理"}, {"name": "Li Na", "email": "l@x.cn"}])
