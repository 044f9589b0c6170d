"""The demo's support policies: every delivery state shows, and running it again changes
nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dualcirc.bureau.models.cases import PolicyDelivery
from dualcirc.bureau.policy_demo import stage_policy_demo
from dualcirc.catalog.models import Enterprise
from tests.factories import make_enterprise, make_region_tree
from tests.factories.api import make_enterprise_user, make_government_user
from tests.factories.bureau import make_figures

pytestmark = pytest.mark.django_db


def test_the_policy_demo_shows_each_state_once_and_is_idempotent() -> None:
    regions = make_region_tree()
    make_government_user(region=regions["qingdao"])
    last = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    for i in range(4):
        e = make_enterprise(region=regions["laixi"], employees=50 + i, export_share=40)
        make_enterprise_user(enterprise=e)
        make_figures(enterprise=e, month=last, revenue=20_000_000, exports={"US": 12_000_000})
    silent = make_enterprise(region=regions["laixi"], employees=10)  # no member to tell

    first = stage_policy_demo(enterprises=Enterprise.objects.all())
    again = stage_policy_demo(enterprises=Enterprise.objects.all())

    assert first == again
    assert all(first[state] > 0 for state in ("eligible", "notified", "confirmed", "paid"))
    assert PolicyDelivery.objects.filter(enterprise=silent, state="eligible").count() == 1
    assert not PolicyDelivery.objects.filter(policy__title="研发费用加计扣除奖励").exists()
