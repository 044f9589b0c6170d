"""``dualcirc bureau-alerts [--month YYYY-MM]``: refresh the at-risk alerts of a month.

For a nightly cron. The month defaults to the last complete month, whose reports fall due
on ``BureauSettings.report_due_day`` of this month (missing reports are flagged from then).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dualcirc.bureau.domain.alerts import refresh_alerts
from dualcirc.bureau.domain.figures import parse_month
from dualcirc.bureau.indicators import month_index, month_label
from dualcirc.bureau.scopes import last_complete_month


class Command(BaseCommand):
    help = "Refresh the at-risk alerts of every enterprise for a month (default: last month)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--month", metavar="YYYY-MM", help="the month to assess (default: last month)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = options["month"]
        if text:
            try:
                when = parse_month(text)
            except ValueError:
                raise CommandError(
                    _("%(value)r is not a month (write 2025-06).") % {"value": text}
                ) from None
            month = month_index(when.year, when.month)
        else:
            month = last_complete_month()
        held = refresh_alerts(month=month)
        self.stdout.write(
            _("%(count)d at-risk alerts hold for %(month)s.")
            % {"count": held, "month": month_label(month)}
        )
