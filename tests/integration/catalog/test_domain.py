"""Rules of catalog.domain that the pages, the API and the admin share: images checked by content
and size and stored under a name of our choosing, files removed only with a committed deletion,
the HS nomenclature's statistical rows refused, enterprise lists of known values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from dualcirc.catalog.domain import (
    add_product_image,
    create_product,
    delete_product,
    delete_product_image,
    update_enterprise,
)
from dualcirc.catalog.images import MAX_IMAGE_BYTES
from dualcirc.catalog.models import Product, ProductImage
from dualcirc.core.errors import FieldError, InvalidInput
from tests.factories import make_enterprise, make_product
from tests.factories.api import make_enterprise_user
from tests.factories.files import photo_bytes, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def product() -> Product:
    return make_product(sku="LX-T01")


@pytest.fixture
def member(product: Product) -> Any:
    return make_enterprise_user(enterprise=product.enterprise)


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [("PNG", "image/png", ".png"), ("JPEG", "image/jpeg", ".jpg"), ("WEBP", "image/webp", ".webp")],
)
def test_add_product_image_names_the_file_after_its_content_not_the_uploaded_name(
    product: Product, member: Any, fmt: str, content_type: str, extension: str
) -> None:
    content = photo_bytes(fmt)
    upload = SimpleUploadedFile("catalogue.html", content, content_type="text/html")

    image = add_product_image(actor=member, product=product, upload=upload)

    stored = Path(image.image.path)
    assert image.content_type == content_type
    assert stored.suffix == extension
    assert stored.read_bytes() == content
    assert _stored_files() == sorted([stored, Path(image.thumbnail.path), Path(image.preview.path)])


def test_add_product_image_of_exactly_5_mb_is_accepted(product: Product, member: Any) -> None:
    content = png_bytes() + b"\x00" * (MAX_IMAGE_BYTES - len(png_bytes()))
    assert len(content) == 5 * 1024 * 1024

    image = add_product_image(
        actor=member, product=product, upload=SimpleUploadedFile("a.png", content)
    )

    assert Path(image.image.path).stat().st_size == 5 * 1024 * 1024


def test_add_product_image_over_5_mb_is_refused_and_nothing_is_written(
    product: Product, member: Any
) -> None:
    content = png_bytes() + b"\x00" * (MAX_IMAGE_BYTES + 1 - len(png_bytes()))

    with pytest.raises(InvalidInput) as caught:
        add_product_image(
            actor=member, product=product, upload=SimpleUploadedFile("big.png", content)
        )

    assert caught.value.errors == [
        FieldError(field="image", message="An image may be at most 5 MB.")
    ]
    assert ProductImage.objects.count() == 0
    assert _stored_files() == []


def test_add_product_image_of_a_script_named_png_is_refused_and_nothing_is_written(
    product: Product, member: Any
) -> None:
    upload = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>", content_type="image/png")

    with pytest.raises(InvalidInput) as caught:
        add_product_image(actor=member, product=product, upload=upload)

    assert caught.value.errors == [
        FieldError(field="image", message="Upload a JPEG, PNG or WebP image.")
    ]
    assert ProductImage.objects.count() == 0
    assert _stored_files() == []


def test_delete_product_rolled_back_keeps_row_and_image_files(
    product: Product, member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    image = add_product_image(
        actor=member, product=product, upload=SimpleUploadedFile("a.png", png_bytes())
    )
    stored = Path(image.image.path)
    pk = product.pk

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        delete_product(actor=member, product=product)
        raise RuntimeError("a later step of the same request fails")

    assert callbacks == []
    assert Product.objects.filter(pk=pk).exists()
    assert ProductImage.objects.filter(pk=image.pk).exists()
    assert stored.read_bytes() == png_bytes()


def test_delete_product_image_removes_the_file_when_committed(
    product: Product, member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    image = add_product_image(
        actor=member, product=product, upload=SimpleUploadedFile("a.png", png_bytes())
    )
    stored = Path(image.image.path)

    with django_capture_on_commit_callbacks(execute=True):
        delete_product_image(actor=member, image=image)
        assert stored.exists()

    assert not ProductImage.objects.filter(pk=image.pk).exists()
    assert _stored_files() == []


@pytest.mark.parametrize("hs_code", ["999999", "9999.99"])
def test_create_product_under_the_not_specified_hs_row_is_refused(
    product: Product, member: Any, hs_code: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        create_product(
            actor=member,
            enterprise=product.enterprise,
            data={"sku": "NEW-1", "title_zh": "未分类商品", "hs_code": hs_code},
        )

    assert [e.field for e in caught.value.errors] == ["hs_code"]
    assert "is not a 6-digit code of the Harmonized System nomenclature" in (
        caught.value.errors[0].message
    )
    assert not Product.objects.filter(sku="NEW-1").exists()


def test_update_enterprise_unknown_business_model_or_nameless_contact_saves_nothing() -> None:
    enterprise = make_enterprise(business_models=["oem"], contacts=[{"name": "王伟"}])
    member = make_enterprise_user(enterprise=enterprise)

    with pytest.raises(InvalidInput) as caught:
        update_enterprise(
            actor=member,
            enterprise=enterprise,
            data={
                "business_models": ["oem", "wholesale"],
                "contacts": [{"name": "", "phone": "13800000000"}],
                "description": "changed",
            },
        )

    assert sorted(e.field or "" for e in caught.value.errors) == ["business_models", "contacts"]
    enterprise.refresh_from_db()
    assert enterprise.business_models == ["oem"]
    assert enterprise.contacts == [{"name": "王伟"}]
    assert enterprise.description == ""
