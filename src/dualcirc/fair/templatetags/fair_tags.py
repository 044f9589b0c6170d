from typing import Any

from django import template

from dualcirc.l10n import local_name

register = template.Library()


@register.filter
def local(obj: Any, field: str) -> str:
    """``{{ fair|local:"name" }}``: the text in the viewer's language when there is one, else the
    original (:func:`dualcirc.l10n.local_name`)."""
    return local_name(obj, field)
