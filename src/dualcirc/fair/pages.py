"""Helpers shared by the fair's page views (views, organiser_views, outcome_views): reading the
fair a page is about, the signed-in actor, and turning domain errors into what a page shows."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from dualcirc.core.access import AccessDenied, can_view_fair
from dualcirc.core.errors import DomainError
from dualcirc.core.models import User
from dualcirc.fair.forms import show_domain_errors
from dualcirc.fair.models import Fair


def viewable_fair(request: HttpRequest, pk: int) -> Fair:
    """The fair ``pk`` with its organiser; a 404 when the reader may not see it."""
    fair = get_object_or_404(Fair.objects.select_related("organiser"), pk=pk)
    if not can_view_fair(request.user, fair):
        raise Http404
    return fair


Back = Callable[..., str]


def shows_errors(
    view: Callable[..., HttpResponse] | None = None, *, back: Back | None = None
) -> Any:
    """Turn a domain error of a POST into a message and a redirect: to ``next``, else to
    ``back(request, *args, **kwargs)``, else to the same page."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except (DomainError, AccessDenied) as exc:
                text = str(exc)
                details = getattr(exc, "errors", [])
                if details:
                    text += " " + "; ".join(
                        (f"{e.field}: " if e.field else "")
                        + (f"#{e.row} " if e.row else "")
                        + e.message
                        for e in details
                    )
                messages.error(request, text)
                target = request.POST.get("next") or (
                    back(request, *args, **kwargs) if back else request.path
                )
                return redirect(target)

        return wrapper

    return decorate(view) if view is not None else decorate


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user (the views that call domain functions are login_required)."""
    return cast(User, request.user)


def id_or_404(value: str | None) -> int:
    """A posted id as a number; a 404 when it is none."""
    try:
        return int(value or "")
    except ValueError as exc:
        raise Http404 from exc


def show_error_on_form(form: Any, exc: DomainError | AccessDenied) -> None:
    """A domain error on ``form``: on the fields it names, else on the form as a whole."""
    if isinstance(exc, DomainError):
        show_domain_errors(form, exc)
    else:
        form.add_error(None, str(exc))


def nonblank_lines(value: str) -> list[str]:
    """The lines of a text box, stripped, the blank ones left out."""
    return [line.strip() for line in value.splitlines() if line.strip()]
