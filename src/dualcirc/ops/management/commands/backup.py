"""``dualcirc backup [--out FILE]``: the database and the uploaded files in one .tar.gz."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dualcirc.ops.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite or PostgreSQL) and the uploaded files into one .tar.gz "
        "(default: DATA_DIR/backups/dualcirc-<time>.tar.gz). Safe while the site runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, help="the backup file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        out = options["out"]
        if out is None:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            out = Path(settings.DATA_DIR) / "backups" / f"dualcirc-{stamp}.tar.gz"
        try:
            summary = create_backup(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Backed up the %(engine)s database and %(files)d files to %(path)s (%(size)d bytes).")
            % {
                "engine": summary.engine,
                "files": summary.files,
                "path": summary.path,
                "size": summary.size,
            }
        )
