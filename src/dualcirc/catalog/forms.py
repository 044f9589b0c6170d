"""Forms of the catalog edit pages.

They only convert what people type into the values catalog.domain takes — lists typed as
"a; b; c" or one per line, attributes as "key=value" lines, contacts as
"name | title | phone | email" lines, Decimals — and never judge the values: every rule (HS
code, credit code, country and currency codes, a title in some language, price order…) is
checked by the domain function, whose FieldErrors the view attaches to these fields.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dualcirc.catalog.domain import ENTERPRISE_FIELDS, PRODUCT_FIELDS
from dualcirc.catalog.enums import CURRENCIES, BusinessModel, ProductStatus
from dualcirc.catalog.models import Enterprise, IndustrialBelt, Product
from dualcirc.core.forms import SanitizedForm

# A list item ends at a semicolon (ASCII or the full-width one a Chinese IME types) or a line.
_ITEM_SEPARATORS = re.compile(r"[;；\n]")
# Country codes are short and never contain spaces or commas, so those separate them too.
_CODE_SEPARATORS = re.compile(r"[;；,，、\s]+")
_CONTACT_PARTS = ("name", "title", "phone", "email")

# Domain field names that are not form fields, and the field that shows their errors.
PRODUCT_ERROR_ALIASES = {"title": "title_zh"}


def _model_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    return cast("models.Field[Any, Any]", model._meta.get_field(name))


def _label(model: type[models.Model], name: str) -> Any:
    """The model field's translated verbose name, so forms and models share one label."""
    return capfirst(_model_field(model, name).verbose_name)


def _help(model: type[models.Model], name: str) -> Any:
    return _model_field(model, name).help_text


class StringListField(forms.CharField):
    """Texts separated by ``;`` or new lines → ``["a", "b"]`` (blanks dropped)."""

    widget: forms.Widget = forms.Textarea(attrs={"rows": 2})
    separators = _ITEM_SEPARATORS

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]  # a list, not a str
        text = super().to_python(value) or ""
        return [item.strip() for item in self.separators.split(text) if item.strip()]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "; ".join(str(item) for item in value)
        return value


class CountryListField(StringListField):
    """ISO country codes separated by ``;``, ``,``, spaces or lines → ``["US", "DE"]``."""

    widget = forms.TextInput(attrs={"placeholder": "US; DE; VN"})
    separators = _CODE_SEPARATORS

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]  # a list, not a str
        return [code.upper() for code in super().to_python(value)]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return " ".join(str(item) for item in value)
        return value


class AttributesField(forms.CharField):
    """``key=value`` lines → ``{"key": "value"}``.

    A full-width or ASCII colon also separates key and value when a line has no ``=`` (材质：橡木).
    """

    widget = forms.Textarea(attrs={"rows": 4, "placeholder": _("material=oak\ncolour=natural")})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dict[str, str]:  # type: ignore[override]  # a dict
        text = super().to_python(value) or ""
        attributes: dict[str, str] = {}
        first_line: dict[str, int] = {}
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if not line:
                continue
            separator = next((s for s in ("=", "：", ":") if s in line), None)
            if separator is None:
                raise forms.ValidationError(
                    _("Line %(n)d (“%(line)s”) is not written as key=value."),
                    code="attribute_line",
                    params={"n": number, "line": line},
                )
            key, _sep, val = (part.strip() for part in line.partition(separator))
            if not key:
                raise forms.ValidationError(
                    _("Line %(n)d (“%(line)s”) has no key before “%(sep)s”."),
                    code="attribute_key",
                    params={"n": number, "line": line, "sep": separator},
                )
            if key in first_line:
                raise forms.ValidationError(
                    _("The key “%(key)s” is on line %(first)d and again on line %(n)d."),
                    code="attribute_duplicate",
                    params={"key": key, "first": first_line[key], "n": number},
                )
            first_line[key] = number
            attributes[key] = val
        return attributes

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return "\n".join(f"{key}={val}" for key, val in value.items())
        return value


class ContactsField(forms.CharField):
    """``name | title | phone | email`` lines → ``[{"name": …, "title": …, …}]``.

    Trailing parts may be left out (``王伟 | 销售经理``); a line needs a name.
    """

    widget = forms.Textarea(
        attrs={"rows": 3, "placeholder": "王伟 | 外贸经理 | +86 532 8888 0000 | wang@example.com"}
    )

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[dict[str, str]]:  # type: ignore[override]  # a list
        text = super().to_python(value) or ""
        contacts: list[dict[str, str]] = []
        for number, raw in enumerate(text.splitlines(), 1):
            if not raw.strip():
                continue
            parts = [part.strip() for part in raw.replace("｜", "|").split("|")]
            if len(parts) > len(_CONTACT_PARTS):
                raise forms.ValidationError(
                    _("Line %(n)d has %(count)d parts; write name | title | phone | email."),
                    code="contact_parts",
                    params={"n": number, "count": len(parts)},
                )
            if not parts[0]:
                raise forms.ValidationError(
                    _("Line %(n)d has no name; write name | title | phone | email."),
                    code="contact_name",
                    params={"n": number},
                )
            parts += [""] * (len(_CONTACT_PARTS) - len(parts))
            contacts.append(dict(zip(_CONTACT_PARTS, parts, strict=True)))
        return contacts

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            lines = []
            for contact in value:
                parts = [str(contact.get(key, "") or "") for key in _CONTACT_PARTS]
                while parts and not parts[-1]:
                    parts.pop()
                lines.append(" | ".join(parts))
            return "\n".join(lines)
        return value


