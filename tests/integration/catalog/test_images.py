"""Product photos (catalog.images through catalog.domain.add_product_image): decoded by Pillow,
limited in bytes and pixels, stored with WebP thumbnails; the pages show a thumbnail on every
card, a gallery on the product page, and an illustration of the product type when there is no
photo."""

from __future__ import annotations

import io
import struct
import zlib
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from dualcirc.catalog.domain import add_product_image, delete_product_image
from dualcirc.catalog.models import Product, ProductImage
from dualcirc.core.errors import FieldError, InvalidInput
from tests.factories import make_product
from tests.factories.api import make_enterprise_user
from tests.factories.files import photo_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def product() -> Product:
    return make_product(sku="LX-T01", title_en="Solid oak dining table", attributes={})


@pytest.fixture
def member(product: Product) -> Any:
    return make_enterprise_user(enterprise=product.enterprise)


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _refusal(product: Product, member: Any, content: bytes, name: str = "p.jpg") -> list[Any]:
    with pytest.raises(InvalidInput) as caught:
        add_product_image(actor=member, product=product, upload=SimpleUploadedFile(name, content))
    assert ProductImage.objects.count() == 0
    assert _stored_files() == []
    return caught.value.errors


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` pixels, with almost no pixel data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_add_product_image_writes_webp_thumbnails_of_320_and_800_px(
    product: Product, member: Any
) -> None:
    image = add_product_image(
        actor=member,
        product=product,
        upload=SimpleUploadedFile("photo.jpg", photo_bytes("JPEG", width=1600, height=1200)),
    )

    with Image.open(image.thumbnail.path) as small, Image.open(image.preview.path) as large:
        assert (small.format, small.size) == ("WEBP", (320, 240))
        assert (large.format, large.size) == ("WEBP", (800, 600))
    assert (image.width, image.height) == (1600, 1200)
    assert image.card_url == image.thumbnail.url
    assert image.gallery_url == image.preview.url


def test_add_product_image_never_enlarges_a_small_photo(product: Product, member: Any) -> None:
    image = add_product_image(
        actor=member,
        product=product,
        upload=SimpleUploadedFile("p.png", photo_bytes("PNG", width=200, height=100)),
    )

    with Image.open(image.thumbnail.path) as small, Image.open(image.preview.path) as large:
        assert small.size == (200, 100)
        assert large.size == (200, 100)


def test_add_product_image_keeps_transparency_in_thumbnails(product: Product, member: Any) -> None:
    image = add_product_image(
        actor=member,
        product=product,
        upload=SimpleUploadedFile("p.png", photo_bytes("PNG", mode="RGBA", width=64, height=64)),
    )

    with Image.open(image.thumbnail.path) as small:
        assert small.mode == "RGBA"


def test_add_product_image_refuses_a_gif(product: Product, member: Any) -> None:
    errors = _refusal(product, member, photo_bytes("GIF", width=64, height=64), "anim.gif")

    assert errors == [FieldError(field="image", message="Upload a JPEG, PNG or WebP image.")]


def test_add_product_image_refuses_a_truncated_jpeg(product: Product, member: Any) -> None:
    whole = photo_bytes("JPEG", width=800, height=600)

    errors = _refusal(product, member, whole[: len(whole) // 2])

    assert errors == [FieldError(field="image", message="The image file is damaged or incomplete.")]


def test_add_product_image_refuses_more_than_40_megapixels_without_decoding(
    product: Product, member: Any
) -> None:
    errors = _refusal(product, member, _png_header_only(8001, 5000), "bomb.png")

    assert errors == [
        FieldError(
            field="image", message="An image may have at most 40 megapixels; this one has 40.0."
        )
    ]


def test_add_product_image_refuses_a_tracking_pixel(product: Product, member: Any) -> None:
    errors = _refusal(product, member, photo_bytes("PNG", width=15, height=300), "px.png")

    assert errors == [
        FieldError(field="image", message="An image must be at least 16 pixels wide and high.")
    ]


def test_delete_product_image_removes_original_and_thumbnails(
    product: Product, member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    image = add_product_image(
        actor=member, product=product, upload=SimpleUploadedFile("p.webp", photo_bytes("WEBP"))
    )
    assert len(_stored_files()) == 3

    with django_capture_on_commit_callbacks(execute=True):
        delete_product_image(actor=member, image=image)

    assert _stored_files() == []


def test_product_pages_show_the_thumbnail_and_the_gallery(
    product: Product, member: Any, client: Client
) -> None:
    first = add_product_image(
        actor=member, product=product, upload=SimpleUploadedFile("a.jpg", photo_bytes("JPEG"))
    )
    second = add_product_image(
        actor=member, product=product, upload=SimpleUploadedFile("b.png", photo_bytes("PNG"))
    )

    listing = client.get("/en/products/").content.decode()
    detail = client.get(reverse("product-detail", args=[product.pk])).content.decode()

    assert f'<img class="product-photo" src="{first.thumbnail.url}"' in listing
    assert f'<img src="{first.preview.url}" alt="Solid oak dining table"' in detail
    assert f'<a href="{second.image.url}"><img src="{second.thumbnail.url}"' in detail
    assert "product-art" not in detail


def test_product_without_photo_shows_its_type_tinted_with_its_colour(client: Client) -> None:
    sofa = make_product(
        title_en="Three-seater sofa", hs_code="940161", attributes={"colour": "dark green"}
    )

    listing = client.get("/en/products/").content.decode()
    detail = client.get(f"/en/products/{sofa.pk}/").content.decode()

    for html in (listing, detail):
        assert 'data-icon="sofa"' in html
        assert "color:#2b5d34" in html  # the named colour, dark enough to stay as it is
        assert "<svg" in html
        assert 'class="placeholder"' not in html
    assert "No photo yet: the picture shows the product type." in detail


def test_every_thumbnail_of_a_page_is_served(product: Product, member: Any, client: Client) -> None:
    add_product_image(
        actor=member, product=product, upload=SimpleUploadedFile("a.jpg", photo_bytes("JPEG"))
    )
    html = client.get("/en/products/").content.decode()
    sources = [part.split('"', 1)[0] for part in html.split('class="product-photo" src="')[1:]]

    assert len(sources) == 1
    response = client.get(sources[0])
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    with Image.open(io.BytesIO(body)) as served:
        assert served.format == "WEBP"


def test_adding_and_deleting_a_photo_moves_the_products_updated_at(
    product: Product, member: Any
) -> None:
    before = Product.objects.get(pk=product.pk).updated_at

    image = add_product_image(
        actor=member, product=product, upload=SimpleUploadedFile("a.png", photo_bytes("PNG"))
    )
    added = Product.objects.get(pk=product.pk).updated_at
    delete_product_image(actor=member, image=image)

    assert before < added < Product.objects.get(pk=product.pk).updated_at


def test_api_product_lists_the_photo_with_its_thumbnail_urls(
    product: Product, member: Any, client: Client
) -> None:
    image = add_product_image(
        actor=member, product=product, upload=SimpleUploadedFile("a.jpg", photo_bytes("JPEG"))
    )

    body = client.get(f"/api/products/{product.pk}").json()

    assert body["images"] == [
        {
            "id": image.pk,
            "url": f"http://testserver{image.image.url}",
            "thumbnail_url": f"http://testserver{image.thumbnail.url}",
            "preview_url": f"http://testserver{image.preview.url}",
            "content_type": "image/jpeg",
            "position": 0,
        }
    ]


def test_migration_backfills_thumbnails_of_photos_stored_before_them(product: Product) -> None:
    from django.apps import apps
    from django.core.files.base import ContentFile

    backfill = import_module(
        "dualcirc.catalog.migrations.0004_backfill_product_image_thumbnails"
    ).backfill
    legacy = ProductImage(product=product, content_type="image/png")
    legacy.image.save("image.png", ContentFile(photo_bytes("PNG", width=1000, height=500)))
    gif = ProductImage(product=product, content_type="image/gif", position=1)
    gif.image.save("image.gif", ContentFile(photo_bytes("GIF", width=64, height=64)))

    backfill(apps, None)

    legacy.refresh_from_db()
    gif.refresh_from_db()
    with Image.open(legacy.thumbnail.path) as small, Image.open(legacy.preview.path) as large:
        assert (small.format, small.size, large.size) == ("WEBP", (320, 160), (800, 400))
    assert (gif.thumbnail.name, gif.card_url) == ("", gif.image.url)  # left as it was
