from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dualcirc.core"
    label = "core"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from django.contrib import admin

        from dualcirc.core import access, audit, views

        audit.connect()
        # Operators sign in through the site's sign-in (lock-out, two-factor), not a second form.
        admin.site.login = views.admin_login  # type: ignore[method-assign]

        # Who may use the admin is a rule of core.access like every other.
        def may_use_admin(request: HttpRequest) -> bool:
            return access.can_use_admin(request.user)

        admin.site.has_permission = may_use_admin  # type: ignore[method-assign]
