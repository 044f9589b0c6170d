"""Brand pages of an enterprise: its brands and trademarks, the authorisation letters it gives
and holds, and the bulk move of products from OEM to a brand.

Visible to the enterprise's members, the operator and the government of its region (read
only); the forms are for its members and the operator (core.access). Another enterprise's
brand or letter answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualcirc.catalog.models import Enterprise, Product
from dualcirc.channels import queries_brands
from dualcirc.channels.domain_brands import (
    check_can_set_branding,
    extend_authorisation,
    record_authorisation,
    revoke_authorisation,
    save_brand,
    set_enterprise_branding,
    usable_brands,
)
from dualcirc.channels.forms_brands import (
    AuthorisationForm,
    BrandForm,
    BrandingForm,
    ExtendAuthorisationForm,
    RevokeAuthorisationForm,
)
from dualcirc.channels.models import Brand, BrandAuthorisation
from dualcirc.channels.readiness import channel_name
from dualcirc.channels.rules import load_rule_book
from dualcirc.core.access import can_edit_enterprise, can_view_enterprise_private, require
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.web.form_posts import submit_form


def _enterprise(pk: int) -> Enterprise:
    try:
        return Enterprise.objects.select_related("region").get(pk=pk)
    except Enterprise.DoesNotExist as exc:
        raise Http404 from exc


def _channel_choices() -> list[tuple[str, str]]:
    language = get_language() or "en"
    return [(k, channel_name(c, language)) for k, c in load_rule_book().channels.items()]


def _page(
    request: HttpRequest,
    enterprise: Enterprise,
    *,
    brand_form: BrandForm | None = None,
    letter_forms: dict[int, AuthorisationForm] | None = None,
    branding_form: BrandingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    brands = queries_brands.list_brands(user=request.user, enterprise=enterprise)
    can_edit = can_edit_enterprise(request.user, enterprise)
    channels = _channel_choices()
    names = dict(channels)
    products = enterprise.products.select_related("branding__brand").order_by("sku")
    context: dict[str, Any] = {
        "enterprise": enterprise,
        "brands": brands,
        "channel_names": names,
        "received": queries_brands.list_received_authorisations(
            user=request.user, enterprise=enterprise
        ),
        "products": products,
        "changes": queries_brands.list_branding_changes(user=request.user, enterprise=enterprise),
        "events": queries_brands.list_brand_events(user=request.user, enterprise=enterprise),
        "today": timezone.localdate(),
        "can_edit": can_edit,
    }
    if can_edit:
        letter_forms = letter_forms or {}
        context.update(
            brand_form=brand_form or BrandForm(),
            letter_forms=[
                (b, letter_forms.get(b.pk) or AuthorisationForm(channels=channels)) for b in brands
            ],
            branding_form=branding_form
            or BrandingForm(products=products, brands=usable_brands(enterprise)),
        )
    return render(request, "channels/brands.html", context, status=status)


@login_required
def enterprise_brands(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(pk)
    require(can_view_enterprise_private(request.user, enterprise))
    return _page(request, enterprise)


@login_required
@require_POST
def brand_add(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(pk)
    require(can_edit_enterprise(request.user, enterprise))
    form = BrandForm(request.POST)
    done = submit_form(
        request,
        form,
        lambda data: save_brand(actor=request.user, enterprise=enterprise, data=data),
        success=lambda brand: _("Brand %(name)s saved.") % {"name": brand.name},
        then=reverse("channels-brands", args=[enterprise.pk]),
    )
    return done or _page(request, enterprise, brand_form=form, status=422)


@login_required
@require_POST
def authorisation_add(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        brand = queries_brands.get_brand(user=request.user, pk=pk)
    except Brand.DoesNotExist as exc:
        raise Http404 from exc
    enterprise = brand.enterprise
    require(can_edit_enterprise(request.user, enterprise))
    form = AuthorisationForm(request.POST, request.FILES, channels=_channel_choices())

    def record(data: dict[str, Any]) -> BrandAuthorisation:
        code = data["distributor_credit_code"].strip().upper()
        distributor = Enterprise.objects.filter(credit_code=code).first() if code else None
        if code and distributor is None:
            message = _("No enterprise on the platform has this code.")
            raise InvalidInput(message, [FieldError("distributor_credit_code", message)])
        return record_authorisation(
            actor=request.user,
            brand=brand,
            distributor_name=data["distributor_name"],
            distributor=distributor,
            channels=data["channels"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            document=data["document"],
        )

    done = submit_form(
        request,
        form,
        record,
        success=_("Authorisation letter recorded."),
        then=reverse("channels-brands", args=[enterprise.pk]),
    )
    return done or _page(request, enterprise, letter_forms={brand.pk: form}, status=422)


@login_required
def authorisation_letter(request: HttpRequest, pk: int) -> FileResponse:
    """The signed letter, for the brand owner's viewers and the distributor's members."""
    try:
        letter = queries_brands.get_authorisation(user=request.user, pk=pk)
    except BrandAuthorisation.DoesNotExist as exc:
        raise Http404 from exc
    return FileResponse(
        letter.document.open("rb"),
        as_attachment=True,
        filename=letter.document_name,
        content_type=letter.document_type,
    )


@login_required
@require_POST
def branding_switch(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(pk)
    check_can_set_branding(actor=request.user, enterprise=enterprise)
    products = enterprise.products.select_related("branding__brand").order_by("sku")
    form = BrandingForm(request.POST, products=products, brands=usable_brands(enterprise))

    def move(data: dict[str, Any]) -> int:
        try:
            return set_enterprise_branding(
                actor=request.user,
                enterprise=enterprise,
                product_ids=[p.pk for p in data["products"]],
                brand_id=data["brand"].pk if data["brand"] else None,
                oem_customer=data["oem_customer"],
            )
        except (Product.DoesNotExist, Brand.DoesNotExist) as exc:
            raise Http404 from exc  # deleted, or the letter revoked, since the form checked

    done = submit_form(
        request,
        form,
        move,
        success=lambda n: (
            ngettext("%(n)s product changed.", "%(n)s products changed.", n) % {"n": n}
        ),
        then=reverse("channels-brands", args=[enterprise.pk]),
    )
    return done or _page(request, enterprise, branding_form=form, status=422)


def _own_brand(request: HttpRequest, pk: int) -> Brand:
    try:
        return queries_brands.get_brand(user=request.user, pk=pk)
    except Brand.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_http_methods(["GET", "POST"])
def brand_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit, renew or revoke a brand (status "revoked"); every change is logged."""
    brand = _own_brand(request, pk)
    enterprise = brand.enterprise
    require(can_edit_enterprise(request.user, enterprise))
    status = 200
    if request.method == "POST":
        form = BrandForm(request.POST)
        done = submit_form(
            request,
            form,
            lambda data: save_brand(
                actor=request.user, enterprise=enterprise, data=data, brand=brand
            ),
            success=lambda saved: _("Brand %(name)s saved.") % {"name": saved.name},
            then=reverse("channels-brands", args=[enterprise.pk]),
        )
        if done is not None:
            return done
        status = 422
    else:
        form = BrandForm(
            initial={
                "name": brand.name,
                "trademark_number": brand.trademark_number,
                "nice_classes": ", ".join(str(c) for c in brand.nice_classes),
                "owner": brand.owner,
                "status": brand.status,
                "registered_on": brand.registered_on,
                "expires_on": brand.expires_on,
            }
        )
    return render(
        request,
        "channels/brand_edit.html",
        {
            "enterprise": enterprise,
            "brand": brand,
            "form": form,
            "events": queries_brands.list_brand_events(
                user=request.user, enterprise=enterprise, brand=brand
            ),
        },
        status=status,
    )


