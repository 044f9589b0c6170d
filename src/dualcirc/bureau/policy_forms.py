"""Forms of support policies: the operator's policy (its rule, mode and amount) and the
bureau's record of a payment. They only parse; ``domain.config.save_policy`` and
``domain.policies`` check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualcirc.bureau.enums import PLATFORM_DATA, PolicyData
from dualcirc.bureau.forms import ListField, ParseOnlyModelForm
from dualcirc.bureau.models import SupportPolicy
from dualcirc.catalog.enums import CURRENCIES
from dualcirc.core.forms import SanitizedForm


class PolicyForm(ParseOnlyModelForm):
    industries = ListField(
        label=_("Industries"), required=False, help_text=_("Separated by commas; empty: any")
    )
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    needs_data = forms.MultipleChoiceField(
        label=_("The rule also needs"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(d.value, d.label) for d in PolicyData if d not in PLATFORM_DATA],
        help_text=_(
            "Data the platform does not hold: a policy that needs it is not matched "
            "automatically, and its page says so."
        ),
    )
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[(c, c) for c in CURRENCIES], initial="CNY", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mode"].required = False  # empty: the model's default (confirmation)

    class Meta:
        model = SupportPolicy
        fields = ["title", "summary", "url", "mode", "amount", "currency", "industries",
                  "min_employees", "max_employees", "min_export_share", "max_export_share",
                  "min_revenue", "min_exports", "needs_data", "region", "active"]  # fmt: skip
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class PaymentForm(SanitizedForm):
    amount = forms.DecimalField(label=_("Amount paid"), max_digits=16, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Payment reference"), max_length=100, required=False)
