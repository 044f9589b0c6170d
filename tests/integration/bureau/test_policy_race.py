"""Two matching runs racing for the same enterprise (a figures task and a profile task at
once) create one delivery and tell its members once — on real PostgreSQL."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import connection

from dualcirc.bureau.domain import policies
from dualcirc.bureau.enums import PolicyMode
from dualcirc.bureau.models import SupportPolicy
from dualcirc.bureau.models.cases import PolicyDelivery, PolicyDeliveryEvent
from dualcirc.notify.models import Notification
from tests.factories import make_enterprise
from tests.factories.api import make_enterprise_user
from tests.factories.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_racing_matches_deliver_and_notify_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    enterprise = make_enterprise(employees=50)
    make_enterprise_user(enterprise=enterprise)
    SupportPolicy.objects.create(title="稳岗补贴", mode=PolicyMode.AUTOMATIC, amount=D(1000))

    results = race(
        lambda: policies.match_policies(enterprise_ids=[enterprise.pk]),
        lambda: policies.match_policies(enterprise_ids=[enterprise.pk]),
        lambda: policies.match_policies(enterprise_ids=[enterprise.pk]),
    )

    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(len(r) for r in results) == 1  # one run created it
    assert PolicyDelivery.objects.get().state == "notified"
    assert Notification.objects.filter(verb="policy_granted").count() == 1
    assert list(PolicyDeliveryEvent.objects.values_list("to_state", flat=True)) == [
        "eligible", "notified"
    ]  # fmt: skip
