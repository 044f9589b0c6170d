"""The platform operator's admin for industrial belts, enterprises and products.

Changes to enterprises and products go through catalog.domain like every other write, so the
search index hears about them: the admin forms run the domain's checks, and saving or deleting
calls the domain functions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dualcirc.catalog.domain import (
    ENTERPRISE_FIELDS,
    PRODUCT_FIELDS,
    check_enterprise_name,
    check_product,
    create_enterprise,
    create_product,
    delete_enterprise,
    delete_product,
    delete_product_image,
    update_enterprise,
    update_product,
)
from dualcirc.catalog.models import Enterprise, IndustrialBelt, Product, ProductImage
from dualcirc.core.forms import SanitizedModelForm


@admin.register(IndustrialBelt)
class IndustrialBeltAdmin(admin.ModelAdmin):
    list_display = ("name_zh", "name_en", "slug", "industry", "region")
    list_filter = ("industry",)
    list_select_related = ("region",)
    search_fields = ("slug", "name_zh", "name_en", "industry", "region__name_zh")
    autocomplete_fields = ("region",)
    prepopulated_fields = {"slug": ("name_en",)}


class EnterpriseAdminForm(SanitizedModelForm):
    class Meta:
        model = Enterprise
        fields = ("region", *ENTERPRISE_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "region" in self.fields:
            # update_enterprise changes the profile only: the region an enterprise belongs to
            # (which government sees it) is fixed when it is registered.
            self.fields["region"].disabled = True

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # not declared in django-stubs
        if not self.instance.pk:
            # create_enterprise's name rule, checked here too so the admin shows it in place.
            for error in check_enterprise_name(self.instance):
                self.add_error("name_zh", error.message)


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    """Registering, changing and deleting go through create_enterprise, update_enterprise and
    delete_enterprise (which creates / deletes the enterprise's organisation with it)."""

    form = EnterpriseAdminForm
    list_display = (
        "display_name",
        "credit_code",
        "region",
        "belt",
        "employees",
        "export_share",
        "updated_at",
    )
    list_filter = ("belt", ("region", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("region", "belt")
    search_fields = ("name_zh", "name_en", "credit_code", "organisation__name")
    autocomplete_fields = ("region", "belt")
    date_hierarchy = "updated_at"

    @admin.display(description=_("name"), ordering="name_zh")
    def display_name(self, obj: Enterprise) -> str:
        return obj.display_name

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        return ("organisation", "created_at", "updated_at")

    def save_model(self, request: HttpRequest, obj: Enterprise, form: Any, change: bool) -> None:
        data = {name: getattr(obj, name) for name in ENTERPRISE_FIELDS}
        if change:
            update_enterprise(actor=request.user, enterprise=obj, data=data)
            return
        created = create_enterprise(actor=request.user, region=obj.region, data=data)
        # The admin log and the redirect hold ``obj``: make it the saved row.
        obj.pk = created.pk
        obj.organisation = created.organisation
        obj._state.adding = False
        obj._state.db = created._state.db

    def delete_model(self, request: HttpRequest, obj: Enterprise) -> None:
        delete_enterprise(actor=request.user, enterprise=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Enterprise]) -> None:
        for enterprise in queryset:
            delete_enterprise(actor=request.user, enterprise=enterprise)


class ProductImageFormSet(BaseInlineFormSet):
    """Deleting an image goes through delete_product_image, which also removes the file."""

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        self.actor = actor
        super().__init__(*args, **kwargs)

    def delete_existing(self, obj: ProductImage, commit: bool = True) -> None:
        if commit:
            delete_product_image(actor=self.actor, image=obj)


class ProductImageInline(admin.TabularInline):
    """Shows and deletes images; uploads go through the product's edit page, which checks
    that the file is an image."""

    model = ProductImage
    formset = ProductImageFormSet
    extra = 0
    fields = ("preview", "content_type", "position", "created_at")
    readonly_fields = ("preview", "content_type", "position", "created_at")

    @admin.display(description=_("image"))
    def preview(self, obj: ProductImage) -> str:
        return format_html('<img src="{}" alt="" style="max-height:4rem">', obj.card_url)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProductAdminForm(SanitizedModelForm):
    class Meta:
        model = Product
        fields = ("enterprise", *PRODUCT_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "enterprise" in self.fields:
            # update_product does not move products between enterprises. Disabled (not
            # read-only) so the SKU-per-enterprise constraint is still validated.
            self.fields["enterprise"].disabled = True

    # _post_clean is where ModelForm builds the instance and runs the model's validation (a
    # stable hook the django-stubs do not declare); the domain's own checks follow it.
    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # not declared in django-stubs
        # The domain's rules beyond the model's (a title, price order, a price's currency).
        for error in check_product(self.instance):
            field = error.field if error.field in self.fields else None
            if error.message not in self.errors.get(field or "__all__", []):
                self.add_error(field, error.message)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductAdminForm
    inlines = (ProductImageInline,)
    list_display = (
        "title",
        "sku",
        "enterprise",
        "hs_code",
        "status",
        "price_min",
        "price_max",
        "currency",
        "updated_at",
    )
    list_filter = ("status", "currency", "enterprise__belt", "languages")
    list_select_related = ("enterprise",)
    search_fields = (
        "sku",
        "title_zh",
        "title_en",
        "title_vi",
        "hs_code",
        "enterprise__name_zh",
        "enterprise__name_en",
    )
    autocomplete_fields = ("enterprise",)
    readonly_fields = ("languages", "created_at", "updated_at")
    date_hierarchy = "updated_at"

    @admin.display(description=_("title"), ordering="title_zh")
    def title(self, obj: Product) -> str:
        return obj.title

    def get_formset_kwargs(
        self, request: HttpRequest, obj: Any, inline: Any, prefix: str
    ) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ProductImageInline):
            kwargs["actor"] = request.user
        return kwargs

    def save_model(self, request: HttpRequest, obj: Product, form: Any, change: bool) -> None:
        data = {name: getattr(obj, name) for name in PRODUCT_FIELDS}
        if change:
            update_product(actor=request.user, product=obj, data=data)
        else:
            created = create_product(actor=request.user, enterprise=obj.enterprise, data=data)
            # The inline formsets and the admin log hold ``obj``: make it the saved row.
            obj.pk = created.pk
            obj._state.adding = False
            obj._state.db = created._state.db

    def delete_model(self, request: HttpRequest, obj: Product) -> None:
        delete_product(actor=request.user, product=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        for product in queryset.select_related("enterprise"):
            delete_product(actor=request.user, product=product)
