"""The errors of the Django integration, and how its refusals are built.

The SDK's rule holds here too: a mistake in what you pass, found before anything is sent, is
pydantic's ``ValidationError`` (a ``ValueError``) whose location names it, and nothing goes out.
For the email backend that is a location inside ``email_messages`` (the list given to
``send_messages``), counted from 0 as pydantic counts: ``email_messages.1.to.2.email_address``
is the third recipient of the second email, and the address itself is never quoted. What Notify
cannot send (cc, bcc, attachments, HTML alternatives, headers) is refused the same way, with
the error type ``unsupported``. A setting that is missing or malformed is a
:class:`SettingsError`, both the SDK's ``ConfigurationError`` and Django's
``ImproperlyConfigured``.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured
from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from ..errors import ConfigurationError

__all__ = ["Location", "SettingsError", "refusal"]

Location = tuple[str | int, ...]
"""Where a problem is, such as ``("email_messages", 0, "cc")``."""


class SettingsError(ConfigurationError, ImproperlyConfigured):
    """A ``GOVUK_NOTIFY_*`` setting is missing or malformed; the message names it.

    It is the SDK's :class:`~govuk_notify.errors.ConfigurationError` and Django's
    ``ImproperlyConfigured``, so either ``except`` catches it. It never quotes a key or token.
    """


def refusal(title: str, problems: Sequence[tuple[Location, str, str]]) -> ValidationError:
    """A pydantic ``ValidationError`` listing what is wrong, without the values.

    Args:
        title: Whose input it is (``send_messages``, ``NotifyEmailMessage``).
        problems: ``(location, message, error type)`` for each problem.

    Returns:
        The error, for the caller to raise.
    """
    details: list[InitErrorDetails] = [
        {"type": PydanticCustomError(kind, message), "loc": location, "input": None}
        for location, message, kind in problems
    ]
    return ValidationError.from_exception_data(title, details, hide_input=True)
