"""The exception tree of govuk-notify.

The SDK's rule: a mistake in what you pass (any method argument, model or helper), found before
anything is sent, raises pydantic's `ValidationError` (a `ValueError`) whose location names the
argument or field; everything else raised on purpose is a `NotifyError`. None of them holds the
API key, a bearer token, the request's headers or its body, so any of them can be logged.

```text
NotifyError
├── ConfigurationError (also a ValueError)
│   ├── InvalidAPIKeyError
│   └── InvalidBaseURLError
├── APIError: Notify answered with an error status
│   ├── BadRequestError (400)
│   │   └── PDFNotReadyError
│   ├── AuthError (401, 403)
│   ├── NotFoundError (404)
│   ├── RateLimitError (429, per minute)
│   ├── DailyLimitError (429, per day; also named TooManyRequestsError)
│   └── ServerError (5xx)
├── NotifyConnectionError: no usable answer came back
│   ├── ConnectError
│   │   └── ConnectTimeoutError (also a NotifyTimeoutError)
│   ├── TLSError
│   ├── NotifyTimeoutError
│   │   └── ReadTimeoutError
│   └── ConnectionDroppedError
├── SendStatusUnknownError: a send that may have reached Notify
├── InvalidResponseError: an answer that is not what the API promises
├── InvalidRecipientError (govuk_notify.validation; also a ValueError)
└── CallbackError (govuk_notify.callbacks): a callback to refuse
```

Example:
    ```python
    try:
        client.send_sms_notification(phone, template_id, values, reference=ref)
    except SendStatusUnknownError:
        ...  # it may have been sent: look it up by reference before sending again
    except APIError as error:
        log.warning("Notify refused: %s", error)  # "400 Missing personalisation: code"
    ```
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
    """Base class of every error raised by govuk-notify on purpose.

    Catch it to handle every failure of the SDK in one place. Bad input is not a `NotifyError`
    but pydantic's `ValidationError` naming the argument, raised before anything is sent.
    """


# --- configuration ------------------------------------------------------------------------------


class ConfigurationError(NotifyError, ValueError):
    """A setting the SDK cannot work with.

    Raised when a client is made: a malformed API key or base URL, a bad timeout or retry
    policy, a session whose proxies or headers cannot be used; and for an empty
    `expected_token` given to a callback parser. It is a `ValueError` too. It is a programming
    or deployment mistake, not a failure to retry.
    """


class InvalidAPIKeyError(ConfigurationError):
    """The API key is not of the form `{key_name}-{service_id}-{secret}`.

    The last 73 characters must be the service id and the secret (two UUIDs joined by `-`), as
    Notify splits the key. The message never quotes the key.
    """


class InvalidBaseURLError(ConfigurationError):
    """The base URL is not `https`, or plain `http` to a loopback host (such as the sandbox)."""


# --- errors answered by the API -----------------------------------------------------------------


@dataclass(frozen=True)
class ErrorItem:
    """One item of the `errors` list of a Notify error body.

    Attributes:
        error: Notify's name for the error, such as `ValidationError`, `BadRequestError`,
            `AuthError`, `NoResultFound`, `RateLimitError` or `TooManyRequestsError`.
        message: Notify's message, such as `phone_number Not enough digits`.
    """

    error: str
    message: str


class APIError(NotifyError):
    """Notify answered with an error status.

    Raised as one of its subclasses for the statuses Notify documents, and as `APIError` itself
    for any other status. Both of Notify's error body shapes are read; a body that is not JSON
    gives an empty `errors`.

    Attributes:
        status_code: The HTTP status.
        errors: The `{error, message}` items of the body, as `ErrorItem`s.

    Example:
        ```python
        try:
            client.get_notification_by_id(notification_id)
        except NotFoundError as error:
            print(error.status_code, error.error_names, error.message)
            # 404 ('NoResultFound',) No result found
        ```
    """

    status_code: int
    errors: tuple[ErrorItem, ...]

    def __init__(self, status_code: int, errors: Sequence[ErrorItem]) -> None:
        self.status_code = status_code
        self.errors = tuple(errors)
        super().__init__(status_code, self.errors)

    @property
    def message(self) -> str:
        """The messages of `errors` joined with `; ` (empty when the body had none)."""
        return "; ".join(item.message for item in self.errors)

    @property
    def error_names(self) -> tuple[str, ...]:
        """The `error` names of `errors`, in order: branch on these, not on message texts."""
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
    """400: Notify refused the request.

    For example a validation error Notify found (a template's missing personalisation, a message
    too long after rendering), a template or sender that does not exist, or a service not allowed
    to send this kind of message. Not retried.
    """


class PDFNotReadyError(BadRequestError):
    """400 `PDFNotReadyError`: the letter's PDF is not available yet.

    Raised by `get_pdf_for_letter` a little after a letter was sent. Try again a few seconds
    later.
    """


class AuthError(APIError):
    """401 or 403: the token is missing, wrong or expired, or the key is revoked.

    An expired token usually means the machine's clock is more than 30 seconds out. Also raised
    for the 403 `BadRequestError` answers about team keys and trial mode on letters. Not retried.
    """


class NotFoundError(APIError):
    """404: no such notification or template, or it is past the service's retention period."""


