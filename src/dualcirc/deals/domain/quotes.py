"""Quotes: a supplier quotes once per request, revises until the buyer acts, or withdraws."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import (
    AccessDenied,
    can_see_request_as_supplier,
    require,
    supplier_organisation_ids,
)
from dualcirc.core.errors import Conflict, DomainError, FieldError, InvalidInput
from dualcirc.deals.domain.audit import record_audit
from dualcirc.deals.domain.common import (
    Fields,
    check_version,
    lock_quote,
    lock_request,
    members,
    quote_parties,
    retry_on_lock_conflict,
    url,
)
from dualcirc.deals.domain.machines import QUOTE_MOVES, allowed_targets, check_move
from dualcirc.deals.domain.requests import refresh_request, transition_request
from dualcirc.deals.enums import (
    SEA_ONLY_INCOTERMS,
    WATER_MODES,
    ClosedReason,
    Party,
    QuoteState,
    RequestState,
    TransportMode,
)
from dualcirc.deals.models import (
    Negotiation,
    Offer,
    Quote,
    QuoteAttachment,
    QuoteTier,
    SourcingRequest,
)
from dualcirc.notify.domain import notify

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
ATTACHMENT_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    # XLSX and DOCX are ZIP archives.
    b"PK\x03\x04": "application/zip",
}
QUOTE_TERMS = (
    "unit_price",
    "currency",
    "quantity",
    "incoterm",
    "transport_mode",
    "named_place",
    "moq",
    "lead_time_days",
    "valid_until",
    "deposit_percent",
    "sample_terms",
    "notes",
)


def parse_tiers(raw: Any) -> list[tuple[Decimal, Decimal]]:
    """Quantity tiers ``[{"min_quantity", "unit_price"}, …]``: quantities rising, prices > 0.

    Raises InvalidInput naming the tier (``row``, from 1) and field.
    """
    tiers: list[tuple[Decimal, Decimal]] = []
    errors: list[FieldError] = []
    last: Decimal | None = None
    for row, item in enumerate(raw or [], start=1):
        f = Fields(item if isinstance(item, Mapping) else {}, model=QuoteTier)
        quantity = f.decimal("min_quantity", required=True, positive=True, row=row)
        price = f.decimal("unit_price", required=True, positive=True, row=row)
        errors.extend(FieldError(f"tiers.{e.field}", e.message, row) for e in f.errors)
        if quantity is not None and last is not None and quantity <= last:
            errors.append(
                FieldError(
                    "tiers.min_quantity",
                    _("Each tier starts at a larger quantity than the one before."),
                    row,
                )
            )
        last = quantity if quantity is not None else last
        if quantity is not None and price is not None:
            tiers.append((quantity, price))
    if errors:
        raise InvalidInput(_("The quantity tiers are not valid."), errors)
    return tiers


def check_transport_mode(*, incoterm: str, transport_mode: str) -> str:
    """The transport mode the terms travel by: a sea-only Incoterm (FAS, FOB, CFR, CIF) with no
    mode stated travels by sea; with a mode other than sea or inland waterway → InvalidInput
    naming ``transport_mode``. Other Incoterms take any mode, or none ("" = not stated)."""
    if incoterm not in SEA_ONLY_INCOTERMS:
        return transport_mode
    if not transport_mode:
        return TransportMode.SEA.value
    if transport_mode not in WATER_MODES:
        raise InvalidInput(
            _("%(rule)s is for sea and inland waterway transport only.") % {"rule": incoterm},
            [
                FieldError(
                    "transport_mode",
                    _(
                        "%(rule)s needs sea or inland waterway; for %(mode)s choose FCA, CPT or "
                        "CIP instead."
                    )
                    % {"rule": incoterm, "mode": TransportMode(transport_mode).label},
                )
            ],
        )
    return transport_mode


def parse_quote_terms(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """The terms of a quote or offer from user input; ``partial``: only the fields given."""
    f = Fields(data, model=Quote)
    out: dict[str, Any] = {}

    def wanted(name: str) -> bool:
        return not partial or (name in data and data[name] not in (None, ""))

    if wanted("unit_price"):
        out["unit_price"] = f.decimal("unit_price", required=True, positive=True)
    if wanted("currency"):
        out["currency"] = f.currency()
    if wanted("quantity"):
        out["quantity"] = f.decimal("quantity", positive=True)
    if wanted("incoterm"):
        out["incoterm"] = f.incoterm()
    if wanted("transport_mode"):
        mode = f.text("transport_mode") or ""
        if mode and mode not in TransportMode.values:
            f.error(
                "transport_mode",
                _("Choose one of: %(modes)s.") % {"modes": ", ".join(TransportMode.values)},
            )
        out["transport_mode"] = mode
    if wanted("named_place"):
        out["named_place"] = f.text("named_place", required=True, max_length=200)
    if wanted("moq"):
        out["moq"] = f.decimal("moq")
    if wanted("lead_time_days"):
        out["lead_time_days"] = f.integer("lead_time_days", required=True)
    if wanted("valid_until"):
        valid = f.day("valid_until", required=True)
        if valid is not None and valid < timezone.localdate():
            f.error("valid_until", _("The validity date has already passed."))
        out["valid_until"] = valid
    if wanted("deposit_percent"):
        deposit = f.decimal("deposit_percent")
        if deposit is not None and deposit > 100:
            f.error("deposit_percent", _("A deposit is between 0 and 100 %."))
        out["deposit_percent"] = Decimal(30) if deposit is None else deposit
    if wanted("sample_terms"):
        out["sample_terms"] = f.text("sample_terms", max_length=2000)
    if wanted("notes"):
        out["notes"] = f.text("notes", max_length=5000)
    f.check(_("The quote is not valid."))
    if not partial:  # partial terms are checked once merged with the current ones
        out["transport_mode"] = check_transport_mode(
            incoterm=out["incoterm"], transport_mode=out.get("transport_mode", "")
        )
    return out


def check_attachment(upload: UploadedFile, row: int) -> str:
    """The content type of an acceptable attachment; InvalidInput naming it otherwise."""
    name = upload.name or "?"
    if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(
            _("The attachment is too large."),
            [FieldError("attachments", _("%(name)s is larger than 10 MB.") % {"name": name}, row)],
        )
    head = upload.read(8)
    upload.seek(0)
    for signature, content_type in ATTACHMENT_SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    raise InvalidInput(
        _("The attachment is not of an accepted type."),
        [
            FieldError(
                "attachments",
                _("%(name)s is not a PDF, PNG, JPEG, XLSX or DOCX file.") % {"name": name},
                row,
            )
        ],
    )


def _supplier_of(actor: Any, request: SourcingRequest, enterprise: Enterprise | None) -> Enterprise:
    candidates = Enterprise.objects.filter(organisation_id__in=supplier_organisation_ids(actor))
    if enterprise is not None:
        candidates = candidates.filter(pk=enterprise.pk)
    allowed = [e for e in candidates if can_see_request_as_supplier(actor, request, e)]
    require(bool(allowed), _("Your enterprise is not invited to quote on this request."))
    if len(allowed) > 1:
        raise InvalidInput(
            _("Choose which enterprise quotes."),
            [FieldError("enterprise", _("You belong to several invited enterprises."))],
        )
    return allowed[0]


def price_for_quantity(offer: Offer, quantity: Decimal | None) -> Decimal:
    """The unit price ``offer`` asks for ``quantity``: the price of the highest quantity tier
    that ``quantity`` reaches, else the offer's unit price (also when no quantity is known)."""
    price = offer.unit_price
    if quantity is None:
        return price
    for min_quantity, tier_price in sorted((Decimal(q), Decimal(p)) for q, p in offer.tiers):
        if quantity >= min_quantity:
            price = tier_price
    return price


