"""Helpers shared by the deal verbs: parties, recipients, field parsing, version checks, and
the row locks every deal move takes (docs/deals.md, "Locking")."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, ParamSpec, TypeVar

from django.db import OperationalError, connection
from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _

from dualcirc.catalog.enums import CURRENCIES
from dualcirc.core.access import deal_parties
from dualcirc.core.errors import Conflict, FieldError, InvalidInput
from dualcirc.core.models import User
from dualcirc.core.sanitize import column_problem
from dualcirc.deals.enums import Incoterm
from dualcirc.ops.locks import is_lock_conflict, lock_conflict_message

log = logging.getLogger("dualcirc.deals")
P = ParamSpec("P")
R = TypeVar("R")


# Locking -------------------------------------------------------------------------------------
# One order for every deal move, so that two moves never wait on each other in a circle:
#   1. the sourcing request, 2. the quote, 3. the order
# (a move that needs a later row first locks the earlier ones it depends on). Each lock takes
# only its own row (``select_for_update(of=("self",))``): a lock with ``select_related`` would
# otherwise also lock the joined request and enterprise rows, in the join's order.


def lock_request(request_id: int) -> Any:
    from dualcirc.deals.models import SourcingRequest

    return SourcingRequest.objects.select_for_update(of=("self",)).get(pk=request_id)


def lock_quote(quote: Any) -> tuple[Any, Any]:
    """Lock ``quote``'s request, then the quote; both fresh from the database."""
    from dualcirc.deals.models import Quote

    request = lock_request(quote.request_id)
    locked = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("request", "supplier")
        .get(pk=quote.pk)
    )
    return request, locked


def lock_order(order: Any) -> Any:
    """Lock ``order`` (an order's moves touch no request or quote row)."""
    from dualcirc.deals.models import Order

    return Order.objects.select_for_update(of=("self",)).select_related("supplier").get(pk=order.pk)


def retry_on_lock_conflict(func: Callable[P, R]) -> Callable[P, R]:
    """Run a deal move (a function that opens its own transaction) again once when the
    database breaks a deadlock or a serialisation failure by aborting it; a second failure is
    a Conflict (409: "try again"), never an outage. Inside a caller's transaction the move
    cannot be replayed alone: the error goes up to the outermost move, which replays the
    whole transaction."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        replayable = not connection.in_atomic_block
        for attempt in (1, 2):
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                if not is_lock_conflict(exc):
                    raise
                if not replayable:
                    raise  # the outermost move (or the 409 of ops.middleware) decides
                log.warning("%s: lock conflict (try %d): %s", func.__name__, attempt, exc)
                if attempt == 2:
                    raise Conflict(lock_conflict_message()) from exc
        raise AssertionError("unreachable")

    return run


def members(organisation_id: int) -> list[User]:
    """The active people of an organisation (the recipients of what concerns it)."""
    return list(
        User.objects.filter(memberships__organisation_id=organisation_id, is_active=True).distinct()
    )


def quote_parties(user: Any, quote: Any) -> set[str]:
    return deal_parties(
        user,
        buyer_id=quote.request.buyer_id,
        supplier_organisation_id=quote.supplier.organisation_id,
    )


def order_parties(user: Any, order: Any) -> set[str]:
    return deal_parties(
        user, buyer_id=order.buyer_id, supplier_organisation_id=order.supplier.organisation_id
    )


def check_version(obj: Any, expected: int | None, what: str) -> None:
    """Raise Conflict when ``obj`` changed since the caller read version ``expected``."""
    if expected is not None and int(expected) != obj.version:
        raise Conflict(
            _(
                "Someone else changed this %(what)s while you were editing it. Review the "
                "current version; what you entered is kept below."
            )
            % {"what": what}
        )


def note_text(note: str | None, *, max_length: int, field: str = "note") -> str:
    """A free-text note, stripped; InvalidInput naming ``field`` when it is too long (never
    cut short silently, never left for the database to refuse)."""
    f = Fields({field: note})
    text = f.text(field, max_length=max_length)
    f.check(_("The note is too long."))
    return text


def url(name: str, pk: int) -> str:
    return reverse(f"deals:{name}", args=[pk])


class Fields:
    """Collects field errors while parsing a mapping of user input."""

    def __init__(self, data: Mapping[str, Any], *, model: type[Model] | None = None) -> None:
        self.data = data
        self.model = model  # numbers are bounded by this model's columns (core.sanitize)
        self.errors: list[FieldError] = []

    def _fits(self, field: str, value: Any, row: int | None = None) -> bool:
        problem = column_problem(value, self.model, field) if self.model is not None else None
        if problem:
            self.error(field, problem, row)
        return problem is None

    def error(self, field: str | None, message: str, row: int | None = None) -> None:
        self.errors.append(FieldError(field, message, row))

    def raw(self, field: str) -> Any:
        value = self.data.get(field)
        return value.strip() if isinstance(value, str) else value

    def text(self, field: str, *, required: bool = False, max_length: int = 0) -> str:
        value = self.raw(field)
        value = "" if value is None else str(value)
        if required and not value:
            self.error(field, _("This field is required."))
        elif max_length and len(value) > max_length:
            self.error(field, _("At most %(n)d characters.") % {"n": max_length})
        return value

    def decimal(
        self, field: str, *, required: bool = False, positive: bool = False, row: int | None = None
    ) -> Decimal | None:
        value = self.raw(field)
        if value in (None, ""):
            if required:
                self.error(field, _("This field is required."), row)
            return None
        if isinstance(value, float):
            self.error(field, _("Send amounts as decimal text, not floating point."), row)
            return None
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            self.error(field, _("%(value)r is not a number.") % {"value": value}, row)
            return None
        if not number.is_finite() or number < 0 or (positive and number == 0):
            self.error(
                field,
                _("Enter a number above zero.") if positive else _("Enter zero or more."),
                row,
            )
            return None
        return number if self._fits(field, number, row) else None

    def integer(self, field: str, *, required: bool = False) -> int | None:
        value = self.raw(field)
        if value in (None, ""):
            if required:
                self.error(field, _("This field is required."))
            return None
        try:
            number = int(str(value))
        except ValueError:
            self.error(field, _("Enter a whole number."))
            return None
        if number < 0:
            self.error(field, _("Enter zero or more."))
            return None
        return number if self._fits(field, number) else None

    def day(self, field: str, *, required: bool = False) -> date | None:
        value = self.raw(field)
        if value in (None, ""):
            if required:
                self.error(field, _("This field is required."))
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.error(field, _("Write dates as YYYY-MM-DD."))
            return None

    def currency(self, field: str = "currency") -> str:
        value = (self.text(field, required=True) or "").upper()
        if value and value not in CURRENCIES:
            self.error(
                field,
                _("Choose one of: %(codes)s.") % {"codes": ", ".join(CURRENCIES)},
            )
        return value

    def incoterm(self, field: str = "incoterm", *, required: bool = True) -> str:
        value = (self.text(field, required=required) or "").upper()
        if value and value not in Incoterm.values:
            self.error(
                field,
                _("%(value)r is not an Incoterms 2020 rule; choose one of %(rules)s.")
                % {"value": value, "rules": ", ".join(Incoterm.values)},
            )
        return value

    def check(self, message: str) -> None:
        if self.errors:
            raise InvalidInput(message, self.errors)
