"""Forms of the deal pages: they convert types and render fields; deals.domain validates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualcirc.catalog.enums import CURRENCIES
from dualcirc.catalog.models import Enterprise
from dualcirc.core.forms import SanitizedForm
from dualcirc.deals.enums import Incoterm, MilestoneKind, PaymentKind, TransportMode, Visibility

CURRENCY_CHOICES = [(c, c) for c in CURRENCIES]
INCOTERM_CHOICES = [("", _("— any —")), *Incoterm.choices]
TRANSPORT_MODE_CHOICES = [("", _("— not stated —")), *TransportMode.choices]
TRANSPORT_MODE_HELP = _("FAS, FOB, CFR and CIF are for sea or inland waterway only.")


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class RequestForm(SanitizedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    need = forms.CharField(
        label=_("What you need"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In any language: product, material, size, quality, packing."),
    )
    hs_code = forms.CharField(label=_("HS code"), required=False, max_length=12)
    quantity = forms.DecimalField(label=_("Quantity"), required=False, min_value=0)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=20)
    target_price = forms.DecimalField(label=_("Target unit price"), required=False, min_value=0)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES, initial="CNY")
    destination_country = forms.CharField(
        label=_("Destination country"), max_length=2, initial="CN", help_text=_("e.g. CN, DE, VN")
    )
    destination_place = forms.CharField(label=_("Named place"), required=False, max_length=200)
    incoterm = forms.ChoiceField(
        label=_("Incoterm"),
        choices=INCOTERM_CHOICES,
        required=False,
        help_text=_("FAS, FOB, CFR and CIF suit sea and inland waterway transport only."),
    )
    certifications = forms.CharField(
        label=_("Required certifications"), required=False, help_text=_("Comma-separated")
    )
    deadline = forms.DateTimeField(label=_("Deadline for quotes"), widget=DateTimeInput)
    max_quotes = forms.IntegerField(label=_("Maximum number of quotes"), initial=10)
    visibility = forms.ChoiceField(
        label=_("Who may quote"), choices=Visibility.choices, initial=Visibility.MATCHED
    )
    invite = forms.ModelMultipleChoiceField(
        label=_("Invite suppliers"),
        queryset=Enterprise.objects.order_by("name_zh", "name_en"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


class QuoteForm(SanitizedForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    unit_price = forms.DecimalField(label=_("Unit price"), min_value=0)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    quantity = forms.DecimalField(label=_("Quantity quoted"), required=False, min_value=0)
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=Incoterm.choices)
    transport_mode = forms.ChoiceField(
        label=_("Transport mode"),
        choices=TRANSPORT_MODE_CHOICES,
        required=False,
        help_text=TRANSPORT_MODE_HELP,
    )
    named_place = forms.CharField(label=_("Named place"), max_length=200)
    moq = forms.DecimalField(label=_("Minimum order quantity"), required=False, min_value=0)
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"), min_value=0)
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput)
    deposit_percent = forms.DecimalField(label=_("Deposit (%)"), initial=30, min_value=0)
    tier_quantity = forms.DecimalField(label=_("Tier: from quantity"), required=False)
    tier_price = forms.DecimalField(label=_("Tier: unit price"), required=False)
    sample_terms = forms.CharField(
        label=_("Sample terms"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachments = forms.FileField(
        label=_("Attachment (PDF, PNG, JPEG, XLSX or DOCX; up to 10 MB)"), required=False
    )

    def terms(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("version", "tier_quantity", "tier_price", "attachments"):
            data.pop(name, None)
        return data

    def tiers(self) -> list[dict[str, Any]]:
        q, p = self.cleaned_data.get("tier_quantity"), self.cleaned_data.get("tier_price")
        if q is None and p is None:
            return []
        return [{"min_quantity": q, "unit_price": p}]


class CounterOfferForm(SanitizedForm):
    expected_offer = forms.IntegerField(widget=forms.HiddenInput)
    unit_price = forms.DecimalField(label=_("Unit price"), required=False, min_value=0)
    quantity = forms.DecimalField(label=_("Quantity"), required=False, min_value=0)
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=INCOTERM_CHOICES, required=False)
    transport_mode = forms.ChoiceField(
        label=_("Transport mode"),
        choices=TRANSPORT_MODE_CHOICES,
        required=False,
        help_text=TRANSPORT_MODE_HELP,
    )
    named_place = forms.CharField(label=_("Named place"), required=False, max_length=200)
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"), required=False, min_value=0)
    deposit_percent = forms.DecimalField(label=_("Deposit (%)"), required=False, min_value=0)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def terms(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("expected_offer", "note") and v not in (None, "")
        }


class MessageForm(SanitizedForm):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))


class TransitionForm(SanitizedForm):
    to_state = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class MilestoneForm(SanitizedForm):
    kind = forms.ChoiceField(label=_("Milestone"), choices=MilestoneKind.choices)
    planned_date = forms.DateField(label=_("Planned date"), widget=DateInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class PaymentForm(SanitizedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=PaymentKind.choices)
    amount = forms.DecimalField(label=_("Amount"), min_value=0)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class RateForm(SanitizedForm):
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="VND")
    base = forms.ChoiceField(label=_("Base currency"), choices=CURRENCY_CHOICES, initial="CNY")
    rate = forms.DecimalField(
        label=_("Rate"), help_text=_("How many units of the currency one unit of the base buys.")
    )
    date = forms.DateField(label=_("Date"), widget=DateInput)


class RateUploadForm(SanitizedForm):
    file = forms.FileField(label=_("CSV file: date,currency,base,rate"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachForm(SanitizedForm):
    """Files for an open quote; the view reads them all (``request.FILES.getlist``) and
    deals.domain.add_quote_attachments checks them."""

    attachments = forms.FileField(
        label=_("Files (PDF, PNG, JPEG, XLSX or DOCX; up to 10 MB each, 5 per quote)"),
        required=False,
        widget=MultipleFileInput,
    )