def offer_values(quote: Quote, tiers: Sequence[tuple[Decimal, Decimal]]) -> dict[str, Any]:
    return {
        "quantity": quote.quantity,
        "unit_price": quote.unit_price,
        "currency": quote.currency,
        "incoterm": quote.incoterm,
        "transport_mode": quote.transport_mode,
        "named_place": quote.named_place,
        "lead_time_days": quote.lead_time_days,
        "deposit_percent": quote.deposit_percent,
        "valid_until": quote.valid_until,
        "tiers": [[str(q), str(p)] for q, p in tiers],
        "note": quote.notes,
    }


def _put_supplier_offer(
    *, actor: Any, quote: Quote, tiers: Sequence[tuple[Decimal, Decimal]]
) -> Offer:
    """The quote's terms as the next offer version of its negotiation, by the supplier: version
    1 with a new quote (the negotiation is opened), one more with each revision."""
    negotiation, _created = Negotiation.objects.get_or_create(quote=quote)
    latest = negotiation.offers.order_by("-number").first()
    return Offer.objects.create(
        negotiation=negotiation,
        number=(latest.number if latest else 0) + 1,
        party=Party.SUPPLIER,
        author=actor,
        **offer_values(quote, tiers),
    )


# The quote is still being negotiated: counters, messages, attachments and acceptance allowed.
OPEN_QUOTE_STATES = (QuoteState.SUBMITTED, QuoteState.NEGOTIATING)


