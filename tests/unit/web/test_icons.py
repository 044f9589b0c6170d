"""Every icon a template asks for is vendored (a missing one would be a 500 on that page), and
the tag inlines it as a decorative SVG."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

from dualcirc.web.templatetags.ui import ICON_DIR, state_tone

SRC = Path(__file__).resolve().parents[3] / "src" / "dualcirc"


def test_every_icon_used_in_a_template_is_vendored() -> None:
    used = {
        name
        for path in SRC.rglob("templates/**/*.html")
        for name in re.findall(r'\{% icon "([a-z0-9-]+)" %\}', path.read_text(encoding="utf-8"))
    }

    missing = sorted(n for n in used if not (ICON_DIR / "outline" / f"{n}.svg").is_file())

    assert len(used) > 20
    assert missing == []


def test_icon_tag_inlines_a_hidden_svg_and_refuses_unknown_names() -> None:
    html = Template('{% load ui %}{% icon "bell" %}').render(Context())

    assert html.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="icon icon-bell"')
    assert 'aria-hidden="true"' in html and "<path" in html
    with pytest.raises(TemplateSyntaxError):
        Template('{% load ui %}{% icon "../../settings" %}').render(Context())


def test_states_get_distinct_tones_and_a_cancel_never_looks_like_progress() -> None:
    assert state_tone("confirmed") == "success"
    assert state_tone("shipped") == "progress"
    assert state_tone("pending") == "waiting"
    assert state_tone("cancelled") == state_tone("rejected") == "stopped"
    assert state_tone("disputed") == "danger"
    assert state_tone("something-new") == "neutral"
