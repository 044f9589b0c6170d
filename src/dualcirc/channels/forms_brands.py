"""Forms of the brand pages: a brand with its trademark, an authorisation letter, and the
bulk move of products from OEM to a brand. They parse input only; the rules are in
``channels.domain_brands``."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from dualcirc.catalog.models import Product
from dualcirc.channels.enums import TrademarkStatus
from dualcirc.channels.models import Brand
from dualcirc.core.forms import SanitizedForm
from dualcirc.l10n import local_name

# ISO dates: an <input type="date"> shows no value in a localised format (2023年12月9日)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BrandForm(SanitizedForm):
    name = forms.CharField(label=_("Brand name"), max_length=100)
    trademark_number = forms.CharField(
        label=_("Trademark registration number"),
        max_length=20,
        help_text=_("The CNIPA number on the certificate (up to 8 digits), e.g. 51234567."),
    )
    nice_classes = forms.CharField(
        label=_("Nice classes"),
        max_length=200,
        help_text=_("The classes the mark is registered in, e.g. 20 (furniture), 24 (textiles)."),
    )
    owner = forms.CharField(label=_("Trademark owner (registrant)"), max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), choices=TrademarkStatus.choices, initial=TrademarkStatus.REGISTERED
    )
    registered_on = forms.DateField(label=_("Registered on"), required=False, widget=DATE)
    expires_on = forms.DateField(label=_("Valid until"), required=False, widget=DATE)


class RevokeAuthorisationForm(SanitizedForm):
    reason = forms.CharField(
        label=_("Reason for the revocation"),
        max_length=300,
        help_text=_("From today the distributor's products lose this brand on these channels."),
    )


class ExtendAuthorisationForm(SanitizedForm):
    valid_until = forms.DateField(label=_("New last day"), widget=DATE)
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("For example the date of the signed extension."),
    )


class AuthorisationForm(SanitizedForm):
    distributor_name = forms.CharField(label=_("Distributor"), max_length=200)
    distributor_credit_code = forms.CharField(
        label=_("Distributor's unified social credit code"),
        max_length=18,
        required=False,
        help_text=_(
            "When the distributor is on the platform: its products may then use the brand."
        ),
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE)
    document = forms.FileField(
        label=_("Signed authorisation letter"), help_text=_("PDF, PNG or JPEG, at most 10 MB.")
    )

    def __init__(self, *args: object, channels: Sequence[tuple[str, str]], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["channels"].choices = list(channels)  # type: ignore[attr-defined]


class ProductChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Product) -> str:
        return f"{obj.sku} · {local_name(obj, 'title')}"


class BrandingForm(SanitizedForm):
    products = ProductChoiceField(
        label=_("Products"), queryset=Product.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    brand = forms.ModelChoiceField(
        label=_("Brand"), queryset=Brand.objects.none(), required=False,
        empty_label=_("— not a brand: OEM —"),
    )  # fmt: skip
    oem_customer = forms.CharField(
        label=_("OEM customer"),
        max_length=200,
        required=False,
        help_text=_("Only when the products are made for a customer's brand."),
    )

    def __init__(
        self, *args: object, products: object, brands: Sequence[Brand], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["products"].queryset = products  # type: ignore[attr-defined]
        self.fields["brand"].queryset = Brand.objects.filter(  # type: ignore[attr-defined]
            pk__in=[b.pk for b in brands]
        )
