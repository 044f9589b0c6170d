"""``dualcirc restore FILE``: replace the database and uploaded files with a backup's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dualcirc.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `dualcirc backup`: REPLACES the database's content and the "
        "uploaded files, then rebuilds the search index. Stop the servers and the worker first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .tar.gz written by `dualcirc backup`")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask for confirmation (scripts)"
        )
        parser.add_argument(
            "--no-reindex", action="store_true", help="leave the index rebuild to `reindex`"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("%(path)s does not exist.") % {"path": path})
        if not options["yes"] and options.get("interactive", True):
            answer = input(
                _("This replaces every record and uploaded file with the backup's. Type yes: ")
            )
            if answer.strip().lower() != "yes":
                raise CommandError(_("Nothing was restored."))
        try:
            files = restore_backup(path, reindex=not options["no_reindex"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Restored the database and %(files)d files from %(path)s.")
            % {"files": files, "path": path}
        )