class RateLimitError(APIError):
    """429 `RateLimitError`: too many requests for this key type in the last minute.

    Safe to retry, and retried by the client (see `RetryPolicy`): Notify checks the limit before
    it creates anything. Raised once the retries are used up, or when `Retry-After` asks for a
    longer wait than `RetryPolicy.max_retry_after`.

    Attributes:
        retry_after: The `Retry-After` header in seconds, when the server sent one, else None.
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
    """429 `TooManyRequestsError`: the service's daily sending limit is used up.

    Never retried: the limit resets at midnight. Also importable as `TooManyRequestsError`,
    the server's name for it.
    """


class ServerError(APIError):
    """5xx: Notify, or a proxy in front of it, failed.

    Reads are retried after a 500, 502, 503 or 504. A send is not (unless
    `RetryPolicy.retry_sends_on_server_error`): after a 502 or 504 it raises
    `SendStatusUnknownError` with this error as its `__cause__`, since the message may exist.
    """


# --- the connection -----------------------------------------------------------------------------


class NotifyConnectionError(NotifyError):
    """No usable HTTP answer came back. Never disguised as an HTTP status.

    Raised as one of its subclasses, which say whether the request can have reached Notify.

    Attributes:
        status_code: The status of the answer when its headers had arrived before the failure
            (a body cut off, or trickled past the timeouts), else None.
    """

    status_code: int | None

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        self.status_code = status_code
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), (self.args[0],), {"status_code": self.status_code}))


class ConnectError(NotifyConnectionError):
    """The request never left: the name did not resolve or the connection was refused.

    Retried for sends and reads alike.
    """


class TLSError(NotifyConnectionError):
    """The TLS handshake failed (for example an untrusted certificate). The request never left.

    Not retried: a certificate problem does not go away by itself.
    """


class NotifyTimeoutError(NotifyConnectionError):
    """A timeout expired (see `Timeout`): a `ConnectTimeoutError` or a `ReadTimeoutError`."""


class ConnectTimeoutError(NotifyTimeoutError, ConnectError):
    """No connection could be made within the connect timeout. The request never left."""


class ReadTimeoutError(NotifyTimeoutError):
    """The request was sent but no whole answer came in time: the server may have acted on it.

    Reads are retried; a send raises `SendStatusUnknownError` with this as its `__cause__`.
    """


class ConnectionDroppedError(NotifyConnectionError):
    """The connection closed after the request went out, before a whole answer came back.

    Reads are retried; a send raises `SendStatusUnknownError` with this as its `__cause__`.
    """


class SendStatusUnknownError(NotifyError):
    """A send may or may not have reached Notify, so it was not retried.

    Raised for a send when the request went out but no clear answer came back: a read timeout, a
    connection dropped after the body was sent, or a 502/504 from a proxy. The message may have
    been sent. Before sending it again, look it up with
    `client.get_all_notifications(reference=err.reference)` (which is why a unique reference on
    every send is worth having). The underlying SDK error (`ReadTimeoutError`,
    `ConnectionDroppedError` or `ServerError`) is `__cause__`.

    Attributes:
        reason: What happened, in a few words (`read timed out`, say).
        reference: The send's `reference`, or None if it had none.
        status_code: The HTTP status when one arrived (a 502/504, or a 201 whose body was cut
            off), else None.

    Example:
        ```python
        try:
            client.send_sms_notification(phone, template_id, values, reference=ref)
        except SendStatusUnknownError as err:
            time.sleep(10)  # let Notify finish whatever it may have started
            found = client.get_all_notifications(reference=err.reference, template_type="sms")
            if not found.notifications:
                client.send_sms_notification(phone, template_id, values, reference=ref)
        ```
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
    """The answer was not what the API promises.

    HTML from a proxy, truncated JSON, a body the models refuse, a compressed body that does not
    decompress, a letter's PDF that is not a PDF, or a 2xx status the endpoint never gives. For
    a send with a 2xx `status_code`, Notify accepted the message.

    Attributes:
        detail: What was wrong with the answer.
        status_code: The answer's HTTP status, or None.
        body_excerpt: The start of the body, for diagnosis (never a request's content).
    """

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
    """Unpickle an error whose constructor takes keyword-only arguments.

    Errors cross process boundaries in task queues.
    """
    return cls(*args, **kwargs)