def quote_terms_editable(*, request: SourcingRequest, quote: Quote | None) -> bool:
    """Whether the supplier may still send (``quote`` None) or revise its quote on ``request``:
    the rules :func:`submit_quote` and :func:`revise_quote` enforce, for pages to show the form.
    """
    return request.state == RequestState.OPEN and (
        quote is None or quote.state == QuoteState.SUBMITTED
    )


def _ensure_open(request: SourcingRequest) -> None:
    if request.state != RequestState.OPEN:
        raise Conflict(
            _("This request no longer takes quotes (%(state)s).")
            % {"state": RequestState(request.state).label}
        )


@retry_on_lock_conflict
def submit_quote(
    *,
    actor: Any,
    request: SourcingRequest,
    data: Mapping[str, Any],
    tiers: Any = (),
    attachments: Sequence[UploadedFile] = (),
    enterprise: Enterprise | None = None,
) -> Quote:
    """Quote on ``request`` for the actor's invited enterprise (``enterprise`` if several).

    Locks the request so that its quote limit holds under concurrent submissions; reaching the
    limit closes it. Side effects: Quote, QuoteTier rows, QuoteAttachment files, a Negotiation
    with the quote as offer version 1, an audit entry, the buyer notified. Raises InvalidInput
    (bad field, naming it), AccessDenied (not invited), Conflict (already quoted; closed).
    """
    refresh_request(request)  # its own transaction: a passed deadline closes it for good
    with transaction.atomic():
        return _submit_quote(
            actor=actor,
            request=request,
            data=data,
            tiers=tiers,
            attachments=attachments,
            enterprise=enterprise,
        )


def _submit_quote(
    *,
    actor: Any,
    request: SourcingRequest,
    data: Mapping[str, Any],
    tiers: Any,
    attachments: Sequence[UploadedFile],
    enterprise: Enterprise | None,
) -> Quote:
    supplier = _supplier_of(actor, request, enterprise)
    terms = parse_quote_terms(data)
    tier_values = parse_tiers(tiers)
    types = _check_attachments(attachments)
    locked = lock_request(request.pk)
    _ensure_open(locked)
    if locked.quotes.filter(supplier=supplier).exists():
        raise Conflict(_("Your enterprise has already quoted on this request; revise that quote."))
    try:
        with transaction.atomic():
            quote = Quote.objects.create(
                request=locked, supplier=supplier, submitted_by=actor, **terms
            )
    except IntegrityError as exc:
        raise Conflict(_("Your enterprise has already quoted on this request.")) from exc
    QuoteTier.objects.bulk_create(
        QuoteTier(quote=quote, min_quantity=q, unit_price=p) for q, p in tier_values
    )
    _save_attachments(quote, attachments, types)
    _put_supplier_offer(actor=actor, quote=quote, tiers=tier_values)
    record_audit(
        actor=actor,
        party=Party.SUPPLIER,
        subject=quote,
        action="quote.submitted",
        to_state=QuoteState.SUBMITTED,
    )
    notify(
        members(locked.buyer_id),
        "quote_received",
        locked,
        url("buyer-request", locked.pk),
        actor=actor,
    )
    if locked.quotes.count() >= locked.max_quotes:
        transition_request(
            actor=None,
            request=locked,
            to_state=RequestState.CLOSED,
            reason=ClosedReason.QUOTE_LIMIT,
        )
    request.refresh_from_db()
    quote.refresh_from_db()  # the stored figures (scale of the Decimal columns)
    return quote


