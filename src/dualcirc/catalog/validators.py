"""Validators for enterprise and product fields. Each error names the field and the reason."""

from __future__ import annotations

from decimal import Decimal

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dualcirc.catalog.enums import BusinessModel
from dualcirc.catalog.hs import is_valid_hs_code, normalise_hs_code
from dualcirc.core.sanitize import TEXT_LIMITS

# GB 32100-2015: the unified social credit code.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    total = sum(
        CREDIT_CODE_CHARSET.index(ch) * w
        for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; got %(n)d.") % {"n": len(code)},
            code="credit_code_length",
        )
    bad = [ch for ch in code if ch not in CREDIT_CODE_CHARSET]
    if bad:
        raise ValidationError(
            _("Character %(ch)r is not allowed in a unified social credit code.") % {"ch": bad[0]},
            code="credit_code_charset",
        )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("Check character is %(got)s but should be %(want)s: the code is mistyped.")
            % {"got": code[17], "want": expected},
            code="credit_code_check",
        )


def validate_hs_code(value: str) -> None:
    code = normalise_hs_code(value)
    if not is_valid_hs_code(code) or len(code) != 6:
        raise ValidationError(
            _("%(code)r is not a 6-digit code of the Harmonized System nomenclature.")
            % {"code": value},
            code="hs_code",
        )


def validate_country_codes(value: list[str]) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Expected a list of country codes."), code="countries")
    for code in value:
        if not isinstance(code, str) or pycountry.countries.get(alpha_2=code.upper()) is None:
            raise ValidationError(
                _("%(code)r is not an ISO 3166-1 alpha-2 country code.") % {"code": code},
                code="country",
            )


# ISO 4217 codes that are no money one prices goods in: "no currency" and "testing", precious
# metals, settlement units and funds. Refused for products as the deals refuse them (the deals
# accept only catalog.enums.CURRENCIES, whose exchange rates the platform keeps).
NOT_MONEY = frozenset({
    "XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "XDR", "XBA", "XBB", "XBC", "XBD", "XSU", "XUA",
    "BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW",
})  # fmt: skip


def validate_currency(value: str) -> None:
    """An ISO 4217 code of money (not ``XXX``, gold or a fund: :data:`NOT_MONEY`)."""
    code = (value or "").upper()
    if pycountry.currencies.get(alpha_3=code) is None or code in NOT_MONEY:
        raise ValidationError(
            _("%(code)r is not an ISO 4217 currency code.") % {"code": value}, code="currency"
        )


def validate_string_list(value: list[str]) -> None:
    """A list of texts (certifications, industries, markets), within core.sanitize's limits."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Expected a list of texts."), code="string_list")
    if len(value) > TEXT_LIMITS["list"]:
        raise ValidationError(
            _("At most %(limit)d entries.") % {"limit": TEXT_LIMITS["list"]}, code="list_length"
        )
    for item in value:
        if len(item) > TEXT_LIMITS["list_item"]:
            raise ValidationError(
                _("%(start)r… is longer than %(limit)d characters.")
                % {"start": item[:20], "limit": TEXT_LIMITS["list_item"]},
                code="list_item_length",
            )


def validate_business_models(value: list[str]) -> None:
    validate_string_list(value)
    for item in value:
        if item not in BusinessModel.values:
            raise ValidationError(
                _("%(value)r is not a business model; use %(choices)s.")
                % {"value": item, "choices": ", ".join(BusinessModel.values)},
                code="business_model",
            )


CONTACT_KEYS = ("name", "title", "phone", "email")


def validate_contacts(value: list[dict[str, str]]) -> None:
    """A list of ``{name, title, phone, email}`` texts, each with a name."""
    if not isinstance(value, list):
        raise ValidationError(_("Expected a list of contacts."), code="contacts")
    for n, contact in enumerate(value, 1):
        if (
            not isinstance(contact, dict)
            or set(contact) - set(CONTACT_KEYS)
            or not all(isinstance(v, str) for v in contact.values())
        ):
            raise ValidationError(
                _("Contact %(n)d must have only the texts name, title, phone and email.")
                % {"n": n},
                code="contacts",
            )
        if not contact.get("name", "").strip():
            raise ValidationError(_("Contact %(n)d has no name.") % {"n": n}, code="contacts")


def validate_attributes(value: dict[str, str]) -> None:
    """Texts mapped to texts, within core.sanitize's limits of pairs, key and value lengths."""
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationError(_("Attributes must map texts to texts."), code="attributes")
    if len(value) > TEXT_LIMITS["attributes"]:
        raise ValidationError(
            _("At most %(limit)d attributes.") % {"limit": TEXT_LIMITS["attributes"]},
            code="attributes_count",
        )
    for key, text in value.items():
        if len(key) > TEXT_LIMITS["attribute_key"]:
            raise ValidationError(
                _("Attribute name %(start)r… is longer than %(limit)d characters.")
                % {"start": key[:20], "limit": TEXT_LIMITS["attribute_key"]},
                code="attribute_key_length",
            )
        if len(text) > TEXT_LIMITS["attribute_value"]:
            raise ValidationError(
                _("The value of attribute %(key)r is longer than %(limit)d characters.")
                % {"key": key[:20], "limit": TEXT_LIMITS["attribute_value"]},
                code="attribute_value_length",
            )


def validate_description(value: str) -> None:
    """A description of at most ``TEXT_LIMITS["description"]`` characters."""
    limit = TEXT_LIMITS["description"]
    if value and len(value) > limit:
        raise ValidationError(
            _("At most %(limit)d characters (this has %(count)d).")
            % {"limit": limit, "count": len(value)},
            code="description_length",
        )


def validate_share(value: Decimal) -> None:
    if value is not None and not (Decimal(0) <= value <= Decimal(100)):
        raise ValidationError(_("A share is a percentage between 0 and 100."), code="share")
