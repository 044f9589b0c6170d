from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    """Sourcing requests, quotes, negotiation, orders and money."""

    name = "dualcirc.deals"
    label = "deals"
    verbose_name = _("Deals")