def _check_attachments(uploads: Sequence[UploadedFile], *, already: int = 0) -> list[str]:
    """The content types of ``uploads``; InvalidInput when there are too many (with the
    ``already`` stored ones), one is too large or not of an accepted type."""
    if already + len(uploads) > MAX_ATTACHMENTS:
        raise InvalidInput(
            _("Too many attachments."),
            [FieldError("attachments", _("At most %(n)d files.") % {"n": MAX_ATTACHMENTS})],
        )
    return [check_attachment(a, row) for row, a in enumerate(uploads, start=1)]


def _save_attachments(
    quote: Quote, uploads: Sequence[UploadedFile], types: Sequence[str]
) -> list[QuoteAttachment]:
    saved = []
    for upload, content_type in zip(uploads, types, strict=True):
        att = QuoteAttachment(
            quote=quote,
            name=(upload.name or "file")[:200],
            content_type=content_type,
            size=upload.size or 0,
        )
        att.file.save(upload.name or "file", upload, save=False)
        att.save()
        saved.append(att)
    return saved


def check_can_attach(*, actor: Any, quote: Quote) -> None:
    """Raise unless ``actor`` may attach files to ``quote`` now: AccessDenied when not the
    quoting supplier, Conflict when the quote is closed. No side effects; used by
    :func:`add_quote_attachments` (on the locked row) and :func:`can_attach_to_quote`."""
    require(
        Party.SUPPLIER in quote_parties(actor, quote),
        _("Only the supplier who quoted may attach files to the quote."),
    )
    if quote.state not in OPEN_QUOTE_STATES:
        raise Conflict(
            _("The quote is %(state)s; files can no longer be attached.")
            % {"state": QuoteState(quote.state).label}
        )


def can_attach_to_quote(user: Any, quote: Quote) -> bool:
    """``user`` may attach files to ``quote`` now (:func:`check_can_attach` passes)."""
    try:
        check_can_attach(actor=user, quote=quote)
    except (DomainError, AccessDenied):
        return False
    return True


def closing_quote_moves(user: Any, quote: Quote) -> list[str]:
    """The moves that end ``quote`` which ``user`` may make from its state, in table order:
    withdrawing (the supplier) and rejecting (the buyer). The other moves are made by
    countering and accepting, never chosen directly. No side effects."""
    parties = quote_parties(user, quote)
    return [
        state
        for state in allowed_targets(QUOTE_MOVES, quote.state, parties)
        if state in (QuoteState.WITHDRAWN, QuoteState.REJECTED)
    ]


@retry_on_lock_conflict
@transaction.atomic
def add_quote_attachments(
    *, actor: Any, quote: Quote, attachments: Sequence[UploadedFile]
) -> list[QuoteAttachment]:
    """Attach files to ``quote`` while it is open (submitted or under negotiation), with the
    checks of :func:`submit_quote`: PDF, PNG, JPEG, XLSX or DOCX by content, 10 MB each, 5 per
    quote in all.

    Raises AccessDenied (not the quoting supplier), Conflict (the quote is closed),
    InvalidInput naming the file (``row``, from 1). Side effects: QuoteAttachment rows and
    files; an audit entry naming the files; the buyer notified.
    """
    locked = _lock_quote(quote)
    check_can_attach(actor=actor, quote=locked)
    if not attachments:
        raise InvalidInput(
            _("No file was sent."), [FieldError("attachments", _("Choose at least one file."))]
        )
    types = _check_attachments(attachments, already=locked.attachments.count())
    saved = _save_attachments(locked, attachments, types)
    record_audit(
        actor=actor,
        party=Party.SUPPLIER,
        subject=locked,
        action="quote.attachments",
        from_state=locked.state,
        to_state=locked.state,
        note=", ".join(a.name for a in saved),
    )
    notify(
        members(locked.request.buyer_id),
        "quote_attachments",
        locked.request,
        url("negotiation", locked.pk),
        actor=actor,
    )
    return saved


