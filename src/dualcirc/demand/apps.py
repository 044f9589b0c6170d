from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandConfig(AppConfig):
    """What buyers ask for: private demand signals, the radar, a factory's gaps."""

    name = "dualcirc.demand"
    label = "demand"
    verbose_name = _("Demand")

    def ready(self) -> None:
        from dualcirc.demand import after_response

        after_response.connect()  # signals are written once the response is sent