class CurrencyWidget(forms.MultiWidget):
    """A select of the usual currencies beside a box for any other ISO 4217 code."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        choices = [("", "—"), *((code, code) for code in CURRENCIES)]
        super().__init__(
            widgets={
                "": forms.Select(choices=choices),
                "other": forms.TextInput(
                    attrs={"size": 4, "maxlength": 3, "placeholder": _("other ISO code")}
                ),
            },
            attrs=attrs,
        )

    def decompress(self, value: Any) -> list[str]:
        code = (value or "").strip().upper()
        return [code, ""] if not code or code in CURRENCIES else ["", code]


class CurrencyField(forms.MultiValueField):
    """The typed code if any, else the selected one, upper-cased (``"usd"`` → ``"USD"``)."""

    widget = CurrencyWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            fields=(forms.CharField(required=False), forms.CharField(required=False)),
            require_all_fields=False,
            **kwargs,
        )

    def compress(self, data_list: list[str]) -> str:
        if not data_list:
            return ""
        chosen, other = ((part or "").strip().upper() for part in data_list)
        return other or chosen


def _text(model: type[models.Model], name: str, **kwargs: Any) -> forms.CharField:
    kwargs.setdefault("help_text", _help(model, name))
    return forms.CharField(label=_label(model, name), required=False, **kwargs)


class PlainDecimalField(forms.DecimalField):
    """Shows a stored ``120.0000`` as ``120`` and ``45.5000`` as ``45.5``."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal) and value.is_finite():
            return format(value.normalize(), "f")
        return value


def _decimal(model: type[models.Model], name: str) -> forms.DecimalField:
    return PlainDecimalField(label=_label(model, name), required=False)


def _integer(model: type[models.Model], name: str) -> forms.IntegerField:
    return forms.IntegerField(label=_label(model, name), required=False)


class ProductForm(SanitizedForm):
    """Every product field; ``cleaned_data`` is the ``data`` of create/update_product."""

    sku = _text(Product, "sku", help_text=_("Your own article number; unique in your catalog."))
    status = forms.ChoiceField(
        label=_label(Product, "status"),
        choices=ProductStatus.choices,
        initial=ProductStatus.PUBLISHED,
        help_text=_("A draft is seen only by your enterprise, its government and the operator."),
    )
    title_zh = _text(Product, "title_zh")
    title_en = _text(Product, "title_en")
    title_vi = _text(Product, "title_vi")
    description_zh = _text(Product, "description_zh", widget=forms.Textarea(attrs={"rows": 4}))
    description_en = _text(Product, "description_en", widget=forms.Textarea(attrs={"rows": 4}))
    description_vi = _text(Product, "description_vi", widget=forms.Textarea(attrs={"rows": 4}))
    hs_code = _text(
        Product,
        "hs_code",
        help_text=_("The 6-digit Harmonized System subheading, e.g. 9403.60 or 940360."),
    )
    attributes = AttributesField(
        label=_label(Product, "attributes"), help_text=_("One key=value per line.")
    )
    moq = _decimal(Product, "moq")
    unit = _text(Product, "unit", help_text=_("e.g. pcs, m, kg, set"))
    price_min = _decimal(Product, "price_min")
    price_max = _decimal(Product, "price_max")
    currency = CurrencyField(label=_label(Product, "currency"))
    certifications = StringListField(
        label=_label(Product, "certifications"), help_text=_("e.g. FSC; CE; OEKO-TEX")
    )
    export_markets = CountryListField(
        label=_label(Product, "export_markets"),
        help_text=_("ISO 3166-1 alpha-2 codes, e.g. US DE VN"),
    )
    lead_time_days = _integer(Product, "lead_time_days")

    @staticmethod
    def initial_from(product: Product) -> dict[str, Any]:
        return {name: getattr(product, name) for name in PRODUCT_FIELDS}


class EnterpriseForm(SanitizedForm):
    """The profile fields; ``cleaned_data`` is the ``data`` of update_enterprise."""

    name_zh = _text(Enterprise, "name_zh")
    name_en = _text(Enterprise, "name_en")
    credit_code = _text(
        Enterprise,
        "credit_code",
        help_text=_("18 characters, on the business licence (统一社会信用代码)."),
    )
    belt = forms.ModelChoiceField(
        label=_label(Enterprise, "belt"),
        queryset=IndustrialBelt.objects.order_by("name_zh"),
        required=False,
    )
    industries = StringListField(
        label=_label(Enterprise, "industries"), help_text=_("e.g. 家具; 实木餐桌")
    )
    year_founded = _integer(Enterprise, "year_founded")
    employees = _integer(Enterprise, "employees")
    domestic_markets = StringListField(
        label=_label(Enterprise, "domestic_markets"),
        help_text=_help(Enterprise, "domestic_markets"),
    )
    export_markets = CountryListField(
        label=_label(Enterprise, "export_markets"),
        help_text=_("ISO 3166-1 alpha-2 codes, e.g. US DE VN"),
    )
    export_share = _decimal(Enterprise, "export_share")
    certifications = StringListField(label=_label(Enterprise, "certifications"))
    contacts = ContactsField(
        label=_label(Enterprise, "contacts"),
        help_text=_("One person per line: name | title | phone | email"),
    )
    business_models = forms.MultipleChoiceField(
        label=_label(Enterprise, "business_models"),
        choices=BusinessModel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = _text(Enterprise, "description", widget=forms.Textarea(attrs={"rows": 6}))

    @staticmethod
    def initial_from(enterprise: Enterprise) -> dict[str, Any]:
        return {name: getattr(enterprise, name) for name in ENTERPRISE_FIELDS}


class ProductImageForm(SanitizedForm):
    """One uploaded file; add_product_image checks that it is an image and its size."""

    image = forms.FileField(
        label=_("Image"),
        help_text=_("A JPEG, PNG or WebP photo, at most 5 MB and 40 megapixels."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