def _lock_quote(quote: Quote) -> Quote:
    return lock_quote(quote)[1]  # request, then quote (docs/deals.md, "Locking")


@retry_on_lock_conflict
@transaction.atomic
def revise_quote(
    *,
    actor: Any,
    quote: Quote,
    data: Mapping[str, Any],
    tiers: Any = None,
    expected_version: int | None = None,
) -> Quote:
    """Change the terms of ``quote`` while the buyer has not acted on it yet.

    ``expected_version`` is the version the supplier edited; a newer one → Conflict (nothing
    saved). Side effects: the quote's terms, tiers (when given) and version + 1; a new offer
    version; an audit entry; the buyer notified.
    """
    locked = _lock_quote(quote)
    require(
        Party.SUPPLIER in quote_parties(actor, locked),
        _("Only the supplier who quoted may revise the quote."),
    )
    check_version(locked, expected_version, _("quote"))
    if locked.state != QuoteState.SUBMITTED:
        raise Conflict(
            _("The buyer has already acted on this quote (%(state)s); answer in the negotiation.")
            % {"state": QuoteState(locked.state).label}
        )
    _ensure_open(locked.request)
    terms = parse_quote_terms(data, partial=True)
    tier_values = (
        parse_tiers(tiers)
        if tiers is not None
        else [(t.min_quantity, t.unit_price) for t in locked.tiers.all()]
    )
    for name, value in terms.items():
        setattr(locked, name, value)
    locked.transport_mode = check_transport_mode(
        incoterm=locked.incoterm, transport_mode=locked.transport_mode
    )
    locked.version += 1
    locked.save()
    if tiers is not None:
        locked.tiers.all().delete()
        QuoteTier.objects.bulk_create(
            QuoteTier(quote=locked, min_quantity=q, unit_price=p) for q, p in tier_values
        )
    _put_supplier_offer(actor=actor, quote=locked, tiers=tier_values)
    record_audit(
        actor=actor,
        party=Party.SUPPLIER,
        subject=locked,
        action="quote.revised",
        from_state=locked.state,
        to_state=locked.state,
        note=f"v{locked.version}",
    )
    locked.refresh_from_db()
    notify(
        members(locked.request.buyer_id),
        "quote_revised",
        locked.request,
        url("buyer-request", locked.request_id),
        actor=actor,
    )
    return locked


@retry_on_lock_conflict
@transaction.atomic
def transition_quote(
    *,
    actor: Any,
    quote: Quote,
    to_state: str,
    note: str = "",
    expected_version: int | None = None,
) -> Quote:
    """Move ``quote`` along QUOTE_MOVES (``actor`` None: the system, e.g. another was accepted).

    Raises InvalidTransition, AccessDenied or Conflict (stale ``expected_version``). Side
    effects: state and version + 1; an audit entry; the other side notified of a rejection.
    """
    locked = _lock_quote(quote)
    check_version(locked, expected_version, _("quote"))
    parties = {Party.SYSTEM.value} if actor is None else quote_parties(actor, locked)
    party = check_move(QUOTE_MOVES, locked.state, to_state, parties)
    before = locked.state
    locked.state = to_state
    locked.version += 1
    locked.save(update_fields=["state", "version", "updated_at"])
    record_audit(
        actor=actor,
        party=party,
        subject=locked,
        action=f"quote.{to_state}",
        from_state=before,
        to_state=to_state,
        note=note,
    )
    if to_state == QuoteState.REJECTED:
        notify(
            members(locked.supplier.organisation_id),
            "quote_rejected",
            locked.request,
            url("supplier-request", locked.request_id),
            actor=actor,
        )
    quote.state, quote.version = locked.state, locked.version
    return locked
