"""Brands with a trademark, authorisation letters and a product's move to a brand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dualcirc.catalog.models import Enterprise, Product
from dualcirc.channels.domain_brands import record_authorisation, save_brand, set_product_branding
from dualcirc.channels.models import Brand, BrandAuthorisation

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def letter(name: str = "授权书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_brand(*, actor: Any, enterprise: Enterprise, name: str = "莱木", **changes: Any) -> Brand:
    data = {
        "name": name,
        "trademark_number": "51234567",
        "nice_classes": "20",
        "owner": "青岛莱木家具有限公司",
        "registered_on": timezone.localdate() - dt.timedelta(days=365 * 3),
        "expires_on": timezone.localdate() + dt.timedelta(days=365 * 7),
        "status": "registered",
        **changes,
    }
    return save_brand(actor=actor, enterprise=enterprise, data=data)


def make_authorisation(
    *,
    actor: Any,
    brand: Brand,
    distributor: Enterprise | None,
    channels: tuple[str, ...] = ("jd",),
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> BrandAuthorisation:
    """A letter valid from 30 days ago to a year from today unless told otherwise."""
    today = timezone.localdate()
    valid_from = valid_from or today - dt.timedelta(days=30)
    valid_until = valid_until or today + dt.timedelta(days=365)
    return record_authorisation(
        actor=actor,
        brand=brand,
        distributor=distributor,
        distributor_name="",
        channels=channels,
        valid_from=valid_from,
        valid_until=valid_until,
        document=letter(),
    )


def put_under_brand(*, actor: Any, products: list[Product], brand: Brand) -> int:
    return set_product_branding(actor=actor, products=products, brand=brand)


def make_listed_table(*, actor: Any, enterprise: Enterprise, sku: str = "T-1") -> Product:
    """A dining table whose listing fills every channel's fields except the brand record."""
    from dualcirc.channels.domain import record_listing
    from tests.factories import make_product
    from tests.factories.files import photo_bytes

    table = make_product(
        enterprise=enterprise,
        sku=sku,
        title_zh="实木餐桌",
        attributes={"wood": "oak", "style": "Nordic"},
    )
    photos = [
        SimpleUploadedFile(f"{n}.jpg", photo_bytes(width=900, height=900), "image/jpeg")
        for n in "abc"
    ]
    record_listing(
        actor=actor,
        product=table,
        data={
            "title_zh": "北欧实木餐桌 橡木长方形家用饭桌",
            "retail_price": "1999",
            "spec_matrix": "原木色, 1.4米, 1999, 10\n胡桃色, 1.6米, 2299, 5",
            "wholesale_tiers": "10, 1500\n50, 1350",
            "shipping_hours": 48,
            "seven_day_return": True,
            "attributes": {"是否可定制": "否"},
        },
        evidence={"formaldehyde-grade": "E0"},
        images=photos,
    )
    return table
