"""The project's admin site: every form it shows is a project form.

Each model admin registered on it gets its form (and its inlines' forms, and the user admin's
add and password forms) with :class:`dualcirc.core.forms.SanitizedFormMixin`, and so do the
site's own sign-in and change-password forms, so that a NUL
character or a lone surrogate typed into ``/admin/`` is an error beside its field, as on every
other page. Installed as the default admin site (``ProjectAdminConfig`` in INSTALLED_APPS), so
the apps' ``@admin.register`` and ``admin.site.register`` calls use it unchanged.

This module is imported while the app registry is being filled: it imports no model (the form
base is imported when the site is made and the first admin registers, during the admin's
autodiscovery).
"""

from __future__ import annotations

import types
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

_FORM_ATTRIBUTES = ("form", "add_form", "change_password_form")


def _sanitized(form: type) -> type:
    from dualcirc.core.forms import SanitizedFormMixin

    if issubclass(form, SanitizedFormMixin):
        return form
    return types.new_class(
        f"Sanitized{form.__name__}",
        (SanitizedFormMixin, form),
        exec_body=lambda namespace: namespace.update({"__module__": __name__}),
    )


def sanitized_admin(admin_class: type) -> type:
    """``admin_class`` (a ModelAdmin or an inline), or a subclass of it whose forms are project
    forms."""
    changes: dict[str, Any] = {}
    for attribute in _FORM_ATTRIBUTES:
        form = getattr(admin_class, attribute, None)
        sanitized = _sanitized(form) if form is not None else None
        if sanitized is not form:
            changes[attribute] = sanitized
    inlines = [sanitized_admin(inline) for inline in getattr(admin_class, "inlines", [])]
    if inlines != list(getattr(admin_class, "inlines", [])):
        changes["inlines"] = inlines
    if not changes:
        return admin_class
    changes["__module__"] = admin_class.__module__
    return type(admin_class.__name__, (admin_class,), changes)


class ProjectAdminSite(admin.AdminSite):
    """Django's admin site, registering each model admin with project forms; its sign-in and
    change-password forms are project forms too."""

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)
        from dualcirc.core.forms import AdminPasswordChangeForm, AdminSignInForm

        self.login_form = AdminSignInForm
        self.password_change_form = AdminPasswordChangeForm

    def password_change(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        """Django's, with ``password_change_form`` (Django 5.2's admin always uses its own
        form; the attribute is Django 6.0's)."""
        from django.contrib.auth.views import PasswordChangeView

        defaults: dict[str, Any] = {
            "form_class": self.password_change_form,
            "success_url": reverse("admin:password_change_done", current_app=self.name),
            "extra_context": {**self.each_context(request), **(extra_context or {})},
        }
        if self.password_change_template is not None:
            defaults["template_name"] = self.password_change_template
        request.current_app = self.name
        return PasswordChangeView.as_view(**defaults)(request)  # type: ignore[return-value]

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = sanitized_admin(admin_class or admin.ModelAdmin)
        super().register(model_or_iterable, admin_class, **options)


class ProjectAdminConfig(AdminConfig):
    """``django.contrib.admin`` with :class:`ProjectAdminSite` as its default site."""

    default_site = "dualcirc.core.admin_site.ProjectAdminSite"
