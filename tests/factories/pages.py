"""Factories for the public catalog pages: a small catalog of two belts and their people."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from dualcirc.catalog.domain import add_product_image
from dualcirc.catalog.models import Enterprise, IndustrialBelt, Product, ProductImage
from dualcirc.core.enums import Role
from dualcirc.core.models import Region, User
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import make_belt, make_enterprise_user
from tests.factories.files import png_bytes


@dataclass
class PagesWorld:
    """Shandong → Qingdao → Laixi (furniture belt), Jiaozhou; Zhejiang → Jinhua → Lanxi
    (textile belt); one enterprise in Laixi with a member."""

    regions: dict[str, Region] = field(default_factory=make_region_tree)
    laixi_belt: IndustrialBelt = field(init=False)
    lanxi_belt: IndustrialBelt = field(init=False)
    factory: Enterprise = field(init=False)
    member: User = field(init=False)

    def __post_init__(self) -> None:
        self.laixi_belt = make_belt(
            region=self.regions["laixi"],
            slug="laixi-furniture",
            name_zh="莱西家具",
            name_en="Laixi furniture",
            industry="家具",
        )
        self.lanxi_belt = make_belt(
            region=self.regions["lanxi"],
            slug="lanxi-textiles",
            name_zh="兰溪纺织",
            name_en="Lanxi textiles",
            industry="纺织",
        )
        self.factory = make_enterprise(
            name_zh="莱西橡木家具有限公司",
            name_en="Laixi Oak Furniture Co.",
            region=self.regions["laixi"],
            belt=self.laixi_belt,
            industries=["家具"],
        )
        self.member = make_enterprise_user(enterprise=self.factory, role=Role.ADMIN)

    def enterprise(self, *, region: str = "laixi", **extra: Any) -> Enterprise:
        belt = {"laixi": self.laixi_belt, "lanxi": self.lanxi_belt}.get(region)
        extra.setdefault("belt", belt)
        return make_enterprise(region=self.regions[region], **extra)


def add_image(*, actor: User, product: Product, name: str = "photo.png") -> ProductImage:
    """A real PNG stored through the domain function."""
    upload = SimpleUploadedFile(name, png_bytes(), content_type="image/png")
    return add_product_image(actor=actor, product=product, upload=upload)
