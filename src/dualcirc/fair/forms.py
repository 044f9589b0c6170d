"""The fair's forms: they parse and lay out input; the rules stay in fair.domain, whose errors
land on the field they name (``show_domain_errors``). Field names are the domain's argument
names, so an error's ``field`` finds its input."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualcirc.catalog.models import Product
from dualcirc.core.errors import DomainError
from dualcirc.core.forms import SanitizedForm
from dualcirc.core.models import Organisation
from dualcirc.deals.models import Order
from dualcirc.fair.enums import SLOT_MINUTES, MeetingResult, RoomKind, SessionKind
from dualcirc.fair.models import Hall
from dualcirc.l10n.money import format_money
from dualcirc.l10n.text import local_text

_LINES_HELP = gettext_lazy("One per line.")


def show_domain_errors(form: forms.Form, exc: DomainError) -> None:
    """Put a domain error on ``form``: each detail on the field it names (else on the form)."""
    placed = False
    for e in exc.errors:
        field = e.field if e.field in form.fields else None
        text = f"#{e.row}: {e.message}" if e.row else e.message
        form.add_error(field, text)
        placed = True
    if not placed:
        form.add_error(None, str(exc))


def lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def _product_label(product: Product) -> str:
    """A product in the picker: its title in the viewer's language (else the original), SKU."""
    title = local_text(product, "title")
    text = title.text if title else str(product)
    return f"{text} · {product.sku}" if product.sku else text


class LocalDateTimeField(forms.CharField):
    """A date and time typed in a named zone (the form's ``zone``), returned aware."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.zone = "UTC"

    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]
        text = str(value or "").strip()
        if not text:
            return None
        try:
            naive = datetime.fromisoformat(text.replace("T", " "))
        except ValueError as exc:
            raise forms.ValidationError(_("Write YYYY-MM-DD HH:MM.")) from exc
        return naive.replace(tzinfo=ZoneInfo(self.zone))


class PlainForm(SanitizedForm):
    """Labels stand above their fields (docs/design.md), so no ":" after them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ZonedForm(PlainForm):
    """A form whose date-and-time fields are read in ``zone``."""

    def __init__(self, *args: Any, zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, LocalDateTimeField):
                field.zone = zone


