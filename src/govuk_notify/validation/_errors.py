"""The errors raised by the local recipient checks.

Each carries the server's own wording, so ``str(err)`` is what Notify would have said.
"""

from __future__ import annotations

from ..errors import NotifyError

__all__ = [
    "InvalidEmailAddressError",
    "InvalidPhoneNumberError",
    "InvalidPostalAddressError",
    "InvalidRecipientError",
]


class InvalidRecipientError(NotifyError, ValueError):
    """A recipient Notify would refuse; `str(err)` and `err.message` are the server's words.

    Raised by the stand-alone checks of `govuk_notify.validation` (for your own forms). The
    client and the models report the same mistakes as pydantic's `ValidationError`. A
    `NotifyError` and a `ValueError`; the message never quotes the recipient.

    Attributes:
        message: The server's message, such as `Not enough digits`.
    """

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class InvalidPhoneNumberError(InvalidRecipientError):
    """The phone number fails the server's check (see `validate_phone_number`)."""


class InvalidEmailAddressError(InvalidRecipientError):
    """The email address fails the server's check (see `validate_email_address`)."""


class InvalidPostalAddressError(InvalidRecipientError):
    """The postal address fails the server's check (see `validate_postal_address`)."""
