"""Requests, responses and errors as the sandbox's API sees them, and small HTTP helpers.

Nothing here knows about sockets: `govuk_notify.sandbox.server` turns HTTP into a
`Request` and a `Response` back into HTTP.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlencode

__all__ = [
    "NOT_FOUND_MESSAGE",
    "LegacyError",
    "Request",
    "Response",
    "V2Error",
    "bad_request",
    "error",
    "format_timestamp",
    "letter_status_for_output",
    "not_found",
    "parse_json",
    "query_lists",
    "query_url",
    "validation",
]

NOT_FOUND_MESSAGE: Final = (
    "The requested URL was not found on the server. If you entered the URL manually please "
    "check your spelling and try again."
)


def format_timestamp(at_us: int) -> str:
    """Format microseconds since the epoch as every Notify timestamp.

    Args:
        at_us: Microseconds since 1970-01-01 UTC.

    Returns:
        ``%Y-%m-%dT%H:%M:%S.%fZ`` in UTC.
    """
    moment = dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=at_us)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def letter_status_for_output(status: str) -> str:
    """A letter's status as the API shows it.

    Args:
        status: The raw status.

    Returns:
        ``accepted`` for ``created``/``sending``, ``received`` for ``delivered`` and
        ``returned-letter``, otherwise the status unchanged.
    """
    if status in ("created", "sending"):
        return "accepted"
    if status in ("delivered", "returned-letter"):
        return "received"
    return status


@dataclass(frozen=True)
class Request:
    """One HTTP request, as the API needs it."""

    method: str
    path: str
    query: Sequence[tuple[str, str]]
    body: bytes
    host_url: str
    """``http://host:port``, no trailing slash."""
    authorization: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    """Other request headers the inbox reads (``Cookie``, ``Origin``, ``Content-Type``), by
    lower-case name."""


@dataclass
class Response:
    """One HTTP response: status, body, content type and extra headers."""

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def json(cls, status: int, data: Any) -> Response:
        """A JSON response.

        Args:
            status: The HTTP status.
            data: Anything `json.dumps` accepts.

        Returns:
            The response.
        """
        return cls(status, json.dumps(data).encode())


class V2Error(Exception):
    """An error answered in the v2 shape ``{"status_code", "errors": [...]}``."""

    def __init__(self, status: int, errors: Sequence[Mapping[str, Any]]) -> None:
        """An error with HTTP ``status`` and the ``errors`` items."""
        super().__init__(status)
        self.status = status
        self.errors = [dict(item) for item in errors]

    def response(self) -> Response:
        """The error as a response."""
        return Response.json(self.status, {"status_code": self.status, "errors": self.errors})


class LegacyError(Exception):
    """An error answered in the app-level shape ``{"result": "error", "message"}``."""

    def __init__(self, status: int, message: str) -> None:
        """An error with HTTP ``status`` and ``message``."""
        super().__init__(status)
        self.status = status
        self.message = message

    def response(self) -> Response:
        """The error as a response."""
        return Response.json(self.status, {"result": "error", "message": self.message})


def error(status: int, name: str, message: str) -> V2Error:
    """A v2 error with one item named ``name``."""
    return V2Error(status, [{"error": name, "message": message}])


def bad_request(message: str, status: int = 400) -> V2Error:
    """A ``BadRequestError`` (400 unless ``status`` says otherwise)."""
    return error(status, "BadRequestError", message)


def validation(messages: Sequence[str]) -> V2Error:
    """A 400 with one ``ValidationError`` item per message."""
    return V2Error(400, [{"error": "ValidationError", "message": m} for m in messages])


def not_found() -> V2Error:
    """The 404 ``NoResultFound`` error."""
    return error(404, "NoResultFound", "No result found")


def parse_json(body: bytes, *, empty_ok: bool) -> Any:
    """Parse a JSON body as the server does (an empty or falsy body is ``{}``).

    Raises:
        V2Error: ``Invalid JSON supplied in POST data``.
    """
    if not body.strip():
        if empty_ok:
            return {}
        raise bad_request("Invalid JSON supplied in POST data")
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("Invalid JSON supplied in POST data") from None
    return parsed if parsed else {}


def query_lists(query: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """Group query parameters by name, keeping every value in order."""
    out: dict[str, list[str]] = {}
    for key, value in query:
        out.setdefault(key, []).append(value)
    return out


def query_url(host: str, path: str, params: Sequence[tuple[str, str]]) -> str:
    """``host + path`` with the parameters encoded as the server's ``url_for`` does."""
    url = f"{host}{path}"
    if params:
        url += "?" + urlencode(list(params), safe="!$'()*,/:;?@")
    return url
