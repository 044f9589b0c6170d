"""Sourcing requests: publish (inviting the best-matching suppliers), close, cancel, award."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import pycountry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.catalog.hs import is_valid_hs_code, normalise_hs_code
from dualcirc.catalog.models import Enterprise, IndustrialBelt
from dualcirc.core.access import (
    buyer_organisation_ids,
    can_create_sourcing_request,
    can_manage_sourcing_request,
    is_operator,
    require,
)
from dualcirc.core.errors import DomainError, FieldError, InvalidInput
from dualcirc.core.models import Organisation
from dualcirc.deals.domain.audit import record_audit
from dualcirc.deals.domain.common import (
    Fields,
    check_version,
    lock_request,
    members,
    retry_on_lock_conflict,
    url,
)
from dualcirc.deals.domain.machines import REQUEST_MOVES, allowed_targets, check_move
from dualcirc.deals.enums import (
    ClosedReason,
    InvitationSource,
    Party,
    QuoteState,
    RequestState,
    Visibility,
)
from dualcirc.deals.models import SourcingRequest, SupplierInvitation
from dualcirc.demand.after_response import after_commit_and_response
from dualcirc.demand.domain import record_sourcing_request
from dualcirc.notify.domain import notify

log = logging.getLogger(__name__)

MATCH_LIMIT = 8


def _buyer_of(actor: Any, buyer: Organisation | None) -> Organisation:
    ids = buyer_organisation_ids(actor)
    if buyer is None:
        if len(ids) != 1:
            raise InvalidInput(
                _("Choose which buyer organisation this request is for."),
                [FieldError("buyer", _("You belong to several buyer organisations."))],
            )
        return Organisation.objects.get(pk=next(iter(ids)))
    require(buyer.pk in ids, _("You may post requests only for your own buyer organisation."))
    return buyer


def _parse(data: Mapping[str, Any]) -> dict[str, Any]:
    f = Fields(data, model=SourcingRequest)
    out: dict[str, Any] = {
        "title": f.text("title", required=True, max_length=200),
        "need": f.text("need", required=True, max_length=5000),
        "quantity": f.decimal("quantity", positive=True),
        "unit": f.text("unit", max_length=20),
        "target_price": f.decimal("target_price", positive=True),
        "currency": f.currency(),
        "destination_place": f.text("destination_place", max_length=200),
        "incoterm": f.incoterm(required=False),
    }
    hs = normalise_hs_code(str(f.raw("hs_code") or ""))
    if hs and not (len(hs) == 6 and is_valid_hs_code(hs)):
        f.error("hs_code", _("%(code)r is not a 6-digit HS code.") % {"code": hs})
    out["hs_code"] = hs
    country = (f.text("destination_country", required=True) or "").upper()
    if country and pycountry.countries.get(alpha_2=country) is None:
        f.error(
            "destination_country",
            _("%(code)r is not an ISO 3166-1 alpha-2 country code.") % {"code": country},
        )
    out["destination_country"] = country
    certs = f.raw("certifications") or []
    if isinstance(certs, str):
        certs = [c for c in (p.strip() for p in certs.replace("，", ",").split(",")) if c]
    if not isinstance(certs, list) or not all(isinstance(c, str) for c in certs):
        f.error("certifications", _("Expected a list of certificate names."))
        certs = []
    out["certifications"] = [c.strip() for c in certs if c.strip()]
    deadline = f.raw("deadline")
    if isinstance(deadline, str) and deadline:
        try:
            deadline = datetime.fromisoformat(deadline)
        except ValueError:
            f.error("deadline", _("Write the deadline as YYYY-MM-DD HH:MM."))
            deadline = None
    if not deadline:
        f.error("deadline", _("This field is required."))
    elif isinstance(deadline, datetime):
        if timezone.is_naive(deadline):
            deadline = timezone.make_aware(deadline)
        if deadline <= timezone.now():
            f.error("deadline", _("The deadline must be in the future."))
    out["deadline"] = deadline
    max_quotes = f.integer("max_quotes")
    if max_quotes is not None and not 1 <= max_quotes <= 100:
        f.error("max_quotes", _("Between 1 and 100 quotes."))
    out["max_quotes"] = max_quotes or 10
    visibility = f.text("visibility") or Visibility.MATCHED
    if visibility not in Visibility.values:
        f.error("visibility", _("Choose one of: %(v)s.") % {"v": ", ".join(Visibility.values)})
    out["visibility"] = visibility
    if out["target_price"] is not None and not out["currency"]:
        f.error("currency", _("A target price needs a currency."))
    f.check(_("The sourcing request is not valid."))
    return out


def _reason_values(match: Any) -> list[dict[str, Any]]:
    """The matching reasons as plain values, rendered into words when shown (any language)."""
    from dualcirc.search.explain import constraint_values

    # Terms and semantic closeness of the best product; constraint checks of the supplier.
    explanation = match.products[0].explanation if match.products else match.explanation
    out: list[dict[str, Any]] = []
    if explanation.named:  # the product is what the request names (type agreement)
        out.append({"kind": "named", "names": list(explanation.named)})
    out += [{"kind": "term", "field": t.field, "terms": list(t.terms)} for t in explanation.terms]
    if explanation.related:  # words of the best matches, not the buyer's own
        out.append({"kind": "related", "terms": list(explanation.related)})
    if explanation.semantic_percent is not None:
        out.append({"kind": "semantic", "percent": explanation.semantic_percent})
    for r in match.supplier.reasons:
        if r.check is not None:
            values = constraint_values(r.check.constraint)
            values.pop("label", None)
            values["constraint"] = values.pop("kind")
            satisfied = r.check.satisfied
            status = "unknown" if satisfied is None else ("met" if satisfied else "failed")
            out.append({"kind": "constraint", "status": status, "detail": r.check.detail, **values})
    out.append(
        {
            "kind": "products",
            "products": [{"id": p.product.pk, "title": p.product.title} for p in match.products],
        }
    )
    return out


def match_suppliers(*, actor: Any, request: SourcingRequest) -> list[Any]:
    """The best-matching suppliers for ``request`` (search.queries.suppliers_for_need)."""
    from dualcirc.search.queries import suppliers_for_need

    text = " ".join(filter(None, [request.need, request.hs_code]))
    try:
        return suppliers_for_need(
            user=actor,
            text=text,
            quantity=request.quantity,
            unit=request.unit,
            target_price=request.target_price,
            currency=request.currency if request.target_price is not None else "",
            destination=request.destination_country,
            certifications=request.certifications,
            limit=MATCH_LIMIT,
        )
    except InvalidInput as exc:  # the need cannot be searched: invite by hand only
        log.info("deals: no matching for request %s: %s", request.pk, exc)
        return []


@transaction.atomic
def publish_request(
    *,
    actor: Any,
    data: Mapping[str, Any],
    buyer: Organisation | None = None,
    invite: Iterable[Enterprise] = (),
    belt: IndustrialBelt | None = None,
) -> SourcingRequest:
    """Publish a sourcing request for ``buyer`` (the actor's buyer organisation by default).

    ``data`` holds the fields of the form or API body. Unless the visibility is "invited only",
    the best-matching suppliers are invited with the reasons they matched; ``invite`` adds
    suppliers by hand. Side effects: a SourcingRequest (state open), one SupplierInvitation per
    supplier, an audit entry, a notification (in-app and e-mail) to each invited supplier's
    members. Raises InvalidInput naming each bad field, AccessDenied for non-buyers.
    """
    require(can_create_sourcing_request(actor), _("Only buyers post sourcing requests."))
    organisation = _buyer_of(actor, buyer)
    fields = _parse(data)
    request = SourcingRequest.objects.create(
        buyer=organisation, created_by=actor, belt=belt, **fields
    )
    record_audit(
        actor=actor,
        party=Party.BUYER,
        subject=request,
        action="request.published",
        to_state=RequestState.OPEN,
    )
    invitations: dict[int, SupplierInvitation] = {}
    for enterprise in invite:
        invitations[enterprise.pk] = SupplierInvitation(
            request=request, enterprise=enterprise, source=InvitationSource.MANUAL
        )
    if request.visibility != Visibility.INVITED:
        for rank, match in enumerate(match_suppliers(actor=actor, request=request), start=1):
            invitations.setdefault(
                match.enterprise.pk,
                SupplierInvitation(
                    request=request,
                    enterprise=match.enterprise,
                    source=InvitationSource.MATCHED,
                    rank=rank,
                    score=float(match.supplier.score),
                    reasons=_reason_values(match),
                ),
            )
    SupplierInvitation.objects.bulk_create(invitations.values())
    for enterprise_org in Enterprise.objects.filter(pk__in=invitations).values_list(
        "organisation_id", flat=True
    ):
        notify(
            members(enterprise_org),
            "request_invited",
            request,
            url("supplier-request", request.pk),
            actor=actor,
        )
    # Counted as demand once committed and the response sent (never slows or fails the
    # publishing: see demand.after_response).
    after_commit_and_response(lambda: record_sourcing_request(request=request))
    return request


def _request_parties(actor: Any, request: SourcingRequest) -> set[str]:
    if actor is None:
        return {Party.SYSTEM.value}
    parties = set()
    if can_manage_sourcing_request(actor, request):
        parties.add(Party.BUYER.value)
    if is_operator(actor):
        parties.add(Party.OPERATOR.value)
    return parties


def can_close_request(user: Any, request: SourcingRequest) -> bool:
    """``user`` may close ``request`` now: :func:`transition_request` to "closed" would pass
    its REQUEST_MOVES check (an open request, closed by its buyer). Reads nothing but
    ``user``'s memberships; no side effects."""
    parties = _request_parties(user, request)
    return RequestState.CLOSED in allowed_targets(REQUEST_MOVES, request.state, parties)


@retry_on_lock_conflict
@transaction.atomic
def transition_request(
    *,
    actor: Any,
    request: SourcingRequest,
    to_state: str,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> SourcingRequest:
    """Move ``request`` to ``to_state`` along REQUEST_MOVES (``actor`` None: the system).

    Locks the row; raises InvalidTransition for a move the table lacks, AccessDenied when the
    actor's side may not make it, Conflict on a stale ``expected_version``. Side effects: state,
    closed reason and time, version + 1; an audit entry; closing or cancelling notifies the
    suppliers that quoted and are still waiting.
    """
    locked = lock_request(request.pk)  # docs/deals.md, "Locking"
    check_version(locked, expected_version, _("sourcing request"))
    party = check_move(REQUEST_MOVES, locked.state, to_state, _request_parties(actor, locked))
    before = locked.state
    locked.state = to_state
    locked.version += 1
    if to_state in (RequestState.CLOSED, RequestState.CANCELLED, RequestState.AWARDED):
        locked.closed_at = locked.closed_at or timezone.now()
        if to_state == RequestState.CLOSED:
            locked.closed_reason = reason or ClosedReason.BUYER
        elif to_state == RequestState.AWARDED:
            locked.closed_reason = ClosedReason.AWARDED
    locked.save(update_fields=["state", "version", "closed_at", "closed_reason"])
    record_audit(
        actor=actor,
        party=party,
        subject=locked,
        action=f"request.{to_state}",
        from_state=before,
        to_state=to_state,
        note=note or reason,
    )
    if to_state in (RequestState.CLOSED, RequestState.CANCELLED):
        waiting = locked.quotes.filter(
            state__in=[QuoteState.SUBMITTED, QuoteState.NEGOTIATING]
        ).values_list("supplier__organisation_id", flat=True)
        for org_id in waiting:
            notify(members(org_id), "request_closed", locked, url("supplier-request", locked.pk))
    request.__dict__.update(
        {k: getattr(locked, k) for k in ("state", "version", "closed_at", "closed_reason")}
    )
    return locked


def refresh_request(request: SourcingRequest, *, now: datetime | None = None) -> SourcingRequest:
    """Close ``request`` if its deadline has passed by ``now`` (default: the current time) —
    the lazy half of the deadline rule; ``close_due_requests`` is the other. Returns the
    request, up to date."""
    if request.state == RequestState.OPEN and request.deadline <= (now or timezone.now()):
        try:
            transition_request(
                actor=None,
                request=request,
                to_state=RequestState.CLOSED,
                reason=ClosedReason.DEADLINE,
            )
        except DomainError:  # someone else closed or awarded it a moment ago
            request.refresh_from_db()
    return request


def close_due_requests(*, now: datetime | None = None) -> int:
    """Close every open request whose deadline has passed by ``now`` (default: the current
    time); returns how many this call closed (0 when run again). Side effects: those of
    ``transition_request`` (state, audit entry, notifications) for each."""
    now = now or timezone.now()
    due: Sequence[SourcingRequest] = list(
        SourcingRequest.objects.filter(state=RequestState.OPEN, deadline__lte=now)
    )
    closed = 0
    for request in due:
        refresh_request(request, now=now)
        closed += request.state == RequestState.CLOSED
    return closed
