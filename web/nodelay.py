"""Small answers leave at once: Nagle's algorithm off on the server's listening sockets.

Streamlit 1.67 binds its own listening socket (``socket.socket(family=…)``, protocol 0)
and hands it to uvicorn. asyncio turns Nagle's algorithm off only on sockets whose
protocol reads ``IPPROTO_TCP`` (``asyncio.base_events._set_nodelay``), so on the accepted
connections it stays on. uvicorn writes an answer's headers and its body in two sends;
on a kept-alive connection the body then waits for the client's delayed ACK, 40 ms on
Linux. Measured on this server: every request after a connection's first took 44 ms
(health check, webhook, survey page), whatever it cost to compute, which capped 16
webhook clients at ~350 requests/s, and Streamlit's websocket messages wait the same way
behind one another.

On Linux an accepted socket inherits ``TCP_NODELAY`` from its listening socket, so
setting it once on the listener at start-up fixes every connection. The listener is
found among the process's open files (``/proc/self/fd``); elsewhere nothing changes.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

_FDS = Path("/proc/self/fd")


def _listening_tcp(fd: int) -> socket.socket | None:
    try:
        candidate = socket.socket(fileno=fd)
    except OSError:  # not a socket
        return None
    try:
        if (candidate.family in (socket.AF_INET, socket.AF_INET6) and candidate.type == socket.SOCK_STREAM
                and candidate.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)):
            return candidate
    except OSError:
        pass
    candidate.detach()  # the file stays open: it belongs to whoever opened it
    return None


def send_small_writes_at_once() -> int:
    """Set ``TCP_NODELAY`` on every listening TCP socket of this process; returns how many."""
    if not _FDS.is_dir():
        return 0
    done = 0
    for entry in os.listdir(_FDS):
        listener = _listening_tcp(int(entry))
        if listener is None:
            continue
        try:
            listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            done += 1
        finally:
            listener.detach()
    return done
