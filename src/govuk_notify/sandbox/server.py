"""The sandbox's HTTP server: the standard library's threading server, HTTP/1.1 with keep-alive.

It serves `NotifyApi`, and the web inbox
(`govuk_notify.sandbox.inbox`) at ``/`` and under ``/_sandbox/``.

Stopping it closes the listening socket and every open connection (idle keep-alive connections
included) and joins every thread it started, so nothing is left behind.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from .api import NotifyApi, Request, Response

if TYPE_CHECKING:
    from .inbox import Inbox

__all__ = ["SandboxHTTPServer"]

logger = logging.getLogger("govuk_notify.sandbox")

_COMMON_HEADERS = (
    ("Cache-Control", "no-store, no-cache, private, must-revalidate"),
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload"),
    ("X-Content-Type-Options", "nosniff"),
)
_MAX_BODY = 64 * 1024 * 1024
_PAUSE = threading.Event()  # never set: waiting on it is a pause
_INBOX_HEADERS = ("Cookie", "Origin", "Content-Type", "Sec-Fetch-Site")


class _BadRequestError(Exception):
    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "govuk-notify-sandbox"
    sys_version = ""
    timeout = 300  # an idle keep-alive connection is closed after this many seconds
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm and delayed
        # ACKs hold the body back for ~40 ms on every keep-alive request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET  # noqa: N815

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            total = 0
            while True:
                size_line = self.rfile.readline(1024)
                try:
                    size = int(size_line.split(b";")[0].strip(), 16)
                except ValueError:
                    raise _BadRequestError from None
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                total += size
                if total > _MAX_BODY:
                    raise _BadRequestError
                chunks.append(self.rfile.read(size))
                self.rfile.readline(1024)
        length_header = self.headers.get("Content-Length")
        if not length_header:
            return b""
        try:
            length = int(length_header)
        except ValueError:
            raise _BadRequestError from None
        if length < 0 or length > _MAX_BODY:
            raise _BadRequestError
        return self.rfile.read(length)

    def _dispatch(self) -> None:
        started = time.monotonic()
        try:
            body = self._read_body()
        except _BadRequestError:
            self.close_connection = True
            self._write(Response.json(400, {"result": "error", "message": "Bad request"}))
            return
        parts = urlsplit(self.path)
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        request = Request(
            method=self.command,
            path=parts.path,
            query=parse_qsl(parts.query, keep_blank_values=True),
            body=body,
            host_url=f"http://{host}",
            authorization=self.headers.get("Authorization"),
            headers={
                name.lower(): value
                for name in _INBOX_HEADERS
                if (value := self.headers.get(name)) is not None
            },
        )
        inbox = self.server.inbox
        try:
            if inbox is not None and inbox.handles(parts.path):
                response = inbox.handle(request)
            else:
                response = self.server.api.handle(request)
        except Exception as err:  # the real API answers 500 with the exception's class name
            logger.exception("sandbox error on %s %s", self.command, parts.path)
            response = Response.json(
                500,
                {
                    "status_code": 500,
                    "errors": [{"error": type(err).__name__, "message": "Internal server error"}],
                },
            )
        delay = self.server.latency - (time.monotonic() - started)
        if delay > 0:
            _PAUSE.wait(delay)  # not time.sleep: this behaves under libfaketime too
        self._write(response)

    def _write(self, response: Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in (*_COMMON_HEADERS, *response.headers):
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        # The request line and status only; never headers (they carry the bearer token).
        logger.debug("%s " + format, self.address_string(), *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    request_queue_size = 128  # many clients may connect at once

    def __init__(
        self, address: tuple[str, int], api: NotifyApi, latency: float, inbox: Inbox | None
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.api = api
        self.inbox = inbox
        self.latency = latency
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self._stopping = False
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            if self._stopping:
                self.shutdown_request(request)
                return
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._open_lock:
            self._stopping = True
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if self._stopping:
            return  # connections cut on purpose
        logger.debug("connection error from %s", client_address, exc_info=True)


class SandboxHTTPServer:
    """Serves a `NotifyApi` (and the web inbox) on ``host:port``."""

    def __init__(
        self,
        api: NotifyApi,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_ms: float = 0,
        inbox: Inbox | None = None,
    ):
        """Bind the listening socket (not serving yet: `start`).

        Args:
            api: The API to serve.
            host: The address to listen on.
            port: The port; 0 picks a free one.
            latency_ms: Extra time every answer takes.
            inbox: The web inbox, served at ``/`` and under ``/_sandbox/``.
        """
        self._server = _Server((host, port), api, latency_ms / 1000, inbox)
        self._thread: threading.Thread | None = None
        self._stopped = False

    @property
    def host(self) -> str:
        """The address listened on."""
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        """The port listened on."""
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://host:port``."""
        host = self.host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    @property
    def latency_ms(self) -> float:
        """Extra milliseconds every answer takes."""
        return self._server.latency * 1000

    @latency_ms.setter
    def latency_ms(self, value: float) -> None:
        if value < 0:
            raise ValueError("latency cannot be negative")
        self._server.latency = value / 1000

    def start(self) -> None:
        """Serve in a background thread."""
        if self._thread is not None or self._stopped:
            raise RuntimeError("the server is already running (or stopped)")
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"notify-sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, cut every open connection and join every thread (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.close_connections()
        self._server.server_close()
