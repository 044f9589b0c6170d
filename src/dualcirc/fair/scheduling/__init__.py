"""The 1:1 meeting scheduler: a pure-Python core that imports nothing from Django.

Public surface::

    from dualcirc.fair.scheduling import (
        Participant, Request, Slot, KeptMeeting, Preference, Problem, schedule_meetings,
    )

``schedule_meetings(problem, time_limit_s=...)`` always returns a valid :class:`Schedule`
(checked by :func:`find_violations` before it is returned). See docs/fair.md.
"""

from dualcirc.fair.scheduling.model import (
    Interval,
    KeptMeeting,
    Participant,
    Placement,
    Preference,
    Problem,
    Request,
    Schedule,
    SchedulingInputError,
    Slot,
    WeightPolicy,
    pair_weight,
)
from dualcirc.fair.scheduling.solve import schedule_meetings
from dualcirc.fair.scheduling.validate import find_violations

__all__ = [
    "Interval",
    "KeptMeeting",
    "Participant",
    "Placement",
    "Preference",
    "Problem",
    "Request",
    "Schedule",
    "SchedulingInputError",
    "Slot",
    "WeightPolicy",
    "find_violations",
    "pair_weight",
    "schedule_meetings",
]
