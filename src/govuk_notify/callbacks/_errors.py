"""The errors that refuse a callback, each with the HTTP status to answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from govuk_notify.errors import NotifyError


class CallbackError(NotifyError):
    """A callback was refused: answer Notify with `http_status`.

    The message says what was wrong and never quotes the `Authorization` header or a token.

    Attributes:
        http_status: The HTTP status to answer with: 401 for a missing or wrong token, 400 for
            a body that is not the payload.
    """

    http_status: ClassVar[int] = 400


class MissingTokenError(CallbackError):
    """401: the callback carries no bearer token.

    There is no `Authorization` header, it is empty, it does not use the `Bearer` scheme, or the
    scheme has no token after it.
    """

    http_status: ClassVar[int] = 401


class InvalidTokenError(CallbackError):
    """401: the bearer token is not the one expected."""

    http_status: ClassVar[int] = 401


class MalformedCallbackError(CallbackError):
    """400: the token was right but the body is not JSON, or not the payload expected.

    The messages are pydantic's, taken without the input values, so the error does not repeat
    the personal data a payload holds.

    Attributes:
        kind: The kind of callback expected, such as `delivery receipt`.
        problems: `(field, message)` pairs; `field` is `"body"` when the body as a whole is
            wrong, and dotted for a nested field.
    """

    http_status: ClassVar[int] = 400

    def __init__(self, kind: str, problems: Sequence[tuple[str, str]]) -> None:
        self.kind = kind
        self.problems = tuple(problems)
        super().__init__(kind, self.problems)

    @property
    def fields(self) -> tuple[str, ...]:
        """The names of the fields in `problems`, in order."""
        return tuple(field for field, _ in self.problems)

    def __str__(self) -> str:
        details = "; ".join(f"{field}: {message}" for field, message in self.problems)
        return f"Malformed {self.kind}: {details}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kind={self.kind!r}, problems={list(self.problems)!r})"
