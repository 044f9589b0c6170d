"""What came of each 1:1 meeting: both sides rate it and say what followed, right after it and
when prompted again at one and three months (docs/fair.md, "Outcomes").

Only the two sides of a held meeting answer (the organiser and the operator read the figures,
they do not answer for a side). Every answer is kept: :func:`rate_meeting` updates the side's
MeetingOutcome and appends a MeetingOutcomeChange (who, when, at which prompt, what).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dualcirc.core.access import AccessDenied, member_organisation_ids
from dualcirc.core.errors import Conflict, FieldError, InvalidInput
from dualcirc.core.models import User
from dualcirc.fair.enums import MeetingResult, MeetingStatus, PromptStage
from dualcirc.fair.models import (
    Meeting,
    MeetingOutcome,
    MeetingOutcomeChange,
    OutcomePrompt,
    Registration,
)
from dualcirc.notify.domain import notify

# When each prompt is due after the meeting ends; a stage is sent only until the next is due,
# so a meeting found late (a first run, a stopped timer) gets its latest prompt, not all three.
PROMPT_DELAYS: tuple[tuple[str, timedelta], ...] = (
    (PromptStage.HELD, timedelta(0)),
    (PromptStage.ONE_MONTH, timedelta(days=30)),
    (PromptStage.THREE_MONTHS, timedelta(days=90)),
)
PROMPT_WINDOW_END = timedelta(days=180)  # after half a year nobody is asked any more
PROMPT_VERBS = {
    PromptStage.HELD: "meeting_rate",
    PromptStage.ONE_MONTH: "meeting_follow_up",
    PromptStage.THREE_MONTHS: "meeting_follow_up",
}


def meeting_held(meeting: Meeting, *, now: datetime | None = None) -> bool:
    """A confirmed meeting whose slot has ended (the platform does not track attendance: a
    meeting neither side cancelled is taken as held)."""
    now = now or timezone.now()
    return meeting.status == MeetingStatus.CONFIRMED and meeting.slot.ends_at <= now


def rating_side(actor: Any, meeting: Meeting) -> Registration | None:
    """The side of ``meeting`` that ``actor`` answers for: a member of one of the two
    organisations (the first when, oddly, they belong to both); None for anyone else."""
    if not getattr(actor, "is_authenticated", False):
        return None
    mine = member_organisation_ids(actor)
    for side in (meeting.first, meeting.second):
        if side.organisation_id in mine:
            return side
    return None


def _order_errors(order: Any, meeting: Meeting) -> list[FieldError]:
    """An order linked to a meeting is one between its two sides (buyer and supplier either
    way round: an exhibitor may also buy)."""
    orgs = {meeting.first.organisation_id, meeting.second.organisation_id}
    if {order.buyer_id, order.supplier.organisation_id} != orgs:
        return [FieldError("order", _("This order is not between the two sides of the meeting."))]
    return []


def _money(value: Any, currency: str) -> tuple[Decimal | None, str, list[FieldError]]:
    if value in (None, ""):
        return None, "", []
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None, "", [FieldError("order_value", _("Write the value as a number."))]
    errors = []
    if not amount.is_finite() or amount <= 0:
        errors.append(FieldError("order_value", _("The value must be more than zero.")))
    elif amount >= Decimal("1e14"):
        errors.append(FieldError("order_value", _("The value is too large.")))
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        errors.append(FieldError("order_currency", _("Give the currency as three letters.")))
    return amount, currency, errors


@transaction.atomic
def rate_meeting(
    *,
    actor: User,
    meeting: Meeting,
    rating: Any,
    result: str,
    order: Any = None,
    order_value: Any = None,
    order_currency: str = "",
    note: str = "",
    stage: str = "",
    now: datetime | None = None,
) -> MeetingOutcome:
    """``actor``'s side of a held ``meeting`` rates it (1–5) and says what followed; an order
    placed may name the deals ``order`` between the two sides, or (made outside the platform)
    its ``order_value`` and ``order_currency``. ``stage`` names the prompt answered, if any.

    Preconditions: ``actor`` is a member of one side (else AccessDenied); the meeting was held
    (else Conflict). Invalid fields raise InvalidInput naming each field.
    Side effects: the side's MeetingOutcome created or updated; a MeetingOutcomeChange
    appended with the answer (the history: an earlier answer is never overwritten there).
    """
    side = rating_side(actor, meeting)
    if side is None:
        raise AccessDenied(_("Only the two sides of a meeting rate it."))
    if not meeting_held(meeting, now=now):
        raise Conflict(_("The meeting has not taken place yet: rate it after it ends."))
    errors: list[FieldError] = []
    try:
        stars = int(str(rating).strip())
    except ValueError:
        stars = 0
    if not 1 <= stars <= 5:
        errors.append(FieldError("rating", _("Give 1 to 5 stars.")))
    if result not in MeetingResult.values:
        errors.append(
            FieldError(
                "result", _("Choose no interest, samples requested, negotiating or order placed.")
            )
        )
    if stage and stage not in PromptStage.values:
        errors.append(FieldError("stage", _("Unknown prompt.")))
    amount, currency, money_errors = _money(order_value, order_currency)
    if result != MeetingResult.ORDER_PLACED and (order is not None or amount is not None):
        errors.append(FieldError("order", _("Only an order placed names an order or its value.")))
    elif order is not None and amount is not None:
        errors.append(
            FieldError("order_value", _("An order made on the platform brings its own value."))
        )
    else:
        errors += money_errors
        if order is not None:
            errors += _order_errors(order, meeting)
    if len(note) > 2000:
        errors.append(FieldError("note", _("At most 2,000 characters.")))
    if errors:
        raise InvalidInput(_("The rating is not valid."), errors)
    values = {
        "rating": stars,
        "result": result,
        "order": order,
        "order_value": amount,
        "order_currency": currency,
        "note": note.strip(),
    }
    outcome, _created = MeetingOutcome.objects.update_or_create(
        meeting=meeting, registration=side, defaults={**values, "rated_by": actor}
    )
    MeetingOutcomeChange.objects.create(
        outcome=outcome,
        stage=stage,
        changed_by=actor,
        changed_at=now or timezone.now(),
        **values,
    )
    return outcome


def outcome_url(meeting: Meeting) -> str:
    return reverse("fair:meeting-outcome", args=[meeting.pk])


def send_outcome_prompts(*, now: datetime | None = None) -> int:
    """Ask each side of each held meeting what came of it: right after it ends, at one month
    and at three months (``PROMPT_DELAYS``). Idempotent: one OutcomePrompt per meeting, side
    and stage, so running it again (every minute, from ``dualcirc periodic``) sends nothing
    twice. Not asked: a side that already answered since the stage fell due, or that said
    "no interest". Returns the number of prompts sent.
    Side effects: OutcomePrompt rows; a notification (and e-mail) to the side's contact
    person, linking to the outcome form."""
    now = now or timezone.now()
    sent = 0
    for index, (stage, delay) in enumerate(PROMPT_DELAYS):
        until = PROMPT_DELAYS[index + 1][1] if index + 1 < len(PROMPT_DELAYS) else None
        due = Meeting.objects.filter(
            status=MeetingStatus.CONFIRMED, slot__ends_at__lte=now - delay
        ).filter(slot__ends_at__gt=now - (until or PROMPT_WINDOW_END))
        # Meetings whose two sides both had this stage's prompt are done.
        due = (
            due.annotate(asked=Count("outcome_prompts", filter=Q(outcome_prompts__stage=stage)))
            .filter(asked__lt=2)
            .select_related(
                "slot",
                "first__organisation",
                "first__contact",
                "second__organisation",
                "second__contact",
            )
        )
        for meeting in due:
            sent += _prompt_meeting(meeting, stage=stage, due_at=meeting.slot.ends_at + delay)
    return sent


@transaction.atomic
def _prompt_meeting(meeting: Meeting, *, stage: str, due_at: datetime) -> int:
    done = set(
        OutcomePrompt.objects.filter(meeting=meeting, stage=stage).values_list(
            "registration_id", flat=True
        )
    )
    outcomes = {o.registration_id: o for o in MeetingOutcome.objects.filter(meeting=meeting)}
    sent = 0
    for side, other in ((meeting.first, meeting.second), (meeting.second, meeting.first)):
        if side.pk in done:
            continue
        outcome = outcomes.get(side.pk)
        # Recorded even when not sent, so the side is not considered again at this stage.
        _row, created = OutcomePrompt.objects.get_or_create(
            meeting=meeting, registration=side, stage=stage, defaults={"sent_at": timezone.now()}
        )
        if not created:
            continue
        if outcome is not None and (
            outcome.result == MeetingResult.NO_INTEREST or outcome.updated_at >= due_at
        ):
            continue
        contact = side.contact
        with translation.override(contact.preferred_language or settings.LANGUAGE_CODE):
            link = f"{outcome_url(meeting)}?stage={stage}"  # in the reader's language
        notify([contact], PROMPT_VERBS[PromptStage(stage)], other.organisation, link)
        sent += 1
    return sent
