"""An alert's sentence names countries, numbers and months in the viewer's locale, never codes."""

from __future__ import annotations

import pytest
from django.utils import translation

from dualcirc.bureau.domain.alerts import describe_alert
from dualcirc.bureau.models import Alert


def _alert(reason: str, **details: object) -> Alert:
    return Alert(reason=reason, details=details)  # unsaved: the wording needs no database


@pytest.mark.parametrize(
    ("language", "country", "share"),
    [("en", "Thailand", "68.0"), ("zh-hans", "泰国", "68.0"), ("vi", "Thái Lan", "68,0")],
)
def test_destination_concentration_names_the_country(
    language: str, country: str, share: str
) -> None:
    with translation.override(language):
        text = describe_alert(_alert("destination_concentration", country="TH", share="68.0"))

    assert country in text and f"{share}%" in text
    assert "TH" not in text


def test_falling_orders_and_missing_report_use_locale_numbers_and_months() -> None:
    with translation.override("en"):
        falling = describe_alert(
            _alert("falling_orders", months=3, **{"from": "1250000", "to": "980000.5"})
        )
        missing = describe_alert(_alert("missing_report", month="2026-11"))

    assert falling == "Orders on hand fell 3 months running, from 1,250,000 to 980,000 yuan."
    assert missing == "The report for Nov 2026 has not been submitted."
