"""The signed-in person's own page: organisations and roles, settings, API tokens.

Sign-out and password reset are Django's own views (core/urls.py) with our templates; sign-in
is Django's too, with the lock-out of core.signin, then — for accounts that turned it on — a
second step asking the TOTP code (core.twofactor), continuing in the language of the sign-in page
(the language the person is reading now, not the profile's preferred language, which is for
e-mails and notifications).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_from_path, override
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dualcirc.core import twofactor
from dualcirc.core.access import can_opt_out_of_demand, can_use_two_factor
from dualcirc.core.audit import record_event
from dualcirc.core.domain import create_api_token, revoke_api_token, update_profile
from dualcirc.core.enums import AuditAction
from dualcirc.core.errors import InvalidInput
from dualcirc.core.forms import (
    ApiTokenForm,
    ProfileForm,
    SignInForm,
    TotpCodeForm,
    add_domain_errors,
)
from dualcirc.core.models import ApiToken, TotpDevice, User
from dualcirc.core.signin import SignInRefused, check_sign_in_allowed
from dualcirc.ops.context import client_address
from dualcirc.web.form_posts import submit_form

PENDING_SIGN_IN = "dualcirc_pending_sign_in"  # session key between the password and the code
PENDING_SECONDS = 300


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
        "can_use_two_factor": can_use_two_factor(user),
        "can_opt_out_of_demand": can_opt_out_of_demand(user),
    }
    return render(request, "core/profile.html", context, status=status)


def _continue_in_language(url: str) -> str:
    """``url`` in the language of this request: signing in from /vi/… goes on in Vietnamese
    even when the ``next`` page was an address in another language. (The URL resolver only
    knows the active language's prefix, so the address is resolved in its own language.)"""
    language = get_language()
    with override(get_language_from_path(urlsplit(url).path) or language):
        return translate_url(url, language)


class SignInView(LoginView):
    """Django's sign-in with the lock-out; asks for the TOTP code next when it is on."""

    form_class = SignInForm

    def get_success_url(self) -> str:
        return _continue_in_language(super().get_success_url())

    def get_default_redirect_url(self) -> str:
        """No (safe) ``next``: where the person's work is (web.landing)."""
        from dualcirc.web.landing import landing_url

        return landing_url(self.request.user)

    def form_invalid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.retry_after is not None:  # refused, not a wrong password: try again later
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        if not twofactor.is_enabled(user):
            return super().form_valid(form)
        # The password was right; the session is not signed in until the code is.
        self.request.session[PENDING_SIGN_IN] = {
            "user": user.pk,
            "backend": getattr(user, "backend", ""),
            "next": self.get_redirect_url(),
            "until": time.time() + PENDING_SECONDS,
        }
        return redirect("login-verify")


@never_cache
def sign_in_verify(request: HttpRequest) -> HttpResponse:
    """The second sign-in step: the code of the user's authenticator app."""
    pending = request.session.get(PENDING_SIGN_IN)
    user = User.objects.filter(pk=pending["user"], is_active=True).first() if pending else None
    if pending is None or user is None or pending["until"] < time.time():
        request.session.pop(PENDING_SIGN_IN, None)
        messages.error(request, _("Sign in again: the sign-in was not finished in time."))
        return redirect("login")
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check_sign_in_allowed(username=user.get_username(), address=client_address(request))
        except SignInRefused as exc:
            request.session.pop(PENDING_SIGN_IN, None)
            record_event(
                action=AuditAction.SIGN_IN_REFUSED, username=user.get_username(), request=request
            )
            messages.error(request, str(exc))
            return redirect("login")
        if twofactor.verify_sign_in_code(user=user, code=form.cleaned_data["code"]):
            request.session.pop(PENDING_SIGN_IN, None)
            login(request, user, backend=pending["backend"] or None)
            url = pending["next"]
            if not url or not url_has_allowed_host_and_scheme(
                url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                from dualcirc.web.landing import landing_url

                url = landing_url(user)
            return HttpResponseRedirect(_continue_in_language(url))
        record_event(
            action=AuditAction.SIGN_IN_FAILED,
            username=user.get_username(),
            detail={"step": "totp"},
            request=request,
        )
        form.add_error("code", _("Enter the 6-digit code your authenticator app shows now."))
    return render(request, "registration/login_verify.html", {"form": form})


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin's sign-in page is ours (lock-out, two-factor): /admin/login/ sends people there."""
    target = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn TOTP sign-in on (begin: a new secret and its QR code; confirm: the first code) or
    off (the current code)."""
    user: Any = request.user
    form = TotpCodeForm(request.POST or None)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    try:
        if action == "begin":
            twofactor.begin_totp_setup(actor=user)
            form = TotpCodeForm()
        elif action in ("confirm", "disable") and form.is_valid():
            code = form.cleaned_data["code"]
            if action == "confirm":
                twofactor.confirm_totp_setup(actor=user, code=code)
                messages.success(request, _("Two-factor sign-in is on."))
            else:
                twofactor.disable_totp(actor=user, code=code)
                messages.success(request, _("Two-factor sign-in is off."))
            return redirect("two-factor")
    except InvalidInput as exc:
        add_domain_errors(form, exc)
    device = TotpDevice.objects.filter(user_id=user.pk).first()
    pending = device is not None and device.confirmed_at is None
    context = {
        "allowed": can_use_two_factor(user),
        "device": device,
        "enabled": device is not None and device.confirmed_at is not None,
        "pending": pending,
        "secret": device.secret if pending and device else "",
        "qr_svg": twofactor.qr_code_svg(device) if pending and device else "",
        "form": form,
    }
    return render(request, "core/two_factor.html", context)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """GET shows the page; POST saves the preferred language and time zone."""
    if request.method != "POST":
        return _render_profile(request)
    form = ProfileForm(request.POST)
    # Show the page, and say so, in the language just chosen.
    done = submit_form(
        request,
        form,
        lambda data: update_profile(actor=request.user, **data),
        success=lambda user: _in_chosen_language(user, lambda: _("Your settings were saved.")),
        then=lambda user: _in_chosen_language(user, lambda: reverse("profile")),
    )
    return done or _render_profile(request, profile_form=form)


def _in_chosen_language(user: User, make: Callable[[], str]) -> str:
    """``make()`` in ``user``'s preferred language (the request's when none is chosen)."""
    with override(user.preferred_language or get_language()):
        return make()


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
