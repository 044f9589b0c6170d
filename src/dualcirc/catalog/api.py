"""The catalog's JSON API: enterprises and products (docs/api.md).

Handlers parse input, call one catalog.domain function (writes; it checks permissions with
core.access) or catalog.queries function (lists, shared with the catalog pages) and render a
catalog.schemas shape. Reads are public for published products and public enterprise fields;
core.access decides who sees drafts and private fields.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from dualcirc.catalog import domain, queries
from dualcirc.catalog.enums import ProductSort
from dualcirc.catalog.models import Enterprise, IndustrialBelt, Product
from dualcirc.catalog.schemas import (
    EnterpriseCreateIn,
    EnterpriseListParams,
    EnterpriseOut,
    EnterprisePage,
    EnterpriseUpdateIn,
    PageParams,
    ProductCreateIn,
    ProductListParams,
    ProductOut,
    ProductPage,
    ProductUpdateIn,
)
from dualcirc.core.access import visible_products
from dualcirc.core.api_auth import public_auth
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.core.models import Region
from dualcirc.search.rates import current_rate_table

router = Router(tags=["catalog"])


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(_("The input is not valid."), [FieldError(field=field, message=message)])


def _paginate(qs: QuerySet[Any], params: PageParams) -> dict[str, Any]:
    count = qs.count()
    start = (params.page - 1) * params.page_size
    rows = list(qs[start : start + params.page_size]) if start < count else []
    return {"count": count, "page": params.page, "page_size": params.page_size, "results": rows}


# Enterprises --------------------------------------------------------------------------------


def _enterprises() -> QuerySet[Enterprise]:
    return Enterprise.objects.select_related("region", "belt")


def _get_enterprise(pk: int) -> Enterprise:
    enterprise = _enterprises().filter(pk=pk).first()
    if enterprise is None:
        raise Http404(_("There is no enterprise with this id."))
    return enterprise


def _region(code: str) -> Region:
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        raise _invalid("region", _("There is no region with code %(code)r.") % {"code": code})
    return region


def _belt(slug: str | None) -> IndustrialBelt | None:
    if slug is None:
        return None
    belt = IndustrialBelt.objects.filter(slug=slug.strip()).first()
    if belt is None:
        raise _invalid("belt", _("There is no industrial belt %(slug)r.") % {"slug": slug})
    return belt


def _enterprise_filters(p: EnterpriseListParams) -> queries.EnterpriseFilters:
    """The list parameters as catalog.queries filters; an unknown region or belt → 422."""
    region = _region(p.region) if p.region else None
    if p.belt:
        _belt(p.belt)
    return queries.EnterpriseFilters(
        keyword=(p.q or "").strip(),
        industry=(p.industry or "").strip(),
        belt=(p.belt or "").strip(),
        region=region.code if region else "",
        region_path=region.path if region else "",
    )


def _enterprise_data(payload: EnterpriseUpdateIn) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True)
    data.pop("region", None)
    if "belt" in data:
        data["belt"] = _belt(data["belt"])
    return data


@router.get("/enterprises", response=EnterprisePage, auth=public_auth, summary="List enterprises")
def list_enterprises(request: HttpRequest, params: Query[EnterpriseListParams]) -> dict[str, Any]:
    return _paginate(queries.list_enterprises(_enterprise_filters(params)), params)


@router.get(
    "/enterprises/{enterprise_id}",
    response=EnterpriseOut,
    auth=public_auth,
    summary="Read an enterprise",
)
def get_enterprise(request: HttpRequest, enterprise_id: int) -> Enterprise:
    return _get_enterprise(enterprise_id)


@router.post(
    "/enterprises", response={201: EnterpriseOut}, summary="Register an enterprise (operators)"
)
def create_enterprise(request: HttpRequest, payload: EnterpriseCreateIn) -> Status[Any]:
    region = _region(payload.region)
    enterprise = domain.create_enterprise(
        actor=request.user, region=region, data=_enterprise_data(payload)
    )
    return Status(201, _get_enterprise(enterprise.pk))


@router.patch(
    "/enterprises/{enterprise_id}",
    response=EnterpriseOut,
    summary="Change an enterprise profile (its members, operators)",
)
def update_enterprise(
    request: HttpRequest, enterprise_id: int, payload: EnterpriseUpdateIn
) -> Enterprise:
    enterprise = _get_enterprise(enterprise_id)
    domain.update_enterprise(
        actor=request.user, enterprise=enterprise, data=_enterprise_data(payload)
    )
    return _get_enterprise(enterprise_id)


@router.delete(
    "/enterprises/{enterprise_id}",
    response={204: None},
    summary="Delete an enterprise with its products (operators)",
)
def delete_enterprise(request: HttpRequest, enterprise_id: int) -> Status[None]:
    domain.delete_enterprise(actor=request.user, enterprise=_get_enterprise(enterprise_id))
    return Status(204, None)


# Products -----------------------------------------------------------------------------------


def _products(request: HttpRequest) -> QuerySet[Product]:
    """The products the caller may see: published ones, plus drafts core.access allows."""
    qs = Product.objects.select_related("enterprise").prefetch_related("images")
    return visible_products(request.user, qs)


def _get_product(request: HttpRequest, pk: int) -> Product:
    # A draft the caller may not see answers 404, as if it did not exist.
    product = _products(request).filter(pk=pk).first()
    if product is None:
        raise Http404(_("There is no product with this id."))
    return product


def _product_filters(p: ProductListParams) -> queries.ProductFilters:
    """The list parameters as catalog.queries filters, read by the same parser as the product
    list page (one vocabulary); each bad one → 422 naming it."""
    parsed = queries.parse_product_filters(p.model_dump(include=set(queries.PRODUCT_PARAMETERS)))
    if parsed.errors:
        raise InvalidInput(_("The input is not valid."), parsed.errors)
    return parsed.filters


@router.get("/products", response=ProductPage, auth=public_auth, summary="List products")
def list_products(request: HttpRequest, params: Query[ProductListParams]) -> dict[str, Any]:
    filters = _product_filters(params)
    by_price = filters.sort == ProductSort.PRICE
    qs = queries.list_products(
        user=request.user, filters=filters, rates=current_rate_table().rates if by_price else None
    )
    if params.status:
        qs = qs.filter(status=params.status)
    return _paginate(qs, params)


@router.get(
    "/products/{product_id}", response=ProductOut, auth=public_auth, summary="Read a product"
)
def get_product(request: HttpRequest, product_id: int) -> Product:
    return _get_product(request, product_id)


@router.post(
    "/products",
    response={201: ProductOut},
    summary="Create a product (members of its enterprise, operators)",
)
def create_product(request: HttpRequest, payload: ProductCreateIn) -> Status[Product]:
    data = payload.model_dump(exclude_unset=True)
    enterprise_id = data.pop("enterprise_id")
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is None:
        raise _invalid("enterprise_id", _("There is no enterprise with this id."))
    product = domain.create_product(actor=request.user, enterprise=enterprise, data=data)
    return Status(201, _get_product(request, product.pk))


@router.patch(
    "/products/{product_id}",
    response=ProductOut,
    summary="Change a product (members of its enterprise, operators)",
)
def update_product(request: HttpRequest, product_id: int, payload: ProductUpdateIn) -> Product:
    product = _get_product(request, product_id)
    domain.update_product(
        actor=request.user, product=product, data=payload.model_dump(exclude_unset=True)
    )
    return _get_product(request, product_id)


@router.delete(
    "/products/{product_id}",
    response={204: None},
    summary="Delete a product (members of its enterprise, operators)",
)
def delete_product(request: HttpRequest, product_id: int) -> Status[None]:
    domain.delete_product(actor=request.user, product=_get_product(request, product_id))
    return Status(204, None)
