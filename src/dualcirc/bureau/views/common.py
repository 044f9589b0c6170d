"""Shared bits of the bureau's pages: the period/scope parameters, the visible enterprises."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dualcirc.bureau.scopes import (
    Scope,
    busiest_province,
    default_region,
    narrow_by_size,
    parse_period,
    picker_param,
    resolve_scope,
)
from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import governed_region_paths, is_operator, private_enterprise_filter
from dualcirc.core.errors import DomainError, InvalidInput
from dualcirc.core.models import Region


def flash_domain_error(request: HttpRequest, exc: DomainError) -> None:
    """Show a refused action on the next page: the error and each field's message."""
    messages.error(request, "; ".join([str(exc), *(e.message for e in exc.errors)]))


def visible_enterprises(user: Any) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(private_enterprise_filter(user))


class BadScope(InvalidInput):
    """The page's scope or period parameters are not valid (a 400 page, ``bad_scope_is_400``)."""


def scope_and_period(request: HttpRequest) -> tuple[Scope, str, int]:
    """The page's scope (default: the user's region, or for an operator the province with the
    most enterprises, so the first page has figures), period kind and anchor month, from the
    query string: ``scope=region:3702`` or the picker's ``region``/``belt``/``chain`` and
    ``size``; ``period`` and ``month``."""
    get = request.GET
    param = (get.get("scope") or "").strip() or picker_param(
        region=(get.get("region") or "").strip(),
        belt=(get.get("belt") or "").strip(),
        chain=(get.get("chain") or "").strip(),
    )
    if not param:
        region = default_region(request.user) or busiest_province()
        if region is None:
            raise InvalidInput(
                "No region", []
            )  # pragma: no cover - a platform without regions has no bureau
        param = f"region:{region.code}"
    try:
        scope = narrow_by_size(
            resolve_scope(actor=request.user, param=param), (get.get("size") or "").strip()
        )
        kind, anchor = parse_period(request.GET.get("period"), request.GET.get("month"))
    except InvalidInput as exc:
        raise BadScope(str(exc), exc.errors) from exc
    return scope, kind, anchor


def managed_region_filter(user: Any, *, prefix: str = "") -> Q:
    """Rows whose region (``prefix`` leads to it, e.g. ``"region__"``) ``user`` manages (core.access
    ``can_manage_in_region``): its own and those below; every region for an operator."""
    if is_operator(user):
        return Q()
    q = Q(pk__in=[])
    for path in governed_region_paths(user):
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def managed_regions(user: Any) -> QuerySet[Region]:
    """The regions where ``user`` may record chains and projects."""
    return Region.objects.filter(managed_region_filter(user))


def show_errors(form: forms.BaseForm, exc: DomainError) -> None:
    """A domain error's field errors on the form's fields (the rest above the form)."""
    for e in exc.errors:
        form.add_error(e.field if e.field in form.fields else None, e.message)
    if not exc.errors:
        form.add_error(None, str(exc))


def bad_scope_is_400(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page whose scope or period parameters are not valid answers 400 with the fields'
    messages and a link back to the default scope, rather than a server error. Only the
    parameters' errors (``BadScope``): any other domain error keeps its own answer."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadScope as exc:
            return render(request, "bureau/bad_scope.html", {"error": exc}, status=400)

    return wrapper
