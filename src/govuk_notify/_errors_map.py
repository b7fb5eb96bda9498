"""Answers and failures mapped to SDK errors, for any HTTP library.

The functions here read only a status, a reason phrase, a body and a header value, so the
requests transport and the httpx2 transport map answers the same way. No exception of an HTTP
library is ever chained to the errors made here: their text holds the URL, and some keep the
request (with the ``Authorization`` header) as an attribute.
"""

from __future__ import annotations

import json
import math
import os
import socket
import ssl
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from .errors import (
    APIError,
    AuthError,
    BadRequestError,
    DailyLimitError,
    ErrorItem,
    InvalidResponseError,
    NotFoundError,
    PDFNotReadyError,
    RateLimitError,
    ServerError,
)

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = ["api_error", "describe", "invalid_response", "os_reason", "parse_retry_after"]


def parse_retry_after(value: str | None) -> float | None:
    """Read a ``Retry-After`` header.

    Args:
        value: the header's value: seconds, or an HTTP date.

    Returns:
        Seconds, at least 0; None if absent or unreadable.
    """
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
            seconds = when.timestamp() - time.time()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if math.isnan(seconds):
        return None
    return max(0.0, seconds)


def _error_items(status: int, reason: str, content: bytes) -> list[ErrorItem]:
    """Read both error body shapes: ``{"status_code", "errors"}`` and ``{"result", "message"}``."""
    try:
        body = json.loads(content)
    except (ValueError, RecursionError):
        body = None
    items: list[ErrorItem] = []
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list):
            for item in errors:
                if isinstance(item, dict):
                    items.append(
                        ErrorItem(
                            error=str(item.get("error", "Error")),
                            message=str(item.get("message", "")),
                        )
                    )
                else:
                    items.append(ErrorItem(error="Error", message=str(item)))
        message = body.get("message")
        if not items and message is not None:
            error = str(body.get("result", "error"))
            if isinstance(message, dict):
                for field, detail in message.items():
                    texts = detail if isinstance(detail, list) else [detail]
                    for text in texts:
                        items.append(ErrorItem(error=error, message=f"{field} {text}"))
            else:
                items.append(ErrorItem(error=error, message=str(message)))
    if not items:
        kind = "JSON" if body is not None else "non-JSON"
        items.append(
            ErrorItem(
                error=f"HTTP{status}",
                message=f"{status} {reason} ({kind} body without Notify errors)",
            )
        )
    return items


def api_error(status: int, reason: str, content: bytes, retry_after: str | None) -> APIError:
    """The SDK error for an answer with an error status.

    Args:
        status: the HTTP status (400 or more).
        reason: the reason phrase (``Bad Gateway``), or ``""``.
        content: the body.
        retry_after: the ``Retry-After`` header, if any.

    Returns:
        The most specific ``APIError`` subclass for the status and the error names.
    """
    items = _error_items(status, reason, content)
    names = {item.error for item in items}
    if status == 400:
        if "PDFNotReadyError" in names:
            return PDFNotReadyError(status, items)
        return BadRequestError(status, items)
    if status in (401, 403):
        return AuthError(status, items)
    if status == 404:
        return NotFoundError(status, items)
    if status == 429:
        if "TooManyRequestsError" in names:
            return DailyLimitError(status, items)
        return RateLimitError(status, items, parse_retry_after(retry_after))
    if status >= 500:
        return ServerError(status, items)
    return APIError(status, items)


def os_reason(err: BaseException) -> str:
    """The operating system's words for the innermost socket error (``Connection refused``).

    Args:
        err: an HTTP library's exception.

    Returns:
        The ``strerror`` found along the cause and context chain, or ``""``; never the text of
        the library's exception (which holds the URL).
    """
    seen: set[int] = set()
    current: BaseException | None = err
    found = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and isinstance(current.strerror, str):
            # The words for the error number where there is one: asyncio's own text
            # ("Connect call failed (...)") says less than "Connection refused".
            number = current.errno
            plain = (
                isinstance(number, int)
                and number > 0
                and not isinstance(current, (socket.gaierror, ssl.SSLError))
            )
            found = os.strerror(number) if plain else current.strerror  # type: ignore[arg-type]
        current = current.__cause__ or current.__context__
    return found


def invalid_response(status: int, content: bytes, detail: str) -> InvalidResponseError:
    """The error for a 2xx answer whose body is not what the endpoint answers.

    Args:
        status: the HTTP status.
        content: the body; quoted (200 characters) only when it does not look like JSON, since a
            JSON body can hold personal data.
        detail: what is wrong.

    Returns:
        The error; for a 201 it says the message was accepted and must not be sent again.
    """
    head = content[:200]
    looks_like_json = head.lstrip()[:1] in (b"{", b"[")
    excerpt = "" if looks_like_json else head.decode("utf-8", "replace")
    if status == 201:
        detail = f"Notify accepted the message (HTTP 201), but {detail}; do not send it again"
    return InvalidResponseError(detail, status_code=status, body_excerpt=excerpt)


def describe(name: str, err: ValidationError) -> str:
    """Say why a body does not fit a model, without quoting the body.

    Args:
        name: the model's name.
        err: pydantic's error.

    Returns:
        One sentence.
    """
    errors = err.errors(include_url=False, include_input=False)
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"]) or "the body"
    if first["type"] in ("json_invalid", "json_type"):
        return f"the body is not valid JSON for {name}"
    return (
        f"the body does not fit {name}: {len(errors)} problem(s), first at {where}: {first['msg']}"
    )
