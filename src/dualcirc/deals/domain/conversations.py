"""Conversations: "Contact supplier" threads between a buyer and a supplier enterprise.

A thread is opened in one click from a product or company page (:func:`open_conversation`),
carries messages both ways (:func:`post_conversation_message`) and turns into a sourcing
request to this supplier in one step (:func:`request_quote_from_conversation`). Only the buyer
organisation's members, the supplier enterprise's members and the platform operator see a
thread (:func:`can_view_conversation`); everyone else gets "no such thread".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.catalog.models import Enterprise, Product
from dualcirc.core.access import (
    buyer_organisation_ids,
    can_create_sourcing_request,
    can_view_product,
    deal_parties,
    is_operator,
    require,
    supplier_organisation_ids,
)
from dualcirc.core.errors import Conflict, FieldError, InvalidInput
from dualcirc.core.models import Organisation
from dualcirc.deals.domain.common import members
from dualcirc.deals.domain.requests import publish_request
from dualcirc.deals.enums import Party, Visibility
from dualcirc.deals.models import Conversation, ConversationMessage, SourcingRequest
from dualcirc.deals.prefill import plain_quantity
from dualcirc.notify.domain import notify

MAX_MESSAGE = 5000
QUOTE_DEADLINE_DAYS = 14


def conversation_parties(user: Any, conversation: Conversation) -> set[str]:
    """The sides ``user`` may act for in ``conversation`` (empty: a stranger to it)."""
    return deal_parties(
        user,
        buyer_id=conversation.buyer_id,
        supplier_organisation_id=conversation.supplier.organisation_id,
    )


def can_view_conversation(user: Any, conversation: Conversation) -> bool:
    """The buyer organisation's members, the supplier enterprise's members, the operator."""
    return bool(conversation_parties(user, conversation))


def conversations_for(user: Any) -> QuerySet[Conversation]:
    """The threads ``user`` takes part in (as buyer or supplier; every thread for the
    operator), latest message first, with both sides and the product loaded."""
    qs = Conversation.objects.select_related("buyer", "supplier", "product", "sourcing_request")
    if not is_operator(user):
        qs = qs.filter(
            Q(buyer_id__in=buyer_organisation_ids(user))
            | Q(supplier__organisation_id__in=supplier_organisation_ids(user))
        )
    return qs.order_by("-last_message_at", "-created_at", "-id")


def _buyer_for(actor: Any, buyer: Organisation | None) -> Organisation:
    ids = buyer_organisation_ids(actor)
    if buyer is not None:
        require(buyer.pk in ids, _("You may write only for your own buyer organisation."))
        return buyer
    # Several buyer organisations: the first by id, the same every time.
    organisation = Organisation.objects.filter(pk__in=ids).order_by("pk").first()
    require(organisation is not None, _("Sign in with a buyer account to contact suppliers."))
    assert organisation is not None  # for the type checker: require() raised otherwise
    return organisation


def open_conversation(
    *,
    actor: Any,
    supplier: Enterprise,
    product: Product | None = None,
    buyer: Organisation | None = None,
) -> Conversation:
    """The thread between the actor's buyer organisation and ``supplier`` about ``product``
    (about the company in general when None), created when there is none yet.

    Preconditions: the actor is a member of a buyer organisation (AccessDenied otherwise);
    ``product`` belongs to ``supplier`` and the actor may see it (InvalidInput naming
    ``product``). Idempotent: opening it again returns the same thread, also when two requests
    race. Side effects: at most one Conversation row; nobody is notified until a message is
    written.
    """
    require(
        can_create_sourcing_request(actor),
        _("Sign in with a buyer account to contact suppliers."),
    )
    organisation = _buyer_for(actor, buyer)
    if product is not None and (
        product.enterprise_id != supplier.pk or not can_view_product(actor, product)
    ):
        raise InvalidInput(
            _("The product is not one of this supplier's."),
            [FieldError("product", _("Choose a product of this supplier."))],
        )
    lookup = {"buyer": organisation, "supplier": supplier, "product": product}
    existing = Conversation.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Conversation.objects.create(started_by=actor, **lookup)
    except IntegrityError:  # opened by someone of the same side a moment ago
        return Conversation.objects.get(**lookup)


def conversation_side(user: Any, conversation: Conversation) -> str:
    """The side ``user`` writes for in ``conversation``: the buyer side before the supplier
    side before the operator (a member of both sides writes as the buyer); "" for a
    stranger. Reads only."""
    parties = conversation_parties(user, conversation)
    for party in (Party.BUYER, Party.SUPPLIER, Party.OPERATOR):
        if party.value in parties:
            return party.value
    return ""


def conversation_counterpart(user: Any, conversation: Conversation) -> Organisation | Enterprise:
    """Who ``user`` is talking to in ``conversation``: the buyer organisation when they write
    for the supplier, the supplier enterprise otherwise (the buyer, the operator). Reads
    only."""
    if conversation_side(user, conversation) == Party.SUPPLIER:
        return conversation.buyer
    return conversation.supplier


def can_request_quote_from_conversation(user: Any, conversation: Conversation) -> bool:
    """``user`` may turn the thread into a quotation request now: they belong to the buyer
    side (as :func:`request_quote_from_conversation` requires) and the thread is not linked to
    a sourcing request yet. Reads only."""
    return (
        Party.BUYER.value in conversation_parties(user, conversation)
        and conversation.sourcing_request_id is None
    )


def _side(actor: Any, conversation: Conversation) -> str:
    side = conversation_side(actor, conversation)
    require(bool(side), _("This conversation is not yours."))
    return side


def thread_url(conversation: Conversation) -> str:
    return reverse("deals:conversation", args=[conversation.pk])


@transaction.atomic
def post_conversation_message(
    *, actor: Any, conversation: Conversation, body: str
) -> ConversationMessage:
    """Write ``body`` in ``conversation`` for the actor's side.

    Raises AccessDenied for strangers, InvalidInput naming ``body`` when it is empty or longer
    than MAX_MESSAGE characters. Side effects: a ConversationMessage; the thread's
    ``last_message_at``; a notification (in-app and e-mail) to every member of the other side
    (of both sides when the operator writes).
    """
    side = _side(actor, conversation)
    text = (body or "").strip()
    if not text:
        raise InvalidInput(_("The message is empty."), [FieldError("body", _("Write something."))])
    if len(text) > MAX_MESSAGE:
        raise InvalidInput(
            _("The message is too long."),
            [FieldError("body", _("At most %(n)d characters.") % {"n": MAX_MESSAGE})],
        )
    message = ConversationMessage.objects.create(
        conversation=conversation, party=side, author=actor, body=text
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=message.created_at)
    conversation.last_message_at = message.created_at
    recipients = []
    if side != Party.BUYER:
        recipients += members(conversation.buyer_id)
    if side != Party.SUPPLIER:
        recipients += members(conversation.supplier.organisation_id)
    notify(recipients, "conversation_message", conversation, thread_url(conversation), actor=actor)
    return message


def quote_request_data(
    conversation: Conversation, data: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The sourcing request a thread stands for: its product (title, HS code, unit, currency)
    and the buyer's messages as the need, overridden by ``data`` (quantity, target price, …).
    Reads only."""
    product = conversation.product
    buyer_lines = [
        m.body
        for m in conversation.messages.filter(party=Party.BUYER).order_by("created_at", "id")[:10]
    ]
    if product is not None:
        title = product.title_en or product.title
        need = "\n\n".join([product.title, *buyer_lines])
        fields: dict[str, Any] = {
            "hs_code": product.hs_code if len(product.hs_code) == 6 else "",
            "unit": product.unit,
            "currency": product.currency or "CNY",
            "quantity": plain_quantity(product.moq),
        }
    else:
        title = _("Enquiry to %(supplier)s") % {
            "supplier": conversation.supplier.name_en or conversation.supplier.name_zh
        }
        need = "\n\n".join(buyer_lines) or title
        fields = {"currency": "CNY"}
    fields.update(
        {
            "title": title[:200],
            "need": need[:5000],
            "destination_country": conversation.buyer.country or "CN",
            "deadline": timezone.now() + timedelta(days=QUOTE_DEADLINE_DAYS),
            "max_quotes": 1,
            "visibility": Visibility.INVITED,
        }
    )
    for name, value in (data or {}).items():
        if value not in (None, ""):
            fields[name] = value
    return fields


