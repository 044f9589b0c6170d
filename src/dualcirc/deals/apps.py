from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    """Sourcing requests, quotes, negotiation, orders and money."""

    name = "dualcirc.deals"
    label = "deals"
    verbose_name = _("Deals")

    def ready(self) -> None:
        from dualcirc.deals.money import operator_rates
        from dualcirc.l10n.rates import register_operator_rates

        register_operator_rates(operator_rates)  # the one rate store reads the operator's rates
