"""``{% notification_text n %}``: a notification's sentence in the active language."""

from __future__ import annotations

from django import template

from dualcirc.notify.domain import describe
from dualcirc.notify.models import Notification

register = template.Library()


@register.simple_tag
def notification_text(notification: Notification) -> str:
    return describe(notification.verb, notification.target_label)
