from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running dualcirc in production: middleware, logs, backups, the production server."""

    name = "dualcirc.ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from dualcirc.ops import checks  # noqa: F401  # registers the production checks
