"""The shape every page's form post has: parse the form, call one domain function, say what was
done and redirect (post/redirect/get) — or, when the form or the domain refuses, show the
refusal beside its field on the page again."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from dualcirc.core.errors import InvalidInput
from dualcirc.core.forms import add_domain_errors

T = TypeVar("T")


def submit_form(
    request: HttpRequest,
    form: forms.BaseForm,
    act: Callable[[dict[str, Any]], T],
    *,
    success: str | Callable[[T], str],
    then: str | Callable[[T], str],
    aliases: Mapping[str, str] | None = None,
) -> HttpResponse | None:
    """When ``form`` is valid, call ``act`` with its cleaned data (one domain function, which
    checks access and the rules); when that succeeds, add the ``success`` message (a text, or
    made from what ``act`` returned) and redirect to ``then`` (a URL, or made from what ``act``
    returned: the page of what it created).

    Returns None when the form is invalid or ``act`` raised InvalidInput, whose field errors
    are then on the form (``add_domain_errors`` with ``aliases``): the caller renders its page
    again with the form, status 422. Any other exception (AccessDenied, a missing object)
    goes up as it would from the view."""
    if not form.is_valid():
        return None
    try:
        result = act(form.cleaned_data)
    except InvalidInput as exc:
        add_domain_errors(form, exc, aliases=aliases)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(then(result) if callable(then) else then)
