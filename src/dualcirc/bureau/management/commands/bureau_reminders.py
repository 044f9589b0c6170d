"""``dualcirc bureau-reminders [--today YYYY-MM-DD]``: remind enterprises of their monthly report.

For a daily cron (``dualcirc periodic`` runs it too). Before the due day the enterprises that
have not reported last month get a "due soon" notice, after it an "overdue" one; each at most
once per enterprise, month and kind, so running it more than once a day is safe
(``bureau.domain.reporting.send_reminders``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dualcirc.bureau.domain.reporting import send_reminders


class Command(BaseCommand):
    help = "Remind the enterprises that have not reported last month's figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", metavar="YYYY-MM-DD", help="the day to act as of (default: today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = options["today"]
        today = None
        if text:
            try:
                today = dt.date.fromisoformat(text)
            except ValueError:
                raise CommandError(
                    _("%(value)r is not a date (write 2025-06-10).") % {"value": text}
                ) from None
        sent = send_reminders(today=today)
        self.stdout.write(
            _("%(due)d due-soon and %(overdue)d overdue reminders sent.")
            % {"due": sent.get("due_soon", 0), "overdue": sent.get("overdue", 0)}
        )
