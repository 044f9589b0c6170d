"""Forms at the boundary: they parse what people type; the domain functions decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualcirc.bureau.domain.config import SETTINGS_FIELDS
from dualcirc.bureau.domain.figures import FiguresInput
from dualcirc.bureau.domain.figures_import import parse_destinations
from dualcirc.bureau.enums import (
    AlertLevel,
    CaseStatus,
    ContactKind,
    DomesticChannel,
    ExportMode,
    NeedType,
    PeriodKind,
    ProjectStage,
)
from dualcirc.bureau.models import (
    BureauSettings,
    ChainLink,
    CountryGroup,
    IndustrialChain,
    RoutingRule,
)
from dualcirc.catalog.enums import CURRENCIES
from dualcirc.catalog.import_format import BadCell
from dualcirc.core.forms import SanitizedForm, SanitizedModelForm
from dualcirc.core.models import Region


def amount_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=16, decimal_places=2, min_value=Decimal(0), required=False
    )


class FiguresForm(SanitizedForm):
    output_value = amount_field(_("Industrial output value (CNY)"))
    revenue = amount_field(_("Revenue (CNY)"))
    orders_domestic = amount_field(_("Domestic orders on hand (CNY)"))
    orders_export = amount_field(_("Export orders on hand (CNY)"))
    employees = forms.IntegerField(label=_("Employees"), min_value=0, required=False)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when a submitted month is corrected; the old figures are kept."),
    )
    # Shown only when the figures jump past the threshold (figures_form.html).
    confirm_jumps = forms.BooleanField(
        label=_("I have checked these figures: they are right."), required=False
    )
    jump_explanation = forms.CharField(
        label=_("What explains the change (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example a large one-off order, a new market or a plant closed."),
    )
    CONFIRMATION_FIELDS = ("confirm_jumps", "jump_explanation")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for channel in DomesticChannel:
            self.fields[f"domestic_{channel.value}"] = amount_field(
                _("Domestic sales: %(channel)s") % {"channel": channel.label}
            )
        for mode in ExportMode:
            self.fields[f"export_{mode.value}"] = forms.CharField(
                label=_("Exports, %(mode)s") % {"mode": mode.label},
                required=False,
                help_text=_("Destinations and amounts: US=120000; VN=5000"),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for mode in ExportMode:
            name = f"export_{mode.value}"
            try:
                data[name] = parse_destinations(data.get(name) or "", Decimal(1))
            except BadCell as exc:
                self.add_error(name, str(exc))
        return data

    def figures(self) -> FiguresInput:
        d = self.cleaned_data
        exports: dict[tuple[str, str], Decimal] = {}
        for mode in ExportMode:
            for country, amount in (d.get(f"export_{mode.value}") or {}).items():
                exports[(country, mode.value)] = amount
        return FiguresInput(
            output_value=d.get("output_value"),
            revenue=d.get("revenue"),
            orders_domestic=d.get("orders_domestic"),
            orders_export=d.get("orders_export"),
            employees=d.get("employees"),
            domestic={
                c.value: d[f"domestic_{c.value}"]
                for c in DomesticChannel
                if d.get(f"domestic_{c.value}")
            },
            exports=exports,
        )

    @staticmethod
    def initial_from(data: FiguresInput, version: int) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "output_value": data.output_value,
            "revenue": data.revenue,
            "orders_domestic": data.orders_domestic,
            "orders_export": data.orders_export,
            "employees": data.employees,
            "expected_version": version,
        }
        for channel, amount in data.domestic.items():
            initial[f"domestic_{channel}"] = amount
        for mode in ExportMode:
            initial[f"export_{mode.value}"] = "; ".join(
                f"{c}={a}" for (c, m), a in sorted(data.exports.items()) if m == mode.value
            )
        return initial


class ReturnFiguresForm(SanitizedForm):
    reason = forms.CharField(
        label=_("What must the enterprise correct?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AcceptFiguresForm(SanitizedForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FiguresImportForm(SanitizedForm):
    file = forms.FileField(
        label=_("Figures file"), help_text=_("CSV (UTF-8 or GBK) or Excel .xlsx, header in row 1")
    )
    correct = forms.BooleanField(
        label=_("Correct months already submitted (the old figures are kept)"), required=False
    )
    reason = forms.CharField(label=_("Reason for corrections"), required=False)
    partial = forms.BooleanField(
        label=_("Import the valid rows even if some rows have errors"), required=False
    )


class PeriodForm(SanitizedForm):
    """The scope picker: a region from the tree (province → city → county), or a belt or a
    chain within it, narrowed to a size class; a period and what to compare it with. Read
    from GET parameters, so a page's URL names its scope and can be shared."""

    region = forms.ChoiceField(label=_("Region"), required=False)
    belt = forms.ChoiceField(label=_("Industrial belt"), required=False)
    chain = forms.ChoiceField(label=_("Industrial chain"), required=False)
    size = forms.ChoiceField(label=_("Enterprise size"), required=False)
    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, required=False)
    month = forms.CharField(
        label=_("Up to month"), required=False, max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2025-06"}),
    )  # fmt: skip
    compare = forms.ChoiceField(
        label=_("Compare with"), required=False,
        choices=[("yoy", _("Same period last year")), ("previous", _("Previous period"))],
    )  # fmt: skip

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        from dualcirc.bureau.models import IndustrialChain
        from dualcirc.bureau.scopes import SIZE_CLASSES, size_label, visible_regions
        from dualcirc.catalog.models import IndustrialBelt
        from dualcirc.l10n import local_name

        super().__init__(*args, **kwargs)
        self._choices: dict[str, list[tuple[str, Any]]] = {}
        regions = list(visible_regions(actor))
        top = min((r.path.count("/") for r in regions), default=0)
        self._choices["region"] = [
            (r.code, "\u3000" * (r.path.count("/") - top) + local_name(r)) for r in regions
        ]
        paths = [r.path for r in regions]
        belts = IndustrialBelt.objects.select_related("region").order_by("region__path", "slug")
        chains = IndustrialChain.objects.select_related("region")
        self._choices["belt"] = [("", _("All belts"))] + [
            (b.slug, local_name(b)) for b in belts
            if any(b.region.path.startswith(p) for p in paths)
        ]  # fmt: skip
        # Kept for the page: the dashboard summarises its scope's chains from this list.
        self.chains = [c for c in chains if any(c.region.path.startswith(p) for p in paths)]
        self._choices["chain"] = [("", _("All chains"))] + [
            (str(c.pk), str(c)) for c in self.chains
        ]
        self._choices["size"] = [("", _("All sizes"))] + [
            (key, size_label(key)) for key in SIZE_CLASSES
        ]
        for name, choices in self._choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices


