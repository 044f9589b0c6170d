"""The organiser's meeting settings form starts from meeting_settings: what the fair has, or
the default daily hours until the organiser sets them."""

from __future__ import annotations

from datetime import time

from dualcirc.fair.domain.meetings import (
    DEFAULT_MEETINGS_END,
    DEFAULT_MEETINGS_START,
    meeting_settings,
)
from dualcirc.fair.models import Fair


def test_meeting_settings_offer_nine_to_five_until_the_organiser_sets_hours():
    fair = Fair(slot_minutes=20, meeting_cap=6)

    settings = meeting_settings(fair)

    assert (settings["start"], settings["end"]) == (DEFAULT_MEETINGS_START, DEFAULT_MEETINGS_END)
    assert settings == {
        "slot_minutes": 20,
        "start": time(9, 0),
        "end": time(17, 0),
        "meeting_cap": 6,
    }


def test_meeting_settings_keep_the_hours_the_organiser_set():
    fair = Fair(slot_minutes=15, meeting_cap=4, meetings_start=time(10, 30), meetings_end=time(16))

    settings = meeting_settings(fair)

    assert settings == {
        "slot_minutes": 15,
        "start": time(10, 30),
        "end": time(16, 0),
        "meeting_cap": 4,
    }


def test_meeting_settings_of_a_new_fair_use_the_models_defaults():
    settings = meeting_settings(Fair())

    assert (settings["slot_minutes"], settings["meeting_cap"]) == (30, 8)
