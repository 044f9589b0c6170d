"""``dualcirc serve [addrport]``: serve the site over HTTP (default 127.0.0.1:8000)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

DEFAULT_ADDRPORT = "127.0.0.1:8000"


def split_addrport(addrport: str) -> tuple[str, str]:
    """``8000`` → (127.0.0.1, 8000); ``0.0.0.0:8000`` → (0.0.0.0, 8000); ``[::1]:80`` too."""
    host, sep, port = addrport.rpartition(":")
    if not sep:
        host, port = "127.0.0.1", addrport
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(
            _("%(addrport)r is not an address and port such as 127.0.0.1:8000.")
            % {"addrport": addrport}
        )
    return host or "127.0.0.1", port


def site_url(addrport: str) -> str:
    """The URL to open in a browser for a server listening on ``addrport``."""
    host, port = split_addrport(addrport)
    if host in ("0.0.0.0", "[::]"):  # listening everywhere: this machine answers locally
        host = "127.0.0.1"
    return f"http://{host}:{port}/"


class Command(BaseCommand):
    help = "Serve dualcirc over HTTP (development server; default 127.0.0.1:8000)."
    requires_system_checks: list[str] = []  # runserver runs them itself

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "addrport",
            nargs="?",
            default=DEFAULT_ADDRPORT,
            help=f"address and port to listen on (default {DEFAULT_ADDRPORT})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        addrport = options["addrport"]
        host, port = split_addrport(addrport)
        # Production hook: with DUALCIRC_ENV=production, start a production WSGI server here
        # (gunicorn serving dualcirc.wsgi:application on addrport) instead of the development
        # server below; that belongs to the deployment issue. Until then every environment
        # gets Django's development server.
        self.stdout.write(
            _("Serving dualcirc at %(url)s (press Ctrl+C to stop).") % {"url": site_url(addrport)}
        )
        # No autoreloader: it would fork a second process that loads everything twice.
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
