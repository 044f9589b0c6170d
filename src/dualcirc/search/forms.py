"""Forms of the search pages: parse query strings into the inputs of ``search.queries``.

They only parse (numbers, lengths); the rules (a price ceiling needs a currency, a market is a
country code, …) live in ``search.queries`` and come back as field errors.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pycountry
from django import forms
from django.utils.translation import gettext_lazy as _

from dualcirc.catalog.enums import CURRENCIES
from dualcirc.core.forms import SanitizedForm
from dualcirc.l10n import country_name
from dualcirc.search.queries import MAX_QUERY_LENGTH, SearchFilters, SortOrder

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise  # lazy text, stubs only


def _amount(label: StrPromise) -> forms.DecimalField:
    """An optional, non-negative quantity or price."""
    return forms.DecimalField(
        label=label, min_value=Decimal(0), max_digits=16, decimal_places=4, required=False
    )


def _currency_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((c, c) for c in CURRENCIES)]


def _country_choices() -> list[tuple[str, str | StrPromise]]:
    countries = sorted(
        ((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries),
        key=lambda kv: kv[1],
    )
    return [("", _("Any destination")), *countries]


SORT_CHOICES = [
    ("", _("Best match")),  # relevance, the default: left out of the URL
    (SortOrder.PRICE, _("Lowest price")),
    (SortOrder.MOQ, _("Lowest MOQ")),
    (SortOrder.LEAD_TIME, _("Shortest lead time")),
]
# What the parameter accepts: the shown choices and the default by its name.
SORT_VALUES = [*SORT_CHOICES, (SortOrder.RELEVANCE, _("Best match"))]


class SearchForm(SanitizedForm):
    q = forms.CharField(
        label=_("What are you looking for?"), max_length=MAX_QUERY_LENGTH, required=False
    )
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)
    hs_chapter = forms.CharField(label=_("HS chapter"), max_length=2, required=False)
    certification = forms.CharField(label=_("Certification"), max_length=100, required=False)
    market = forms.CharField(label=_("Export market"), max_length=10, required=False)
    language = forms.CharField(label=_("Listing language"), max_length=5, required=False)
    moq_max = _amount(_("Largest acceptable MOQ"))
    price_max = _amount(_("Highest unit price"))
    currency = forms.ChoiceField(label=_("Currency"), choices=_currency_choices, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=lambda: SORT_VALUES, required=False)
    page = forms.IntegerField(min_value=1, max_value=50, required=False)

    def sort_order(self) -> str:
        return self.cleaned_data.get("sort") or SortOrder.RELEVANCE

    def filters(self) -> SearchFilters:
        data: dict[str, Any] = self.cleaned_data
        return SearchFilters(
            industry=data.get("industry") or "",
            hs_chapter=data.get("hs_chapter") or "",
            certification=data.get("certification") or "",
            market=data.get("market") or "",
            language=data.get("language") or "",
            moq_max=data.get("moq_max"),
            price_max=data.get("price_max"),
            currency=data.get("currency") or "",
        )


class NeedForm(SanitizedForm):
    text = forms.CharField(
        label=_("What do you need?"),
        max_length=MAX_QUERY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Product, material, size, certifications … in Chinese, English or Vietnamese."),
    )
    quantity = _amount(_("Quantity"))
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    target_price = _amount(_("Target unit price"))
    currency = forms.ChoiceField(label=_("Currency"), choices=_currency_choices, required=False)
    destination = forms.ChoiceField(
        label=_("Destination"), choices=_country_choices, required=False
    )
    certifications = forms.CharField(
        label=_("Certifications"),
        max_length=300,
        required=False,
        help_text=_("Separate several with commas, e.g. FSC, ISO 9001."),
    )

    def need(self) -> dict[str, Any]:
        """Keyword arguments of ``search.queries.suppliers_for_need``."""
        data = self.cleaned_data
        certifications = [
            c.strip() for c in (data.get("certifications") or "").replace("，", ",").split(",")
        ]
        return {
            "text": data["text"],
            "quantity": data.get("quantity"),
            "unit": data.get("unit") or "",
            "target_price": data.get("target_price"),
            "currency": data.get("currency") or "",
            "destination": data.get("destination") or "",
            "certifications": [c for c in certifications if c],
        }
