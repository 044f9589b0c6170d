"""The request being handled, for code that has no request argument (audit signal receivers)."""

from __future__ import annotations

import contextvars
import ipaddress

from django.conf import settings
from django.http import HttpRequest

current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "dualcirc_current_request", default=None
)


def _trusted_proxy(address: str) -> bool:
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(peer in network for network in settings.TRUSTED_PROXY_NETWORKS)


def client_address(request: HttpRequest | None) -> str:
    """The caller's IP address: the peer, or — when the peer is a trusted proxy
    (``TRUSTED_PROXIES``) and ``TRUSTED_PROXY_COUNT`` proxies stand in front — the address the
    outermost trusted proxy saw (``X-Forwarded-For`` read from the right, so a client cannot
    forge it by sending the header itself). A client that reaches the server directly never
    chooses its address with the header. Empty when unknown or malformed."""
    if request is None:
        return ""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies and _trusted_proxy(address):
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""
