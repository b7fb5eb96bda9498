"""Reading an answer under the async client, and the SDK's errors for what went wrong.

The same names exist in ``httpx2`` (a client you pass) and in ``httpcore2`` (the pool the client
makes), so each function takes the module whose exceptions it maps. No exception of either is
chained to the errors made here: their text can hold the URL, and httpx2's keep the request (with
its ``Authorization`` header).
"""

from __future__ import annotations

import socket
import ssl
import time
import zlib
from collections.abc import AsyncIterator
from typing import Any

from ._errors_map import os_reason
from .errors import (
    ConfigurationError,
    ConnectError,
    ConnectionDroppedError,
    ConnectTimeoutError,
    InvalidResponseError,
    NotifyConnectionError,
    NotifyError,
    ReadTimeoutError,
    TLSError,
)

__all__ = ["body_error", "connection_error", "in_chain", "read_body"]


def in_chain(err: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``err``, or an exception it was raised from or during, is a ``kind``."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def connection_error(errors: Any, err: Exception, where: str) -> NotifyError:
    """The SDK error for a failure before the answer's headers arrived.

    ``where`` is the ``host:port`` tried; a path or query string is never named (it may hold an id).
    """
    if isinstance(err, (errors.ConnectTimeout, errors.PoolTimeout)):
        return ConnectTimeoutError(f"Timed out connecting to Notify at {where}")
    if isinstance(err, errors.ProxyError):
        return ConnectError("Could not connect to the proxy")
    if isinstance(err, errors.ConnectError):
        if in_chain(err, ssl.SSLError):
            detail = os_reason(err) or "is the certificate trusted?"
            return TLSError(f"The TLS handshake with Notify at {where} failed ({detail})")
        if in_chain(err, socket.gaierror):
            detail = os_reason(err) or "unknown host"
            return ConnectError(f"Could not resolve the host name of Notify at {where} ({detail})")
        detail = os_reason(err) or "no connection"
        return ConnectError(f"Could not connect to Notify at {where} ({detail})")
    if isinstance(err, (errors.ReadTimeout, errors.WriteTimeout)):
        return ReadTimeoutError(f"Timed out waiting for the answer of Notify at {where}")
    invalid_url = getattr(errors, "InvalidURL", ())  # httpx2 only
    if isinstance(err, (errors.UnsupportedProtocol, invalid_url, errors.LocalProtocolError)):
        return ConfigurationError(
            f"The request could not be made ({type(err).__name__}): check the client's settings"
        )
    if isinstance(err, (errors.NetworkError, errors.RemoteProtocolError)):
        detail = os_reason(err) or "closed by the other end"
        return ConnectionDroppedError(
            f"The connection to Notify at {where} dropped before it answered ({detail})"
        )
    return NotifyConnectionError(f"The request to Notify at {where} failed ({type(err).__name__})")


def body_error(errors: Any, err: Exception, status: int) -> NotifyError:
    """The SDK error for a failure while reading the body of an answer with status ``status``."""
    decoding = getattr(errors, "DecodingError", ())  # httpx2's; the pool's decoder raises zlib's
    if isinstance(err, (decoding, zlib.error)):
        detail = "the compressed body could not be decoded"
        if status == 201:
            detail = f"Notify accepted the message (HTTP 201), but {detail}; do not send it again"
        return InvalidResponseError(detail, status_code=status)
    if isinstance(err, errors.TimeoutException):
        return ReadTimeoutError(
            f"Timed out reading Notify's answer (HTTP {status})", status_code=status
        )
    detail = os_reason(err) or "closed by the other end"
    return ConnectionDroppedError(
        f"Notify's answer (HTTP {status}) was cut off ({detail})", status_code=status
    )


async def read_body(
    chunks: AsyncIterator[bytes], status: int, deadline: float
) -> bytes | ReadTimeoutError:
    """The whole body, or the error when it is still arriving at ``deadline``.

    The read timeout bounds each wait for more bytes; ``deadline`` (``time.monotonic()``) bounds a
    body trickled slowly, byte after byte. Errors of the HTTP library go up to the caller.
    """
    parts: list[bytes] = []
    async for chunk in chunks:
        parts.append(chunk)
        if time.monotonic() > deadline:
            return ReadTimeoutError(
                f"Notify's answer (HTTP {status}) did not arrive in full within the timeouts",
                status_code=status,
            )
    return b"".join(parts)
