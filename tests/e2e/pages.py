"""Steps the browser tests share."""

from __future__ import annotations

from typing import Any

from tests.factories import PASSWORD


def sign_in(page: Any, base: str, language: str, username: str, password: str = PASSWORD) -> None:
    """Sign in on the sign-in page of ``language`` and wait for the page it leads to."""
    page.goto(f"{base}/{language}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()
