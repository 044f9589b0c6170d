"""Uploaded files, served with safe headers and the same visibility rules as their products.

Uploads live under ``MEDIA_ROOT`` (``$DUALCIRC_DATA_DIR/media``), outside the code. Only files
that belong to a record are served — product images and their thumbnails, by their
``ProductImage`` row, to whoever may see the product (a draft's images only to those who may
see the draft) — with the content type checked at upload time (never guessed from the name),
``nosniff``, a ``Content-Disposition`` with a safe file name and a sandboxing
Content-Security-Policy, so a file can never run as a page of this site. Other uploads (quote
attachments) are served by their own app's views after its permission check, never from here.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import ProductImage
from dualcirc.core.access import can_view_product

SAFE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def serve_media(request: HttpRequest, path: str) -> FileResponse:
    """Serve the uploaded file at ``path`` (relative to MEDIA_ROOT), or 404."""
    image = (
        ProductImage.objects.select_related("product__enterprise__region")
        .filter(Q(image=path) | Q(thumbnail=path) | Q(preview=path))
        .first()
    )
    if image is None or not can_view_product(request.user, image.product):
        raise Http404(path)
    root = Path(settings.MEDIA_ROOT).resolve()
    full = (root / path).resolve()
    if not full.is_relative_to(root) or not full.is_file():
        raise Http404(path)
    # The thumbnails are WebP written by catalog.images, whatever the original was.
    stored_type = image.content_type if image.image.name == path else "image/webp"
    content_type = stored_type if stored_type in SAFE_IMAGE_TYPES else None
    response = FileResponse(
        full.open("rb"),
        content_type=content_type or "application/octet-stream",
        as_attachment=content_type is None,
        filename=full.name,
    )
    if content_type is not None:
        response["Content-Disposition"] = f'inline; filename="{full.name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    public = image.product.status == ProductStatus.PUBLISHED
    response["Cache-Control"] = "public, max-age=3600" if public else "private, max-age=0"
    return response
