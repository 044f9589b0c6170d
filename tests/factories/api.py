"""Factories for the JSON API tests: belts, people of each kind of organisation, tokens."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from dualcirc.catalog.models import Enterprise, IndustrialBelt
from dualcirc.core.api_auth import issue_api_token
from dualcirc.core.enums import OrganisationKind, Role
from dualcirc.core.models import Region, User
from tests.factories import (
    make_enterprise,
    make_organisation,
    make_region_tree,
    make_user,
)

_seq = itertools.count(1)


def make_belt(
    *,
    region: Region,
    slug: str | None = None,
    name_zh: str = "莱西家具",
    name_en: str = "Laixi furniture",
    industry: str = "furniture",
) -> IndustrialBelt:
    return IndustrialBelt.objects.create(
        slug=slug or f"belt-{next(_seq)}",
        name_zh=name_zh,
        name_en=name_en,
        industry=industry,
        region=region,
    )


def make_enterprise_user(*, enterprise: Enterprise, role: str = Role.MEMBER, **extra: Any) -> User:
    return make_user(organisation=enterprise.organisation, role=role, **extra)


def make_operator(**extra: Any) -> User:
    return make_user(organisation=make_organisation(kind=OrganisationKind.OPERATOR), **extra)


def make_government_user(*, region: Region, **extra: Any) -> User:
    body = make_organisation(kind=OrganisationKind.GOVERNMENT, region=region)
    return make_user(organisation=body, **extra)


def make_buyer(**extra: Any) -> User:
    return make_user(organisation=make_organisation(kind=OrganisationKind.BUYER), **extra)


def bearer(user: User) -> dict[str, str]:
    """Headers for a request authenticated by a fresh API token of ``user``."""
    return {"Authorization": f"Bearer {issue_api_token(user=user, name='test')}"}


class CatalogWorld:
    """Three enterprises in two provinces and one person of every kind who may call the API.

    Shandong → Qingdao → Laixi (``laixi``: furniture belt, private fields filled in) and
    Jiaozhou (``jiaozhou``); Zhejiang → Jinhua → Lanxi (``lanxi``: textiles).
    """

    def __init__(self) -> None:
        self.regions = make_region_tree()
        self.belt = make_belt(region=self.regions["laixi"], slug="laixi-furniture")
        self.laixi = make_enterprise(
            name_zh="莱西木业有限公司",
            name_en="Laixi Woodworks",
            region=self.regions["laixi"],
            belt=self.belt,
            industries=["furniture"],
            certifications=["ISO 9001"],
            export_markets=["US", "DE"],
            employees=120,
            export_share=Decimal("35.50"),
            contacts=[{"name": "王伟", "title": "经理", "phone": "13800000000", "email": ""}],
            description="Solid wood tables",
        )
        self.jiaozhou = make_enterprise(
            name_zh="胶州家电有限公司",
            name_en="Jiaozhou Appliances",
            region=self.regions["jiaozhou"],
            industries=["appliances"],
        )
        self.lanxi = make_enterprise(
            name_zh="兰溪纺织有限公司",
            name_en="Lanxi Denim",
            region=self.regions["lanxi"],
            industries=["textiles", "denim"],
        )
        self.laixi_member = make_enterprise_user(enterprise=self.laixi)
        self.jiaozhou_member = make_enterprise_user(enterprise=self.jiaozhou)
        self.buyer = make_buyer()
        self.qingdao_government = make_government_user(region=self.regions["qingdao"])
        self.zhejiang_government = make_government_user(region=self.regions["zhejiang"])
        self.operator = make_operator()
