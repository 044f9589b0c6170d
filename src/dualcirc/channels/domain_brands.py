"""Writers of the own-brand records: an enterprise's brands and their CNIPA trademark, the
authorisation letters it gives distributors, and a product's move from "OEM for X" to a brand.

Every writer checks ``core.access.can_edit_enterprise`` (the enterprise's members and the
operator) and raises ``InvalidInput`` with one ``FieldError`` per bad field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.catalog.models import Enterprise, Product
from dualcirc.channels.enums import BrandAction, Branding, TrademarkStatus
from dualcirc.channels.models import (
    Brand,
    BrandAuthorisation,
    BrandEvent,
    BrandingChange,
    DomesticListing,
    ProductBranding,
)
from dualcirc.channels.readiness import check_evidence
from dualcirc.channels.rules import load_rule_book
from dualcirc.core.access import can_edit_enterprise, require
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.deals.domain.quotes import check_attachment

NICE_CLASSES = range(1, 46)  # the Nice Classification has 45 classes (goods 1–34, services 35–45)
MAX_BULK_PRODUCTS = 500
# the audit trail's language-neutral marks of a trademark's status
STATUS_MARKS: dict[str, str] = {
    TrademarkStatus.APPLIED: "TM",
    TrademarkStatus.REGISTERED: "®",
    TrademarkStatus.REVOKED: "✕",
}


def _invalid(errors: list[FieldError]) -> InvalidInput:
    return InvalidInput(_("Check the highlighted fields."), errors)


def parse_nice_classes(value: Any) -> list[int]:
    """``"20, 24"`` or ``[20, 24]`` → ``[20, 24]`` (sorted, no repeats); each class 1–45."""
    parts = (
        [p for p in str(value).replace("，", ",").replace(" ", ",").split(",") if p.strip()]
        if isinstance(value, str)
        else list(value or [])
    )
    classes: set[int] = set()
    for part in parts:
        text = str(part).strip()
        if not text.isdigit() or int(text) not in NICE_CLASSES:
            raise _invalid(
                [
                    FieldError(
                        "nice_classes",
                        _("%(value)s is not a Nice class (1–45).") % {"value": text},
                    )
                ]
            )
        classes.add(int(text))
    if not classes:
        raise _invalid([FieldError("nice_classes", _("Give at least one Nice class."))])
    return sorted(classes)


def check_trademark_number(value: str) -> str | None:
    """The problem with a CNIPA registration number (the rule of ``compliance.json``'s
    ``trademark`` requirement: 1–8 digits), or None."""
    return check_evidence(load_rule_book().requirements["trademark"], value)


@transaction.atomic
def save_brand(
    *, actor: Any, enterprise: Enterprise, data: Mapping[str, Any], brand: Brand | None = None
) -> Brand:
    """Create a brand of ``enterprise`` (or update ``brand``, which must be one of its brands)
    from ``name``, ``trademark_number``, ``nice_classes``, ``owner``, ``registered_on``,
    ``expires_on`` and ``status``.

    Invariants: the name is unique within the enterprise; a registered trademark has both its
    registration and expiry dates, the expiry after the registration. Side effect: renaming a
    brand renames it on its products' domestic listings."""
    require(can_edit_enterprise(actor, enterprise))
    if brand is not None and brand.enterprise_id != enterprise.pk:
        raise Brand.DoesNotExist
    errors: list[FieldError] = []
    name = str(data.get("name") or "").strip()
    if not name:
        errors.append(FieldError("name", _("Give the brand's name.")))
    elif len(name) > 100:
        errors.append(FieldError("name", _("At most 100 characters.")))
    number = str(data.get("trademark_number") or "").strip()
    problem = check_trademark_number(number)
    if problem:
        errors.append(FieldError("trademark_number", problem))
    classes: list[int] = []
    try:
        classes = parse_nice_classes(data.get("nice_classes"))
    except InvalidInput as exc:
        errors.extend(exc.errors)
    owner = str(data.get("owner") or "").strip()
    if not owner:
        errors.append(FieldError("owner", _("Give the registrant named on the certificate.")))
    elif len(owner) > 200:
        errors.append(FieldError("owner", _("At most 200 characters.")))
    status = str(data.get("status") or TrademarkStatus.REGISTERED)
    if status not in TrademarkStatus.values:
        errors.append(FieldError("status", _("Unknown status.")))
    registered_on: dt.date | None = data.get("registered_on")
    expires_on: dt.date | None = data.get("expires_on")
    if status == TrademarkStatus.REGISTERED:
        if registered_on is None:
            errors.append(FieldError("registered_on", _("A registered trademark has this date.")))
        if expires_on is None:
            errors.append(FieldError("expires_on", _("A registered trademark has this date.")))
    if registered_on and expires_on and expires_on <= registered_on:
        errors.append(FieldError("expires_on", _("Must be after the registration date.")))
    if errors:
        raise _invalid(errors)
    old_name = brand.name if brand is not None else None
    before = _brand_label(brand) if brand is not None else ""
    old_status = brand.status if brand is not None else ""
    old_expiry = brand.expires_on if brand is not None else None
    brand = brand or Brand(enterprise=enterprise)
    brand.name, brand.trademark_number, brand.nice_classes = name, number, classes
    brand.owner, brand.status = owner, status
    brand.registered_on, brand.expires_on = registered_on, expires_on
    try:
        with transaction.atomic():
            brand.save()
    except IntegrityError:
        raise _invalid([FieldError("name", _("The enterprise already has this brand."))]) from None
    if old_name is not None and old_name != name:
        DomesticListing.objects.filter(product__branding__brand=brand, brand=old_name).update(
            brand=name
        )
    after = _brand_label(brand)
    if old_name is not None and after != before:
        if status == TrademarkStatus.REVOKED and old_status != TrademarkStatus.REVOKED:
            action = BrandAction.REVOKED
        elif expires_on and (old_expiry is None or expires_on > old_expiry):
            action = BrandAction.RENEWED
        else:
            action = BrandAction.EDITED
        _log(actor, brand, action, before, after, note=str(data.get("note") or ""))
    return brand


