"""How this server learns who is using it, read from the environment: no sign-in (a
laptop), built-in accounts, a trusted reverse proxy's header, or single sign-on (OIDC).

==========================  =========================================================
``CXW_AUTH``                ``none`` (default), ``accounts``, ``proxy`` or ``oidc``
``CXW_OPEN``                ``1``: serve a network address without sign-in (a banner
                            says anyone on the network can edit)
``CXW_TRUSTED_PROXIES``     proxy addresses or networks whose header is believed
                            (``127.0.0.1,10.0.0.0/8``); no default
``CXW_PROXY_USER_HEADER``   the header naming the person (``X-Forwarded-User``)
``CXW_PROXY_NAME_HEADER``   the header with their display name (``X-Forwarded-Preferred-Username``)
``CXW_ADMINS``              logins that are instance admins when they sign in by proxy or SSO
``CXW_IDLE_MINUTES``        a session ends after this many idle minutes (``60``)
==========================  =========================================================

OIDC itself (provider, client id and secret, cookie secret) is configured in
``.streamlit/secrets.toml`` under ``[auth]``, as Streamlit's ``st.login`` expects.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

METHODS = ("none", "accounts", "proxy", "oidc")
LOCAL_ADDRESSES = ("localhost", "127.0.0.1", "::1")


class ConfigError(ValueError):
    """The configuration cannot be served safely; the message says what to set."""


def _networks(text: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for part in (text or "").replace(";", ",").split(","):
        if part.strip():
            try:
                networks.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                raise ConfigError(f"CXW_TRUSTED_PROXIES: {part.strip()!r} is not an address or network") from None
    return tuple(networks)


@dataclass(frozen=True)
class SignInConfig:
    """The sign-in settings of this server (see the module docstring for the variables)."""

    method: str = "none"
    open_mode: bool = False
    trusted_proxies: tuple = ()
    user_header: str = "X-Forwarded-User"
    name_header: str = "X-Forwarded-Preferred-Username"
    admins: frozenset[str] = field(default_factory=frozenset)
    idle_minutes: int = 60

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "SignInConfig":
        env = os.environ if env is None else env
        method = (env.get("CXW_AUTH") or "none").strip().lower()
        if method not in METHODS:
            raise ConfigError(f"CXW_AUTH must be one of {', '.join(METHODS)}, not {method!r}")
        try:
            idle = int(env.get("CXW_IDLE_MINUTES") or 60)
        except ValueError:
            raise ConfigError("CXW_IDLE_MINUTES must be a whole number of minutes") from None
        if idle < 1:
            raise ConfigError("CXW_IDLE_MINUTES must be at least 1")
        config = cls(
            method=method,
            open_mode=(env.get("CXW_OPEN") or "").strip().lower() in ("1", "true", "yes"),
            trusted_proxies=_networks(env.get("CXW_TRUSTED_PROXIES", "")),
            user_header=env.get("CXW_PROXY_USER_HEADER") or cls.user_header,
            name_header=env.get("CXW_PROXY_NAME_HEADER") or cls.name_header,
            admins=frozenset(a.strip() for a in (env.get("CXW_ADMINS") or "").split(",") if a.strip()),
            idle_minutes=idle,
        )
        if method == "proxy" and not config.trusted_proxies:
            raise ConfigError("CXW_AUTH=proxy needs CXW_TRUSTED_PROXIES: the addresses of the proxy")
        return config

    @property
    def signs_in(self) -> bool:
        return self.method != "none"

    def check_address(self, address: str | None) -> None:
        """Refuse to serve a network address without sign-in, unless open mode says so.

        ``address`` is the one the server listens on (Streamlit's ``server.address``);
        empty means every interface.
        """
        if self.signs_in or self.open_mode or is_local(address):
            return
        raise ConfigError(
            f"This server listens on {address or 'every network interface'} without sign-in. "
            "Set CXW_AUTH (accounts, proxy or oidc), or CXW_OPEN=1 to let anyone on the network "
            "edit, or listen on localhost only (--server.address localhost)."
        )

    def proxy_login(self, peer: str | None, headers: Mapping[str, str]) -> tuple[str, str] | None:
        """The (login, display name) the proxy vouches for, or None.

        The header is believed only when the connection comes from a trusted proxy
        address (``peer``; None means loopback, as Streamlit reports it).
        """
        try:
            address = ipaddress.ip_address(peer or "127.0.0.1")
        except ValueError:
            return None
        if not any(address in network for network in self.trusted_proxies):
            return None
        lowered = {k.lower(): v for k, v in headers.items()}
        login = (lowered.get(self.user_header.lower()) or "").strip()
        if not login:
            return None
        return login, (lowered.get(self.name_header.lower()) or "").strip() or login


def is_local(address: str | None) -> bool:
    """Whether a listening address is reachable from this computer only."""
    return (address or "").strip().strip("[]") in LOCAL_ADDRESSES
