"""The exception tree of govuk-notify.

Every error the SDK raises on purpose is a :class:`NotifyError`. None of them holds the API key,
a bearer token, the request's headers or its body.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "APIError",
    "AuthError",
    "BadRequestError",
    "ConfigurationError",
    "ConnectError",
    "ConnectTimeoutError",
    "ConnectionDroppedError",
    "DailyLimitError",
    "ErrorItem",
    "InvalidAPIKeyError",
    "InvalidBaseURLError",
    "InvalidResponseError",
    "NotFoundError",
    "NotifyConnectionError",
    "NotifyError",
    "NotifyTimeoutError",
    "PDFNotReadyError",
    "RateLimitError",
    "ReadTimeoutError",
    "SendStatusUnknownError",
    "ServerError",
    "TLSError",
]


class NotifyError(Exception):
    """Base class of every error raised by govuk-notify."""


# --- configuration ------------------------------------------------------------------------------


class ConfigurationError(NotifyError, ValueError):
    """A setting the SDK cannot work with: a malformed API key or base URL, a bad timeout or
    retry policy, or a session whose proxies or headers cannot be used."""


class InvalidAPIKeyError(ConfigurationError):
    """The API key is not of the form ``{key_name}-{service_id}-{secret}``."""


class InvalidBaseURLError(ConfigurationError):
    """The base URL is not ``https`` (or plain ``http`` to a loopback host)."""


# --- errors answered by the API -----------------------------------------------------------------


@dataclass(frozen=True)
class ErrorItem:
    """One item of the ``errors`` list of a Notify error body."""

    error: str
    message: str


class APIError(NotifyError):
    """Notify answered with an error status.

    ``status_code`` is the HTTP status, ``errors`` the ``{error, message}`` items of the body and
    ``message`` those messages joined into one string.
    """

    status_code: int
    errors: tuple[ErrorItem, ...]

    def __init__(self, status_code: int, errors: Sequence[ErrorItem]) -> None:
        self.status_code = status_code
        self.errors = tuple(errors)
        super().__init__(status_code, self.errors)

    @property
    def message(self) -> str:
        return "; ".join(item.message for item in self.errors)

    @property
    def error_names(self) -> tuple[str, ...]:
        return tuple(item.error for item in self.errors)

    def __str__(self) -> str:
        # Notify's error name is shown only where it says more than the class name, which the
        # traceback prints already: "PDFNotReadyError: 400 PDF not available yet, try again".
        own = type(self).__name__
        parts = ", ".join(
            item.message if item.error == own else f"{item.error}: {item.message}"
            for item in self.errors
        )
        return f"{self.status_code} {parts or 'no details given'}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code!r}, errors={list(self.errors)!r})"
        )


class BadRequestError(APIError):
    """400: the request was refused (schema validation, template or permission problems)."""


class PDFNotReadyError(BadRequestError):
    """400 ``PDFNotReadyError``: the letter's PDF is not available yet; try again later."""


class AuthError(APIError):
    """401 or 403: the token is missing, wrong, expired, or the key is revoked.

    Also raised for the 403 ``BadRequestError`` answers about team keys and trial mode on letters.
    """


class NotFoundError(APIError):
    """404: no such notification or template (or it is past its retention period)."""


class RateLimitError(APIError):
    """429 ``RateLimitError``: too many requests for this key type in the last minute.

    Safe to retry: the server checks the limit before it creates anything. ``retry_after`` is the
    ``Retry-After`` header in seconds, when the server sent one.
    """

    retry_after: float | None

    def __init__(
        self, status_code: int, errors: Sequence[ErrorItem], retry_after: float | None = None
    ) -> None:
        super().__init__(status_code, errors)
        self.retry_after = retry_after

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.status_code, self.errors, self.retry_after))


class DailyLimitError(APIError):
    """429 ``TooManyRequestsError``: the service's daily sending limit is used up. Never retried."""


class ServerError(APIError):
    """5xx: Notify (or a proxy in front of it) failed."""


# --- the connection -----------------------------------------------------------------------------


class NotifyConnectionError(NotifyError):
    """No usable HTTP answer came back. Not disguised as an HTTP status.

    ``status_code`` is the status of the answer when its headers had arrived before the failure
    (a body cut off or trickled past the timeouts), else None.
    """

    status_code: int | None

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        self.status_code = status_code
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), (self.args[0],), {"status_code": self.status_code}))


class ConnectError(NotifyConnectionError):
    """The request never left: the name did not resolve or the connection was refused."""


class TLSError(NotifyConnectionError):
    """The TLS handshake failed (for example an untrusted certificate). The request never left."""


class NotifyTimeoutError(NotifyConnectionError):
    """A timeout expired."""


class ConnectTimeoutError(NotifyTimeoutError, ConnectError):
    """No connection could be made in time. The request never left."""


class ReadTimeoutError(NotifyTimeoutError):
    """The request was sent but no answer came in time: the server may have acted on it."""


class ConnectionDroppedError(NotifyConnectionError):
    """The connection closed after the request went out, before a whole answer came back."""


class SendStatusUnknownError(NotifyError):
    """A send may or may not have reached Notify, so it was not retried.

    Raised for a send when the request went out but no clear answer came back: a read timeout, a
    connection dropped after the body was sent, or a 502/504 from a proxy. The message may have
    been sent. Before sending it again, look it up with
    ``client.get_all_notifications(reference=err.reference)`` (which is why a reference on every
    send is worth having). The underlying SDK error is ``__cause__``.

    ``reference`` is the send's ``reference`` (None if it had none); ``status_code`` is the HTTP
    status when one arrived (a 502/504, or a 201 whose body was cut off), else None.
    """

    reason: str
    reference: str | None
    status_code: int | None

    def __init__(
        self, reason: str, *, reference: str | None, status_code: int | None = None
    ) -> None:
        self.reason = reason
        self.reference = reference
        self.status_code = status_code
        super().__init__(reason, reference, status_code)

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild,
            (
                type(self),
                (self.reason,),
                {"reference": self.reference, "status_code": self.status_code},
            ),
        )

    def __str__(self) -> str:
        ref = f"reference {self.reference!r}" if self.reference is not None else "no reference"
        return (
            f"The send may have reached Notify ({self.reason}); it was not retried. "
            f"Check with get_all_notifications(reference=...) before sending again ({ref})."
        )


class InvalidResponseError(NotifyError):
    """The answer was not what the API promises: HTML from a proxy, truncated JSON, a body the
    models refuse, a compressed body that does not decompress, or a 2xx status the endpoint never
    gives. For a send with a 2xx ``status_code``, Notify accepted the message."""

    def __init__(self, detail: str, *, status_code: int | None, body_excerpt: str = "") -> None:
        self.detail = detail
        self.status_code = status_code
        self.body_excerpt = body_excerpt
        super().__init__(detail, status_code)

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild,
            (
                type(self),
                (self.detail,),
                {"status_code": self.status_code, "body_excerpt": self.body_excerpt},
            ),
        )

    def __str__(self) -> str:
        text = f"Unexpected response (HTTP {self.status_code}): {self.detail}"
        if self.body_excerpt:
            text += f"; body starts {self.body_excerpt!r}"
        return text


def _rebuild(cls: type[NotifyError], args: tuple[Any, ...], kwargs: dict[str, Any]) -> NotifyError:
    """Unpickle an error whose constructor takes keyword-only arguments (errors cross process
    boundaries in task queues)."""
    return cls(*args, **kwargs)
