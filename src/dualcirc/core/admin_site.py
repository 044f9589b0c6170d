"""The project's admin site: every form it shows is a project form.

Each model admin registered on it gets its form (and its inlines' forms, and the user admin's
add and password forms) with :class:`dualcirc.core.forms.SanitizedFormMixin`, so that a NUL
character or a lone surrogate typed into ``/admin/`` is an error beside its field, as on every
other page. Installed as the default admin site (``ProjectAdminConfig`` in INSTALLED_APPS), so
the apps' ``@admin.register`` and ``admin.site.register`` calls use it unchanged.

This module is imported while the app registry is being filled: it imports no model (the form
base is imported when the first admin registers, during the admin's autodiscovery).
"""

from __future__ import annotations

import types
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

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
    """Django's admin site, registering each model admin with project forms."""

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = sanitized_admin(admin_class or admin.ModelAdmin)
        super().register(model_or_iterable, admin_class, **options)


class ProjectAdminConfig(AdminConfig):
    """``django.contrib.admin`` with :class:`ProjectAdminSite` as its default site."""

    default_site = "dualcirc.core.admin_site.ProjectAdminSite"
