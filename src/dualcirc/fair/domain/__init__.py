"""Every write of the fair app, one function per state change (see docs/fair.md)."""

from dualcirc.fair.domain.documents import add_booth_document, remove_booth_document
from dualcirc.fair.domain.fairs import (
    add_hall,
    answer_lead,
    create_fair,
    create_lead,
    create_session,
    decide_registration,
    publish_fair,
    record_booth_visit,
    register_for_fair,
    register_for_session,
    send_session_reminders,
    update_booth,
)
from dualcirc.fair.domain.meetings import (
    add_room,
    cancel_meeting,
    configure_meetings,
    publish_agendas,
    run_scheduler,
    set_availability,
    set_meeting_wish,
)
from dualcirc.fair.domain.outcomes import rate_meeting, send_outcome_prompts

__all__ = [
    "add_booth_document",
    "add_hall",
    "add_room",
    "answer_lead",
    "cancel_meeting",
    "configure_meetings",
    "create_fair",
    "create_lead",
    "create_session",
    "decide_registration",
    "publish_agendas",
    "publish_fair",
    "rate_meeting",
    "record_booth_visit",
    "register_for_fair",
    "register_for_session",
    "remove_booth_document",
    "run_scheduler",
    "send_outcome_prompts",
    "send_session_reminders",
    "set_availability",
    "set_meeting_wish",
    "update_booth",
]
