"""A network backend for httpcore2 on asyncio's own transports and protocols.

httpcore2 (the connection pool and HTTP/1.1 under httpx2) reads and writes through a network
backend. Its default one goes through anyio's streams, which put a cancel scope, a timeout scope
and an exception map around every read and write, and poll the socket before every reuse of a
connection: about a third of an awaited send's CPU. This backend does the same work on an asyncio
``Protocol``: bytes arrive in a buffer, a read waits on one future with one timer, and whether an
idle connection was closed by the other end is known from what the loop delivered, or else from
one poll of the socket.

What httpcore2 expects of a backend, and what this one does:

- errors are httpcore2's (``ConnectError``, ``ConnectTimeout``, ``ReadError``, ``ReadTimeout``,
  ``WriteError``, ``WriteTimeout``), each with the ``OSError`` or ``ssl.SSLError`` that caused it
  as its ``__cause__``, as the anyio backend raises them;
- a read at the end of the stream returns ``b""``;
- the request's bytes are written when the answer is first read (headers and body in one system
  call, as an HTTP/1.1 client always reads after it writes); a connection closed before then
  sends nothing.
"""

from __future__ import annotations

import asyncio
import select
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore2

__all__ = ["AsyncioBackend"]

_PAUSE_READING_AT = 1 << 20
"""Stop reading from the socket when this many bytes wait unread (resumed at a quarter)."""


def _readable(sock: Any) -> bool:
    """Whether a socket has bytes or an end waiting (a poll that does not wait)."""
    if sock is None or sock.fileno() < 0:
        return True
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    return bool(select.select([sock], [], [], 0)[0])  # Windows


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(asyncio.TimeoutError())


class _Protocol(asyncio.Protocol):
    """The bytes a connection received, and whether it was closed."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.closed = False
        self.error: BaseException | None = None
        self.reading_paused = False
        self.writing_paused = False
        self.waiter: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def _wake(self) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > _PAUSE_READING_AT and self.transport is not None:
            self.transport.pause_reading()
            self.reading_paused = True
        self._wake()

    def eof_received(self) -> bool:
        self.closed = True
        self._wake()
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.error = exc
        self._wake()

    def pause_writing(self) -> None:
        self.writing_paused = True

    def resume_writing(self) -> None:
        self.writing_paused = False
        self._wake()

    async def wait(self, timeout: float | None) -> None:
        """Wait for the next event: bytes, the end, or room to write.

        Raises:
            asyncio.TimeoutError: nothing happened within ``timeout`` seconds.
        """
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        self.waiter = waiter
        timer = None if timeout is None else loop.call_later(timeout, _expire, waiter)
        try:
            await waiter
        finally:
            if timer is not None:
                timer.cancel()
            if self.waiter is waiter:
                self.waiter = None


class _Stream(httpcore2.AsyncNetworkStream):
    """One connection, as httpcore2 uses it."""

    def __init__(self, transport: asyncio.Transport, protocol: _Protocol) -> None:
        self._transport = transport
        self._protocol = protocol
        self._pending: list[bytes] = []

    async def _flush(self, timeout: float | None) -> None:
        if not self._pending:
            return
        data = b"".join(self._pending)
        self._pending.clear()
        protocol = self._protocol
        if protocol.closed or self._transport.is_closing():
            raise httpcore2.WriteError("the connection was closed") from protocol.error
        self._transport.write(data)
        while protocol.writing_paused and not protocol.closed:
            try:
                await protocol.wait(timeout)
            except asyncio.TimeoutError:
                raise httpcore2.WriteTimeout("timed out writing the request") from None

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Keep ``buffer`` to send with the rest of the request (see the module's notes)."""
        if buffer:
            self._pending.append(buffer)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Up to ``max_bytes`` received bytes; ``b""`` at the end of the stream."""
        await self._flush(timeout)
        protocol = self._protocol
        buffer = protocol.buffer
        while not buffer and not protocol.closed:
            try:
                await protocol.wait(timeout)
            except asyncio.TimeoutError:
                raise httpcore2.ReadTimeout("timed out reading the answer") from None
        if not buffer:
            if protocol.error is not None:
                raise httpcore2.ReadError("the connection was lost") from protocol.error
            return b""
        data = bytes(buffer[:max_bytes])
        del buffer[:max_bytes]
        if protocol.reading_paused and len(buffer) < _PAUSE_READING_AT // 4:
            protocol.reading_paused = False
            self._transport.resume_reading()
        return data

    async def aclose(self) -> None:
        """Close the connection (anything not yet written is dropped)."""
        self._pending.clear()
        self._transport.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        """The TLS handshake; the stream it returns replaces this one."""
        loop = asyncio.get_running_loop()
        handshake = loop.start_tls(
            self._transport, self._protocol, ssl_context, server_hostname=server_hostname
        )
        try:
            transport = await asyncio.wait_for(handshake, timeout)
        except asyncio.TimeoutError:
            self._transport.close()
            raise httpcore2.ConnectTimeout("timed out in the TLS handshake") from None
        except (OSError, EOFError) as err:  # ssl.SSLError is an OSError
            self._transport.close()
            raise httpcore2.ConnectError(str(err)) from err
        if transport is None:  # the other end closed the connection during the handshake
            self._transport.close()
            raise httpcore2.ConnectError("the connection was closed in the TLS handshake")
        return _Stream(transport, self._protocol)

    def get_extra_info(self, info: str) -> Any:
        """What httpcore2 asks of a connection.

        ``is_readable`` is asked before an idle connection is used again: bytes or an end on an
        idle connection mean the other end closed it. What the event loop has already delivered
        answers at once; otherwise the socket is polled, since the loop may not have run since
        the other end closed it.
        """
        if info == "is_readable":
            protocol = self._protocol
            if protocol.buffer or protocol.closed:
                return True
            return _readable(self._transport.get_extra_info("socket"))
        names = {
            "ssl_object": "ssl_object",
            "client_addr": "sockname",
            "server_addr": "peername",
            "socket": "socket",
        }
        name = names.get(info)
        return None if name is None else self._transport.get_extra_info(name)


class AsyncioBackend(httpcore2.AsyncNetworkBackend):
    """httpcore2's network backend on asyncio's transports (TCP; no Unix sockets)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        """Open a TCP connection (asyncio sets ``TCP_NODELAY``)."""
        loop = asyncio.get_running_loop()
        local = None if local_address is None else (local_address, 0)
        connecting = loop.create_connection(_Protocol, host, port, local_addr=local)
        try:
            transport, protocol = await asyncio.wait_for(connecting, timeout)
        except asyncio.TimeoutError:
            raise httpcore2.ConnectTimeout("timed out connecting") from None
        except OSError as err:
            raise httpcore2.ConnectError(str(err)) from err
        assert isinstance(transport, asyncio.Transport)
        sock = transport.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
        return _Stream(transport, protocol)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        """Not used: Notify is reached over TCP."""
        raise httpcore2.ConnectError("Unix sockets are not supported")

    async def sleep(self, seconds: float) -> None:
        """Wait, on the event loop."""
        await asyncio.sleep(seconds)
