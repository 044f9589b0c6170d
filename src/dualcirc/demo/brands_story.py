"""The demo's own brands (issue 13): in every belt, the enterprises that name "own brand" among
their business models register a brand with its CNIPA trademark; their products were first
recorded as OEM for an overseas customer and moved to the brand month by month over the last
year (the bureau's OEM → own-brand indicator); the first brand owner of each belt fills the
domestic listing of two of its products (so some are ready for the channels) and authorises a
neighbour as its JD and Tmall distributor.

Played through ``channels.domain_brands``; the audit rows are then dated back to the months the
story tells. Idempotent: an enterprise that has its brand already is left alone.
"""

from __future__ import annotations

import datetime as dt
import io
import zlib
from collections import defaultdict
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from dualcirc.catalog.enums import BusinessModel
from dualcirc.catalog.models import Enterprise, Product
from dualcirc.channels.domain import get_spec_axes, record_listing
from dualcirc.channels.domain_brands import record_authorisation, save_brand, set_product_branding
from dualcirc.channels.models import Brand, BrandingChange, ProductBranding
from dualcirc.channels.queries import assess_product, with_listing_data
from dualcirc.channels.rules import load_rule_book
from dualcirc.core.errors import InvalidInput
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
            if i == 0:  # the belt's first owner lists two products on the domestic channels
                for product in moving[:2]:
                    _fill_listing(staff, product, brand.name)
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


def _demo_photo(n: int) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 800), (210 - 40 * n, 190, 160 + 20 * n)).save(buffer, "JPEG")
    return SimpleUploadedFile(f"listing-{n}.jpg", buffer.getvalue(), "image/jpeg")


def _fill_listing(staff: Any, product: Product, brand_name: str) -> None:
    """Fill what the channels' checklists ask for, with plain demo values: a Chinese title
    under the brand, two SKUs, a retail price and tiers, the category attributes, the
    classes and grades asked for (never a certificate number), three square photos. A product
    the filler cannot satisfy is left as it is (the demo shows it as not ready)."""
    book = load_rule_book()
    product = with_listing_data(Product.objects.filter(pk=product.pk)).get()
    fields: dict[str, None] = {}
    for result in assess_product(product, book=book).values():
        fields.update(dict.fromkeys(result.fix_fields))
    axes = get_spec_axes(product, book=book)
    title = f"{brand_name} {product.title_zh or product.title_en}"[:24]
    if len(title) < 12:
        title = f"{title} 厂家直供 品质保障"
    data: dict[str, Any] = {
        "title_zh": title,
        "retail_price": "199",
        "spec_matrix": "\n".join(
            ", ".join([*(f"{axis}{n}" for axis in axes), "199", "20"]) for n in ("A", "B")
        ),
        "wholesale_tiers": "10, 150\n50, 130",
        "shipping_hours": 48,
        "seven_day_return": True,
        "attributes": {
            name.removeprefix("attr:"): "否" if name.startswith("attr:是否") else "其他"
            for name in fields
            if name.startswith("attr:")
        },
    }
    evidence = {}
    for name in fields:
        if name.startswith("evidence:"):
            requirement = book.requirements[name.removeprefix("evidence:")]
            # a class or grade only: no certificate or licence number is made up, so a CCC
            # or food product stays not ready in the demo, as the rules say it must
            if requirement.choices:
                evidence[requirement.key] = requirement.choices[0]
    try:
        record_listing(
            actor=staff,
            product=product,
            data=data,
            evidence=evidence,
            images=[_demo_photo(n) for n in range(3)] if not product.images.exists() else [],
        )
    except InvalidInput:
        return


def _date_changes(products: list[Product], when: dt.datetime) -> None:
    """Date the last change of each product (and its current state) back to ``when``."""
    for product in products:
        last = BrandingChange.objects.filter(product=product).order_by("-id").first()
        if last is not None:
            BrandingChange.objects.filter(pk=last.pk).update(changed_at=when)
        ProductBranding.objects.filter(product=product).update(changed_at=when)