def _brand_label(brand: Brand) -> str:
    """What the audit trail shows of a brand's state (language-neutral values)."""
    classes = ",".join(str(c) for c in brand.nice_classes)
    until = brand.expires_on.isoformat() if brand.expires_on else "-"
    mark = STATUS_MARKS.get(brand.status, brand.status)
    return (
        f"{brand.name} {mark} · {brand.trademark_number} · {classes} · {brand.owner} · {until}"
    )[:300]


def _log(
    actor: Any,
    brand: Brand,
    action: str,
    before: str,
    after: str,
    *,
    authorisation: BrandAuthorisation | None = None,
    note: str = "",
) -> BrandEvent:
    return BrandEvent.objects.create(
        brand=brand,
        authorisation=authorisation,
        action=action,
        changed_at=timezone.now(),
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        from_label=before[:300],
        to_label=after[:300],
        note=note.strip()[:300],
    )


def check_authorisation_document(upload: UploadedFile | None) -> str:
    """The content type of an acceptable letter (PDF, PNG, JPEG; at most 10 MB, the quote
    attachments' limit); InvalidInput naming the ``document`` field otherwise."""
    if upload is None:
        raise _invalid([FieldError("document", _("Attach the signed authorisation letter."))])
    try:
        content_type = check_attachment(upload, 1)
    except InvalidInput as exc:
        raise _invalid([FieldError("document", e.message) for e in exc.errors]) from None
    if content_type == "application/zip":
        raise _invalid([FieldError("document", _("Send the letter as a PDF, PNG or JPEG."))])
    return content_type


