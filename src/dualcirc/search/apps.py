from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The Django side of matching: index lifecycle, search pages and API."""

    name = "dualcirc.search"
    label = "search"
    verbose_name = _("Search and matching")

    def ready(self) -> None:
        from dualcirc.search import receivers

        receivers.connect()