def _letter_page(
    request: HttpRequest,
    letter: BrandAuthorisation,
    *,
    extend_form: ExtendAuthorisationForm | None = None,
    revoke_form: RevokeAuthorisationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    enterprise = letter.brand.enterprise
    can_edit = can_edit_enterprise(request.user, enterprise)
    return render(
        request,
        "channels/authorisation.html",
        {
            "enterprise": enterprise,
            "letter": letter,
            "brand": letter.brand,
            "channel_names": dict(_channel_choices()),
            "today": timezone.localdate(),
            "can_edit": can_edit and letter.revoked_on is None,
            "extend_form": extend_form or ExtendAuthorisationForm(),
            "revoke_form": revoke_form or RevokeAuthorisationForm(),
            "events": [
                e
                for e in queries_brands.list_brand_events(
                    user=request.user, enterprise=enterprise, brand=letter.brand
                )
                if e.authorisation_id == letter.pk
            ]
            if can_view_enterprise_private(request.user, enterprise)
            else [],
        },
        status=status,
    )


def _letter(request: HttpRequest, pk: int) -> BrandAuthorisation:
    try:
        return queries_brands.get_authorisation(user=request.user, pk=pk)
    except BrandAuthorisation.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def authorisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One letter: its terms, its history, and for the owner the forms to extend or revoke it."""
    return _letter_page(request, _letter(request, pk))


@login_required
@require_POST
def authorisation_extend(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    require(can_edit_enterprise(request.user, letter.brand.enterprise))
    form = ExtendAuthorisationForm(request.POST)
    done = submit_form(
        request,
        form,
        lambda data: extend_authorisation(
            actor=request.user,
            authorisation=letter,
            valid_until=data["valid_until"],
            note=data["note"],
        ),
        success=_("Authorisation extended."),
        then=reverse("channels-authorisation", args=[letter.pk]),
    )
    return done or _letter_page(request, letter, extend_form=form, status=422)


@login_required
@require_POST
def authorisation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    require(can_edit_enterprise(request.user, letter.brand.enterprise))
    form = RevokeAuthorisationForm(request.POST)
    done = submit_form(
        request,
        form,
        lambda data: revoke_authorisation(
            actor=request.user, authorisation=letter, reason=data["reason"]
        ),
        success=_("Authorisation revoked."),
        then=reverse("channels-authorisation", args=[letter.pk]),
    )
    return done or _letter_page(request, letter, revoke_form=form, status=422)
