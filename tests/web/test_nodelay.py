"""Nagle's algorithm off on the server's listening sockets, and so on every connection
it accepts (web.nodelay): an answer's body no longer waits 40 ms for the client's ACK."""

from __future__ import annotations

import fcntl
import socket
import sys

import pytest

from web.nodelay import send_small_writes_at_once

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")


def nodelay(sock: socket.socket) -> bool:
    return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


def test_a_listener_bound_as_streamlit_binds_it_hands_nodelay_to_what_it_accepts():
    listener = socket.socket(family=socket.AF_INET)  # protocol 0, as Streamlit 1.67 binds it
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    client = socket.create_connection(listener.getsockname())
    before, _ = listener.accept()
    assert not nodelay(listener) and not nodelay(before)  # why asyncio left it on

    assert send_small_writes_at_once() >= 1

    assert nodelay(listener)
    other = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    assert nodelay(accepted)
    assert not nodelay(client) and not nodelay(other)  # connections that do not listen are left alone
    for sock in (listener, client, before, other, accepted):
        sock.close()


def test_descriptors_that_are_not_listening_sockets_are_left_as_they_are(tmp_path):
    """Not even looked at as sockets: with a default timeout set, building a socket object on
    a descriptor would switch it to non-blocking under its owner (a database connection)."""
    handle = (tmp_path / "a-file").open("w")
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener = socket.socket(family=socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    blocking = socket.create_connection(listener.getsockname())
    flags = fcntl.fcntl(blocking.fileno(), fcntl.F_GETFL)
    socket.setdefaulttimeout(5)
    try:
        send_small_writes_at_once()
    finally:
        socket.setdefaulttimeout(None)
    assert fcntl.fcntl(blocking.fileno(), fcntl.F_GETFL) == flags
    assert not nodelay(blocking)
    handle.write("still open")
    handle.close()
    assert udp.getsockname()  # the socket object still owns its descriptor
    for sock in (udp, listener, blocking):
        sock.close()
