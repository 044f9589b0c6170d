from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running dualcirc in production: middleware, logs, backups, the production server."""

    name = "dualcirc.ops"
    verbose_name = _("Operations")
