"""Sending one callback: the POST, what to call a failure, and the record of each attempt."""

from __future__ import annotations

import contextlib
import datetime as dt
import heapq
import http.client
import itertools
import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit

from .._version import __version__
from .callback_records import (
    CallbackAttempt,
    CallbackKind,
    CallbackOutcome,
    CallbackPayload,
    CallbackRetry,
)

__all__ = ["CallbackSender", "Delivery", "abort_socket"]

# The dispatcher's logger: what the command line shows of the callbacks.
_log = logging.getLogger("govuk_notify.sandbox.callbacks")

_ANSWER_BYTES_READ: Final = 64 * 1024
"""How much of a receiver's answer is read (and thrown away) before the connection is closed."""
_STOPPED: Final = "the sandbox stopped before the receiver answered"
_USER_AGENT: Final = f"govuk-notify-sandbox/{__version__}"


@dataclass
class Delivery:
    """One callback to send: where, with which token, what, and how many attempts so far."""

    kind: CallbackKind
    url: str
    token: str = field(repr=False)
    object_id: str
    payload: CallbackPayload
    body: bytes = field(repr=False)
    attempts: int = 0


class _StoppingError(Exception):
    """The dispatcher is stopping: the attempt in progress is abandoned."""


def abort_socket(sock: socket.socket) -> None:
    """Shut a socket down so that a thread blocked reading it wakes up.

    The plain socket's shutdown is used even for a TLS socket: it wakes the reading thread
    without touching the TLS state that thread is using. An `OSError` is ignored.

    Args:
        sock: The connection of the attempt in progress.
    """
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _describe(error: BaseException, timeout: float) -> str:
    """Words for a failed attempt; never the request's headers (the token is in one)."""
    if isinstance(error, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted: {error.verify_message}"
    if isinstance(error, ssl.SSLError):
        return f"TLS error: {error.reason or type(error).__name__}"
    if isinstance(error, http.client.RemoteDisconnected):
        return "the receiver closed the connection without answering"
    if isinstance(error, socket.gaierror):
        return f"cannot resolve the host: {error.strerror}"
    if isinstance(error, OSError) and error.strerror:
        return f"{type(error).__name__}: {error.strerror}"
    return f"{type(error).__name__}"


class CallbackSender:
    """Makes callback attempts and keeps their records (the sending half of the dispatcher).

    The state it shares with the worker that drives it is guarded by one condition variable.

    Args:
        retry: How to retry, and how long to wait for an answer; `CallbackRetry()` by default.
    """

    def __init__(self, retry: CallbackRetry | None = None) -> None:
        self.retry = retry or CallbackRetry()
        self._cond = threading.Condition()
        self._order = itertools.count()
        self._retrying: list[tuple[float, int, Delivery]] = []
        """``(monotonic time, order, delivery)``: deliveries waiting for their next attempt."""
        self._attempts: list[CallbackAttempt] = []
        self._stopping = False
        self._socket: socket.socket | None = None
        self._tls: ssl.SSLContext | None = None

    def _attempt(self, delivery: Delivery) -> None:
        delivery.attempts += 1
        started_at = dt.datetime.now(dt.timezone.utc)
        started = time.monotonic()
        status_code, error = self._post(delivery)
        duration = time.monotonic() - started
        if status_code is not None and 200 <= status_code < 300:
            outcome: CallbackOutcome = "accepted"
        elif status_code is not None and status_code < 400:
            outcome, error = "given-up", "the sandbox does not follow redirects"
        elif (
            error != _STOPPED
            and delivery.attempts <= self.retry.retries
            and self.retry.retries_after(status_code)
        ):
            outcome = "will-retry"
        else:
            outcome = "given-up"
        record = CallbackAttempt(
            kind=delivery.kind,
            url=delivery.url,
            object_id=delivery.object_id,
            attempt=delivery.attempts,
            payload=delivery.payload,
            body=delivery.body,
            status_code=status_code,
            error=error,
            outcome=outcome,
            started_at=started_at,
            duration=duration,
        )
        with self._cond:
            self._attempts.append(record)
            if outcome == "will-retry" and not self._stopping:
                heapq.heappush(
                    self._retrying,
                    (time.monotonic() + self.retry.delay, next(self._order), delivery),
                )
        _log.log(
            logging.INFO if outcome == "accepted" else logging.WARNING,
            "%s callback for %s to %s, attempt %d: %s (%s)",
            delivery.kind,
            delivery.object_id,
            delivery.url,
            delivery.attempts,
            status_code if status_code is not None else error,
            outcome,
        )

    def _hold(self, sock: socket.socket) -> None:
        """Make ``sock`` the one `stop` cuts, unless stopping has begun already."""
        with self._cond:
            if self._stopping:
                raise _StoppingError
            self._socket = sock

    def _post(self, delivery: Delivery) -> tuple[int | None, str | None]:
        parts = urlsplit(delivery.url)
        host = parts.hostname or ""
        secure = parts.scheme == "https"
        port = parts.port or (443 if secure else 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        timeout = self.retry.timeout
        sock: socket.socket | None = None
        connection: http.client.HTTPConnection | None = None
        try:
            sock = socket.create_connection((host, port), timeout=timeout)
            self._hold(sock)
            if secure:
                if self._tls is None:
                    self._tls = ssl.create_default_context()
                sock = self._tls.wrap_socket(
                    sock, server_hostname=host, do_handshake_on_connect=False
                )
                self._hold(sock)
                sock.do_handshake()
            connection = http.client.HTTPConnection(host, port, timeout=timeout)
            connection.sock = sock
            connection.request(
                "POST",
                target,
                body=delivery.body,
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {delivery.token}",
                    "User-Agent": _USER_AGENT,
                },
            )
            response = connection.getresponse()
            response.read(_ANSWER_BYTES_READ)
            return response.status, None
        except _StoppingError:
            return None, _STOPPED
        except (OSError, http.client.HTTPException, ValueError) as error:
            with self._cond:
                stopping = self._stopping
            return None, _STOPPED if stopping else _describe(error, timeout)
        finally:
            with self._cond:
                self._socket = None
            if connection is not None:
                connection.close()
            elif sock is not None:
                sock.close()