QUOTE_REQUEST_ASKED = ("quantity", "unit", "currency", "destination_country")


def quote_request_initial(conversation: Conversation) -> dict[str, Any]:
    """The terms the buyer is asked to confirm before the thread becomes a quotation request
    (QUOTE_REQUEST_ASKED), pre-filled from :func:`quote_request_data`: the product's MOQ,
    unit and currency, the buyer's country. Reads only."""
    data = quote_request_data(conversation)
    return {name: data.get(name) for name in QUOTE_REQUEST_ASKED}


@transaction.atomic
def request_quote_from_conversation(
    *, actor: Any, conversation: Conversation, data: Mapping[str, Any] | None = None
) -> SourcingRequest:
    """Turn the thread into a sourcing request to this supplier only, in one step.

    The request is built by :func:`quote_request_data` (``data`` overrides its fields) and
    published with ``deals.domain.publish_request`` (invited: this supplier only). Only the
    buyer side may do it (AccessDenied otherwise); bad fields raise InvalidInput naming them.
    Side effects: those of ``publish_request`` (request, invitation, audit entry, notification
    to the supplier), the thread linked to the request. A thread already linked to a request
    raises Conflict (its id left on ``conversation.sourcing_request_id``): one request per
    thread, also when two posts race.
    """
    require(
        Party.BUYER.value in conversation_parties(actor, conversation),
        _("Only the buyer asks for a quotation."),
    )
    with transaction.atomic():
        # The thread's row is locked so that two tabs posting at once make one request.
        linked = (
            Conversation.objects.select_for_update()
            .filter(pk=conversation.pk)
            .values_list("sourcing_request_id", flat=True)
            .first()
        )
        if linked is not None:
            conversation.sourcing_request_id = linked
            raise Conflict(_("This conversation already has a quotation request."))
        rfq = publish_request(
            actor=actor,
            data=quote_request_data(conversation, data),
            buyer=conversation.buyer,
            invite=[conversation.supplier],
        )
        Conversation.objects.filter(pk=conversation.pk).update(sourcing_request=rfq)
    conversation.sourcing_request = rfq
    return rfq
