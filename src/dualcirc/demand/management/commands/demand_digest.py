"""``dualcirc demand_digest [--date YYYY-MM-DD]``: send this week's demand digests.

``dualcirc periodic`` (job ``demand-digest``) does the same every minute; the command is for a
weekly cron where no periodic runner is used. Idempotent per enterprise and week.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dualcirc.demand.domain_alerts import send_weekly_digests


class Command(BaseCommand):
    help = "Send every enterprise its weekly demand digest (once per week)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", metavar="YYYY-MM-DD", help="a day of the week to send (default: today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(_("--date: write the day as YYYY-MM-DD.")) from exc
        n = send_weekly_digests(today=day)
        self.stdout.write(_("%(n)d weekly demand digests sent.") % {"n": n})
