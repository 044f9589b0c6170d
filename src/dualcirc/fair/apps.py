from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairConfig(AppConfig):
    """Online fairs: halls, booths, roadshows and 1:1 meetings."""

    name = "dualcirc.fair"
    label = "fair"
    verbose_name = _("Online fairs")
