"""submit_form: a valid form's data goes to one domain function; its success is a message and a
redirect, its refusal errors beside the form's fields and no redirect."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import FieldError, InvalidInput
from dualcirc.web.form_posts import submit_form


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=10)


def post(data: dict[str, str]) -> Any:
    request = RequestFactory().post("/x/", data)
    request._messages = CookieStorage(request)
    return request


def said(request: Any) -> list[str]:
    return [m.message for m in get_messages(request)]


def test_a_valid_form_calls_the_action_once_then_says_so_and_redirects():
    request = post({"reason": "late"})
    calls: list[dict[str, Any]] = []

    def act(data: dict[str, Any]) -> int:
        calls.append(data)
        return 3

    response = submit_form(
        request,
        ReasonForm(request.POST),
        act,
        success=lambda n: f"{n} changed.",
        then="/done/",
    )

    assert response is not None
    assert (response.status_code, response["Location"]) == (302, "/done/")
    assert calls == [{"reason": "late"}]
    assert said(request) == ["3 changed."]


def test_a_callable_then_redirects_to_what_the_action_made():
    request = post({"reason": "late"})

    response = submit_form(
        request,
        ReasonForm(request.POST),
        lambda data: 7,
        success="Created.",
        then=lambda n: f"/things/{n}/",
    )

    assert response is not None
    assert (response.status_code, response["Location"]) == (302, "/things/7/")
    assert said(request) == ["Created."]


def test_an_invalid_form_calls_nothing_and_answers_none():
    request = post({"reason": "far too long a reason"})
    form = ReasonForm(request.POST)

    response = submit_form(
        request, form, lambda data: pytest.fail("called"), success="Done.", then="/done/"
    )

    assert response is None
    assert form.errors["reason"] == ["Ensure this value has at most 10 characters (it has 21)."]
    assert said(request) == []


def test_a_domain_refusal_lands_on_its_aliased_field_and_answers_none():
    request = post({"reason": "late"})
    form = ReasonForm(request.POST)

    def refuse(data: dict[str, Any]) -> None:
        raise InvalidInput("Check the fields.", [FieldError("domain:reason", "Not a reason.")])

    response = submit_form(
        request, form, refuse, success="Done.", then="/done/", aliases={"domain:reason": "reason"}
    )

    assert response is None
    assert form.errors == {"reason": ["Not a reason."]}
    assert said(request) == []


def test_a_forbidden_action_goes_up_as_from_the_view():
    request = post({"reason": "late"})

    def forbid(data: dict[str, Any]) -> None:
        raise AccessDenied

    with pytest.raises(AccessDenied):
        submit_form(request, ReasonForm(request.POST), forbid, success="Done.", then="/done/")
    assert said(request) == []
