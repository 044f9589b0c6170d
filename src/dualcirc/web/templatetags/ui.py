"""The design system's template tags (docs/design.md): ``{% load ui %}``.

- ``{% icon "bell" %}``: an inline SVG from the vendored Tabler icon set (no web font, no emoji,
  so it shows wherever the page shows);
- ``{% state_badge value label %}``: a state as a coloured badge; the colour says where the
  state stands (waiting, moving, done, stopped), one table for every app;
- ``{{ field|field_kind }}``: which layout a form field gets (check box beside its label,
  everything else below it).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ICON_DIR = Path(__file__).resolve().parent.parent / "static" / "web" / "vendor" / "tabler-icons"

# Where a state stands, whatever the app: the badge's colour. A state missing here is neutral.
STATE_TONES: dict[str, str] = {
    # waiting for someone
    "pending": "waiting",
    "draft": "waiting",
    "submitted": "waiting",
    "scheduled": "waiting",
    "open": "info",
    # moving on
    "negotiating": "progress",
    "in_production": "progress",
    "ready_for_inspection": "progress",
    "shipped": "progress",
    "delivered": "progress",
    # done well
    "approved": "success",
    "accepted": "success",
    "awarded": "success",
    "confirmed": "success",
    "completed": "success",
    "published": "success",
    "resolved": "success",
    # stopped
    "closed": "neutral",
    "withdrawn": "neutral",
    "rejected": "stopped",
    "cancelled": "stopped",
    "expired": "neutral",
    # needs attention
    "disputed": "danger",
    "overdue": "danger",
    # bureau: support cases, investment projects, alerts
    "received": "waiting",
    "assigned": "info",
    "handling": "progress",
    "feedback": "progress",
    "lead": "waiting",
    "signed": "success",
    "under_construction": "progress",
    "operating": "success",
    "dropped": "stopped",
    "in_case": "progress",
    "cleared": "neutral",
    # bureau: monthly reports under review
    "returned": "stopped",
    "resubmitted": "waiting",
    "not_reported": "danger",  # "missing" is a chain link's state, styled apart
    # bureau: support policies reaching enterprises (confirmed is "success" above)
    "eligible": "info",
    "notified": "waiting",
    "paid": "success",
}


@lru_cache(maxsize=64)
def _svg(name: str) -> str:
    path = ICON_DIR / "outline" / f"{name}.svg"
    if not re.fullmatch(r"[a-z0-9-]+", name) or not path.is_file():
        raise template.TemplateSyntaxError(f"Unknown icon {name!r} (see {ICON_DIR})")
    text = path.read_text(encoding="utf-8")
    body = text[text.index(">", text.index("<svg")) + 1 : text.rindex("</svg>")]
    body = re.sub(r'<path stroke="none" d="M0 0h24v24H0z" fill="none"\s*/>', "", body)
    body = re.sub(r"\s+", " ", body).strip()
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="icon icon-{name}" width="24" '
        'height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" '
        'stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">'
        f"{body}</svg>"
    )


@register.simple_tag
def icon(name: str) -> SafeString:
    """``{% icon "bell" %}`` — decorative: give the link or button its own text or label."""
    return mark_safe(_svg(name))


def state_tone(value: Any) -> str:
    return STATE_TONES.get(str(value), "neutral")


@register.simple_tag
def state_badge(value: Any, label: Any, element_id: str = "") -> SafeString:
    """``{% state_badge order.state order.get_state_display %}``"""
    if element_id:
        return format_html(
            '<span class="badge state state-{} tone-{}" id="{}">{}</span>',
            value,
            state_tone(value),
            element_id,
            label,
        )
    return format_html(
        '<span class="badge state state-{} tone-{}">{}</span>', value, state_tone(value), label
    )


@register.filter
def field_kind(field: Any) -> str:
    """``checkbox`` for a single check box (label beside it), else ``input``."""
    widget = getattr(getattr(field, "field", None), "widget", None)
    return "checkbox" if getattr(widget, "input_type", "") == "checkbox" else "input"
