"""The demo's own brands (issue 13): in every belt, the enterprises that name "own brand" among
their business models register a brand with its CNIPA trademark; their products were first
recorded as OEM for an overseas customer and moved to the brand month by month over the last
year (the bureau's OEM → own-brand indicator); one brand owner per belt authorises a
neighbour as its JD and Tmall distributor.

Played through ``channels.domain_brands``; the audit rows are then dated back to the months the
story tells. Idempotent: an enterprise that has its brand already is left alone.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections import defaultdict

from django.core.files.uploadedfile import SimpleUploadedFile

from dualcirc.catalog.enums import BusinessModel
from dualcirc.catalog.models import Enterprise, Product
from dualcirc.channels.domain_brands import record_authorisation, save_brand, set_product_branding
from dualcirc.channels.models import Brand, BrandingChange, ProductBranding
from dualcirc.demo.cast import Cast

# Nice classes by belt: 20 furniture, 24 fabrics and home textiles, 25 garments, 21 brushes,
# 29 preserved seafood, 9/11 appliances and TVs, 8 hand tools.
NICE_BY_BELT = {
    "laixi-furniture": [20],
    "lanxi-textiles": [24],
    "wujiang-silk": [24],
    "haimen-home-textiles": [24],
    "hanjiang-toothbrushes": [21],
    "lianyungang-seafood": [29],
    "qingdao-appliances": [9, 11],
    "ningbo-workwear": [25],
    "yongkang-hardware": [8],
    "jimo-knitwear": [25],
}
OEM_CUSTOMERS = ("IKEA", "Walmart", "H&M", "Carrefour", "Costco")
LETTER = b"%PDF-1.4\n% demo authorisation letter\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MAX_OWNERS_PER_BELT = 3


def _brand_name(enterprise: Enterprise) -> str:
    """The enterprise's trade name: the second word of its English name (Laixi *Hengmu*
    Furniture Co., Ltd.), else its key characters."""
    words = enterprise.name_en.replace(",", " ").split()
    return words[1] if len(words) > 1 else enterprise.name_zh[3:5] or enterprise.name_zh


def _trademark_number(key: str) -> str:
    return str(20_000_000 + zlib.crc32(key.encode()) % 70_000_000)


def _month_back(today: dt.date, months: int) -> dt.datetime:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.datetime(year, month + 1, 15, 2, 0, tzinfo=dt.UTC)


def play_brands(cast: Cast) -> int:
    """Create the demo's brands, letters and OEM → brand moves; returns the brands created."""
    owners: dict[str, list[str]] = defaultdict(list)
    for key, enterprise in sorted(cast.enterprises.items()):
        belt = enterprise.belt.slug if enterprise.belt else ""
        own = BusinessModel.OWN_BRAND in (enterprise.business_models or [])
        if own and belt and len(owners[belt]) < MAX_OWNERS_PER_BELT:
            owners[belt].append(key)
    created = 0
    for belt, keys in sorted(owners.items()):
        for i, key in enumerate(keys):
            enterprise = cast.enterprises[key]
            if Brand.objects.filter(enterprise=enterprise).exists():
                continue
            staff = cast.staff(key)
            registered = cast.today.replace(year=cast.today.year - 4 - i)
            brand = save_brand(
                actor=staff,
                enterprise=enterprise,
                data={
                    "name": _brand_name(enterprise),
                    "trademark_number": _trademark_number(key),
                    "nice_classes": NICE_BY_BELT.get(belt, [35]),
                    "owner": enterprise.name_zh,
                    "status": "registered",
                    "registered_on": registered,
                    "expires_on": registered.replace(year=registered.year + 10)
                    - dt.timedelta(days=1),
                },
            )
            created += 1
            products = cast.products(key)
            customer = OEM_CUSTOMERS[(i + len(belt)) % len(OEM_CUSTOMERS)]
            set_product_branding(actor=staff, products=products, oem_customer=customer)
            _date_changes(products, _month_back(cast.today, 18))
            # Two thirds move to the brand, a few products a month over the last year.
            moving = products[: max(1, len(products) * 2 // 3)]
            for n, product in enumerate(moving):
                set_product_branding(actor=staff, products=[product], brand=brand)
                _date_changes([product], _month_back(cast.today, 11 - (n * 11) // len(moving)))
            if i == 0 and len(keys) > 1:
                distributor = cast.enterprises[keys[-1]]
                record_authorisation(
                    actor=staff,
                    brand=brand,
                    distributor=distributor,
                    distributor_name="",
                    channels=["jd", "tmall"],
                    valid_from=cast.today - dt.timedelta(days=90),
                    valid_until=cast.today + dt.timedelta(days=275),
                    document=SimpleUploadedFile("授权书.pdf", LETTER, "application/pdf"),
                )
    return created


def _date_changes(products: list[Product], when: dt.datetime) -> None:
    """Date the last change of each product (and its current state) back to ``when``."""
    for product in products:
        last = BrandingChange.objects.filter(product=product).order_by("-id").first()
        if last is not None:
            BrandingChange.objects.filter(pk=last.pk).update(changed_at=when)
        ProductBranding.objects.filter(product=product).update(changed_at=when)
