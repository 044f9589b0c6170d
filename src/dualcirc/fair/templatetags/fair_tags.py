from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def local(obj: Any, field: str) -> str:
    """``{{ fair|local:"name" }}``: the English text in the English UI when there is one, else
    the Chinese."""
    zh = getattr(obj, f"{field}_zh", "")
    en = getattr(obj, f"{field}_en", "")
    return str(en if get_language() == "en" and en else zh or en)
