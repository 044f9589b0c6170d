"""Audit entries read as sentences in the active language, never as stored action codes."""

from __future__ import annotations

import pytest
from django.utils import translation

from dualcirc.deals.enums import Party
from dualcirc.deals.models import AuditEntry
from dualcirc.deals.presentation import audit_lines


@pytest.mark.parametrize(
    ("action", "sentence"),
    [
        ("quote.submitted", "Quote submitted by dualcirc (automatically)"),
        ("quote.revised", "Quote revised by dualcirc (automatically)"),
        ("quote.attachments", "dualcirc (automatically) attached files to the quote"),
        ("request.published", "Sourcing request published by dualcirc (automatically)"),
        ("order.unknown", "dualcirc (automatically) changed the deal"),
    ],
)
def test_audit_lines_say_who_did_what(action: str, sentence: str) -> None:
    entry = AuditEntry(
        party=Party.SYSTEM, subject_type="quote", subject_id=1, action=action, note="why"
    )

    with translation.override("en"):
        [line] = audit_lines([entry])

    assert line.text == sentence
    assert line.note == "why"
