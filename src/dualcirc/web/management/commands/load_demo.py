"""``dualcirc demo [--serve] [--addrport 127.0.0.1:8000]``: migrate, load the demo data, print
the demo logins and the URL; with ``--serve``, then serve the site."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dualcirc.demo.activity import ActivitySummary
from dualcirc.demo.loader import DemoLogin, load_demo
from dualcirc.demo.places import ROLE_LABELS
from dualcirc.web.management.commands.serve import DEFAULT_ADDRPORT, site_url


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(display_width(r[i]) for r in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = (c + " " * (w - display_width(c)) for c, w in zip(cells, widths, strict=True))
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def format_logins(logins: Sequence[DemoLogin]) -> str:
    header = [_("role"), _("username"), _("password"), _("organisation")]
    return format_table(
        header,
        [[str(ROLE_LABELS[lg.role]), lg.username, lg.password, lg.organisation] for lg in logins],
    )


def format_activity(activity: ActivitySummary) -> str:
    return _(
        "Live fair “%(fair)s” (%(starts)s – %(ends)s): %(booths)d booths, %(sessions)d "
        "sessions, %(meetings)d scheduled 1:1 meetings. Deals: %(requests)d sourcing requests, "
        "%(quotes)d quotes, %(orders)d orders. Bureau: %(cases)d support cases, %(chains)d "
        "industrial chains, %(projects)d investment projects."
    ) % {
        "fair": activity.fair_name,
        "starts": activity.fair_starts.isoformat(),
        "ends": activity.fair_ends.isoformat(),
        "booths": activity.booths,
        "sessions": activity.sessions,
        "meetings": activity.meetings,
        "requests": activity.requests,
        "quotes": activity.quotes,
        "orders": activity.orders,
        "cases": activity.cases,
        "chains": activity.chains,
        "projects": activity.projects,
    }


class Command(BaseCommand):
    help = (
        "Migrate the database, load the demo data (idempotent), print the demo logins and, "
        "with --serve, serve the site."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--serve", action="store_true", help="then serve the site, as `dualcirc serve` does"
        )
        parser.add_argument(
            "--addrport",
            default=DEFAULT_ADDRPORT,
            help=f"address and port to serve on (default {DEFAULT_ADDRPORT})",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="load even with DEBUG off (the demo logins have published passwords)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "The demo creates logins whose passwords are published, so it only loads "
                    "in development (DUALCIRC_DEBUG=1). Pass --force to load it anyway."
                )
            )
        url = site_url(options["addrport"])  # a bad --addrport fails before any work
        self.stdout.write(_("Migrating the database…"))
        call_command(
            "migrate",
            interactive=False,
            verbosity=max(0, options["verbosity"] - 1),
            stdout=self.stdout,
            stderr=self.stderr,
        )
        self.stdout.write(_("Loading the demo data…"))
        summary = load_demo()
        self.stdout.write(
            _(
                "Demo data: %(enterprises)d enterprises in %(belts)d industrial belts and "
                "%(regions)d regions, %(products)d products (%(drafts)d drafts); "
                "%(months)d enterprise-months of figures, %(alerts)d at-risk alerts."
            )
            % {
                "enterprises": summary.enterprises,
                "belts": summary.belts,
                "regions": summary.regions,
                "products": summary.products,
                "drafts": summary.drafts,
                "months": summary.figure_months,
                "alerts": summary.alerts,
            }
        )
        if summary.activity is not None:
            self.stdout.write(format_activity(summary.activity))
        self.stdout.write("\n" + _("Demo logins:") + "\n\n" + format_logins(summary.logins) + "\n")
        self.stdout.write(
            _(
                "Open %(url)s — Chinese at %(url)szh-hans/, English at %(url)sen/, "
                "Vietnamese at %(url)svi/."
            )
            % {"url": url}
        )
        if options["serve"]:
            call_command("serve", options["addrport"])
