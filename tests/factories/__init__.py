"""Test factories: plain functions that create valid objects with sensible defaults.

Every argument is keyword-only; pass only what the test is about.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import Enterprise, IndustrialBelt, Product
from dualcirc.catalog.validators import CREDIT_CODE_CHARSET, credit_code_check_character
from dualcirc.core.enums import OrganisationKind, RegionLevel, Role
from dualcirc.core.models import Membership, Organisation, Region, User

_seq = itertools.count(1)

PASSWORD = "correct-horse-battery-9"


def valid_credit_code(n: int | None = None) -> str:
    """A syntactically valid unified social credit code (GB 32100-2015), unique per ``n``."""
    n = next(_seq) if n is None else n
    body = "91370285" + "".join(CREDIT_CODE_CHARSET[(n // 31**i) % 31] for i in range(9))
    return body + credit_code_check_character(body)


def make_region(
    *,
    code: str | None = None,
    name_zh: str = "莱西市",
    name_en: str = "Laixi",
    level: str = RegionLevel.COUNTY,
    parent: Region | None = None,
) -> Region:
    return Region.objects.create(
        code=code or f"R{next(_seq)}", name_zh=name_zh, name_en=name_en, level=level, parent=parent
    )


def make_region_tree() -> dict[str, Region]:
    """Shandong → Qingdao → Laixi, Jiaozhou; Zhejiang → Jinhua → Lanxi."""
    sd = make_region(code="37", name_zh="山东省", name_en="Shandong", level=RegionLevel.PROVINCE)
    qd = make_region(
        code="3702", name_zh="青岛市", name_en="Qingdao", level=RegionLevel.CITY, parent=sd
    )
    lx = make_region(code="370285", name_zh="莱西市", name_en="Laixi", parent=qd)
    jz = make_region(code="370281", name_zh="胶州市", name_en="Jiaozhou", parent=qd)
    zj = make_region(code="33", name_zh="浙江省", name_en="Zhejiang", level=RegionLevel.PROVINCE)
    jh = make_region(
        code="3307", name_zh="金华市", name_en="Jinhua", level=RegionLevel.CITY, parent=zj
    )
    lanxi = make_region(code="330781", name_zh="兰溪市", name_en="Lanxi", parent=jh)
    return {
        "shandong": sd,
        "qingdao": qd,
        "laixi": lx,
        "jiaozhou": jz,
        "zhejiang": zj,
        "jinhua": jh,
        "lanxi": lanxi,
    }


def make_organisation(
    *,
    kind: str = OrganisationKind.BUYER,
    name: str | None = None,
    region: Region | None = None,
    **extra: Any,
) -> Organisation:
    return Organisation.objects.create(
        kind=kind, name=name or f"Org {next(_seq)}", region=region, **extra
    )


def make_user(
    *,
    username: str | None = None,
    organisation: Organisation | None = None,
    role: str = Role.MEMBER,
    password: str = PASSWORD,
    **extra: Any,
) -> User:
    username = username or f"user{next(_seq)}"
    user = User.objects.create_user(
        username=username, password=password, email=f"{username}@example.com", **extra
    )
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def make_enterprise(
    *,
    name_zh: str | None = None,
    name_en: str = "",
    region: Region | None = None,
    belt: IndustrialBelt | None = None,
    **extra: Any,
) -> Enterprise:
    region = region or make_region()
    n = next(_seq)
    name_zh = name_zh or f"测试工厂{n}有限公司"
    org = make_organisation(
        kind=OrganisationKind.ENTERPRISE, name=name_zh, name_en=name_en, region=region
    )
    extra.setdefault("credit_code", valid_credit_code(n))
    return Enterprise.objects.create(
        organisation=org, name_zh=name_zh, name_en=name_en, region=region, belt=belt, **extra
    )


def make_product(
    *,
    enterprise: Enterprise | None = None,
    sku: str | None = None,
    title_zh: str = "",
    title_en: str = "Solid oak dining table",
    hs_code: str = "940360",
    status: str = ProductStatus.PUBLISHED,
    **extra: Any,
) -> Product:
    enterprise = enterprise or make_enterprise()
    extra.setdefault("moq", Decimal("50"))
    extra.setdefault("unit", "pcs")
    extra.setdefault("price_min", Decimal("120.00"))
    extra.setdefault("price_max", Decimal("150.00"))
    extra.setdefault("currency", "USD")
    product = Product(
        enterprise=enterprise,
        sku=sku or f"SKU-{next(_seq)}",
        title_zh=title_zh,
        title_en=title_en,
        hs_code=hs_code,
        status=status,
        **extra,
    )
    product.languages = product.compute_languages()
    product.save()
    return product
