"""The Django email backend: ``EMAIL_BACKEND = "govuk_notify.django.EmailBackend"``.

A drop-in switch from django-gov-notify (its backend is also importable here under its name,
``govuk_notify.django.backends.NotifyEmailBackend``): the same settings, the same plain template,
one API call per recipient. What it does better:

* every email is validated locally, as Notify would, **before anything is sent**: a list of
  emails with one bad address sends none of them (unless ``fail_silently``), and the error (a
  pydantic ``ValidationError``, as everywhere in the SDK) names the place of the email and the
  recipient, ``email_messages.1.to.2.email_address``, never the address;
* what Notify cannot send (cc, bcc, attachments, HTML alternatives, headers) is refused the same
  way (error type ``unsupported``) instead of being dropped without a word;
* a send whose outcome is unknown (:class:`~govuk_notify.errors.SendStatusUnknownError`: the
  request went out but no answer came back) is never retried; it is logged at ERROR with its
  reference (every email gets a unique one by default), and raised unless ``fail_silently``;
* each message gets ``notify_responses``: the Notify responses (ids) of the recipients sent.

``send_messages`` returns the number of messages whose every recipient was sent, as Django's
backends count (a message to three people is one message).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from pydantic import ValidationError

from ..client import NotifyClient
from ..errors import NotifyError, SendStatusUnknownError
from ..models.requests import EmailRequest
from ..models.responses import EmailResponse
from ..retry import RetryPolicy, Timeout
from .conf import EmailSettings, email_settings
from .conversion import email_requests

__all__ = ["EmailBackend", "NotifyEmailBackend"]

_log = logging.getLogger("govuk_notify.django")


class EmailBackend(BaseEmailBackend):
    """Send Django's emails through GOV.UK Notify, one API call per recipient.

    Args:
        fail_silently: As Django documents: when True, a failure to send is logged (never with
            an address or the key) instead of raised, and the message is not counted as sent.
        govuk_notify_api_key: A key to use instead of ``GOVUK_NOTIFY_API_KEY``
            (django-gov-notify's argument).
        base_url: A base URL to use instead of ``GOVUK_NOTIFY_BASE_URL``.
        timeout: Seconds, or ``(connect, read)``, instead of ``GOVUK_NOTIFY_TIMEOUT``.
        retry: A :class:`~govuk_notify.RetryPolicy` instead of ``GOVUK_NOTIFY_RETRY``.
        **kwargs: Passed to Django's ``BaseEmailBackend`` (``alias`` under Django 6.1's
            ``MAILERS``, whose ``OPTIONS`` may hold the arguments above).

    Example:
        ``EMAIL_BACKEND = "govuk_notify.django.EmailBackend"`` in the settings; then Django's
        ``send_mail``, ``EmailMessage.send()``, ``mail_admins`` and password-reset emails go
        through Notify.
    """

    def __init__(
        self,
        fail_silently: bool = False,
        *,
        govuk_notify_api_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | None = None,
        retry: RetryPolicy | None = None,
        **kwargs: Any,
    ) -> None:
        """Make the backend; the settings are read when it opens."""
        # Django 6.1 deprecates BaseEmailBackend's fail_silently: a backend keeps its own.
        super().__init__(**kwargs)
        self.fail_silently = fail_silently
        self._api_key = govuk_notify_api_key
        self._base_url = base_url
        self._timeout = timeout
        self._retry = retry
        self._lock = threading.RLock()
        self._config: EmailSettings | None = None
        self.client: NotifyClient | None = None

    def __repr__(self) -> str:
        """Show the backend without its key."""
        return f"{type(self).__name__}(fail_silently={self.fail_silently!r})"

    def open(self) -> bool:
        """Read the settings and make the Notify client, unless already open.

        Returns:
            True if it opened now, False if it was open already (as Django's SMTP backend).

        Raises:
            SettingsError: A setting is missing or malformed (unless ``fail_silently``; the
                backend then stays closed). It is also Django's ``ImproperlyConfigured``.
        """
        with self._lock:
            if self.client is not None:
                return False
            try:
                config = email_settings(api_key=self._api_key)
            except Exception:
                if self.fail_silently:
                    _log.exception("GOV.UK Notify email backend: cannot open")
                    return False
                raise
            self._config = config
            self.client = NotifyClient(
                config.api_key,
                base_url=self._base_url or config.base_url,
                timeout=self._timeout or config.timeout,
                retry=self._retry or config.retry,
            )
            return True

    def close(self) -> None:
        """Close the Notify client's connections."""
        with self._lock:
            if self.client is not None:
                self.client.close()
                self.client = None

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Send Django emails through Notify.

        Every message is checked and validated first; then each recipient of each message is
        sent in order, one API call each. Each message gets ``notify_responses``, the
        :class:`~govuk_notify.EmailResponse` of each recipient sent.

        Args:
            email_messages: The messages (``EmailMessage``, ``EmailMultiAlternatives``,
                :class:`~.message.NotifyEmailMessage`, or django-gov-notify's).

        Returns:
            How many messages were sent to every one of their recipients.

        Raises:
            SettingsError: A setting is missing or malformed (nothing was sent).
            ValidationError: A message fails validation, or uses what Notify cannot send
                (nothing was sent); the location is inside ``email_messages``.
            SendStatusUnknownError: A send may have reached Notify; it was not retried.
            NotifyError: Notify refused a send, or could not be reached. Recipients sent before
                are in the message's ``notify_responses``. None of these is raised when
                ``fail_silently`` is True.
        """
        if not email_messages:
            return 0
        with self._lock:
            opened = self.open()
            if self.client is None or self._config is None:
                return 0  # failed to open, silently
            try:
                prepared = self._prepare(email_messages, self._config)
                return sum(
                    self._send(self.client, position, message, requests)
                    for position, message, requests in prepared
                )
            finally:
                if opened:
                    self.close()

    def _prepare(
        self, messages: Sequence[EmailMessage], config: EmailSettings
    ) -> list[tuple[int, EmailMessage, list[EmailRequest]]]:
        prepared = []
        for position, message in enumerate(messages):
            try:
                requests = email_requests(message, position, config)
            except ValidationError as error:
                if not self.fail_silently:
                    raise
                _log.error("GOV.UK Notify: email_messages.%d not sent: %s", position, error)
                continue
            if requests:
                prepared.append((position, message, requests))
        return prepared

    def _send(
        self,
        client: NotifyClient,
        position: int,
        message: EmailMessage,
        requests: list[EmailRequest],
    ) -> bool:
        responses: list[EmailResponse] = []
        message.notify_responses = responses  # type: ignore[attr-defined]
        total = len(requests)
        for number, request in enumerate(requests):
            where = f"email_messages.{position}.to.{number}"
            try:
                response = client.send(request)
            except SendStatusUnknownError as error:
                _log.error(
                    "GOV.UK Notify: %s: the send may have reached Notify and was not retried"
                    " (%s); look it up with get_all_notifications(reference=%r) before sending"
                    " again",
                    where,
                    error.reason,
                    error.reference,
                )
                if not self.fail_silently:
                    raise
                continue
            except NotifyError as error:
                _log.error(
                    "GOV.UK Notify: %s: not sent: %s (%d of the email's %d recipients sent"
                    " before it)",
                    where,
                    error,
                    len(responses),
                    total,
                )
                if not self.fail_silently:
                    if responses and hasattr(error, "add_note"):  # Python 3.11+
                        error.add_note(
                            f"{len(responses)} of the email's {total} recipients were sent"
                            " before this one: see the message's notify_responses"
                        )
                    raise
                continue
            responses.append(response)
            _log.debug("GOV.UK Notify: %s: sent as notification %s", where, response.id)
        return len(responses) == total


NotifyEmailBackend = EmailBackend
"""django-gov-notify's name for the backend, so ``django_gov_notify.backends`` can be replaced
by ``govuk_notify.django.backends`` and nothing else."""
