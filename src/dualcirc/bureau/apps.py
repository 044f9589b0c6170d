from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BureauConfig(AppConfig):
    """The government's view: figures, indicators, alerts, chains, cases, projects, reports."""

    name = "dualcirc.bureau"
    label = "bureau"
    verbose_name = _("Bureau")

    def ready(self) -> None:
        from dualcirc.bureau import checks  # noqa: F401  (registers the world map's check)
