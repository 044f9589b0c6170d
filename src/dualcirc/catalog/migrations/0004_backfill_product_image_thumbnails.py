"""Thumbnails for the product photos stored before catalog.images made them at upload.

Self-contained (Pillow only, no project code), so that later changes to catalog.images do not
change what this migration did. A stored file that Pillow cannot decode (e.g. a GIF, or a file
that went missing) keeps blank thumbnails: pages then show the original, as before.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from django.db import migrations

SIZES = {"thumbnail": 320, "preview": 800}


def _rendition(data: bytes, longest_side: int) -> bytes | None:
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP"]) as image:
            if image.width * image.height > 40_000_000:
                return None
            image.load()
            upright = ImageOps.exif_transpose(image)
            alpha = upright.mode in ("RGBA", "LA") or "transparency" in upright.info
            upright = upright.convert("RGBA" if alpha else "RGB")
            upright.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            upright.save(out, format="WEBP", quality=82, method=4)
            return out.getvalue()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


def backfill(apps: Any, schema_editor: Any) -> None:
    ProductImage = apps.get_model("catalog", "ProductImage")
    for image in ProductImage.objects.filter(thumbnail="").select_related("product"):
        try:
            with image.image.open("rb") as stored:
                data = stored.read()
        except OSError:  # the file is gone: nothing to make thumbnails from
            continue
        renditions = {field: _rendition(data, side) for field, side in SIZES.items()}
        if any(r is None for r in renditions.values()):
            continue
        for field, side in SIZES.items():
            content = renditions[field]
            assert content is not None
            getattr(image, field).save(f"{side}.webp", ContentFile(content), save=False)
        image.save(update_fields=list(SIZES))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_product_image_thumbnails")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
