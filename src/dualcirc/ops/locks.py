"""Lock conflicts: a database error that means "two requests crossed, try again", told apart
from an outage (deals.domain.common.retry_on_lock_conflict, ops.middleware)."""

from __future__ import annotations

# SQLSTATE of a deadlock and of a serialisation failure (PostgreSQL); both mean "try again".
LOCK_CONFLICT_STATES = frozenset({"40P01", "40001"})


def is_lock_conflict(exception: BaseException) -> bool:
    """Whether a database error is a deadlock or serialisation failure, as opposed to an
    outage (SQLite's "database is locked" counts: another writer held the file)."""
    cause = exception.__cause__ or exception
    if getattr(cause, "sqlstate", None) in LOCK_CONFLICT_STATES:
        return True
    return "database is locked" in str(exception)


def lock_conflict_message() -> str:
    """What a client is told when its request crossed another one (translated when asked)."""
    from django.utils.translation import gettext as _

    return _("Someone changed this at the same moment; reload and try again.")
