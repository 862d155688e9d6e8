"""How many requests one network address may send to the public survey pages and to the
webhook: a token bucket per address, in this server process's memory.

The device cookie keeps one answer per device per survey per day, but a cookie is the
client's to drop; this limit holds whatever the client does. Each address may send
``burst`` requests at once, then ``burst`` per ``seconds`` (tokens come back one by one,
at that pace). A refused request learns how long to wait.

==========================  =========================================================
``CXW_RATE_SURVEY``         requests per address to ``/s/…`` (``60/60``: 60 a minute)
``CXW_RATE_WEBHOOK``        requests per address to ``/api/answers/…`` (``1200/60``)
==========================  =========================================================

``off`` (or ``0``) turns a limit off. Behind a reverse proxy the address is the one the
proxy reports, when the proxy is trusted (uvicorn's ``--forwarded-allow-ips``); otherwise
every visitor shares the proxy's address, and the limit should be raised to match.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cxlib.access.config import ConfigError

DEFAULTS = {"survey": "60/60", "webhook": "1200/60"}
VARIABLES = {"survey": "CXW_RATE_SURVEY", "webhook": "CXW_RATE_WEBHOOK"}
MAX_ADDRESSES = 50_000  # beyond this, addresses whose bucket is full again are forgotten


@dataclass(frozen=True)
class Rate:
    """``burst`` requests per ``seconds``; None is no limit."""

    burst: int
    seconds: float

    @classmethod
    def parse(cls, text: str, variable: str = "rate") -> "Rate | None":
        text = (text or "").strip().lower()
        if text in ("off", "0", "none"):
            return None
        count, _, seconds = text.partition("/")
        try:
            rate = cls(int(count), float(seconds or 1))
        except ValueError:
            raise ConfigError(f"{variable}: {text!r} is not 'requests/seconds' (such as 60/60) or 'off'") from None
        if rate.burst < 1 or not 0 < rate.seconds < math.inf:
            raise ConfigError(f"{variable}: {text!r} needs at least 1 request per a positive number of seconds")
        return rate


def rates_from_env(env: Mapping[str, str] | None = None) -> dict[str, Rate | None]:
    """The configured rate of each scope (``survey``, ``webhook``); ConfigError names a bad variable."""
    env = os.environ if env is None else env
    return {scope: Rate.parse(env.get(VARIABLES[scope], DEFAULTS[scope]), VARIABLES[scope]) for scope in DEFAULTS}


class Limiter:
    """Token buckets per address for one scope; thread-safe, and cheap enough to ask on
    every request (a dictionary lookup under a lock)."""

    def __init__(self, rate: Rate | None, clock: Callable[[], float] = time.monotonic):
        self.rate = rate
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # address -> (tokens, when counted)
        self._lock = threading.Lock()

    def _refilled(self, tokens: float, since: float, now: float) -> float:
        return min(float(self.rate.burst), tokens + (now - since) * self.rate.burst / self.rate.seconds)

    def take(self, address: str | None) -> float:
        """Count one request from ``address``: 0.0 when it may go ahead, otherwise the
        seconds to wait before the next one would be let through."""
        if self.rate is None:
            return 0.0
        address = address or "unknown"
        with self._lock:
            now = self.clock()
            tokens, since = self._buckets.get(address, (float(self.rate.burst), now))
            tokens = self._refilled(tokens, since, now)
            if tokens >= 1:
                self._buckets[address] = (tokens - 1, now)
                if len(self._buckets) > MAX_ADDRESSES:
                    self._forget_full(now)
                return 0.0
            self._buckets[address] = (tokens, now)
            return (1 - tokens) * self.rate.seconds / self.rate.burst

    def _forget_full(self, now: float) -> None:
        """Drop the addresses whose bucket has filled up again (they are as if never seen)."""
        for address, (tokens, since) in list(self._buckets.items()):
            if self._refilled(tokens, since, now) >= self.rate.burst:
                del self._buckets[address]


def retry_after(seconds: float) -> int:
    """Whole seconds for a ``Retry-After`` header (at least 1)."""
    return max(1, math.ceil(seconds))