class FairForm(PlainForm):
    organiser = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Organiser")
    )
    name_zh = forms.CharField(label=gettext_lazy("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=200, required=False)
    description_zh = forms.CharField(
        label=gettext_lazy("Description (Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_en = forms.CharField(
        label=gettext_lazy("Description (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    starts_on = forms.DateField(
        label=gettext_lazy("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Last day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    time_zone = forms.CharField(
        label=gettext_lazy("Organiser's time zone"),
        initial="Asia/Shanghai",
        max_length=64,
        help_text=gettext_lazy(
            "An IANA zone such as Asia/Shanghai: meeting hours are set in it; every visitor "
            "sees times in their own zone."
        ),
    )

    def __init__(self, *args: Any, organisers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organiser"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisers
        if len(organisers) == 1:
            field.initial = organisers[0].pk


class HallForm(PlainForm):
    name_zh = forms.CharField(label=gettext_lazy("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=200, required=False)
    industry = forms.CharField(
        label=gettext_lazy("Industry"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Shown beside the hall's name, e.g. furniture."),
    )


class RoomForm(PlainForm):
    name = forms.CharField(label=gettext_lazy("Room or tables"), max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=RoomKind.choices)
    capacity = forms.IntegerField(
        label=gettext_lazy("Meetings at once"),
        initial=1,
        help_text=gettext_lazy("How many 1:1 meetings this room holds in one slot."),
        error_messages={"invalid": gettext_lazy("Write a whole number.")},
    )
    link = forms.CharField(label=gettext_lazy("Video link"), max_length=500, required=False)


class SessionForm(ZonedForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=SessionKind.choices)
    title_zh = forms.CharField(label=gettext_lazy("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(
        label=gettext_lazy("Title (English)"), max_length=200, required=False
    )
    starts_at = LocalDateTimeField(label=gettext_lazy("Starts"))
    ends_at = LocalDateTimeField(label=gettext_lazy("Ends"))
    hall = forms.ModelChoiceField(
        queryset=Hall.objects.none(),
        label=gettext_lazy("Hall"),
        required=False,
        empty_label=gettext_lazy("— the whole fair —"),
    )
    link = forms.CharField(label=gettext_lazy("Link"), max_length=500, required=False)
    capacity = forms.IntegerField(
        label=gettext_lazy("Capacity"),
        required=False,
        help_text=gettext_lazy("Seats; leave empty for no limit."),
        error_messages={"invalid": gettext_lazy("Write a whole number.")},
    )
    speakers = forms.CharField(
        label=gettext_lazy("Speakers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_LINES_HELP,
    )

    def __init__(self, *args: Any, halls: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["hall"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = halls


class MeetingSettingsForm(PlainForm):
    slot_minutes = forms.TypedChoiceField(
        label=gettext_lazy("Meeting length (minutes)"),
        choices=[(m, str(m)) for m in SLOT_MINUTES],
        coerce=int,
    )
    start = forms.TimeField(
        label=gettext_lazy("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        label=gettext_lazy("To"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    meeting_cap = forms.IntegerField(
        label=gettext_lazy("Meetings per person"),
        error_messages={"invalid": gettext_lazy("Write a whole number.")},
    )


class BoothForm(ZonedForm):
    headline = forms.CharField(
        label=gettext_lazy("Headline"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("One line under your name on the booth, e.g. what you make."),
    )
    products = forms.ModelMultipleChoiceField(
        queryset=Product.objects.none(),
        label=gettext_lazy("Showcased products"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    video_links = forms.CharField(
        label=gettext_lazy("Video links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_LINES_HELP,
    )
    live_stream_url = forms.CharField(
        label=gettext_lazy("Live stream link"), max_length=500, required=False
    )
    live_starts_at = LocalDateTimeField(label=gettext_lazy("Live stream starts"), required=False)
    live_ends_at = LocalDateTimeField(label=gettext_lazy("Live stream ends"), required=False)
    documents = forms.CharField(
        label=gettext_lazy("Document links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One per line: title | link."),
    )
    staff_on_duty = forms.CharField(
        label=gettext_lazy("Staff on duty"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_LINES_HELP,
    )

    def __init__(self, *args: Any, products: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["products"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = products
        field.label_from_instance = _product_label  # type: ignore[method-assign,assignment]  # Django sets it per form
        field.error_messages["invalid_choice"] = _("Not one of your products.")

    def document_list(self) -> list[dict[str, str]]:
        out = []
        for line in lines(self.cleaned_data.get("documents", "")):
            title, _sep, url = line.rpartition("|")
            out.append({"title": title.strip(), "url": url.strip()})
        return out


class OrderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} · {format_money(obj.total_amount, obj.currency)}"


class MeetingOutcomeForm(PlainForm):
    """One side's rating of a held meeting (fair.domain.rate_meeting checks every rule; the
    form only parses)."""

    rating = forms.TypedChoiceField(
        label=gettext_lazy("How useful was the meeting? (1–5)"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    result = forms.ChoiceField(
        label=gettext_lazy("What followed"), choices=MeetingResult.choices, widget=forms.RadioSelect
    )
    order = OrderChoiceField(
        queryset=Order.objects.none(),
        required=False,
        label=gettext_lazy("The order on the platform"),
        help_text=gettext_lazy("Orders between your two organisations."),
        empty_label=gettext_lazy("— no order on the platform —"),
    )
    order_value = forms.DecimalField(
        label=gettext_lazy("Order value (if made outside the platform)"),
        required=False,
        max_digits=18,
        decimal_places=4,
        min_value=Decimal("0.01"),
    )
    order_currency = forms.CharField(
        label=gettext_lazy("Currency"), required=False, max_length=3, initial="CNY"
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    stage = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, orders: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["order"])
        field.queryset = orders if orders is not None else Order.objects.none()
