"""The production mode's refusals: what must be true before ``DUALCIRC_ENV=production`` starts.

Pure functions of the configured values, so the settings module can call them before Django is
set up and the tests can call them directly.
"""

from __future__ import annotations

DEV_SECRET_KEY = "dev-insecure-key-change-me-in-production-0123456789abcdef"
MIN_SECRET_KEY_LENGTH = 32
ENVIRONMENTS = ("development", "production")


def configuration_problems(
    *, secret_key: str, debug: bool, database_engine: str, allowed_hosts: list[str]
) -> list[str]:
    """Why this configuration must not serve production traffic; empty when it may.

    The messages name the setting to change, in English: they are read by whoever installs the
    server, before any language is chosen.
    """
    problems = []
    if not secret_key or secret_key == DEV_SECRET_KEY:
        problems.append(
            "DUALCIRC_SECRET_KEY is not set (the development key is public). Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    elif len(secret_key) < MIN_SECRET_KEY_LENGTH:
        problems.append(f"DUALCIRC_SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters.")
    if debug:
        problems.append("DUALCIRC_DEBUG is on: set DUALCIRC_DEBUG=0 (debug pages leak data).")
    if database_engine.endswith("sqlite3"):
        problems.append(
            "The database is SQLite: set DATABASE_URL=postgres://user@host:5432/dbname "
            "(SQLite serves one machine's development, not several server processes)."
        )
    if not allowed_hosts or "*" in allowed_hosts:
        problems.append("DUALCIRC_ALLOWED_HOSTS must list the site's host names (not '*').")
    return problems


def refusal_message(problems: list[str]) -> str:
    lines = "\n".join(f"  - {p}" for p in problems)
    return f"dualcirc refuses to start in production mode (DUALCIRC_ENV=production):\n{lines}"
