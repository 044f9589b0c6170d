"""Region paths: what "this region and below" means for a government (core/models.py)."""

from __future__ import annotations

import pytest

from dualcirc.core.access import can_view_enterprise_private
from dualcirc.core.enums import OrganisationKind, RegionLevel
from dualcirc.core.models import Region
from tests.factories import (
    make_enterprise,
    make_organisation,
    make_region,
    make_region_tree,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_region_moved_to_another_parent_takes_its_subregions_along() -> None:
    tree = make_region_tree()
    town = make_region(code="370285101", name_zh="水集街道", parent=tree["laixi"])
    qingdao_gov = make_organisation(kind=OrganisationKind.GOVERNMENT, region=tree["qingdao"])
    jinhua_gov = make_organisation(kind=OrganisationKind.GOVERNMENT, region=tree["jinhua"])
    enterprise = make_enterprise(region=town)
    qingdao_official = make_user(organisation=qingdao_gov)
    jinhua_official = make_user(organisation=jinhua_gov)

    laixi = tree["laixi"]
    laixi.parent = tree["jinhua"]
    laixi.save()

    assert Region.objects.get(code="370285").path == "/33/3307/370285/"
    assert Region.objects.get(code="370285101").path == "/33/3307/370285/370285101/"
    enterprise.region.refresh_from_db()
    assert can_view_enterprise_private(jinhua_official, enterprise)
    assert not can_view_enterprise_private(qingdao_official, enterprise)


def test_region_code_change_is_carried_into_the_paths_below() -> None:
    province = make_region(code="37", name_zh="山东省", level=RegionLevel.PROVINCE)
    city = make_region(code="3702", name_zh="青岛市", level=RegionLevel.CITY, parent=province)
    make_region(code="370285", parent=city)

    province.code = "370000"
    province.save()

    assert dict(Region.objects.values_list("code", "path")) == {
        "370000": "/370000/",
        "3702": "/370000/3702/",
        "370285": "/370000/3702/370285/",
    }
