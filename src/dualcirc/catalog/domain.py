"""Business rules of the catalog: every write to enterprises and products goes through here.

Pages, the API and the importer parse input and call these functions; they check permissions
(core.access), validate every field (naming the field in the error) and notify listeners of
product changes after commit (catalog.signals.products_changed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.catalog.hs import normalise_hs_code
from dualcirc.catalog.images import (
    THUMBNAIL_WIDTHS,
    check_image_size,
    decode_image,
    render_thumbnail,
)
from dualcirc.catalog.models import Enterprise, Product, ProductImage
from dualcirc.catalog.signals import products_changed
from dualcirc.catalog.validators import validate_description
from dualcirc.core.access import (
    can_create_enterprise,
    can_edit_enterprise,
    can_edit_product,
    is_operator,
    require,
)
from dualcirc.core.enums import OrganisationKind
from dualcirc.core.errors import Conflict, FieldError, InvalidInput
from dualcirc.core.models import Organisation, Region

PRODUCT_FIELDS = (
    "sku", "status", "title_zh", "title_en", "title_vi", "description_zh", "description_en",
    "description_vi", "hs_code", "attributes", "moq", "unit", "price_min", "price_max",
    "currency", "certifications", "export_markets", "lead_time_days",
)  # fmt: skip
ENTERPRISE_FIELDS = (
    "name_zh", "name_en", "credit_code", "belt", "industries", "year_founded", "employees",
    "domestic_markets", "export_markets", "export_share", "certifications", "contacts",
    "business_models", "description",
)  # fmt: skip


def _errors_from(exc: ValidationError, row: int | None = None) -> list[FieldError]:
    if hasattr(exc, "error_dict"):
        return [
            FieldError(field=None if f == "__all__" else f, message=m, row=row)
            for f, msgs in exc.message_dict.items()
            for m in msgs
        ]
    return [FieldError(field=None, message=m, row=row) for m in exc.messages]


def normalise_product(product: Product) -> None:
    """Canonical forms: upper-case currency and markets, derived listing languages."""
    product.currency = (product.currency or "").strip().upper()
    product.export_markets = [c.strip().upper() for c in product.export_markets or []]
    product.hs_code = normalise_hs_code(product.hs_code or "")
    product.languages = product.compute_languages()


def check_product(
    product: Product, *, row: int | None = None, exclude: Iterable[str] = ()
) -> list[FieldError]:
    """Every problem with ``product`` as field errors (empty when valid). Writes nothing.

    ``exclude`` names model fields left unchecked: the catalog import checks products before
    their enterprise exists (and a set enterprise would cost a query per product).
    """
    normalise_product(product)
    errors: list[FieldError] = []
    try:
        product.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.extend(_errors_from(exc, row))
    for name in ("description_zh", "description_en", "description_vi"):
        try:  # a TextField: the one length limit of descriptions (core.sanitize.TEXT_LIMITS)
            validate_description(getattr(product, name))
        except ValidationError as exc:
            errors.append(FieldError(field=name, message=exc.messages[0], row=row))
    if not (product.title_zh or product.title_en or product.title_vi):
        errors.append(
            FieldError(field="title", message=_("A product needs at least one title."), row=row)
        )
    if (
        product.price_min is not None
        and product.price_max is not None
        and product.price_max < product.price_min
    ):
        errors.append(
            FieldError(
                field="price_max",
                message=_("The highest price is below the lowest price."),
                row=row,
            )
        )
    if (product.price_min is not None or product.price_max is not None) and not product.currency:
        errors.append(FieldError(field="currency", message=_("A price needs a currency."), row=row))
    return errors


def _apply(obj: Any, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidInput(
            _("Unknown field."), [FieldError(field=f, message=_("Unknown field.")) for f in unknown]
        )
    for key, value in data.items():
        setattr(obj, key, value)


def _notify(product_ids: list[int], *, deleted: bool = False) -> None:
    transaction.on_commit(
        lambda: products_changed.send(sender=Product, product_ids=product_ids, deleted=deleted)
    )


@transaction.atomic
def create_product(*, actor: Any, enterprise: Enterprise, data: Mapping[str, Any]) -> Product:
    """Create a product of ``enterprise``.

    Raises AccessDenied unless ``actor`` may edit the enterprise, InvalidInput naming each bad
    field (including a SKU the enterprise already uses). Notifies products_changed on commit.
    """
    require(can_edit_enterprise(actor, enterprise))
    product = Product(enterprise=enterprise)
    _apply(product, data, PRODUCT_FIELDS)
    errors = check_product(product)
    if product.sku and Product.objects.filter(enterprise=enterprise, sku=product.sku).exists():
        errors.append(
            FieldError(field="sku", message=_("This SKU is already used by your enterprise."))
        )
    if errors:
        raise InvalidInput(_("The product is not valid."), errors)
    product.save()
    _notify([product.pk])
    return product


@transaction.atomic
def update_product(*, actor: Any, product: Product, data: Mapping[str, Any]) -> Product:
    """Change fields of ``product``; same checks as :func:`create_product`."""
    require(can_edit_product(actor, product))
    product = Product.objects.select_for_update().select_related("enterprise").get(pk=product.pk)
    _apply(product, data, PRODUCT_FIELDS)
    errors = check_product(product)
    if (
        "sku" in data
        and Product.objects.filter(enterprise_id=product.enterprise_id, sku=product.sku)
        .exclude(pk=product.pk)
        .exists()
    ):
        errors.append(
            FieldError(field="sku", message=_("This SKU is already used by your enterprise."))
        )
    if errors:
        raise InvalidInput(_("The product is not valid."), errors)
    product.save()
    _notify([product.pk])
    return product


@transaction.atomic
def delete_product(*, actor: Any, product: Product) -> None:
    """Delete ``product`` with its images. Their files are removed once the transaction
    commits (a rollback keeps row and files together); products_changed(deleted=True)."""
    require(can_edit_product(actor, product))
    pk = product.pk
    _remove_files_on_commit([n for image in product.images.all() for n in image.stored_names])
    product.delete()
    _notify([pk], deleted=True)


@transaction.atomic
def update_enterprise(*, actor: Any, enterprise: Enterprise, data: Mapping[str, Any]) -> Enterprise:
    """Change the enterprise profile. Its products' search documents change with it, and the
    support policies are matched against it again once the transaction commits
    (``bureau.domain.policies.schedule_policy_matching``)."""
    require(can_edit_enterprise(actor, enterprise))
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    _apply(enterprise, data, ENTERPRISE_FIELDS)
    if isinstance(enterprise.credit_code, str):
        enterprise.credit_code = enterprise.credit_code.strip().upper() or None
    enterprise.export_markets = [c.strip().upper() for c in enterprise.export_markets or []]
    errors = _description_errors(enterprise)
    try:
        enterprise.full_clean()
    except ValidationError as exc:
        errors = _errors_from(exc) + errors
    if errors:
        raise InvalidInput(_("The enterprise profile is not valid."), errors)
    enterprise.save()
    _notify(list(enterprise.products.values_list("pk", flat=True)))
    # The profile feeds the support policies' rules (employees, industries, export share).
    from dualcirc.bureau.domain.policies import schedule_policy_matching

    schedule_policy_matching([enterprise.pk])
    return enterprise


def _description_errors(enterprise: Enterprise) -> list[FieldError]:
    """The one length limit of descriptions (core.sanitize.TEXT_LIMITS), for a TextField."""
    try:
        validate_description(enterprise.description)
    except ValidationError as exc:
        return [FieldError(field="description", message=exc.messages[0])]
    return []


def check_enterprise_name(enterprise: Enterprise) -> list[FieldError]:
    """The name rule of a new enterprise (a Chinese or an English name) as field errors (field
    ``name``; empty when it holds). Writes nothing."""
    if enterprise.name_zh or enterprise.name_en:
        return []
    return [FieldError(field="name", message=_("An enterprise needs a Chinese or English name."))]


@transaction.atomic
def create_enterprise(*, actor: Any, region: Region, data: Mapping[str, Any]) -> Enterprise:
    """Register an enterprise in ``region``: its Organisation (kind enterprise) and its profile.

    Operators only (AccessDenied otherwise). ``data`` holds profile fields (ENTERPRISE_FIELDS);
    a Chinese or an English name is required. Raises InvalidInput naming each bad field, a
    missing name (field ``name``) and a credit code that is already registered. Writes the
    Organisation and the Enterprise (named, located like the enterprise); it has no members and
    no products yet, so nothing is notified.
    """
    require(can_create_enterprise(actor))
    enterprise = Enterprise(region=region)
    _apply(enterprise, data, ENTERPRISE_FIELDS)
    if isinstance(enterprise.credit_code, str):
        enterprise.credit_code = enterprise.credit_code.strip().upper() or None
    enterprise.export_markets = [c.strip().upper() for c in enterprise.export_markets or []]
    enterprise.name_zh = (enterprise.name_zh or "").strip()
    enterprise.name_en = (enterprise.name_en or "").strip()
    errors = check_enterprise_name(enterprise) + _description_errors(enterprise)
    try:
        enterprise.full_clean(exclude=["organisation"])
    except ValidationError as exc:
        errors.extend(_errors_from(exc))
    if errors:
        raise InvalidInput(_("The enterprise profile is not valid."), errors)
    enterprise.organisation = Organisation.objects.create(
        kind=OrganisationKind.ENTERPRISE,
        name=enterprise.name_zh or enterprise.name_en,
        name_en=enterprise.name_en,
        region=region,
    )
    enterprise.save()
    return enterprise


@transaction.atomic
def delete_enterprise(*, actor: Any, enterprise: Enterprise) -> None:
    """Delete an enterprise with its Organisation, memberships, products and their images.

    Operators only (AccessDenied otherwise); the users themselves stay. Raises Conflict when
    other records (orders, fair bookings, …) still refer to it. Image files are removed and
    products_changed(deleted=True) is sent for its products once the transaction commits.
    """
    require(is_operator(actor))
    product_ids = list(enterprise.products.values_list("pk", flat=True))
    images = list(ProductImage.objects.filter(product__enterprise=enterprise))
    try:
        Organisation.objects.get(pk=enterprise.organisation_id).delete()
    except (ProtectedError, RestrictedError) as exc:
        raise Conflict(
            _("Other records still refer to this enterprise; it cannot be deleted.")
        ) from exc

    _remove_files_on_commit([n for image in images for n in image.stored_names])
    _notify(product_ids, deleted=True)


def _remove_files_on_commit(stored: Sequence[str | None]) -> None:
    """Delete these stored files after the transaction commits, never before: if it rolls
    back, the rows still point at files that are still there."""
    names = [name for name in stored if name]

    def remove() -> None:
        for name in names:
            ProductImage.image.field.storage.delete(name)

    if names:
        transaction.on_commit(remove)


@transaction.atomic
def add_product_image(*, actor: Any, product: Product, upload: UploadedFile) -> ProductImage:
    """Attach a photo: decoded completely by Pillow as JPEG, PNG or WebP within the size and
    pixel limits (``catalog.images.decode_image``), stored as uploaded, with two WebP
    thumbnails (320 and 800 px). Refusals raise ``InvalidInput`` on the field ``image`` and
    write nothing; if the row cannot be saved, the files written are removed. The product's
    ``updated_at`` moves on (its listing changed)."""
    require(can_edit_product(actor, product))
    if upload.size is not None:
        check_image_size(upload.size)  # before reading it all
    upload.seek(0)
    decoded = decode_image(upload.read())
    upload.seek(0)
    position = product.images.count()
    image = ProductImage(
        product=product,
        content_type=decoded.content_type,
        position=position,
        width=decoded.width,
        height=decoded.height,
    )
    try:
        # The stored name's extension comes from the content, never from the uploader's name.
        image.image.save(f"image.{decoded.extension}", upload, save=False)
        small, large = THUMBNAIL_WIDTHS
        image.thumbnail.save(
            f"{small}.webp", ContentFile(render_thumbnail(decoded, longest_side=small)), save=False
        )
        image.preview.save(
            f"{large}.webp", ContentFile(render_thumbnail(decoded, longest_side=large)), save=False
        )
        image.save()
    except BaseException:
        for name in image.stored_names:
            image.image.storage.delete(name)  # no file without its row
        raise
    _touch(product)
    return image


def _touch(product: Product) -> None:
    """The listing changed (its pictures): pages that cache rendered products by
    ``updated_at`` (search hits) render it again."""
    Product.objects.filter(pk=product.pk).update(updated_at=timezone.now())


@transaction.atomic
def delete_product_image(*, actor: Any, image: ProductImage) -> None:
    """Delete ``image``; its file is removed once the transaction commits."""
    require(can_edit_product(actor, image.product))
    _remove_files_on_commit(image.stored_names)
    image.delete()
    _touch(image.product)
