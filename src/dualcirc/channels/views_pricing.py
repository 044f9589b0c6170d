"""The operator's page for the domestic pricing assumptions: the values in force as a form
(percentages and yuan), saving a new version, and the versions before it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualcirc.channels.domain_pricing import (
    NOTE_LENGTH,
    channel_value_key,
    list_pricing_history,
    list_pricing_value_keys,
    pricing_as_percentages,
    set_pricing_assumptions,
)
from dualcirc.channels.pricing import PricingAssumptions, current_pricing, load_pricing
from dualcirc.channels.readiness import channel_name
from dualcirc.channels.rules import load_rule_book
from dualcirc.core.access import is_operator, require
from dualcirc.web.form_posts import submit_form

SHARED_FIELDS = (
    ("vat_rate", gettext_lazy("VAT rate (%)")),
    ("fob_to_exw_share", gettext_lazy("FOB to EXW deduction (share of the FOB price, %)")),
    ("wholesale_margin_low", gettext_lazy("Wholesale margin over EXW, low (%)")),
    ("wholesale_margin_high", gettext_lazy("Wholesale margin over EXW, high (%)")),
    ("retail_markup_low", gettext_lazy("Retail markup over wholesale, low (%)")),
    ("retail_markup_high", gettext_lazy("Retail markup over wholesale, high (%)")),
)


def pricing_field_names() -> dict[str, str]:
    """The domain's value keys → the form's field names, the one place the two spellings meet:
    ``commission:jd`` → ``commission_jd`` (a form field's name is also a template variable and
    an HTML id, where the domain's colon does not belong; the shares are named alike)."""
    return {key: key.replace(":", "_") for key in list_pricing_value_keys()}


def _decimal_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


def build_pricing_form(
    *, language: str, current: PricingAssumptions, data: Any = None
) -> forms.Form:
    """One field per value of ``set_pricing_assumptions``, named by ``pricing_field_names``,
    with ``current`` (the values in force) as initial values; the domain checks."""
    names = pricing_field_names()
    # a version saved for a channel the rule book no longer has keeps a value the form lacks
    initial = {names[k]: v for k, v in pricing_as_percentages(current).items() if k in names}
    form = forms.Form(data=data, initial=initial)
    for name, label in SHARED_FIELDS:
        form.fields[names[name]] = forms.CharField(label=label, widget=_decimal_input())
    for key, channel in load_rule_book().channels.items():
        name = channel_name(channel, language)
        form.fields[names[channel_value_key("commission", key)]] = forms.CharField(
            label=_("%(channel)s: commission (%%)") % {"channel": name}, widget=_decimal_input()
        )
        form.fields[names[channel_value_key("shipping", key)]] = forms.CharField(
            label=_("%(channel)s: shipping per parcel (CNY)") % {"channel": name},
            widget=_decimal_input(),
        )
    form.fields["note"] = forms.CharField(
        label=_("Reason for the change"),
        max_length=NOTE_LENGTH,
        required=False,
        help_text=_("Kept with this version, e.g. the source of a new commission rate."),
    )
    return form


@login_required
@require_http_methods(["GET", "POST"])
def pricing_assumptions(request: HttpRequest) -> HttpResponse:
    """GET: the form with the values in force and the history. POST: a new version (operators
    only: 403 for anyone else)."""
    require(is_operator(request.user))
    language = get_language() or "en"
    book = load_rule_book()
    current = current_pricing()
    status = 200
    if request.method == "POST":
        form = build_pricing_form(language=language, current=current, data=request.POST)
        names = pricing_field_names()
        done = submit_form(
            request,
            form,
            lambda data: set_pricing_assumptions(
                actor=request.user,
                values={key: data[field] for key, field in names.items()},
                note=data["note"],
            ),
            success=_("The new pricing assumptions are in force."),
            then=reverse("channels-pricing"),
            aliases=names,
        )
        if done is not None:
            return done
        status = 422
    else:
        form = build_pricing_form(language=language, current=current)
    return render(
        request,
        "channels/pricing.html",
        {
            "form": form,
            "current": current,
            "is_default": current == load_pricing(),
            "history": [
                {
                    "version": v,
                    "vat": v.vat_rate * 100,
                    "margin": (v.wholesale_margin_low * 100, v.wholesale_margin_high * 100),
                    "markup": (v.retail_markup_low * 100, v.retail_markup_high * 100),
                }
                for v in list_pricing_history(actor=request.user)
            ],
            "channel_names": {k: channel_name(c, language) for k, c in book.channels.items()},
        },
        status=status,
    )