@transaction.atomic
def record_authorisation(
    *,
    actor: Any,
    brand: Brand,
    distributor_name: str,
    distributor: Enterprise | None = None,
    channels: Sequence[str],
    valid_from: dt.date | None,
    valid_until: dt.date | None,
    document: UploadedFile | None,
) -> BrandAuthorisation:
    """Record a letter by which ``brand``'s enterprise authorises a distributor (a platform
    enterprise, or only a name) to sell under the brand on ``channels`` from ``valid_from``
    to ``valid_until``, with the signed letter attached.

    Invariants: at least one known channel; the period ends on or after it starts and not after
    the trademark's own validity; the distributor is not the brand's enterprise."""
    require(can_edit_enterprise(actor, brand.enterprise))
    errors: list[FieldError] = []
    name = (distributor_name or "").strip() or (distributor.display_name if distributor else "")
    if not name:
        errors.append(FieldError("distributor_name", _("Name the distributor.")))
    elif len(name) > 200:
        errors.append(FieldError("distributor_name", _("At most 200 characters.")))
    if distributor is not None and distributor.pk == brand.enterprise_id:
        errors.append(
            FieldError("distributor", _("The brand's own enterprise needs no authorisation."))
        )
    known = load_rule_book().channels
    chosen = list(dict.fromkeys(channels))
    if not chosen:
        errors.append(FieldError("channels", _("Choose at least one channel.")))
    unknown = [c for c in chosen if c not in known]
    if unknown:
        errors.append(
            FieldError("channels", _("Unknown channel: %(keys)s.") % {"keys": ", ".join(unknown)})
        )
    if valid_from is None:
        errors.append(FieldError("valid_from", _("Give the first day of the authorisation.")))
    if valid_until is None:
        errors.append(FieldError("valid_until", _("Give the last day of the authorisation.")))
    if valid_from and valid_until and valid_until < valid_from:
        errors.append(FieldError("valid_until", _("Must not be before the first day.")))
    if valid_until and brand.expires_on and valid_until > brand.expires_on:
        errors.append(
            FieldError(
                "valid_until",
                _("The trademark is valid until %(date)s; the authorisation cannot run longer.")
                % {"date": brand.expires_on.isoformat()},
            )
        )
    content_type = ""
    try:
        content_type = check_authorisation_document(document)
    except InvalidInput as exc:
        errors.extend(exc.errors)
    if errors:
        raise _invalid(errors)
    assert document is not None and valid_from is not None and valid_until is not None
    authorisation = BrandAuthorisation(
        brand=brand,
        distributor=distributor,
        distributor_name=name,
        channels=chosen,
        valid_from=valid_from,
        valid_until=valid_until,
        document_name=(document.name or "letter")[:200],
        document_type=content_type,
        document_size=document.size or 0,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    authorisation.document.save(document.name or "letter.pdf", document, save=False)
    authorisation.save()
    return authorisation


def _letter_state(letter: BrandAuthorisation) -> str:
    """The period the letter counts, language-neutral (a revoked letter ends the day before)."""
    return f"{letter.valid_from.isoformat()}–{letter.effective_until.isoformat()}"


def _locked_letter(actor: Any, letter: BrandAuthorisation) -> BrandAuthorisation:
    require(can_edit_enterprise(actor, letter.brand.enterprise))
    return BrandAuthorisation.objects.select_for_update().select_related("brand").get(pk=letter.pk)


@transaction.atomic
def revoke_authorisation(
    *, actor: Any, authorisation: BrandAuthorisation, reason: str
) -> BrandAuthorisation:
    """Revoke a distributor's letter from today: from today the distributor's products under
    the brand are no longer ready where a trademark is asked (the letter counts until
    yesterday). The letter and its file stay as recorded; the revocation is logged.

    Invariants: only the brand owner's members and the operator; a reason; not twice."""
    letter = _locked_letter(actor, authorisation)
    errors: list[FieldError] = []
    text = (reason or "").strip()
    if not text:
        errors.append(FieldError("reason", _("Give the reason for the revocation.")))
    elif len(text) > 300:
        errors.append(FieldError("reason", _("At most 300 characters.")))
    if letter.revoked_on is not None:
        errors.append(
            FieldError(
                "reason",
                _("This authorisation was already revoked on %(date)s.")
                % {"date": letter.revoked_on.isoformat()},
            )
        )
    if errors:
        raise _invalid(errors)
    before = _letter_state(letter)
    letter.revoked_on = timezone.localdate()
    letter.revoked_reason = text
    letter.save(update_fields=["revoked_on", "revoked_reason"])
    _log(
        actor,
        letter.brand,
        BrandAction.LETTER_REVOKED,
        before,
        _letter_state(letter),
        authorisation=letter,
        note=f"{letter.distributor_name}: {text}",
    )
    return letter


@transaction.atomic
def extend_authorisation(
    *, actor: Any, authorisation: BrandAuthorisation, valid_until: dt.date | None, note: str = ""
) -> BrandAuthorisation:
    """Move a letter's last day later (the owner signed an extension). The letter's other
    terms stay as recorded; the change is logged with its note.

    Invariants: not a revoked letter; the new day after the current one and not after the
    trademark's expiry."""
    letter = _locked_letter(actor, authorisation)
    brand = letter.brand
    errors: list[FieldError] = []
    if letter.revoked_on is not None:
        errors.append(FieldError("valid_until", _("A revoked authorisation cannot be extended.")))
    elif valid_until is None:
        errors.append(FieldError("valid_until", _("Give the last day of the authorisation.")))
    elif valid_until <= letter.valid_until:
        errors.append(
            FieldError(
                "valid_until",
                _("Must be after the current last day, %(date)s.")
                % {"date": letter.valid_until.isoformat()},
            )
        )
    elif brand.expires_on and valid_until > brand.expires_on:
        errors.append(
            FieldError(
                "valid_until",
                _("The trademark is valid until %(date)s; the authorisation cannot run longer.")
                % {"date": brand.expires_on.isoformat()},
            )
        )
    if len((note or "").strip()) > 300:
        errors.append(FieldError("note", _("At most 300 characters.")))
    if errors:
        raise _invalid(errors)
    assert valid_until is not None
    before = _letter_state(letter)
    letter.valid_until = valid_until
    letter.save(update_fields=["valid_until"])
    _log(
        actor,
        brand,
        BrandAction.LETTER_EXTENDED,
        before,
        _letter_state(letter),
        authorisation=letter,
        note=f"{letter.distributor_name}: {(note or '').strip()}".rstrip(": "),
    )
    return letter


def usable_brands(enterprise: Enterprise, *, today: dt.date | None = None) -> list[Brand]:
    """The brands ``enterprise`` may put on its products: its own (not revoked) and those it
    holds an authorisation for that is valid ``today``."""
    today = today or timezone.localdate()
    own = Brand.objects.filter(enterprise=enterprise).exclude(status=TrademarkStatus.REVOKED)
    authorised = Brand.objects.filter(
        authorisations__distributor=enterprise,
        authorisations__valid_from__lte=today,
        authorisations__valid_until__gte=today,
        authorisations__revoked_on__isnull=True,
    ).exclude(status=TrademarkStatus.REVOKED)
    return list((own | authorised).distinct().order_by("name"))


def check_can_set_branding(*, actor: Any, enterprise: Enterprise) -> None:
    """AccessDenied unless ``actor`` may move ``enterprise``'s products between OEM and brands:
    its members and the operator (``can_edit_enterprise``). The government of its region sees
    the brand page and this API's reads, and changes nothing. The page asks before it builds
    its form, so that a refused user is refused whatever they post."""
    require(can_edit_enterprise(actor, enterprise))


def set_enterprise_branding(
    *,
    actor: Any,
    enterprise: Enterprise,
    product_ids: Collection[int],
    brand_id: int | None = None,
    oem_customer: str = "",
) -> int:
    """``set_product_branding`` for products of ``enterprise`` named by id, under one of the
    brands it may use (``usable_brands``): the brand page and the API both go through here.

    Checks ``check_can_set_branding`` before looking at the ids. Raises Product.DoesNotExist
    when an id is not one of the enterprise's products, Brand.DoesNotExist when ``brand_id`` is
    not a brand it may use (another's brand reads as absent). Side effects: those of
    ``set_product_branding``."""
    check_can_set_branding(actor=actor, enterprise=enterprise)
    wanted = set(product_ids)
    products = list(enterprise.products.filter(pk__in=wanted).order_by("sku"))
    if len(products) != len(wanted):
        raise Product.DoesNotExist
    brand = None
    if brand_id is not None:
        brand = next((b for b in usable_brands(enterprise) if b.pk == brand_id), None)
        if brand is None:
            raise Brand.DoesNotExist
    return set_product_branding(
        actor=actor, products=products, brand=brand, oem_customer=oem_customer
    )


def _label(kind: str, brand: Brand | None, customer: str) -> str:
    if kind == Branding.OEM:
        return _("OEM for %(customer)s") % {"customer": customer}
    return brand.name if brand is not None else ""


@transaction.atomic
def set_product_branding(
    *,
    actor: Any,
    products: Iterable[Product],
    brand: Brand | None = None,
    oem_customer: str = "",
) -> int:
    """Put ``products`` under ``brand`` (own brand when the products' enterprise owns it,
    authorised brand when it holds a valid authorisation for it) or, with ``oem_customer``
    instead, record them as OEM for that customer. Returns how many products changed.

    Side effects: one ``BrandingChange`` per changed product (when, who, from, to); the
    products' domestic listings carry the brand's name (cleared when a product goes back to
    OEM and still carried the old brand). All or nothing: one product the actor may not edit,
    or one whose enterprise may not use the brand, changes none."""
    products = list(products)
    customer = (oem_customer or "").strip()
    if (brand is None) == (not customer):
        raise _invalid([FieldError("brand", _("Choose a brand or name the OEM customer."))])
    if len(customer) > 200:
        raise _invalid([FieldError("oem_customer", _("At most 200 characters."))])
    if not products:
        raise _invalid([FieldError("products", _("Choose at least one product."))])
    if len(products) > MAX_BULK_PRODUCTS:
        message = _("At most %(n)s products at once.") % {"n": MAX_BULK_PRODUCTS}
        raise _invalid([FieldError("products", message)])
    usable: dict[int, set[int]] = {}
    for product in products:
        require(can_edit_enterprise(actor, product.enterprise))
        if brand is not None:
            if product.enterprise_id not in usable:
                usable[product.enterprise_id] = {b.pk for b in usable_brands(product.enterprise)}
            if brand.pk not in usable[product.enterprise_id]:
                raise _invalid(
                    [
                        FieldError(
                            "brand",
                            _("%(sku)s: its enterprise neither owns %(brand)s nor holds a valid "
                              "authorisation for it.") % {"sku": product.sku, "brand": brand.name},
                        )
                    ]
                )  # fmt: skip
    now = timezone.now()
    who = actor if getattr(actor, "is_authenticated", False) else None
    current = {
        b.product_id: b
        for b in ProductBranding.objects.select_for_update(of=("self",))
        .select_related("brand")
        .filter(product__in=products)
    }
    changed = 0
    for product in products:
        kind = Branding.OEM
        if brand is not None:
            owned = brand.enterprise_id == product.enterprise_id
            kind = Branding.OWN_BRAND if owned else Branding.AUTHORISED
        row = current.get(product.pk)
        if row is not None and (row.kind, row.brand_id, row.oem_customer) == (
            kind,
            brand.pk if brand else None,
            customer,
        ):
            continue
        old_kind = row.kind if row else ""
        old_label = _label(row.kind, row.brand, row.oem_customer) if row else ""
        old_brand_name = row.brand.name if row and row.brand else ""
        row = row or ProductBranding(product=product)
        row.kind, row.brand, row.oem_customer, row.changed_at = kind, brand, customer, now
        row.save()
        BrandingChange.objects.create(
            product=product,
            changed_at=now,
            changed_by=who,
            from_kind=old_kind,
            from_label=old_label,
            to_kind=kind,
            to_label=_label(kind, brand, customer),
            brand=brand,
        )
        listing, _created = DomesticListing.objects.get_or_create(product=product)
        if brand is not None:
            listing.brand = brand.name
        elif old_brand_name and listing.brand == old_brand_name:
            listing.brand = ""
        listing.save(update_fields=["brand", "updated_at"])
        changed += 1
    return changed
