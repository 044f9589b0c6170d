"""Business rules of deals: every write goes through one of these verb-first functions.

- requests: :func:`publish_request`, :func:`transition_request`, :func:`close_due_requests`
- quotes: :func:`submit_quote`, :func:`revise_quote`, :func:`transition_quote`,
  :func:`add_quote_attachments`
- negotiation: :func:`make_counter_offer`, :func:`post_message`, :func:`accept_offer`
- orders: :func:`transition_order`, :func:`update_milestone`, :func:`record_payment`

Each checks permissions (core.access), validates naming the field, locks the rows it changes
(``select_for_update`` plus version columns), writes an AuditEntry for each state change and
notifies the other side (notify.domain.notify).
"""

from dualcirc.deals.domain.negotiation import accept_offer, make_counter_offer, post_message
from dualcirc.deals.domain.orders import record_payment, transition_order, update_milestone
from dualcirc.deals.domain.quotes import (
    add_quote_attachments,
    revise_quote,
    submit_quote,
    transition_quote,
)
from dualcirc.deals.domain.requests import (
    close_due_requests,
    publish_request,
    refresh_request,
    transition_request,
)

__all__ = [
    "accept_offer",
    "add_quote_attachments",
    "close_due_requests",
    "make_counter_offer",
    "post_message",
    "publish_request",
    "record_payment",
    "refresh_request",
    "revise_quote",
    "submit_quote",
    "transition_order",
    "transition_quote",
    "transition_request",
    "update_milestone",
]
