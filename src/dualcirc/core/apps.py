from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dualcirc.core"
    label = "core"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from django.contrib import admin

        from dualcirc.core import audit, views

        audit.connect()
        # Operators sign in through the site's sign-in (lock-out, two-factor), not a second form.
        admin.site.login = views.admin_login  # type: ignore[method-assign]
