"""``NotifyClient``: one method per endpoint of the GOV.UK Notify API, returning models.

Each method checks its arguments and builds its call with :mod:`govuk_notify._calls` (shared with
:class:`~govuk_notify.async_client.AsyncNotifyClient`), then makes it with the ``requests``
transport.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, TypeVar

import requests
from typing_extensions import Self

from . import _calls
from ._base_url import DEFAULT_BASE_URL
from ._calls import IdLike, StatusArg, TemplateTypeArg
from ._client_base import ClientBase, environment_settings
from ._endpoint import Call, Sendable
from ._sync_transport import Transport
from .auth import ApiKey
from .models.enums import TemplateType
from .models.requests import (
    EmailRequest,
    LetterPersonalisation,
    LetterRequest,
    NotificationFilters,
    PrecompiledLetterRequest,
    SmsRequest,
)
from .models.responses import (
    EmailResponse,
    LetterResponse,
    Notification,
    NotificationList,
    PrecompiledLetterResponse,
    ReceivedText,
    ReceivedTextList,
    SmsResponse,
    Template,
    TemplateList,
    TemplatePreview,
)
from .retry import RetryPolicy, Timeout

if TYPE_CHECKING:
    import os

    from .bulk import BulkProgress, BulkResult
    from .bulk_journal import SendJournal

__all__ = ["DEFAULT_BASE_URL", "NotifyClient"]

R = TypeVar("R")


class NotifyClient(ClientBase):
    """A client for the GOV.UK Notify API.

    One client can be shared by many threads. :class:`~govuk_notify.AsyncNotifyClient` has the
    same methods, to be awaited.

    Args:
        api_key: the key from the API integration page.
        base_url: Notify's (https, or http to a loopback host such as the embedded sandbox).
        timeout: seconds, one number or ``(connect, read)``.
        session: a ``requests.Session`` of your own (for a proxy or a CA bundle), which the
            client then leaves open.
        retry: when to try again (see :class:`RetryPolicy`; ``RetryPolicy(max_retries=0)``
            turns retries off).

    Raises:
        InvalidAPIKeyError: the key is malformed.
        InvalidBaseURLError: the base URL is not https (or http to a loopback host).
        ConfigurationError: a bad timeout or retry policy.

    Example:
        >>> client = NotifyClient(api_key)  # doctest: +SKIP
        >>> client.send_sms_notification("07700900123", template_id)  # doctest: +SKIP
    """

    _transport: Transport

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: Timeout = 30,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        """Parse the key and set up the transport (no request is made)."""
        self._key = ApiKey.parse(api_key)
        self._transport = Transport(
            self._key,
            base_url,
            timeout=timeout,
            session=session,
            retry=retry if retry is not None else RetryPolicy(),
        )

    @classmethod
    def from_env(
        cls,
        *,
        timeout: Timeout = 30,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
    ) -> Self:
        """A client configured from the environment, as twelve-factor applications are.

        Reads the API key from ``NOTIFY_API_KEY`` and the base URL from ``NOTIFY_BASE_URL`` when
        it is set (a sandbox, say), else Notify's. The other arguments are the constructor's.

        Raises:
            ConfigurationError: ``NOTIFY_API_KEY`` is not set, or it or ``NOTIFY_BASE_URL`` is
                malformed (an ``InvalidAPIKeyError`` or ``InvalidBaseURLError``).

        Example:
            >>> client = NotifyClient.from_env()  # doctest: +SKIP
        """
        api_key, base_url = environment_settings()
        return cls(api_key, base_url, timeout=timeout, session=session, retry=retry)

    def close(self) -> None:
        """Close the HTTP session, if the client made it."""
        self._transport.close()

    def __enter__(self) -> NotifyClient:
        """Use the client in a ``with`` block, closed at its end."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the client."""
        self.close()

    def _run(self, call: Call[R], timeout: Timeout | None) -> R:
        return self._transport.run(call, timeout)

    # --- sending --------------------------------------------------------------------------------

    def send(self, request: Sendable[R], *, timeout: Timeout | None = None) -> R:
        """Send a request model built (and validated) earlier.

        Args:
            request: an ``SmsRequest``, ``EmailRequest``, ``LetterRequest`` or
                ``PrecompiledLetterRequest``; the response type follows from it.
            timeout: this call's timeout, instead of the client's.

        Returns:
            The matching response: ``SmsResponse`` for an ``SmsRequest``, and so on.

        Raises:
            pydantic.ValidationError: ``request`` is not a request model.
            SendStatusUnknownError: the request went out and no clear answer came back.
            NotifyError: any other failure (an ``APIError`` for Notify's refusals).
        """
        return self._run(_calls.send(request), timeout)

    def send_sms_notification(
        self,
        phone_number: str,
        template_id: IdLike,
        personalisation: Mapping[str, Any] | None = None,
        reference: str | None = None,
        sms_sender_id: IdLike | None = None,
        *,
        timeout: Timeout | None = None,
    ) -> SmsResponse:
        """Send a text message.

        Raises:
            pydantic.ValidationError: bad input, found before anything is sent.
            SendStatusUnknownError: the request went out and no clear answer came back.
            NotifyError: any other failure.
        """
        request = SmsRequest(
            phone_number=phone_number,
            template_id=template_id,
            personalisation=personalisation,
            reference=reference,
            sms_sender_id=sms_sender_id,
        )
        return self._run(_calls.send(request), timeout)

    def send_email_notification(
        self,
        email_address: str,
        template_id: IdLike,
        personalisation: Mapping[str, Any] | None = None,
        reference: str | None = None,
        email_reply_to_id: IdLike | None = None,
        one_click_unsubscribe_url: str | None = None,
        sanitise_content_for: Sequence[str] | None = None,
        *,
        timeout: Timeout | None = None,
    ) -> EmailResponse:
        """Send an email. A personalisation value may be a file from ``prepare_upload``.

        Raises:
            pydantic.ValidationError: bad input, found before anything is sent.
            SendStatusUnknownError: the request went out and no clear answer came back.
            NotifyError: any other failure.
        """
        request = EmailRequest(
            email_address=email_address,
            template_id=template_id,
            personalisation=personalisation,
            reference=reference,
            email_reply_to_id=email_reply_to_id,
            one_click_unsubscribe_url=one_click_unsubscribe_url,
            sanitise_content_for=sanitise_content_for,
        )
        return self._run(_calls.send(request), timeout)

    def send_letter_notification(
        self,
        template_id: IdLike,
        personalisation: Mapping[str, Any] | LetterPersonalisation,
        reference: str | None = None,
        *,
        timeout: Timeout | None = None,
    ) -> LetterResponse:
        """Send a letter from a template.

        The personalisation holds the address (``address_line_1`` to ``address_line_7``) and
        the other placeholder values.

        Raises:
            pydantic.ValidationError: bad input, found before anything is sent.
            SendStatusUnknownError: the request went out and no clear answer came back.
            NotifyError: any other failure.
        """
        request = LetterRequest(
            template_id=template_id, personalisation=personalisation, reference=reference
        )
        return self._run(_calls.send(request), timeout)

    def send_precompiled_letter_notification(
        self,
        reference: str,
        pdf_file: IO[bytes] | bytes,
        postage: str | None = None,
        *,
        timeout: Timeout | None = None,
    ) -> PrecompiledLetterResponse:
        """Send a letter you made as a PDF (a binary file object, or the bytes).

        Raises:
            pydantic.ValidationError: bad input, found before anything is sent.
            SendStatusUnknownError: the request went out and no clear answer came back.
            NotifyError: any other failure.
        """
        content = pdf_file if isinstance(pdf_file, (bytes, bytearray)) else pdf_file.read()
        request = PrecompiledLetterRequest(reference=reference, content=content, postage=postage)
        return self._run(_calls.send(request), timeout)

    # --- reading notifications ------------------------------------------------------------------

    def get_notification_by_id(
        self, notification_id: IdLike, *, timeout: Timeout | None = None
    ) -> Notification:
        """One notification; its ``type`` says whether it is an SMS, an email or a letter."""
        return self._run(_calls.get_notification_by_id(notification_id), timeout)

    def get_all_notifications(
        self,
        status: StatusArg | None = None,
        template_type: TemplateTypeArg | None = None,
        reference: str | None = None,
        older_than: IdLike | None = None,
        include_jobs: bool | None = None,
        *,
        timeout: Timeout | None = None,
    ) -> NotificationList:
        """One page of up to 250 notifications, newest first (older than ``older_than``).

        ``status`` and ``template_type`` take one value or several. ``include_jobs`` adds the
        notifications sent by uploading a spreadsheet.
        """
        filters = _calls.filters(status, template_type, reference, older_than, include_jobs)
        return self._run(_calls.get_all_notifications(filters), timeout)

    def get_all_notifications_iterator(
        self,
        status: StatusArg | None = None,
        template_type: TemplateTypeArg | None = None,
        reference: str | None = None,
        older_than: IdLike | None = None,
        include_jobs: bool | None = None,
        *,
        timeout: Timeout | None = None,
    ) -> Iterator[Notification]:
        """Every notification, newest first, fetching the next page as the last one runs out.

        The filters (``include_jobs`` too) apply to every page; they are checked at once.
        """
        filters = _calls.filters(status, template_type, reference, older_than, include_jobs)
        return self._iterate_notifications(filters, timeout)

    def _iterate_notifications(
        self, filters: NotificationFilters, timeout: Timeout | None
    ) -> Iterator[Notification]:
        seen: set[str] = set()
        cursor: str | None = None
        while True:
            page = self._run(_calls.get_all_notifications(filters, cursor), timeout)
            yield from page.notifications
            cursor = _calls.next_cursor(len(page.notifications), page.links.next, seen)
            if cursor is None:
                return

    def get_pdf_for_letter(
        self, notification_id: IdLike, *, timeout: Timeout | None = None
    ) -> io.BytesIO:
        """The PDF of a letter. ``PDFNotReadyError`` means: try again in a few seconds."""
        return self._run(_calls.get_pdf_for_letter(notification_id), timeout)

    # --- templates ------------------------------------------------------------------------------

    def get_template(self, template_id: IdLike, *, timeout: Timeout | None = None) -> Template:
        """The latest version of a template."""
        return self._run(_calls.get_template(template_id), timeout)

    def get_template_version(
        self, template_id: IdLike, version: int, *, timeout: Timeout | None = None
    ) -> Template:
        """One version of a template (versions start at 1)."""
        return self._run(_calls.get_template_version(template_id, version), timeout)

    def get_all_templates(
        self, template_type: str | TemplateType | None = None, *, timeout: Timeout | None = None
    ) -> TemplateList:
        """The latest version of every template, or of every template of one type."""
        return self._run(_calls.get_all_templates(template_type), timeout)

    def post_template_preview(
        self,
        template_id: IdLike,
        personalisation: Mapping[str, Any] | None,
        *,
        timeout: Timeout | None = None,
    ) -> TemplatePreview:
        """A template with this personalisation filled in (nothing is sent)."""
        return self._run(_calls.post_template_preview(template_id, personalisation), timeout)

    # --- received text messages -----------------------------------------------------------------

    def get_received_texts(
        self, older_than: IdLike | None = None, *, timeout: Timeout | None = None
    ) -> ReceivedTextList:
        """One page of up to 250 received text messages, newest first."""
        return self._run(_calls.get_received_texts(older_than), timeout)

    def get_received_texts_iterator(
        self, older_than: IdLike | None = None, *, timeout: Timeout | None = None
    ) -> Iterator[ReceivedText]:
        """Every received text message, newest first, page after page."""
        first = _calls.get_received_texts(older_than)  # checked at once
        return self._iterate_received(first, timeout)

    def _iterate_received(
        self, first: Call[ReceivedTextList], timeout: Timeout | None
    ) -> Iterator[ReceivedText]:
        seen: set[str] = set()
        call = first
        while True:
            page = self._run(call, timeout)
            yield from page.received_text_messages
            cursor = _calls.next_cursor(len(page.received_text_messages), page.links.next, seen)
            if cursor is None:
                return
            call = _calls.get_received_texts(cursor)

    # --- sending in bulk ------------------------------------------------------------------------

    def send_many(
        self,
        requests: Iterable[Sendable[R]],
        *,
        workers: int = 10,
        rate_per_minute: float = 3000,
        on_progress: Callable[[BulkProgress], object] | None = None,
        journal: str | os.PathLike[str] | SendJournal | None = None,
    ) -> list[BulkResult[R]]:
        """Send many request models concurrently, at the rate limit, in input order.

        ``workers`` threads send at once, paced by a token bucket shaped like the server's for
        ``rate_per_minute`` (the service's limit). A 429 ``RateLimitError`` pauses every worker
        and is retried by the bucket (the transport does not retry it a second time). Each
        result is a ``Sent`` (with ``.response``), a ``Failed`` (nothing was sent) or an
        ``Unknown`` (may have been sent: look it up by reference). ``on_progress`` gets a
        ``BulkProgress`` now and then. Ctrl-C raises ``BulkInterrupted`` with the partial
        results once the sends in flight have finished. See :mod:`govuk_notify.bulk`.

        Args:
            requests: any mix of SMS, email and letter request models.
            workers: threads sending at once.
            rate_per_minute: the service's rate limit.
            on_progress: called with a ``BulkProgress`` in the calling thread.
            journal: a SQLite journal (a path, or a ``SendJournal``) for exactly-once per
                message across crashes, reruns and edited input: a message (recipient as
                Notify normalises it, template, personalisation) already sent through it comes
                back as ``AlreadySent`` and is not sent again. Without one, every request is
                sent.

        Returns:
            One result per request, in input order.
        """
        from .bulk import send_many

        return send_many(
            self,
            requests,
            workers=workers,
            rate_per_minute=rate_per_minute,
            on_progress=on_progress,
            journal=journal,
        )
