"""The own-brand API: an enterprise's brands and trademarks, the authorisation letters it gives
and holds, and the bulk move of products from OEM to a brand (mounted on the channels router).

Handlers call one channels query or domain function; access is checked there (core.access):
another enterprise's brand or letter answers 404, a write it may not make 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict

from dualcirc.catalog.models import Enterprise, Product
from dualcirc.channels import queries_brands
from dualcirc.channels.domain_brands import (
    extend_authorisation,
    record_authorisation,
    revoke_authorisation,
    save_brand,
    set_enterprise_branding,
)
from dualcirc.channels.models import Brand, BrandAuthorisation

router = Router(tags=["channels"])


class BrandIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str
    trademark_number: str
    nice_classes: list[int]
    owner: str
    status: str = "registered"
    registered_on: dt.date | None = None
    expires_on: dt.date | None = None


class AuthorisationOut(Schema):
    id: int
    brand_id: int
    brand: str
    distributor_id: int | None
    distributor_name: str
    channels: list[str]
    valid_from: dt.date
    valid_until: dt.date
    revoked_on: dt.date | None
    revoked_reason: str
    document_name: str
    letter_url: str


class RevokeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str


class ExtendIn(Schema):
    model_config = ConfigDict(extra="forbid")
    valid_until: dt.date
    note: str = ""


class BrandEventOut(Schema):
    id: int
    brand_id: int
    authorisation_id: int | None
    action: str
    changed_at: dt.datetime
    changed_by: str
    from_label: str
    to_label: str
    note: str


class BrandOut(Schema):
    id: int
    enterprise_id: int
    name: str
    trademark_number: str
    nice_classes: list[int]
    owner: str
    status: str
    registered_on: dt.date | None
    expires_on: dt.date | None
    authorisations: list[AuthorisationOut]


class BrandingIn(Schema):
    """Either ``brand_id`` (own or authorised brand) or ``oem_customer``."""

    model_config = ConfigDict(extra="forbid")
    product_ids: list[int]
    brand_id: int | None = None
    oem_customer: str = ""


class BrandingOut(Schema):
    changed: int


def _letter_out(a: BrandAuthorisation) -> dict[str, Any]:
    from django.urls import reverse

    return {
        "id": a.pk,
        "brand_id": a.brand_id,
        "brand": a.brand.name,
        "distributor_id": a.distributor_id,
        "distributor_name": a.distributor_name,
        "channels": list(a.channels),
        "valid_from": a.valid_from,
        "valid_until": a.valid_until,
        "revoked_on": a.revoked_on,
        "revoked_reason": a.revoked_reason,
        "document_name": a.document_name,
        "letter_url": reverse("channels-authorisation-letter", args=[a.pk]),
    }


def _brand_out(b: Brand) -> dict[str, Any]:
    return {
        "id": b.pk,
        "enterprise_id": b.enterprise_id,
        "name": b.name,
        "trademark_number": b.trademark_number,
        "nice_classes": list(b.nice_classes),
        "owner": b.owner,
        "status": b.status,
        "registered_on": b.registered_on,
        "expires_on": b.expires_on,
        "authorisations": [_letter_out(a) for a in b.authorisations.all()],
    }


def _enterprise(enterprise_id: int) -> Enterprise:
    try:
        return Enterprise.objects.select_related("region").get(pk=enterprise_id)
    except Enterprise.DoesNotExist as exc:
        raise Http404 from exc


def _brand(request: HttpRequest, brand_id: int) -> Brand:
    try:
        return queries_brands.get_brand(user=request.user, pk=brand_id)
    except Brand.DoesNotExist as exc:
        raise Http404 from exc


@router.get(
    "/enterprises/{enterprise_id}/brands",
    response=list[BrandOut],
    summary="An enterprise's brands with their trademark and authorisation letters",
)
def list_brands(request: HttpRequest, enterprise_id: int) -> list[dict[str, Any]]:
    enterprise = _enterprise(enterprise_id)
    return [
        _brand_out(b) for b in queries_brands.list_brands(user=request.user, enterprise=enterprise)
    ]


@router.post(
    "/enterprises/{enterprise_id}/brands",
    response={201: BrandOut},
    summary="Record a brand with its CNIPA trademark registration",
)
def create_brand(request: HttpRequest, enterprise_id: int, payload: BrandIn) -> Status[Any]:
    enterprise = _enterprise(enterprise_id)
    brand = save_brand(actor=request.user, enterprise=enterprise, data=payload.model_dump())
    return Status(201, _brand_out(_brand(request, brand.pk)))


@router.get("/brands/{brand_id}", response=BrandOut, summary="One brand")
def get_brand(request: HttpRequest, brand_id: int) -> dict[str, Any]:
    return _brand_out(_brand(request, brand_id))


@router.put(
    "/brands/{brand_id}",
    response=BrandOut,
    summary="Update a brand (renew the trademark, mark it revoked, rename it)",
)
def update_brand(request: HttpRequest, brand_id: int, payload: BrandIn) -> dict[str, Any]:
    brand = _brand(request, brand_id)
    save_brand(
        actor=request.user, enterprise=brand.enterprise, data=payload.model_dump(), brand=brand
    )
    return _brand_out(_brand(request, brand_id))


@router.post(
    "/brands/{brand_id}/authorisations",
    response={201: AuthorisationOut},
    summary="Record a distributor's authorisation letter (multipart, with the signed letter)",
)
def create_authorisation(
    request: HttpRequest,
    brand_id: int,
    document: File[UploadedFile],
    distributor_name: Form[str] = "",
    distributor_id: Form[int | None] = None,
    channels: Form[list[str]] = [],  # noqa: B006 (ninja copies Form defaults per request)
    valid_from: Form[dt.date | None] = None,
    valid_until: Form[dt.date | None] = None,
) -> Status[Any]:
    brand = _brand(request, brand_id)
    distributor = None
    if distributor_id is not None:
        distributor = Enterprise.objects.filter(pk=distributor_id).first()
        if distributor is None:
            raise Http404
    letter = record_authorisation(
        actor=request.user,
        brand=brand,
        distributor=distributor,
        distributor_name=distributor_name,
        channels=channels,
        valid_from=valid_from,
        valid_until=valid_until,
        document=document,
    )
    return Status(201, _letter_out(letter))


@router.get(
    "/enterprises/{enterprise_id}/brand-authorisations",
    response=list[AuthorisationOut],
    summary="The authorisation letters an enterprise holds as a distributor",
)
def list_received(request: HttpRequest, enterprise_id: int) -> list[dict[str, Any]]:
    enterprise = _enterprise(enterprise_id)
    return [
        _letter_out(a)
        for a in queries_brands.list_received_authorisations(
            user=request.user, enterprise=enterprise
        )
    ]


@router.post(
    "/enterprises/{enterprise_id}/branding",
    response=BrandingOut,
    summary="Move products from OEM to a brand (or record them as OEM for a customer)",
)
def switch_branding(
    request: HttpRequest, enterprise_id: int, payload: BrandingIn
) -> dict[str, int]:
    """The brand page's move (channels-branding), with the same rule: the enterprise's members
    and the operator; 403 for anyone else, whatever the payload."""
    try:
        changed = set_enterprise_branding(
            actor=request.user,
            enterprise=_enterprise(enterprise_id),
            product_ids=payload.product_ids,
            brand_id=payload.brand_id,
            oem_customer=payload.oem_customer,
        )
    except (Product.DoesNotExist, Brand.DoesNotExist) as exc:
        raise Http404 from exc  # another enterprise's product or brand reads as absent
    return {"changed": changed}


def _letter(request: HttpRequest, authorisation_id: int) -> BrandAuthorisation:
    try:
        return queries_brands.get_authorisation(user=request.user, pk=authorisation_id)
    except BrandAuthorisation.DoesNotExist as exc:
        raise Http404 from exc


@router.get(
    "/authorisations/{authorisation_id}",
    response=AuthorisationOut,
    summary="One authorisation letter (the brand owner's viewers and the distributor)",
)
def get_authorisation(request: HttpRequest, authorisation_id: int) -> dict[str, Any]:
    return _letter_out(_letter(request, authorisation_id))


@router.post(
    "/authorisations/{authorisation_id}/revoke",
    response=AuthorisationOut,
    summary="Revoke an authorisation letter from today (the letter itself stays as recorded)",
)
def revoke_letter(request: HttpRequest, authorisation_id: int, payload: RevokeIn) -> dict[str, Any]:
    letter = revoke_authorisation(
        actor=request.user, authorisation=_letter(request, authorisation_id), reason=payload.reason
    )
    return _letter_out(letter)


@router.post(
    "/authorisations/{authorisation_id}/extend",
    response=AuthorisationOut,
    summary="Move an authorisation letter's last day later",
)
def extend_letter(request: HttpRequest, authorisation_id: int, payload: ExtendIn) -> dict[str, Any]:
    letter = extend_authorisation(
        actor=request.user,
        authorisation=_letter(request, authorisation_id),
        valid_until=payload.valid_until,
        note=payload.note,
    )
    return _letter_out(letter)


@router.get(
    "/brands/{brand_id}/events",
    response=list[BrandEventOut],
    summary="The audit trail of a brand and its letters, newest first",
)
def list_brand_events(request: HttpRequest, brand_id: int) -> list[dict[str, Any]]:
    brand = _brand(request, brand_id)
    return [
        {
            "id": e.pk,
            "brand_id": e.brand_id,
            "authorisation_id": e.authorisation_id,
            "action": e.action,
            "changed_at": e.changed_at,
            "changed_by": e.changed_by.get_username() if e.changed_by else "",
            "from_label": e.from_label,
            "to_label": e.to_label,
            "note": e.note,
        }
        for e in queries_brands.list_brand_events(
            user=request.user, enterprise=brand.enterprise, brand=brand
        )
    ]
