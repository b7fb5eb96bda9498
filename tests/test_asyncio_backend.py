"""The asyncio network backend under AsyncNotifyClient's pool, on real sockets.

The fault matrix (``test_faults.py``) covers what a user sees; these tests cover what the backend
alone promises httpcore2: bounded waits to write when the other end reads slowly or not at all,
an idle connection closed by the other end never used again, and a request's bytes written in
one piece.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator

import pytest

from . import bodies
from .clients import FLAVOURS, Flavour, make_client

httpcore2 = pytest.importorskip("httpcore2", reason="the async extra: govuk-notify[async]")

from govuk_notify._asyncio_backend import AsyncioBackend  # noqa: E402

SMALL_BUFFER = [(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)]
"""A client send buffer small enough that a few hundred KiB must wait for the reader."""
DEADLINE = 30.0


class Reader:
    """A server that accepts one connection, then reads nothing until ``start`` is set, then
    reads everything to the end; ``data`` is what it got."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.start = threading.Event()
        self.done = threading.Event()
        self.data = b""
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            self.start.wait(DEADLINE)
            conn.settimeout(DEADLINE)
            while chunk := conn.recv(65536):
                self.data += chunk
        self.done.set()


@pytest.fixture
def reader() -> Iterator[Reader]:
    server = Reader()
    yield server
    server.start.set()
    server.sock.close()


def test_a_write_nobody_reads_times_out(reader: Reader) -> None:
    async def main() -> None:
        stream = await AsyncioBackend().connect_tcp(
            "127.0.0.1", reader.port, timeout=5, socket_options=SMALL_BUFFER
        )
        await stream.write(b"x" * (8 << 20))
        with pytest.raises(httpcore2.WriteTimeout):
            await stream.read(65536, timeout=0.2)
        await stream.aclose()

    asyncio.run(main())


def test_a_write_to_a_slow_reader_waits_for_room_and_arrives_whole(reader: Reader) -> None:
    payload = bytes(range(256)) * 4096  # 1 MiB, far above the buffers on either side

    async def run() -> None:
        stream = await AsyncioBackend().connect_tcp(
            "127.0.0.1", reader.port, timeout=5, socket_options=SMALL_BUFFER
        )
        await stream.write(b"head:")
        await stream.write(payload)
        # The reader starts once the client is waiting for room to write.
        asyncio.get_running_loop().call_soon(reader.start.set)
        with pytest.raises(httpcore2.ReadTimeout):
            # Each wait for room is shorter than this timeout: the reader keeps making room.
            # Then the whole request is out and no answer comes.
            await stream.read(65536, timeout=2.0)
        await stream.aclose()

    asyncio.run(run())
    assert reader.done.wait(DEADLINE)
    assert reader.data == b"head:" + payload


class OneAnswerPerConnection:
    """An HTTP server that answers one request on each connection, with a keep-alive answer,
    then, once ``close_now`` is released, closes the connection without saying so, as a proxy's
    idle timeout does."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = 0
        self.close_now = threading.Semaphore(0)
        self.closed = threading.Semaphore(0)
        self.first_reads: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        body = json.dumps(bodies.sms_response()).encode()
        answer = (
            b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
            b"Connection: keep-alive\r\nContent-Length: %d\r\n\r\n" % len(body)
        ) + body
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                conn.settimeout(DEADLINE)
                data = conn.recv(65536)
                self.first_reads.append(data)
                head, _, rest = data.partition(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                while len(rest) < length:
                    rest += conn.recv(65536)
                conn.sendall(answer)
                self.close_now.acquire(timeout=DEADLINE)
            self.closed.release()


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_idle_connection_the_server_closed_is_not_used_again(flavour: Flavour) -> None:
    server = OneAnswerPerConnection()
    try:
        with make_client(flavour, bodies.API_KEY, server.url) as client:
            for _ in range(3):
                client.send_sms_notification("07700900123", bodies.TEMPLATE_ID, {"code": "1"})
                # The server closes the idle connection before the next send starts. The async
                # client's event loop has not run since, so only the socket itself can tell.
                server.close_now.release()
                assert server.closed.acquire(timeout=DEADLINE)
    finally:
        server.sock.close()
    assert server.connections == 3  # every send on a fresh connection, none failed


def test_a_request_goes_out_in_one_write() -> None:
    server = OneAnswerPerConnection()
    try:
        with make_client("async", bodies.API_KEY, server.url) as client:
            client.send_sms_notification("07700900123", bodies.TEMPLATE_ID, {"code": "1"})
            server.close_now.release()
    finally:
        server.sock.close()
    (first,) = server.first_reads
    # Headers and body arrived together: the first read holds the whole request.
    assert first.startswith(b"POST /v2/notifications/sms HTTP/1.1\r\n")
    assert first.endswith(b"}")
    head, _, body = first.partition(b"\r\n\r\n")
    assert b"content-length: %d" % len(body) in head.lower()


def test_one_client_in_two_event_loops_one_after_the_other() -> None:
    # A script may call asyncio.run twice with one client: the second loop cannot use the
    # first loop's connections, so it opens its own.
    from govuk_notify import AsyncNotifyClient

    from .wire import Reply, WireServer

    with WireServer(Reply(201, bodies.sms_response())) as wire:
        client = AsyncNotifyClient(bodies.API_KEY, wire.url)

        async def send() -> str:
            response = await client.send_sms_notification(
                "07700900123", bodies.TEMPLATE_ID, {"code": "1"}
            )
            return response.content.body

        first = asyncio.run(send())
        second = asyncio.run(send())
        asyncio.run(client.aclose())
    assert first == second
    assert len(wire.requests) == 2
    assert wire.requests[0].client_port != wire.requests[1].client_port
