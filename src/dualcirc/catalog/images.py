"""Product photos: decoded with Pillow before anything is stored, resized to thumbnails.

An upload is accepted only when Pillow decodes it completely as JPEG, PNG or WebP within the
byte and pixel limits; its stored name's extension comes from the decoded format, never from
the uploader's file name. Each photo gets two WebP renditions, ``THUMBNAIL_WIDTHS`` pixels at
most on their longer side (EXIF orientation applied, colour profile dropped): the small one for
product cards, the large one for the product page's gallery.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from dualcirc.core.errors import FieldError, InvalidInput

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # e.g. 8000 x 5000: larger photos are bigger than a page needs
MIN_IMAGE_SIDE = 16  # smaller is an icon or a tracking pixel, not a product photo
# MPO is how Pillow names the JPEGs of cameras that embed a second (preview) frame.
FORMATS = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
OPENERS = ["JPEG", "PNG", "WEBP"]  # the JPEG opener also answers MPO
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
THUMBNAIL_WIDTHS = (320, 800)  # card, gallery
THUMBNAIL_QUALITY = 82


@dataclass(frozen=True)
class DecodedImage:
    content_type: str
    width: int
    height: int
    image: Image.Image  # fully loaded

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, [FieldError(field="image", message=message)])


def check_image_size(size: int) -> None:
    """Refuse a file over ``MAX_IMAGE_BYTES`` (before reading it, when its size is known)."""
    if size > MAX_IMAGE_BYTES:
        raise _refuse(_("An image may be at most 5 MB."))


def decode_image(data: bytes) -> DecodedImage:
    """Decode ``data`` completely, or raise ``InvalidInput`` naming the field ``image``.

    Checks, in order: size (≤ 5 MB), that Pillow recognises a JPEG, PNG or WebP, the pixel
    count (≤ 40 megapixels, checked from the header before the pixels are decoded, so a
    decompression bomb costs nothing), the smallest side (≥ 16 px), and that every pixel
    decodes (a truncated or corrupt file is refused).
    """
    check_image_size(len(data))
    not_an_image = _("Upload a JPEG, PNG or WebP image.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=OPENERS)
            fmt = image.format or ""
            width, height = image.size
            if fmt not in FORMATS:
                raise _refuse(not_an_image)
            if width * height > MAX_IMAGE_PIXELS:
                raise _refuse(
                    _("An image may have at most 40 megapixels; this one has %(mp).1f.")
                    % {"mp": width * height / 1_000_000}
                )
            if min(width, height) < MIN_IMAGE_SIDE:
                raise _refuse(
                    _("An image must be at least %(px)d pixels wide and high.")
                    % {"px": MIN_IMAGE_SIDE}
                )
            image.load()
    except InvalidInput:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(not_an_image) from None
    except (OSError, ValueError, SyntaxError):  # truncated or corrupt pixel data
        raise _refuse(_("The image file is damaged or incomplete.")) from None
    return DecodedImage(FORMATS[fmt], width, height, image)


def render_thumbnail(decoded: DecodedImage, *, longest_side: int) -> bytes:
    """A WebP of ``decoded``, at most ``longest_side`` pixels on its longer side (never
    enlarged), upright according to its EXIF orientation; transparency is kept."""
    image = ImageOps.exif_transpose(decoded.image)
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=THUMBNAIL_QUALITY, method=4)
    return out.getvalue()
