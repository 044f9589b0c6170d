"""The ``dualcirc`` command line: a thin front over Django's management commands.

``dualcirc serve|demo|migrate|import|reindex|backup|restore|db-worker|…`` — every sub-command is a
management command of one of the apps; a few have friendlier names here. ``python -m dualcirc``
is the same program. The exit status is the command's: 0 on success, 1 on an error it reports.
"""

from __future__ import annotations

import os
import sys

import django

ALIASES = {
    "import": "import_catalog",
    "search-run": "search_run",
    "search-eval": "search_eval",
    "demo": "load_demo",
    "bureau-alerts": "bureau_alerts",
    "bureau-reminders": "bureau_reminders",
    "periodic": "periodic",
    "disable-demo-logins": "disable_demo_logins",
}


def exit_status(code: object) -> int:
    """The process exit status for ``SystemExit(code)``, as the interpreter would compute it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


# The interface languages by the prefix of a language code or POSIX locale name (zh_CN.UTF-8).
INTERFACE_LANGUAGES = {"zh": "zh-hans", "vi": "vi", "en": "en"}


def _interface_language(value: str) -> str:
    """The interface language for a code or locale name: Chinese, Vietnamese, else English."""
    prefix = value.strip().lower().replace("_", "-").split("-", 1)[0].split(".", 1)[0]
    return INTERFACE_LANGUAGES.get(prefix, "en")


def command_line_language(environ: dict[str, str] | None = None) -> str:
    """The language the command line speaks: ``DUALCIRC_LANGUAGE`` when set, else the system
    locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``): Chinese for ``zh_*``, Vietnamese for
    ``vi_*``, English otherwise."""
    env = os.environ if environ is None else environ
    chosen = env.get("DUALCIRC_LANGUAGE", "").strip()
    if chosen:
        return _interface_language(chosen)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:
            return _interface_language(value)
    return "en"


def main(argv: list[str] | None = None) -> int:
    """Run one sub-command and return its exit status. Creates the data directory first."""
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualcirc.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    except ImproperlyConfigured as exc:  # e.g. production mode with the development secret
        print(exc, file=sys.stderr)
        return 2
    from django.core.management import execute_from_command_line
    from django.utils import translation

    django.setup()  # translations need the app registry; setting up again later is a no-op
    translation.activate(command_line_language())

    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    try:
        execute_from_command_line(["dualcirc", *args])
    except SystemExit as exc:  # argparse errors, CommandError, --help, --version
        return exit_status(exc.code)
    except KeyboardInterrupt:
        return 130  # the shell's convention for "stopped by Ctrl+C"
    return 0
