"""Nagle's algorithm off on the server's listening sockets, and so on every connection
it accepts (web.nodelay): an answer's body no longer waits 40 ms for the client's ACK."""

from __future__ import annotations

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


def test_files_that_are_not_listening_sockets_stay_open_and_untouched(tmp_path):
    handle = (tmp_path / "a-file").open("w")
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    send_small_writes_at_once()
    handle.write("still open")
    handle.close()
    assert udp.getsockname()  # the socket object still owns its descriptor
    udp.close()
