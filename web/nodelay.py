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
found among the process's open files (``/proc/self/fd``, matched with the listening
sockets of ``/proc/net/tcp``); elsewhere nothing changes.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

_FDS = Path("/proc/self/fd")
_TCP_TABLES = (Path("/proc/net/tcp"), Path("/proc/net/tcp6"))
_LISTEN = "0A"  # the state column of a listening socket in those tables


def _listening_inodes() -> set[str]:
    """Inodes of the listening TCP sockets this machine's network namespace has."""
    inodes = set()
    for table in _TCP_TABLES:
        try:
            lines = table.read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == _LISTEN:
                inodes.add(fields[9])
    return inodes


def _own_listeners() -> list[int]:
    """This process's descriptors of listening TCP sockets, found without touching any
    other descriptor (a socket object built on a descriptor may change its blocking mode)."""
    listening, found = _listening_inodes(), []
    for entry in os.listdir(_FDS):
        try:
            target = os.readlink(_FDS / entry)
        except OSError:  # closed meanwhile (the listing's own descriptor)
            continue
        if target.startswith("socket:[") and target[8:-1] in listening:
            found.append(int(entry))
    return found


def send_small_writes_at_once() -> int:
    """Set ``TCP_NODELAY`` on every listening TCP socket of this process; returns how many."""
    if not _FDS.is_dir():
        return 0
    done = 0
    for fd in _own_listeners():
        try:
            listener = socket.socket(fileno=fd)
        except OSError:  # closed, or reused for something else, since it was listed
            continue
        try:
            listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            done += 1
        except OSError:  # a speed-up: never a reason for the server not to start
            pass
        finally:
            listener.detach()  # the descriptor stays open: it belongs to the server
    return done
