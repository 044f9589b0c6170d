"""Pages that change an enterprise profile or its products.

Each view: signed-in only; refuses (403 page, via core.access.AccessDenied) anyone who may not
edit, already on GET; converts the form (catalog.forms); calls one catalog.domain function; on
InvalidInput shows each field error beside its field with nothing saved; on success adds a
message and redirects to the public page of what changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualcirc.catalog.domain import (
    add_product_image,
    create_product,
    delete_product,
    delete_product_image,
    update_enterprise,
    update_product,
)
from dualcirc.catalog.forms import (
    PRODUCT_ERROR_ALIASES,
    EnterpriseForm,
    ProductForm,
    ProductImageForm,
)
from dualcirc.catalog.models import Enterprise, Product, ProductImage
from dualcirc.core.access import can_edit_enterprise, can_edit_product, require
from dualcirc.web.form_posts import submit_form


def _refusal(enterprise: Enterprise) -> str:
    return _("Only the members of %(enterprise)s and the platform operator may change it.") % {
        "enterprise": enterprise.display_name
    }


def _editable_enterprise(request: HttpRequest, pk: int) -> Enterprise:
    enterprise = get_object_or_404(
        Enterprise.objects.select_related("organisation", "region", "belt"), pk=pk
    )
    require(can_edit_enterprise(request.user, enterprise), _refusal(enterprise))
    return enterprise


def _editable_product(request: HttpRequest, pk: int) -> Product:
    product = get_object_or_404(
        Product.objects.select_related("enterprise__region", "enterprise__organisation"), pk=pk
    )
    require(can_edit_product(request.user, product), _refusal(product.enterprise))
    return product


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _editable_enterprise(request, pk)
    if request.method == "POST":
        form = EnterpriseForm(request.POST)
        done = submit_form(
            request,
            form,
            lambda data: update_enterprise(actor=request.user, enterprise=enterprise, data=data),
            success=_("The profile of %(enterprise)s was saved.")
            % {"enterprise": enterprise.display_name},
            then=reverse("enterprise-detail", kwargs={"pk": enterprise.pk}),
        )
        if done:
            return done
    else:
        form = EnterpriseForm(initial=EnterpriseForm.initial_from(enterprise))
    return render(
        request, "catalog/edit/enterprise_form.html", {"enterprise": enterprise, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _editable_enterprise(request, pk)
    if request.method == "POST":
        form = ProductForm(request.POST)
        done = submit_form(
            request,
            form,
            lambda data: create_product(actor=request.user, enterprise=enterprise, data=data),
            success=lambda product: (
                _("The product “%(title)s” was created.") % {"title": product.title}
            ),
            then=lambda product: reverse("product-detail", kwargs={"pk": product.pk}),
            aliases=PRODUCT_ERROR_ALIASES,
        )
        if done:
            return done
    else:
        form = ProductForm()
    return render(
        request,
        "catalog/edit/product_form.html",
        {"enterprise": enterprise, "product": None, "form": form},
    )


def _render_product_edit(
    request: HttpRequest,
    product: Product,
    *,
    form: ProductForm | None = None,
    image_form: ProductImageForm | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "enterprise": product.enterprise,
        "product": product,
        "form": form or ProductForm(initial=ProductForm.initial_from(product)),
        "image_form": image_form or ProductImageForm(),
        "images": product.images.all(),
    }
    return render(request, "catalog/edit/product_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = _editable_product(request, pk)
    if request.method != "POST":
        return _render_product_edit(request, product)
    form = ProductForm(request.POST)
    done = submit_form(
        request,
        form,
        lambda data: update_product(actor=request.user, product=product, data=data),
        success=lambda saved: _("The product “%(title)s” was saved.") % {"title": saved.title},
        then=reverse("product-detail", kwargs={"pk": product.pk}),
        aliases=PRODUCT_ERROR_ALIASES,
    )
    return done or _render_product_edit(request, product, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def product_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes the product and its images."""
    product = _editable_product(request, pk)
    if request.method == "POST":
        enterprise_pk, title = product.enterprise_id, product.title
        delete_product(actor=request.user, product=product)
        messages.success(request, _("The product “%(title)s” was deleted.") % {"title": title})
        return redirect("enterprise-detail", pk=enterprise_pk)
    return render(
        request,
        "catalog/edit/product_confirm_delete.html",
        {"product": product, "enterprise": product.enterprise},
    )


@login_required
@require_POST
def product_image_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload one image; a refused file re-renders the product edit page with the reason."""
    product = _editable_product(request, pk)
    image_form = ProductImageForm(request.POST, request.FILES)
    done = submit_form(
        request,
        image_form,
        lambda data: add_product_image(actor=request.user, product=product, upload=data["image"]),
        success=_("The image was added."),
        then=reverse("product-edit", kwargs={"pk": product.pk}),
    )
    return done or _render_product_edit(request, product, image_form=image_form)


@login_required
@require_http_methods(["GET", "POST"])
def product_image_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST (also sent by the buttons of the edit page) deletes."""
    image = get_object_or_404(
        ProductImage.objects.select_related(
            "product__enterprise__region", "product__enterprise__organisation"
        ),
        pk=pk,
    )
    product = image.product
    require(can_edit_product(request.user, product), _refusal(product.enterprise))
    if request.method == "POST":
        delete_product_image(actor=request.user, image=image)
        messages.success(request, _("The image was deleted."))
        return redirect("product-edit", pk=product.pk)
    return render(
        request,
        "catalog/edit/image_confirm_delete.html",
        {"image": image, "product": product, "enterprise": product.enterprise},
    )
