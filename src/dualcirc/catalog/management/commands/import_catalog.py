"""``dualcirc import FILE [--partial] [--as USERNAME] [--enterprise ID]``: import a catalog file.

Acts as the platform (an operator) unless ``--as`` names a user. Prints the summary and each
problem as ``row N, column C: reason``; exits with status 1 when the import is refused (an
invalid row without ``--partial``, an unreadable file, a user who may not import).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dualcirc.catalog.importing import CatalogImportRejected, ImportReport, import_catalog
from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import DomainError, FieldError
from dualcirc.core.models import User


def format_error(error: FieldError) -> str:
    where = []
    if error.row is not None:
        where.append(_("row %(row)d") % {"row": error.row})
    if error.field:
        where.append(_("column %(column)s") % {"column": error.field})
    return f"{', '.join(where)}: {error.message}" if where else error.message


class Command(BaseCommand):
    help = "Import a catalog file (CSV or XLSX) of enterprises and products."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV (UTF-8 or GB18030) or XLSX file")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="import the valid rows and report the others (default: all or nothing)",
        )
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="import as this user, with their permissions (default: the platform)",
        )
        parser.add_argument(
            "--enterprise", type=int, metavar="ID", help="import every row into this enterprise"
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="report rows read, checked and written on stderr (Ctrl+C cancels: nothing "
            "is written)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        actor = self._actor(options["username"])
        enterprise = None
        if options["enterprise"] is not None:
            enterprise = Enterprise.objects.filter(pk=options["enterprise"]).first()
            if enterprise is None:
                raise CommandError(
                    _("No enterprise has id %(id)d.") % {"id": options["enterprise"]}
                )
        try:
            report = import_catalog(
                actor=actor,
                file=path,
                partial=options["partial"],
                enterprise=enterprise,
                progress=self._progress if options["progress"] else None,
            )
        except KeyboardInterrupt as exc:  # checking writes nothing; writing is one transaction
            raise CommandError(_("Cancelled: nothing was written.")) from exc
        except CatalogImportRejected as exc:
            self._print(exc.report)
            raise CommandError(str(exc)) from exc
        except AccessDenied as exc:
            raise CommandError(str(exc)) from exc
        except DomainError as exc:
            for error in exc.errors:
                self.stderr.write(format_error(error))
            raise CommandError(str(exc)) from exc
        self._print(report)

    def _progress(self, stage: str, done: int, total: int) -> None:
        labels = {"read": _("read"), "checked": _("checked"), "written": _("written")}
        self.stderr.write(
            _("%(stage)s: %(done)d of %(total)d rows")
            % {"stage": labels.get(stage, stage), "done": done, "total": total}
        )

    def _actor(self, username: str | None) -> Any:
        if username is None:
            # The platform itself: an unsaved superuser, which core.access treats as an operator.
            return User(username="platform", is_superuser=True)
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user is called %(name)s.") % {"name": username})
        return user

    def _print(self, report: ImportReport) -> None:
        self.stdout.write(
            _(
                "%(rows)d rows: %(created)d products created, %(updated)d updated, "
                "%(unchanged)d unchanged; %(enterprises)d enterprises created, "
                "%(enterprises_updated)d updated; %(invalid)d invalid rows."
            )
            % {
                "rows": report.rows,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "enterprises": report.enterprises_created,
                "enterprises_updated": report.enterprises_updated,
                "invalid": report.invalid_rows,
            }
        )
        if not report.written:
            self.stdout.write(_("Nothing was written."))
        for warning in report.warnings:
            self.stdout.write(warning)
        for error in report.errors:
            self.stdout.write(format_error(error))
        if report.errors_omitted:
            self.stdout.write(
                _("%(count)d more problems are not listed.") % {"count": report.errors_omitted}
            )
        if report.held_rows:
            self.stdout.write(
                _(
                    "%(rows)d rows of new enterprises wait for their region: confirm them on "
                    "the page of import job %(job)d (/import/jobs/%(job)d/)."
                )
                % {"rows": report.held_rows, "job": report.held_job_id}
            )
