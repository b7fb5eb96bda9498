"""A real HTTP server on 127.0.0.1 for tests: it records every request it receives and answers
with scripted replies, including broken ones (hang, close, reset, trickle, truncate)."""

from __future__ import annotations

import json
import socket
import ssl
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

Action = Literal["reply", "hang", "close", "reset", "trickle", "truncate"]


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    client_port: int
    """The client's side of the TCP connection: equal ports mean a reused connection."""

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Any = None
    """bytes are sent as they are; anything else is sent as JSON."""
    headers: dict[str, str] = field(default_factory=dict)
    action: Action = "reply"
    """reply normally; hang (read the request, never answer); close (read it, then close);
    reset (read it, then abort the connection with a TCP RST); trickle (send the body a byte at
    a time, ``delay`` apart); truncate (announce a longer body than is sent, then close)."""
    delay: float = 0.0

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if self.body is None:
            return b""
        return json.dumps(self.body).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without TCP_NODELAY the body waits ~40 ms
    # for the client's delayed ACK.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        self.server.owner._record(
            Recorded(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query, keep_blank_values=True),
                headers={k: v for k, v in self.headers.items()},
                body=body,
                client_port=int(self.client_address[1]),
            )
        )
        reply = self.server.owner._next_reply()
        if reply.delay and reply.action == "reply":
            time.sleep(reply.delay)
        if reply.action == "hang":
            self.server.owner._stopping.wait(30)
            self.close_connection = True
            return
        if reply.action == "close":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if reply.action == "reset":
            self.close_connection = True
            # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return
        payload = reply.payload()
        self.send_response(reply.status)
        headers = {"Content-Type": "application/json", **reply.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        announced = len(payload) * 2 + 10 if reply.action == "truncate" else len(payload)
        self.send_header("Content-Length", str(announced))
        self.end_headers()
        if reply.action == "trickle":
            for i in range(len(payload)):
                try:
                    self.wfile.write(payload[i : i + 1])
                    self.wfile.flush()
                except OSError:  # the client gave up and closed the connection
                    return
                if self.server.owner._stopping.wait(reply.delay):
                    return
            return
        self.wfile.write(payload)
        self.wfile.flush()
        if reply.action == "truncate":
            self.close_connection = True

    do_GET = _handle  # noqa: N815
    do_POST = _handle  # noqa: N815


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: WireServer


class WireServer:
    """``with WireServer() as server:`` then ``server.url``, ``server.add(Reply(...))``,
    ``server.requests``. Replies are used in order; when none is left, ``default`` answers.

    ``port`` 0 picks a free port; ``ssl_context`` (a server-side context with a certificate
    loaded) makes it an https server."""

    def __init__(
        self,
        default: Reply | None = None,
        *,
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.default = default or Reply(404, {"result": "error", "message": "not scripted"})
        self.requests: list[Recorded] = []
        self._replies: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._recorded = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._scheme = "http"
        if ssl_context is not None:
            self._server.socket = ssl_context.wrap_socket(self._server.socket, server_side=True)
            self._scheme = "https"
        self._server.owner = self
        # A short poll interval: stop() waits up to one interval for the serving loop to notice.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"{self._scheme}://127.0.0.1:{self.port}"

    def add(self, *replies: Reply) -> None:
        with self._lock:
            self._replies.extend(replies)

    def _next_reply(self) -> Reply:
        with self._lock:
            return self._replies.popleft() if self._replies else self.default

    def _record(self, request: Recorded) -> None:
        with self._lock:
            self.requests.append(request)
            self._recorded.notify_all()

    def wait_for_requests(self, count: int, timeout: float = 30) -> list[Recorded]:
        """The requests, once at least ``count`` have been recorded. A client that gave up (a
        short read timeout) may finish before the server's thread has recorded its request."""
        with self._lock:
            if not self._recorded.wait_for(lambda: len(self.requests) >= count, timeout):
                raise AssertionError(f"{len(self.requests)} request(s) arrived, not {count}")
            return list(self.requests)

    @property
    def last(self) -> Recorded:
        return self.requests[-1]

    def start(self) -> WireServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> WireServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def free_port() -> int:
    """A port nobody listens on (for refused connections)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
