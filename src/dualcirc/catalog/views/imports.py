"""The catalog import page: upload a CSV/XLSX file, see what was imported and every problem."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from dualcirc.catalog.importing import CatalogImportRejected, ImportReport, import_catalog
from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import administered_enterprises, can_import_catalog, is_operator, require
from dualcirc.core.errors import DomainError

MAX_ERRORS_SHOWN = 1000


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Catalog file"), help_text=_("CSV (UTF-8 or GBK) or Excel .xlsx, header in row 1")
    )
    partial = forms.BooleanField(
        label=_("Import the valid rows even if some rows have errors"), required=False
    )
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        required=False,
        empty_label=_("As named in the file"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        if is_operator(user):
            # Operators name the enterprises in the file: a list of every one would be useless.
            del self.fields["enterprise"]
            return
        field.queryset = administered_enterprises(user, Enterprise.objects.all())
        if field.queryset.count() < 2:
            del self.fields["enterprise"]


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: import, then show the report (counts and errors)."""
    require(can_import_catalog(request.user))
    report: ImportReport | None = None
    failure: DomainError | None = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                report = import_catalog(
                    actor=request.user,
                    file=form.cleaned_data["file"],
                    partial=form.cleaned_data["partial"],
                    enterprise=form.cleaned_data.get("enterprise"),
                )
            except CatalogImportRejected as exc:
                report, failure = exc.report, exc
            except DomainError as exc:
                failure = exc
    else:
        form = ImportForm(user=request.user)
    errors = (report.errors if report else failure.errors if failure else [])[:MAX_ERRORS_SHOWN]
    total_errors = len(report.errors) + report.errors_omitted if report else len(errors)
    return render(
        request,
        "catalog/import.html",
        {
            "form": form,
            "report": report,
            "failure": failure,
            "errors": errors,
            "more_errors": max(0, total_errors - len(errors)),
        },
        status=422 if failure is not None or form.errors else 200,
    )
