"""The fix form: only the fields the product still misses on some channel."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualcirc.catalog.models import Product
from dualcirc.channels.domain import get_spec_axes
from dualcirc.channels.queries import get_listing
from dualcirc.channels.readiness import Readiness
from dualcirc.channels.rules import RuleBook


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleImageInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def fields_to_fix(readiness: Mapping[str, Readiness]) -> list[str]:
    """Every field some channel still misses (``Readiness.fix_fields``), each once, in the
    order the channels name them."""
    return list(dict.fromkeys(name for r in readiness.values() for name in r.fix_fields))


def fix_form_initial(product: Product) -> dict[str, object]:
    """What the fix form starts with: the product's domestic listing as the form's fields
    hold it (one spec row per line: each axis, price, stock; one wholesale tier per line:
    quantity, price), or only the product's Chinese title before it has a listing."""
    listing = get_listing(product)
    if listing is None:
        return {"title_zh": product.title_zh}
    axes = get_spec_axes(product)  # the stored axes are a jsonb object: no key order
    return {
        "title_zh": listing.title_zh or product.title_zh,
        "brand": listing.brand,
        "retail_price": listing.retail_price,
        "shipping_hours": listing.shipping_hours,
        "seven_day_return": listing.seven_day_return,
        "spec_matrix": "\n".join(
            ", ".join(
                [
                    *(str(row.get("axes", {}).get(a, "")) for a in axes),
                    row.get("price") or "",
                    str(row.get("stock", "")),
                ]
            )
            for row in listing.spec_matrix or []
        ),
        "wholesale_tiers": "\n".join(
            f"{t.get('min_qty')}, {t.get('price')}" for t in listing.wholesale_tiers or []
        ),
    }


def build_product_fix_form(
    *,
    product: Product,
    readiness: Mapping[str, Readiness],
    book: RuleBook,
    language: str,
    data: Any = None,
    files: Any = None,
) -> forms.Form | None:
    """The fix form for ``product``: the fields of :func:`fields_to_fix` pre-filled with
    :func:`fix_form_initial`, bound to ``data``/``files`` when given; None when no channel
    misses anything. Reads the product's listing; the caller checks who may edit."""
    fields = fields_to_fix(readiness)
    if not fields:
        return None
    return build_fix_form(
        fields=fields,
        book=book,
        axes=get_spec_axes(product, book=book),
        language=language,
        data=data,
        files=files,
        initial=fix_form_initial(product),
    )


def build_fix_form(
    *,
    fields: Iterable[str],
    book: RuleBook,
    axes: tuple[str, ...],
    language: str,
    data: Any = None,
    files: Any = None,
    initial: dict[str, Any] | None = None,
) -> forms.Form:
    """A form with one field per name of ``fields`` (``Readiness.fix_fields`` of every
    channel): title_zh, brand, retail_price, spec_matrix, wholesale_tiers, shipping_hours,
    seven_day_return, images, ``attr:<name>``, ``evidence:<requirement>``."""
    form = forms.Form(data=data, files=files, initial=initial or {})
    for name in fields:
        field: forms.Field
        if name == "title_zh":
            field = forms.CharField(
                label=_("Chinese listing title"),
                max_length=120,
                help_text=_("The title buyers read on the channel, in Chinese."),
            )
        elif name == "brand":
            field = forms.CharField(label=_("Brand"), max_length=100)
        elif name == "retail_price":
            field = forms.DecimalField(
                label=_("Domestic retail price (CNY)"),
                max_digits=12,
                decimal_places=2,
                min_value=0,
                help_text=_("Must lie within the SKU prices."),
            )
        elif name == "spec_matrix":
            field = forms.CharField(
                label=_("Specification matrix"),
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=_("One SKU a line: %(columns)s")
                % {"columns": ", ".join([*axes, str(_("price")), str(_("stock"))])},
            )
        elif name == "wholesale_tiers":
            field = forms.CharField(
                label=_("Wholesale price tiers"),
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One tier a line: minimum quantity, unit price (CNY)."),
            )
        elif name == "shipping_hours":
            field = forms.IntegerField(
                label=_("Shipping promise (hours after payment)"), min_value=1, max_value=720
            )
        elif name == "seven_day_return":
            field = forms.BooleanField(
                label=_("Offer the seven-day no-reason return"), required=False
            )
        elif name == "images":
            field = MultipleImageField(
                label=_("Main images"),
                required=False,
                help_text=_("Square photos, at least 800 × 800 px (JPEG, PNG or WebP)."),
            )
        elif name.startswith("attr:"):
            field = forms.CharField(label=name.removeprefix("attr:"), max_length=200)
        elif name.startswith("evidence:"):
            requirement = book.requirements[name.removeprefix("evidence:")]
            label = requirement.name_zh if language.startswith("zh") else requirement.name_en
            if requirement.choices:
                field = forms.ChoiceField(
                    label=label, choices=[("", "—"), *[(c, c) for c in requirement.choices]]
                )
            else:
                field = forms.CharField(
                    label=label,
                    max_length=200,
                    help_text=(_("e.g. %(example)s") % {"example": requirement.example})
                    if requirement.example
                    else "",
                )
        else:
            continue
        field.required = False  # each field may be filled on its own; the checklist says what
        form.fields[name] = field
        if name.startswith("evidence:") and requirement.evidence in ("certificate", "licence"):
            form.fields[f"evidence_until:{requirement.key}"] = forms.DateField(
                label=_("%(name)s: valid until") % {"name": label},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
    return form


def split_cleaned(
    cleaned: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, str], dict[str, Any], list[Any]]:
    """Listing data, evidence, evidence expiry dates and image uploads of a valid fix form;
    blanks are left out."""
    data: dict[str, Any] = {}
    evidence: dict[str, str] = {}
    until: dict[str, Any] = {}
    attributes: dict[str, str] = {}
    images: list[Any] = []
    for name, value in cleaned.items():
        if name == "images":
            images = list(value or [])
        elif name.startswith("attr:"):
            if value:
                attributes[name.removeprefix("attr:")] = value
        elif name.startswith("evidence_until:"):
            if value:
                until[name.removeprefix("evidence_until:")] = value
        elif name.startswith("evidence:"):
            if value:
                evidence[name.removeprefix("evidence:")] = value
        elif name == "seven_day_return":
            if value:
                data[name] = True
        elif value not in (None, ""):
            data[name] = value
    if attributes:
        data["attributes"] = attributes
    return data, evidence, until, images
