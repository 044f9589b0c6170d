"""Errors of the deals app beyond core.errors."""

from __future__ import annotations

from dualcirc.core.errors import DomainError


class InvalidTransition(DomainError):
    """A move the state machine does not allow from the current state (409 in the API)."""

    status = 409
    code = "invalid_transition"
