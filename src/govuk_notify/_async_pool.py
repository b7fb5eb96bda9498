"""The connection pool the async client makes: httpcore2's, on the asyncio backend.

httpcore2 is the pool and HTTP/1.1 layer under httpx2. When ``AsyncNotifyClient`` makes its own
connections (no ``http_client=`` given, no proxy in the environment), it uses httpcore2's pool
directly, with :class:`~govuk_notify._asyncio_backend.AsyncioBackend` for the network: none of
httpx2's client layer (auth flow, cookies, redirects, event hooks) and none of anyio's, which
together were about half of an awaited send's CPU. The TLS settings are httpx2's own
(``httpx2.create_ssl_context()``).
"""

from __future__ import annotations

import asyncio
import zlib
from typing import Any

import httpcore2

from ._async_answer import body_error, connection_error, read_body
from ._asyncio_backend import AsyncioBackend
from ._attempt import Answer
from .errors import NotifyError

__all__ = ["Pool"]


def _decode(content: bytes, encoding: bytes | None) -> bytes:
    """The body as it was before compression.

    ``gzip``, and ``deflate`` with or without zlib's header (servers send both; httpx2 reads both
    too). An encoding the client did not ask for is passed through as it came.

    Raises:
        zlib.error: the body does not decompress, or ends early.
    """
    name = (encoding or b"").strip().lower()
    if name in (b"gzip", b"x-gzip"):
        decoder = zlib.decompressobj(zlib.MAX_WBITS | 16)
        decoded = decoder.decompress(content) + decoder.flush()
        if not decoder.eof:
            raise zlib.error("the compressed body ends early")
        return decoded
    if name == b"deflate":
        try:
            return zlib.decompress(content)
        except zlib.error:
            return zlib.decompress(content, -zlib.MAX_WBITS)
    return content


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


class Pool:
    """Keep-alive connections to one Notify, and one attempt at a request over them."""

    def __init__(self, ssl_context: Any, size: int, base_url: str, headers: dict[str, str]) -> None:
        """Make the pool (no connection is opened until the first request).

        ``headers`` go on every request, with ``Host``; HTTP/1.1 keeps connections open without
        being asked, so a ``Connection`` header is left out.
        """
        self._ssl_context = ssl_context
        self._size = size
        self._pool = self._new_pool()
        self._loop: asyncio.AbstractEventLoop | None = None
        """The event loop the pool's connections belong to."""
        url = httpcore2.URL(base_url)
        default_port = {b"https": 443, b"http": 80}.get(url.scheme)
        host = url.host
        host = host if url.port in (None, default_port) else host + b":%d" % url.port
        self._headers = [(b"Host", host)] + [
            (name.encode("ascii"), value.encode("latin-1"))
            for name, value in headers.items()
            if name.lower() != "connection"
        ]
        self._urls: dict[str, httpcore2.URL] = {}
        self.closed = False

    def _new_pool(self) -> httpcore2.AsyncConnectionPool:
        return httpcore2.AsyncConnectionPool(
            ssl_context=self._ssl_context,
            max_connections=self._size,
            max_keepalive_connections=self._size,
            network_backend=AsyncioBackend(),
        )

    def _pool_for_this_loop(self) -> httpcore2.AsyncConnectionPool:
        """The pool, new when the event loop is not the one its connections belong to.

        A connection belongs to the loop that opened it: one script that calls ``asyncio.run``
        twice with one client gets fresh connections the second time, not a connection whose
        loop has closed (which would never see its answer).
        """
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            if self._loop is not None:
                self._pool = self._new_pool()  # the old loop's connections go with their loop
            self._loop = loop
        return self._pool

    @property
    def connections(self) -> list[Any]:
        """The pool's connections (for tests: that a cancelled call left none half-read)."""
        return list(self._pool.connections)

    async def aclose(self) -> None:
        """Close every connection (those of an earlier event loop went with it)."""
        if self._loop in (None, asyncio.get_running_loop()):
            await self._pool.aclose()
        else:
            self._pool = self._new_pool()
        self.closed = True

    def _url(self, url: str) -> httpcore2.URL:
        """httpcore2's parsed URL, kept for the URLs used again and again (the send routes)."""
        found = self._urls.get(url)
        if found is None:
            found = httpcore2.URL(url)
            if len(self._urls) < 32:
                self._urls[url] = found
        return found

    async def attempt(
        self,
        method: str,
        url: str,
        token: str,
        body: bytes | None,
        timeouts: dict[str, float | None],
        deadline: float,
        where: str,
    ) -> Answer | NotifyError:
        """One attempt: the answer with its body read and decoded, or the error that ended it.

        ``token`` is this attempt's JWT; ``timeouts`` are httpcore2's (``connect``, ``read``,
        ``write``, ``pool``); ``deadline`` (``time.monotonic()``) bounds a body that trickles in.
        """
        fields = [*self._headers, (b"Authorization", b"Bearer " + token.encode("ascii"))]
        if body is not None:
            fields.append((b"Content-Type", b"application/json"))
            fields.append((b"Content-Length", b"%d" % len(body)))
        request = httpcore2.Request(
            method,
            self._url(url),
            headers=fields,
            content=body,
            extensions={"timeout": timeouts},
        )
        try:
            response = await self._pool_for_this_loop().handle_async_request(request)
        except (
            httpcore2.TimeoutException,
            httpcore2.NetworkError,
            httpcore2.ProtocolError,
            httpcore2.UnsupportedProtocol,
            httpcore2.ProxyError,
        ) as err:
            return connection_error(httpcore2, err, where)
        status = response.status
        try:
            content = await read_body(response.aiter_stream(), status, deadline)
            if not isinstance(content, bytes):
                return content
            content = _decode(content, _header(response.headers, b"content-encoding"))
        except (
            httpcore2.TimeoutException,
            httpcore2.NetworkError,
            httpcore2.ProtocolError,
            zlib.error,
            OSError,
        ) as err:
            return body_error(httpcore2, err, status)
        finally:
            # A shielded close: a second cancellation cannot leave the connection half-read
            # in the pool (an unread answer's connection is closed, not reused).
            await asyncio.shield(response.aclose())
        reason = response.extensions.get("reason_phrase", b"")
        retry_after = _header(response.headers, b"retry-after")
        return Answer(
            status,
            reason.decode("latin-1") if isinstance(reason, bytes) else str(reason),
            None if retry_after is None else retry_after.decode("latin-1"),
            content,
        )
