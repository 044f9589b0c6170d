"""``{% product_thumbnail product %}`` and ``{% product_gallery product %}``: a product's photo,
or, when it has none, the illustration of its type (catalog.pictures) — never a grey block.

Both read ``product.images.all()``, so list pages prefetch ``images`` (one query per page).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dualcirc.catalog.pictures import icon_svg, picture_for

register = template.Library()


def _illustration(product: Any, *, size: str) -> SafeString:
    picture = picture_for(product)
    return format_html(
        '<span class="product-art product-art-{}" role="img" aria-label="{}" '
        'style="color:{};background:{}" data-icon="{}">{}</span>',
        size,
        _("No photo yet: an illustration of the product type"),
        picture.stroke,
        picture.background,
        picture.icon,
        # Safe: our own vendored SVG files, read from disk, never user input.
        mark_safe(icon_svg(picture.icon)),
    )


@register.simple_tag
def product_thumbnail(product: Any, alt: str = "") -> SafeString:
    """The first photo's 320 px thumbnail, else the product-type illustration."""
    images = list(product.images.all())
    if images:
        return format_html(
            '<img class="product-photo" src="{}" alt="{}" loading="lazy" width="320" height="240">',
            images[0].card_url,
            alt,
        )
    return _illustration(product, size="card")


@register.inclusion_tag("catalog/partials/product_gallery.html")
def product_gallery(product: Any, title: str = "") -> dict[str, Any]:
    """The photos at 800 px (each links to its original), else the illustration, large."""
    images = list(product.images.all())
    return {
        "images": images,
        "title": title or product.title,
        "illustration": None if images else _illustration(product, size="large"),
    }
