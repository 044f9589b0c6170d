"""What the demand pages show that is computed, asked of demand.queries: the radar's totals
over the shown rows and the region the bureau's page is scoped to."""

from __future__ import annotations

import pytest

from dualcirc.core.enums import OrganisationKind
from dualcirc.demand.queries import Radar, RadarFilters, RadarRow, bureau_region_path
from tests.factories import make_organisation, make_region_tree, make_user


def _row(subject: str, volume: int, unmet: int) -> RadarRow:
    return RadarRow(
        subject=subject,
        market="VN",
        language="vi",
        month=24322,
        volume=volume,
        buyers=3,
        unmet=unmet,
    )


def test_radar_totals_add_up_the_shown_rows():
    radar = Radar(rows=[_row("9403", 12, 5), _row("6302", 7, 0)], hidden=4, filters=RadarFilters())

    assert (radar.shown_volume, radar.shown_unmet) == (19, 5)


def test_radar_totals_of_no_rows_are_zero():
    radar = Radar(rows=[], hidden=2, filters=RadarFilters())

    assert (radar.shown_volume, radar.shown_unmet) == (0, 0)


@pytest.mark.django_db
def test_bureau_region_path_is_the_first_governed_region_and_everywhere_for_others():
    regions = make_region_tree()
    bureau = make_organisation(kind=OrganisationKind.GOVERNMENT, region=regions["laixi"])
    official = make_user(organisation=bureau)
    operator = make_user(organisation=make_organisation(kind=OrganisationKind.OPERATOR))
    buyer = make_user(organisation=make_organisation(kind=OrganisationKind.BUYER))

    assert bureau_region_path(official) == regions["laixi"].path
    assert bureau_region_path(operator) == ""
    assert bureau_region_path(buyer) == ""
