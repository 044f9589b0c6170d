"""Domestic-channel pages: an enterprise's readiness across its catalog × channels, and one
product's checklist per channel with the form that asks only for what is missing.

Visible to the enterprise's members, the operator and the government of its region (read
only); only members and the operator get the form (core.access)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualcirc.catalog.models import Enterprise, Product
from dualcirc.channels import queries
from dualcirc.channels.domain import record_listing
from dualcirc.channels.export import build_channel_export
from dualcirc.channels.forms import build_product_fix_form, split_cleaned
from dualcirc.channels.listing_files import load_listing_formats
from dualcirc.channels.models import DomesticListing
from dualcirc.channels.readiness import channel_name
from dualcirc.channels.rules import load_rule_book
from dualcirc.channels.spec_import import import_spec_matrix
from dualcirc.core.access import can_edit_enterprise, can_edit_product, require
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.core.forms import SanitizedForm
from dualcirc.web.form_posts import submit_form


def _channels(language: str) -> list[dict[str, str]]:
    book = load_rule_book()
    formats = load_listing_formats()
    return [
        {"key": k, "name": channel_name(c, language), "format": formats[k].extension.upper()}
        for k, c in book.channels.items()
    ]


class SpecImportForm(SanitizedForm):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (XLSX or CSV)"),
        help_text=gettext_lazy(
            "Columns: 货号 (SKU), one per spec axis (颜色分类, 尺寸 …), 价格, 库存."
        ),
    )


def _enterprise_page(
    request: HttpRequest,
    enterprise: Enterprise,
    *,
    import_form: forms.Form | None = None,
    import_errors: list[FieldError] | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = queries.assess_enterprise_catalog(user=request.user, enterprise=enterprise)
    language = get_language() or "en"
    channels = _channels(language)
    ready_counts = {c["key"]: sum(1 for r in rows if r.readiness[c["key"]].ready) for c in channels}
    can_edit = can_edit_enterprise(request.user, enterprise)
    return render(
        request,
        "channels/enterprise_channels.html",
        {
            "enterprise": enterprise,
            "channels": channels,
            "rows": [(row.product, [row.readiness[c["key"]] for c in channels]) for row in rows],
            "channel_stats": [(c, ready_counts[c["key"]]) for c in channels],
            "product_count": len(rows),
            "can_edit": can_edit,
            "import_form": (import_form or SpecImportForm()) if can_edit else None,
            "import_errors": import_errors or [],
        },
        status=status,
    )


def _get_enterprise(pk: int) -> Enterprise:
    try:
        return Enterprise.objects.select_related("region").get(pk=pk)
    except Enterprise.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def enterprise_channels(request: HttpRequest, pk: int) -> HttpResponse:
    return _enterprise_page(request, _get_enterprise(pk))


@login_required
@require_POST
def spec_import(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _get_enterprise(pk)
    require(can_edit_enterprise(request.user, enterprise))
    form = SpecImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            counts = import_spec_matrix(
                actor=request.user, enterprise=enterprise, source=form.cleaned_data["file"]
            )
        except InvalidInput as exc:
            return _enterprise_page(
                request,
                enterprise,
                import_form=form,
                import_errors=exc.errors or [FieldError("file", str(exc))],
                status=422,
            )
        messages.success(
            request,
            _("Spec matrices replaced for %(products)s products (%(skus)s SKUs).")
            % {"products": len(counts), "skus": sum(counts.values())},
        )
        return redirect("channels-enterprise", pk=enterprise.pk)
    return _enterprise_page(request, enterprise, import_form=form, status=422)


@login_required
def channel_export(request: HttpRequest, pk: int, channel: str) -> HttpResponse:
    enterprise = _get_enterprise(pk)
    if channel not in load_rule_book().channels:
        raise Http404
    export = build_channel_export(user=request.user, enterprise=enterprise, channel_key=channel)
    response = HttpResponse(export.render(), content_type=export.format.content_type)
    name = f"listing-{channel}-{enterprise.pk}.{export.format.extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def product_channels(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        product = queries.get_product_for_channels(user=request.user, pk=pk)
    except Product.DoesNotExist as exc:
        raise Http404 from exc
    language = get_language() or "en"
    book = load_rule_book()
    readiness = queries.assess_product(product, book=book, language=language)
    can_edit = can_edit_product(request.user, product)
    status = 200
    form = (
        build_product_fix_form(
            product=product,
            readiness=readiness,
            book=book,
            language=language,
            data=request.POST if request.method == "POST" else None,
            files=request.FILES if request.method == "POST" else None,
        )
        if can_edit
        else None
    )
    if request.method == "POST":
        if form is None:
            return redirect("channels-product", pk=product.pk)

        def record(cleaned: dict[str, Any]) -> DomesticListing:
            data, evidence, until, images = split_cleaned(cleaned)
            return record_listing(
                actor=request.user,
                product=product,
                data=data,
                evidence=evidence,
                evidence_valid_until=until,
                images=images,
            )

        done = submit_form(
            request,
            form,
            record,
            success=_("Saved. The checklist below is up to date."),
            then=reverse("channels-product", args=[product.pk]),
            aliases={"image": "images"},
        )
        if done is not None:
            return done
        status = 422
    book_types = book.types
    ptype_key = next(iter(readiness.values())).product_type
    ptype = book_types.get(ptype_key) if ptype_key else None
    return render(
        request,
        "channels/product_channels.html",
        {
            "product": product,
            "enterprise": product.enterprise,
            "ptype_name": (ptype.name_zh if language.startswith("zh") else ptype.name_en)
            if ptype
            else "",
            "panels": [
                {
                    "name": channel_name(book.channels[k], language),
                    "key": k,
                    "r": r,
                    "passed": [c for c in r.checks if c.ok and c.code != "category"],
                }
                for k, r in readiness.items()
            ],
            "form": form,
            "can_edit": can_edit,
            "prices": queries.suggest_product_prices(product),
            "comparables": queries.find_comparable_listings(
                user=request.user, product=product, book=book
            ),
            "channel_names": {k: channel_name(c, language) for k, c in book.channels.items()},
        },
        status=status,
    )
