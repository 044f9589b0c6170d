"""The ``dualcirc`` command line: a thin front over Django's management commands.

``dualcirc serve|demo|migrate|import|reindex|search-run|search-eval|…`` — every sub-command is a
management command of one of the apps; a few have friendlier names here.
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


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualcirc.settings")
    from django.conf import settings

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    from django.core.management import execute_from_command_line

    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    execute_from_command_line(["dualcirc", *args])
    return 0
