"""``dualcirc disable-demo-logins``: close every account that still signs in with a password
the demo published (ops.demo_logins), so that production may start."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from dualcirc.ops.demo_logins import disable_demo_logins


class Command(BaseCommand):
    help = "Disable every account that still has a published demo password."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = disable_demo_logins()
        if not closed:
            self.stdout.write(_("No account has a demo password."))
            return
        self.stdout.write(
            _("Disabled %(n)d accounts with demo passwords: %(names)s")
            % {"n": len(closed), "names": ", ".join(closed)}
        )
