"""Links participants open on their phones: an address phones can reach, and its QR code.

The address the facilitator's browser used is often ``localhost`` or ``127.0.0.1``, which a
phone cannot open. In order of preference: the operator's public URL (``CXW_PUBLIC_URL``),
the address the facilitator's browser reached us by when it is not loopback, then this
machine's own network address on the same port. When only loopback is known, the link is
returned with ``reachable=False`` so the page can warn.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from cxlib.steps.survey_links import qr_png, qr_svg  # the QR codes of every link the app hands out

__all__ = ["Link", "base_url", "network_addresses", "page_link", "qr_png", "qr_svg"]


DEFAULT_HOST = "localhost:8501"  # Streamlit's own default, when a request carries no Host


@dataclass(frozen=True)
class Link:
    url: str
    reachable: bool  # False: only a loopback address is known; phones cannot open it


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host.endswith(".localhost")


def network_addresses() -> list[str]:
    """This machine's non-loopback IPv4 addresses, as the resolver knows them (no traffic sent)."""
    try:
        _, _, found = socket.gethostbyname_ex(socket.gethostname())
    except OSError:
        return []
    return sorted({address for address in found if not _is_loopback(address)})


def base_url(browser_host: str | None, scheme: str = "http", public_url: str | None = None,
             addresses: list[str] | None = None) -> Link:
    """The start of a link phones can open (no trailing slash).

    ``browser_host`` is the Host header of the facilitator's request (``name:port``).
    """
    configured = public_url if public_url is not None else os.environ.get("CXW_PUBLIC_URL", "")
    if configured.strip():
        return Link(configured.strip().rstrip("/"), True)
    browser_host = browser_host or DEFAULT_HOST
    parts = urlsplit(f"//{browser_host}")
    host, port = parts.hostname or "localhost", parts.port
    if not _is_loopback(host):
        return Link(f"{scheme}://{browser_host}", True)
    found = network_addresses() if addresses is None else addresses
    suffix = f":{port}" if port else ""
    if found:
        return Link(f"{scheme}://{found[0]}{suffix}", True)
    return Link(f"{scheme}://{browser_host}", False)


def page_link(base: Link, page: str, **params: str | int) -> Link:
    """A link to one app page with its query parameters, keeping the base's reachability."""
    return Link(f"{base.url}/{page}?{urlencode(params)}", base.reachable)
