"""The ``dualcirc`` command line: a thin front over Django's management commands.

``dualcirc serve|demo|migrate|import|reindex|search-run|search-eval|…`` — every sub-command is a
management command of one of the apps; a few have friendlier names here. ``python -m dualcirc``
is the same program. The exit status is the command's: 0 on success, 1 on an error it reports.
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "import": "import_catalog",
    "search-run": "search_run",
    "search-eval": "search_eval",
    "demo": "load_demo",
}


def exit_status(code: object) -> int:
    """The process exit status for ``SystemExit(code)``, as the interpreter would compute it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    """Run one sub-command and return its exit status. Creates the data directory first."""
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualcirc.settings")
    from django.conf import settings

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    from django.core.management import execute_from_command_line

    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    try:
        execute_from_command_line(["dualcirc", *args])
    except SystemExit as exc:  # argparse errors, CommandError, --help, --version
        return exit_status(exc.code)
    except KeyboardInterrupt:
        return 130  # the shell's convention for "stopped by Ctrl+C"
    return 0