class OpenCaseForm(SanitizedForm):
    need_type = forms.ChoiceField(label=_("Need"), choices=NeedType.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=AlertLevel.choices, initial=AlertLevel.BLUE, required=False
    )


class MoveCaseForm(SanitizedForm):
    to = forms.ChoiceField(label=_("Move to"), choices=CaseStatus.choices)
    team = forms.CharField(label=_("Work team"), required=False)
    departments = forms.CharField(
        label=_("Departments"), required=False, help_text=_("Separated by commas")
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RateCaseForm(SanitizedForm):
    rating = forms.TypedChoiceField(
        label=_("Satisfaction"), coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)]
    )
    comment = forms.CharField(label=_("Comment"), required=False)


class ContactForm(SanitizedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    department = forms.CharField(label=_("Department"), max_length=100)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 2}))


class ProjectForm(SanitizedForm):
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(),
        help_text=_("Where the project is located; it cannot be changed later."),
    )  # fmt: skip
    name = forms.CharField(label=_("Project"), max_length=200)
    investor = forms.CharField(label=_("Investor"), max_length=200)
    amount = forms.DecimalField(label=_("Amount"), max_digits=16, decimal_places=2, min_value=0)
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[(c, c) for c in CURRENCIES], initial="CNY"
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=ProjectStage.choices, required=False)
    chain_link = forms.IntegerField(label=_("Chain link it fills (id)"), required=False)
    official = forms.CharField(label=_("Responsible official"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    commitments = forms.CharField(
        label=_("Departments' commitments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: department: what it committed"),
    )
    note = forms.CharField(label=_("Note on this change"), required=False)

    def __init__(self, *args: Any, regions: Any = None, **kwargs: Any) -> None:
        """``regions``: the regions a new project may be located in; None when editing one."""
        super().__init__(*args, **kwargs)
        if regions is None:
            del self.fields["region"]
        else:
            self.fields["region"].queryset = regions  # type: ignore[attr-defined]  # a ModelChoiceField
            del self.fields["stage"], self.fields["note"]

    def commitment_map(self) -> dict[str, str]:
        result = {}
        for line in (self.cleaned_data.get("commitments") or "").splitlines():
            department, _sep, text = line.replace("：", ":").partition(":")
            if department.strip() and text.strip():
                result[department.strip()] = text.strip()
        return result


# What operators and governments maintain ------------------------------------------------------


class ParseOnlyModelForm(SanitizedModelForm):
    """A ModelForm that only parses: the domain function validates the model and saves it,
    so the form neither checks the instance nor changes it."""

    def _post_clean(self) -> None:
        pass


class ListField(forms.CharField):
    """A list of words typed as ``a, b, c`` (Chinese commas and new lines work too)."""

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]  # a list, not str
        text = str(super().to_python(value) or "")
        for separator in ("，", "、", "\n", ";", "；"):
            text = text.replace(separator, ",")
        return [part.strip() for part in text.split(",") if part.strip()]


class ChainForm(ParseOnlyModelForm):
    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]  # a ModelChoiceField

    class Meta:
        model = IndustrialChain
        fields = ["name_zh", "name_en", "region", "lead_official", "lead_official_title",
                  "description"]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class LinkForm(ParseOnlyModelForm):
    def __init__(self, *args: Any, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprises"]
        field.queryset = enterprises  # type: ignore[attr-defined]  # a ModelMultipleChoiceField
        field.help_text = _("Local enterprises (the chain's region and below) on this link.")
        field.widget.attrs["size"] = 12

    class Meta:
        model = ChainLink
        fields = ["stage", "position", "name_zh", "name_en", "min_enterprises",
                  "sourced_outside", "enterprises"]  # fmt: skip


class SettingsForm(ParseOnlyModelForm):
    class Meta:
        model = BureauSettings
        fields = list(SETTINGS_FIELDS)


class CountryGroupForm(ParseOnlyModelForm):
    countries = ListField(
        label=_("Countries"), help_text=_("ISO 3166-1 alpha-2 codes separated by commas")
    )

    class Meta:
        model = CountryGroup
        fields = ["slug", "name_zh", "name_en", "name_vi", "countries", "is_new_market"]


class RoutingRuleForm(ParseOnlyModelForm):
    departments = ListField(
        label=_("Departments"), required=False, help_text=_("Separated by commas")
    )

    class Meta:
        model = RoutingRule
        fields = ["need_type", "level", "team", "departments"]
