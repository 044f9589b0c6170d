"""The demo enters the operator's dong rate once, so Vietnamese viewers see prices in dong."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from dualcirc.core.enums import OrganisationKind
from dualcirc.deals.models import AuditEntry, ExchangeRate
from dualcirc.demo.loader import DEMO_VND_PER_CNY, _load_exchange_rates
from dualcirc.l10n.money import show_money
from dualcirc.l10n.rates import ecb_rate, forget_cached_rates
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def test_demo_dong_rate_is_entered_once_and_converts_for_vietnamese_viewers() -> None:
    operator = make_user(
        username="operator", organisation=make_organisation(kind=OrganisationKind.OPERATOR)
    )

    _load_exchange_rates({"operator": operator})
    _load_exchange_rates({"operator": operator})  # loading again changes nothing
    forget_cached_rates()

    cny = ecb_rate("CNY", timezone.localdate())
    assert cny is not None
    rows = list(ExchangeRate.objects.values_list("currency", "base", "rate", "date"))
    assert rows == [("VND", "CNY", Decimal(DEMO_VND_PER_CNY), cny.date)]
    assert AuditEntry.objects.filter(action="rate.set").count() == 1
    shown = show_money(Decimal("10"), "CNY", language="vi")
    assert shown is not None
    assert (shown.converted_text, shown.rate_date) == ("35.000\xa0₫", cny.date)
