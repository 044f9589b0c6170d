"""The signed-in person's own page: organisations and roles, settings, API tokens.

Sign-out and password reset are Django's own views (core/urls.py) with our templates; sign-in
is Django's too, continuing in the user's preferred language.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dualcirc.core.domain import create_api_token, revoke_api_token, update_profile
from dualcirc.core.errors import InvalidInput
from dualcirc.core.forms import ApiTokenForm, ProfileForm, add_domain_errors
from dualcirc.core.models import ApiToken


def _render_profile(
    request: HttpRequest,
    *,
    profile_form: ProfileForm | None = None,
    token_form: ApiTokenForm | None = None,
    new_token: str | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    context = {
        "memberships": user.memberships.select_related("organisation__region").order_by(
            "organisation__name"
        ),
        "tokens": user.api_tokens.order_by("-created_at", "-id"),
        "profile_form": profile_form
        or ProfileForm(
            initial={"preferred_language": user.preferred_language, "time_zone": user.time_zone}
        ),
        "token_form": token_form or ApiTokenForm(),
        "new_token": new_token,
    }
    return render(request, "core/profile.html", context, status=status)


class SignInView(LoginView):
    """Django's sign-in, continuing in the user's preferred language when they have one."""

    def get_success_url(self) -> str:
        url = super().get_success_url()
        language = getattr(self.request.user, "preferred_language", "")
        return translate_url(url, language) if language else url


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """GET shows the page; POST saves the preferred language and time zone."""
    if request.method != "POST":
        return _render_profile(request)
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            user = update_profile(actor=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Your settings were saved."))
            # Show the page in the language just chosen.
            url = reverse("profile")
            if user.preferred_language and user.preferred_language != get_language():
                url = translate_url(url, user.preferred_language)
            return redirect(url)
    return _render_profile(request, profile_form=form)


@login_required
@require_POST
def api_token_create(request: HttpRequest) -> HttpResponse:
    """Issue a token and show its raw value on this response only (it is not stored)."""
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            raw = create_api_token(actor=request.user, name=form.cleaned_data["name"])
        except InvalidInput as exc:
            add_domain_errors(form, exc)
        else:
            return _render_profile(request, new_token=raw, status=201)
    return _render_profile(request, token_form=form)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    revoke_api_token(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("profile")
