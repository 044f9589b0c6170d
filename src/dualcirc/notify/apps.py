from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    """In-app notifications (the notification centre) and the e-mails that go with them."""

    name = "dualcirc.notify"
    label = "notify"
    verbose_name = _("Notifications")
