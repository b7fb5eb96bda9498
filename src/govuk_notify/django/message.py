"""``NotifyEmailMessage``: a Django email sent with one of your GOV.UK Notify templates.

The same class, arguments and rules as django-gov-notify's ``NotifyEmailMessage``, plus
``reference``::

    NotifyEmailMessage(
        to=["amala@example.com"],
        template_id="6ddb7845-8c78-41be-a04f-c94057b5aabf",
        personalisation={"name": "Amala", ...},
        reference="application-42",
    ).send()

Without ``template_id`` it is a plain email (``subject`` and ``body``, both required), sent with
``GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID``; with one, ``subject`` and ``body`` must stay empty
(the template has its own). cc, bcc, attachments, custom headers and a ``from_email`` are refused
when the message is made, as Notify cannot send them (a pydantic ``ValidationError`` naming the
argument, which is a ``ValueError`` as django-gov-notify's refusals were).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import django
from django.conf import settings
from django.core.mail import get_connection as django_get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from pydantic import ValidationError

from ..models._base import argument_error
from ..models.responses import EmailResponse

__all__ = ["NotifyEmailMessage"]

_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def _refuse(name: str, message: str) -> ValidationError:
    return argument_error(name, message, title="NotifyEmailMessage", error_type="unsupported")


def _uuid_string(value: object, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return str(value)
    try:
        uuid.UUID(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, AttributeError):
        raise argument_error(name, "must be a UUID string", title="NotifyEmailMessage") from None
    return str(value)


class NotifyEmailMessage(EmailMessage):
    """An email sent with a GOV.UK Notify template, or with the plain template.

    Args:
        subject: The subject, for a plain email (without ``template_id``).
        body: The body (Notify's Markdown), for a plain email.
        from_email: Refused: Notify sends from the service's address.
        to: The recipients; each gets their own email (one API call each).
        bcc: Refused (Notify has no bcc).
        connection: The email backend to send with (see :meth:`get_connection`).
        attachments: Refused (send a file with a template placeholder instead).
        headers: Refused (Notify takes no custom headers).
        cc: Refused (Notify has no cc).
        reply_to: Reply-to addresses, turned into a Notify id through
            ``GOVUK_NOTIFY_REPLY_TO_IDS`` when sent.
        template_id: The Notify template's id (a UUID string); None for a plain email.
        personalisation: The template's placeholders and their values.
        email_reply_to_id: The id of one of the service's reply-to addresses.
        reference: Your reference for the emails (the same for every recipient); without one,
            each email gets a unique reference unless ``GOVUK_NOTIFY_AUTO_REFERENCE`` is False.

    Raises:
        ValidationError: A refused argument is given (error type ``unsupported``), or an id is
            not a UUID string; the location names the argument. It is a ``ValueError``, as
            django-gov-notify raised.

    Example:
        ``NotifyEmailMessage(to=["a@example.com"], template_id=..., personalisation={...}).send()``
    """

    template_id: str | None
    personalisation: dict[str, Any]
    email_reply_to_id: str | None
    reference: str | None
    notify_responses: list[EmailResponse]
    """Once sent: Notify's response (with the notification ``id``) for each recipient sent."""

    def __init__(
        self,
        subject: str = "",
        body: str = "",
        from_email: str | None = None,
        to: Sequence[str] | None = None,
        bcc: Sequence[str] | None = None,
        connection: BaseEmailBackend | None = None,
        attachments: Sequence[Any] | None = None,
        headers: Mapping[str, str] | None = None,
        cc: Sequence[str] | None = None,
        reply_to: Sequence[str] | None = None,
        template_id: str | None = None,
        personalisation: Mapping[str, Any] | None = None,
        email_reply_to_id: str | None = None,
        reference: str | None = None,
    ) -> None:
        """Make the message; see the class docstring for the arguments."""
        if from_email:
            raise _refuse(
                "from_email",
                "is not supported: Notify sends from the service's address; for replies, use"
                " email_reply_to_id",
            )
        if attachments:
            raise _refuse("attachments", "are not supported")
        if headers:
            raise _refuse("headers", "custom headers are not supported")
        if cc:
            raise _refuse("cc", "CC recipients are not supported")
        if bcc:
            raise _refuse("bcc", "BCC recipients are not supported")
        if reference is not None and not isinstance(reference, str):
            raise argument_error("reference", "must be a string", title="NotifyEmailMessage")
        self.template_id = _uuid_string(template_id, "template_id")
        self.personalisation = dict(personalisation or {})
        self.email_reply_to_id = _uuid_string(email_reply_to_id, "email_reply_to_id")
        self.reference = reference
        self.notify_responses = []
        super().__init__(
            subject=subject,
            body=body,
            to=to,
            connection=connection,
            reply_to=reply_to,
        )
        # Notify sends from the service's address: there is no from_email to keep.
        self.from_email = ""

    def attach(self, *args: Any, **kwargs: Any) -> Any:
        """Refuse: Notify cannot attach files to an email.

        Raises:
            ValidationError: Always (location ``attachments``).
        """
        raise _refuse("attachments", "are not supported: send a file with prepare_upload")

    def attach_file(self, *args: Any, **kwargs: Any) -> Any:
        """Refuse: Notify cannot attach files to an email.

        Raises:
            ValidationError: Always (location ``attachments``).
        """
        raise _refuse("attachments", "are not supported: send a file with prepare_upload")

    if django.VERSION < (6, 1):  # Django 6.1 refuses a message's own get_connection()

        def get_connection(self, fail_silently: bool = False) -> BaseEmailBackend:
            """The email backend that :meth:`send` uses when no ``connection`` was given.

            ``EMAIL_BACKEND``, so that Django's test runner (``locmem``) and the console backend
            still catch these messages, except when that is Django's SMTP backend, which cannot
            send a Notify template: then :class:`~govuk_notify.django.backends.EmailBackend`.

            Args:
                fail_silently: Passed to the backend.

            Returns:
                The connection.
            """
            if self.connection is None:
                backend = settings.EMAIL_BACKEND
                if backend == _SMTP_BACKEND:
                    backend = "govuk_notify.django.backends.EmailBackend"
                self.connection = django_get_connection(backend, fail_silently=fail_silently)
            return self.connection
