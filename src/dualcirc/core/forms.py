"""The project's form bases (every form of the project is one: :class:`SanitizedFormMixin`),
the forms of the account pages, and the bridge from domain errors to form errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin import forms as admin_forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dualcirc.core.audit import record_event
from dualcirc.core.domain import available_time_zones
from dualcirc.core.enums import AuditAction
from dualcirc.core.errors import InvalidInput
from dualcirc.core.models import ApiToken, User
from dualcirc.core.sanitize import storable_data, unstorable_form_fields
from dualcirc.core.signin import SignInRefused, check_sign_in_allowed
from dualcirc.ops.context import client_address


class SanitizedFormMixin:
    """A form that refuses unstorable text (a NUL character, a lone surrogate:
    core.sanitize.text_problem) with an error beside its field, whatever the field's own
    cleaning. Every form of the project inherits it — through :class:`SanitizedForm`,
    :class:`SanitizedModelForm`, or first in the bases of a subclass of another form
    (``class SignInForm(SanitizedFormMixin, AuthenticationForm)``); a test walks the project's
    forms to keep it so (tests/unit/core/test_form_bases.py).

    A refused field gets the reason as its only error and no cleaned value: neither the field's
    cleaning nor the form's ``clean_<field>`` runs on it. While any field is refused the form's
    ``clean()`` does not run either: it may relate fields, query or record (the sign-in's
    lock-out check and password check) and would act on text that is not what was sent; its
    checks come once the text is fixed. A model form's own validation leaves the refused fields
    out, as it does any field with an error (and, ``clean()`` not having run, checks no unique
    constraint). The form's data keeps a copy with those characters replaced by U+FFFD, so that
    the page shows where they were and nothing reading ``form.data`` sees them. The page then
    answers as it does for any invalid form. ops.middleware.HostileTextMiddleware lets page form
    posts through to here.
    """

    unstorable_fields: Mapping[str, str] = {}  # while it cleans: each refused field, and why

    def full_clean(self) -> None:
        form: Any = self  # a BaseForm: the mixin comes first in its bases
        self.unstorable_fields = unstorable_form_fields(form) if form.is_bound else {}
        if self.unstorable_fields:
            form.data = storable_data(form.data)
        super().full_clean()  # type: ignore[misc]  # BaseForm.full_clean, next in the MRO

    # _clean_fields and _clean_form are the steps of BaseForm.full_clean (Django 5.2), hooks the
    # django-stubs do not declare; overriding them keeps full_clean's other steps (the empty
    # form of a formset, a model form's _post_clean) Django's own. Django renaming them fails
    # tests/unit/core/test_form_bases.py (clean() would run again).
    def _clean_fields(self) -> None:
        """BaseForm._clean_fields, with each refused field's reason in place of its cleaning
        (the error goes in first, so a model form's validation leaves the field out)."""
        if not self.unstorable_fields:
            super()._clean_fields()  # type: ignore[misc]  # BaseForm's, next in the MRO
            return
        form: Any = self
        for name, bound_field in form._bound_items():  # BaseForm's loop, less the refused
            if name in self.unstorable_fields:
                form.add_error(name, self.unstorable_fields[name])
                continue
            try:
                form.cleaned_data[name] = bound_field.field._clean_bound_field(bound_field)
                if hasattr(form, f"clean_{name}"):
                    form.cleaned_data[name] = getattr(form, f"clean_{name}")()
            except forms.ValidationError as exc:
                form.add_error(name, exc)

    def _clean_form(self) -> None:
        if self.unstorable_fields:
            return  # clean() waits for text that can be stored (see the class's docstring)
        super()._clean_form()  # type: ignore[misc]  # BaseForm._clean_form, next in the MRO


class SanitizedForm(SanitizedFormMixin, forms.Form):
    """The base of the project's plain forms."""


class SanitizedModelForm(SanitizedFormMixin, forms.ModelForm):
    """The base of the project's model forms."""


def add_domain_errors(
    form: forms.BaseForm, exc: InvalidInput, *, aliases: Mapping[str, str] | None = None
) -> None:
    """Attach each FieldError of ``exc`` to its form field so the page shows it in place.

    ``aliases`` maps a domain field name to the form field that should carry its message (e.g.
    a product's "title" rule to ``title_zh``); a field the form does not have becomes a
    form-wide error. With no field errors at all, the exception's own message is shown.
    """
    aliases = aliases or {}
    for error in exc.errors:
        target = aliases.get(error.field or "", error.field)
        form.add_error(target if target in form.fields else None, error.message)
    if not exc.errors:
        form.add_error(None, str(exc))


def _language_choices() -> list[tuple[str, Any]]:
    return [("", _("Same as the address of the page")), *settings.LANGUAGES]


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone) for zone in sorted(available_time_zones())]


class DomainCheckedChoiceField(forms.ChoiceField):
    """A select whose value the domain function checks (and names in its error message)."""

    def valid_value(self, value: str) -> bool:
        return True


class ProfileForm(SanitizedForm):
    preferred_language = DomainCheckedChoiceField(
        label=capfirst(User._meta.get_field("preferred_language").verbose_name),
        choices=_language_choices,
        required=False,
    )
    time_zone = DomainCheckedChoiceField(
        label=capfirst(User._meta.get_field("time_zone").verbose_name),
        choices=_time_zone_choices,
        help_text=_("Where you are, e.g. Asia/Shanghai."),
    )


class ApiTokenForm(SanitizedForm):
    name = forms.CharField(
        label=capfirst(ApiToken._meta.get_field("name").verbose_name),
        required=False,
        help_text=_("Where the token is used, e.g. “ERP sync”."),
    )


class SignInForm(SanitizedFormMixin, AuthenticationForm):
    """Django's sign-in form, refused while the account or address is locked out (core.signin).

    A refusal is checked before the password, so a locked account cannot be probed; it is
    recorded in the audit log but does not count as a failure. A username or password that
    cannot be stored (a NUL character) is SanitizedFormMixin's error beside its field, and this
    ``clean`` does not run: it is neither checked nor tried, not a failed sign-in.
    """

    retry_after: int | None = None  # seconds, when refused (the page answers 429)

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip()
        try:
            check_sign_in_allowed(username=username, address=client_address(self.request))
        except SignInRefused as exc:
            record_event(
                action=AuditAction.SIGN_IN_REFUSED, username=username, request=self.request
            )
            self.retry_after = exc.retry_after
            raise forms.ValidationError(str(exc), code="locked") from exc
        return super().clean()


class AdminSignInForm(SignInForm, admin_forms.AdminAuthenticationForm):
    """The admin site's sign-in form (core.admin_site): the site's sign-in, with the lock-out,
    for staff accounts only. /admin/login/ sends people to the site's sign-in page instead
    (core.apps), so this is the form only should the admin ever show its own page again."""


class AdminPasswordChangeForm(SanitizedFormMixin, admin_forms.AdminPasswordChangeForm):
    """Django's admin change-password form (/admin/password_change/), a project form."""


class PasswordResetForm(SanitizedFormMixin, auth_forms.PasswordResetForm):
    """Django's password-reset request form, a project form (core.urls)."""


class SetPasswordForm(SanitizedFormMixin, auth_forms.SetPasswordForm):
    """Django's new-password form of a reset link, a project form (core.urls)."""


class TotpCodeForm(SanitizedForm):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
