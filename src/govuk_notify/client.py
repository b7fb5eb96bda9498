"""``NotifyClient``: one method per endpoint of the GOV.UK Notify API, returning models."""

from __future__ import annotations

import io
import json
import os
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, TypeVar, overload
from urllib.parse import parse_qs, urlsplit

import requests
from pydantic import BaseModel, TypeAdapter, ValidationError
from typing_extensions import Self

from ._transport import CallKind, RetryPolicy, Timeout, Transport
from .auth import ApiKey
from .errors import ConfigurationError, InvalidResponseError
from .models._base import argument_error
from .models.enums import NotificationStatusFilter, TemplateType
from .models.requests import (
    EmailRequest,
    LetterPersonalisation,
    LetterRequest,
    NotificationFilters,
    PrecompiledLetterRequest,
    SmsRequest,
    _uuid,
)
from .models.responses import (
    NOTIFICATION_ADAPTER,
    EmailResponse,
    LetterResponse,
    Links,
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
from .types import IdLike

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .bulk import AnyRequest, AnyResponse, BulkProgress, BulkResult

__all__ = ["DEFAULT_BASE_URL", "NotifyClient"]

DEFAULT_BASE_URL = "https://api.notifications.service.gov.uk"

_M = TypeVar("_M", bound=BaseModel)
_T = TypeVar("_T")

StatusArg = str | NotificationStatusFilter | Sequence[str | NotificationStatusFilter]
TemplateTypeArg = str | TemplateType | Sequence[str | TemplateType]


def _dumps(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _path_id(value: IdLike, name: str) -> str:
    """A UUID for a URL path, canonical; anything else is refused before sending."""
    try:
        return str(_uuid(value))
    except ValueError:
        raise _argument_error(name, "is not a valid UUID") from None


def _argument_error(name: str, message: str) -> ValidationError:
    return argument_error(name, message, title="NotifyClient")


def _invalid(response: requests.Response, detail: str) -> InvalidResponseError:
    content = response.content[:200]
    looks_like_json = content.lstrip()[:1] in (b"{", b"[")
    # A JSON body can hold personal data, so only other bodies (a proxy's HTML) are quoted.
    excerpt = "" if looks_like_json else content.decode("utf-8", "replace")
    if response.status_code == 201:
        detail = f"Notify accepted the message (HTTP 201), but {detail}; do not send it again"
    return InvalidResponseError(detail, status_code=response.status_code, body_excerpt=excerpt)


def _parse(model: type[_M], response: requests.Response) -> _M:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as err:
        detail = _describe(model.__name__, err)
    # Raised outside the except block: pydantic's error quotes the body, which may hold personal
    # data, so it is not kept as the context.
    raise _invalid(response, detail)


def _parse_adapter(adapter: TypeAdapter[_T], name: str, response: requests.Response) -> _T:
    try:
        return adapter.validate_json(response.content)
    except ValidationError as err:
        detail = _describe(name, err)
    raise _invalid(response, detail)


def _describe(name: str, err: ValidationError) -> str:
    errors = err.errors(include_url=False, include_input=False)
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"]) or "the body"
    if first["type"] in ("json_invalid", "json_type"):
        return f"the body is not valid JSON for {name}"
    return (
        f"the body does not fit {name}: {len(errors)} problem(s), first at {where}: {first['msg']}"
    )


def _next_older_than(next_link: str | None) -> str | None:
    """The ``older_than`` id of a ``links.next`` URL. Only the id is used: a host found in a
    response is never contacted."""
    if not next_link:
        return None
    values = parse_qs(urlsplit(next_link).query).get("older_than")
    if not values:
        return None
    try:
        return str(uuid.UUID(values[0]))
    except ValueError:
        return None


def _follow_pages(
    fetch: Callable[[str | None], tuple[list[_T], Links]],
) -> Iterator[_T]:
    """Yield the items of page after page, the first fetched with ``None`` and each next one
    with the ``older_than`` id of the previous page's ``links.next``. It stops at an empty page,
    a page with no next link, or a cursor it has seen before (so a looping server cannot keep it
    going)."""
    seen: set[str] = set()
    cursor: str | None = None
    while True:
        items, links = fetch(cursor)
        if not items:
            return
        yield from items
        cursor = _next_older_than(links.next)
        if cursor is None or cursor in seen:
            return
        seen.add(cursor)


class NotifyClient:
    """A client for the GOV.UK Notify API.

    ``api_key`` is the key from the API integration page; ``base_url`` is Notify's (https, or
    http to a loopback host such as the embedded sandbox); ``timeout`` is seconds, one number or
    ``(connect, read)``; ``session`` is a ``requests.Session`` of your own (for a proxy or a CA
    bundle), which the client then leaves open; ``retry`` says when to try again (see
    :class:`RetryPolicy`; ``RetryPolicy(max_retries=0)`` turns retries off).

    One client can be shared by many threads.
    """

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: Timeout = 30,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._key = ApiKey.parse(api_key)
        self._transport = Transport(
            self._key,
            base_url,
            timeout=timeout,
            session=session,
            retry=retry if retry is not None else RetryPolicy(),
        )

    @property
    def service_id(self) -> str:
        return self._key.service_id

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def retry(self) -> RetryPolicy:
        return self._transport.retry

    @property
    def timeout(self) -> Timeout:
        return self._transport.timeout

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
        api_key = os.environ.get("NOTIFY_API_KEY", "").strip()
        if not api_key:
            raise ConfigurationError("set NOTIFY_API_KEY to your Notify API key")
        base_url = os.environ.get("NOTIFY_BASE_URL", "").strip() or DEFAULT_BASE_URL
        return cls(api_key, base_url, timeout=timeout, session=session, retry=retry)

    def __repr__(self) -> str:
        return (
            f"NotifyClient(base_url={self.base_url!r}, service_id={self.service_id!r}, "
            f"key_name={self._key.key_name!r})"
        )

    def close(self) -> None:
        """Close the HTTP session, if the client made it."""
        self._transport.close()

    def __enter__(self) -> NotifyClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- sending --------------------------------------------------------------------------------

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
        """Send a text message. Raises pydantic's ``ValidationError`` for bad input, before
        anything is sent."""
        request = SmsRequest(
            phone_number=phone_number,
            template_id=template_id,
            personalisation=personalisation,
            reference=reference,
            sms_sender_id=sms_sender_id,
        )
        return self._send_sms(request, timeout)

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
        """Send an email. A personalisation value may be a file from ``prepare_upload``."""
        request = EmailRequest(
            email_address=email_address,
            template_id=template_id,
            personalisation=personalisation,
            reference=reference,
            email_reply_to_id=email_reply_to_id,
            one_click_unsubscribe_url=one_click_unsubscribe_url,
            sanitise_content_for=sanitise_content_for,
        )
        return self._send_email(request, timeout)

    def send_letter_notification(
        self,
        template_id: IdLike,
        personalisation: Mapping[str, Any] | LetterPersonalisation,
        reference: str | None = None,
        *,
        timeout: Timeout | None = None,
    ) -> LetterResponse:
        """Send a letter from a template; the personalisation holds the address
        (``address_line_1`` to ``address_line_7``) and the other placeholder values."""
        request = LetterRequest(
            template_id=template_id,
            personalisation=personalisation,
            reference=reference,
        )
        return self._send_letter(request, timeout)

    def send_precompiled_letter_notification(
        self,
        reference: str,
        pdf_file: IO[bytes] | bytes,
        postage: str | None = None,
        *,
        timeout: Timeout | None = None,
    ) -> PrecompiledLetterResponse:
        """Send a letter you made as a PDF (a binary file object, or the bytes)."""
        content = pdf_file if isinstance(pdf_file, (bytes, bytearray)) else pdf_file.read()
        request = PrecompiledLetterRequest(
            reference=reference,
            content=content,
            postage=postage,
        )
        return self._send_precompiled(request, timeout)

    @overload
    def send(self, request: SmsRequest, *, timeout: Timeout | None = None) -> SmsResponse: ...
    @overload
    def send(self, request: EmailRequest, *, timeout: Timeout | None = None) -> EmailResponse: ...
    @overload
    def send(self, request: LetterRequest, *, timeout: Timeout | None = None) -> LetterResponse: ...
    @overload
    def send(
        self, request: PrecompiledLetterRequest, *, timeout: Timeout | None = None
    ) -> PrecompiledLetterResponse: ...
    def send(
        self,
        request: SmsRequest | EmailRequest | LetterRequest | PrecompiledLetterRequest,
        *,
        timeout: Timeout | None = None,
    ) -> SmsResponse | EmailResponse | LetterResponse | PrecompiledLetterResponse:
        """Send a request model built (and validated) earlier."""
        if isinstance(request, SmsRequest):
            return self._send_sms(request, timeout)
        if isinstance(request, EmailRequest):
            return self._send_email(request, timeout)
        if isinstance(request, LetterRequest):
            return self._send_letter(request, timeout)
        if isinstance(request, PrecompiledLetterRequest):
            return self._send_precompiled(request, timeout)
        raise _argument_error(
            "request",
            "must be an SmsRequest, EmailRequest, LetterRequest or PrecompiledLetterRequest, "
            f"not {type(request).__name__}",
        )

    def _post_send(
        self, path: str, payload: dict[str, Any], reference: str | None, timeout: Timeout | None
    ) -> requests.Response:
        return self._transport.request(
            "POST",
            path,
            route=path,
            kind="send",
            body=_dumps(payload),
            reference=reference,
            timeout=timeout,
        )

    def _send_sms(self, request: SmsRequest, timeout: Timeout | None) -> SmsResponse:
        response = self._post_send(
            "/v2/notifications/sms", request.to_payload(), request.reference, timeout
        )
        return _parse(SmsResponse, response)

    def _send_email(self, request: EmailRequest, timeout: Timeout | None) -> EmailResponse:
        response = self._post_send(
            "/v2/notifications/email", request.to_payload(), request.reference, timeout
        )
        return _parse(EmailResponse, response)

    def _send_letter(self, request: LetterRequest, timeout: Timeout | None) -> LetterResponse:
        response = self._post_send(
            "/v2/notifications/letter", request.to_payload(), request.reference, timeout
        )
        return _parse(LetterResponse, response)

    def _send_precompiled(
        self, request: PrecompiledLetterRequest, timeout: Timeout | None
    ) -> PrecompiledLetterResponse:
        response = self._post_send(
            "/v2/notifications/letter", request.to_payload(), request.reference, timeout
        )
        return _parse(PrecompiledLetterResponse, response)

    # --- reading notifications ------------------------------------------------------------------

    def _get(
        self,
        path: str,
        route: str,
        params: Sequence[tuple[str, str]] = (),
        timeout: Timeout | None = None,
        kind: CallKind = "read",
    ) -> requests.Response:
        return self._transport.request(
            "GET", path, route=route, kind=kind, params=params, timeout=timeout
        )

    def get_notification_by_id(
        self, notification_id: IdLike, *, timeout: Timeout | None = None
    ) -> Notification:
        """One notification; its ``type`` says whether it is an SMS, an email or a letter."""
        path = f"/v2/notifications/{_path_id(notification_id, 'notification_id')}"
        response = self._get(path, "/v2/notifications/{id}", timeout=timeout)
        return _parse_adapter(NOTIFICATION_ADAPTER, "Notification", response)

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
        filters = NotificationFilters(
            status=status,
            template_type=template_type,
            reference=reference,
            older_than=older_than,
            include_jobs=include_jobs,
        )
        return self._notifications_page(filters, timeout)

    def _notifications_page(
        self, filters: NotificationFilters, timeout: Timeout | None
    ) -> NotificationList:
        response = self._get("/v2/notifications", "/v2/notifications", filters.to_params(), timeout)
        return _parse(NotificationList, response)

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
        The filters (``include_jobs`` too) apply to every page."""
        filters = NotificationFilters(
            status=status,
            template_type=template_type,
            reference=reference,
            older_than=older_than,
            include_jobs=include_jobs,
        )
        return self._iterate_notifications(filters, timeout)

    def _iterate_notifications(
        self, filters: NotificationFilters, timeout: Timeout | None
    ) -> Iterator[Notification]:
        def page(cursor: str | None) -> tuple[list[Notification], Links]:
            page_filters = filters
            if cursor is not None:
                page_filters = filters.model_copy(update={"older_than": uuid.UUID(cursor)})
            result = self._notifications_page(page_filters, timeout)
            return result.notifications, result.links

        return _follow_pages(page)

    def get_pdf_for_letter(
        self, notification_id: IdLike, *, timeout: Timeout | None = None
    ) -> io.BytesIO:
        """The PDF of a letter. ``PDFNotReadyError`` means: try again in a few seconds."""
        path = f"/v2/notifications/{_path_id(notification_id, 'notification_id')}/pdf"
        response = self._get(path, "/v2/notifications/{id}/pdf", timeout=timeout)
        if not response.content.startswith(b"%PDF"):
            raise _invalid(response, "the letter's PDF does not start with %PDF")
        return io.BytesIO(response.content)

    # --- templates ------------------------------------------------------------------------------

    def get_template(self, template_id: IdLike, *, timeout: Timeout | None = None) -> Template:
        """The latest version of a template."""
        path = f"/v2/template/{_path_id(template_id, 'template_id')}"
        return _parse(Template, self._get(path, "/v2/template/{id}", timeout=timeout))

    def get_template_version(
        self, template_id: IdLike, version: int, *, timeout: Timeout | None = None
    ) -> Template:
        """One version of a template (versions start at 1)."""
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise _argument_error("version", "must be a whole number of 1 or more")
        path = f"/v2/template/{_path_id(template_id, 'template_id')}/version/{version}"
        response = self._get(path, "/v2/template/{id}/version/{version}", timeout=timeout)
        return _parse(Template, response)

    def get_all_templates(
        self, template_type: str | TemplateType | None = None, *, timeout: Timeout | None = None
    ) -> TemplateList:
        """The latest version of every template, or of every template of one type."""
        params: list[tuple[str, str]] = []
        if template_type is not None:
            try:
                params.append(("type", TemplateType(template_type).value))
            except ValueError:
                raise _argument_error(
                    "template_type", "must be one of sms, email, letter"
                ) from None
        return _parse(TemplateList, self._get("/v2/templates", "/v2/templates", params, timeout))

    def post_template_preview(
        self,
        template_id: IdLike,
        personalisation: Mapping[str, Any] | None,
        *,
        timeout: Timeout | None = None,
    ) -> TemplatePreview:
        """A template with this personalisation filled in (nothing is sent)."""
        path = f"/v2/template/{_path_id(template_id, 'template_id')}/preview"
        if personalisation is not None and not isinstance(personalisation, Mapping):
            raise _argument_error("personalisation", "must be a dict of placeholder values")
        body = _dumps({} if personalisation is None else {"personalisation": personalisation})
        response = self._transport.request(
            "POST",
            path,
            route="/v2/template/{id}/preview",
            kind="read",
            body=body,
            timeout=timeout,
        )
        return _parse(TemplatePreview, response)

    # --- received text messages -----------------------------------------------------------------

    def get_received_texts(
        self, older_than: IdLike | None = None, *, timeout: Timeout | None = None
    ) -> ReceivedTextList:
        """One page of up to 250 received text messages, newest first."""
        params: list[tuple[str, str]] = []
        if older_than is not None:
            params.append(("older_than", _path_id(older_than, "older_than")))
        response = self._get(
            "/v2/received-text-messages", "/v2/received-text-messages", params, timeout
        )
        return _parse(ReceivedTextList, response)

    def get_received_texts_iterator(
        self, older_than: IdLike | None = None, *, timeout: Timeout | None = None
    ) -> Iterator[ReceivedText]:
        """Every received text message, newest first, page after page."""
        first = None if older_than is None else _path_id(older_than, "older_than")

        def page(cursor: str | None) -> tuple[list[ReceivedText], Links]:
            result = self.get_received_texts(first if cursor is None else cursor, timeout=timeout)
            return result.received_text_messages, result.links

        return _follow_pages(page)

    # --- sending in bulk ------------------------------------------------------------------------

    @overload
    def send_many(
        self,
        requests: Iterable[SmsRequest],
        *,
        workers: int = 10,
        rate_per_minute: float = 3000,
        on_progress: Callable[[BulkProgress], object] | None = None,
    ) -> list[BulkResult[SmsResponse]]: ...
    @overload
    def send_many(
        self,
        requests: Iterable[EmailRequest],
        *,
        workers: int = 10,
        rate_per_minute: float = 3000,
        on_progress: Callable[[BulkProgress], object] | None = None,
    ) -> list[BulkResult[EmailResponse]]: ...
    @overload
    def send_many(
        self,
        requests: Iterable[LetterRequest],
        *,
        workers: int = 10,
        rate_per_minute: float = 3000,
        on_progress: Callable[[BulkProgress], object] | None = None,
    ) -> list[BulkResult[LetterResponse]]: ...
    @overload
    def send_many(
        self,
        requests: Iterable[PrecompiledLetterRequest],
        *,
        workers: int = 10,
        rate_per_minute: float = 3000,
        on_progress: Callable[[BulkProgress], object] | None = None,
    ) -> list[BulkResult[PrecompiledLetterResponse]]: ...
    @overload
    def send_many(
        self,
        requests: Iterable[AnyRequest],
        *,
        workers: int = 10,
        rate_per_minute: float = 3000,
        on_progress: Callable[[BulkProgress], object] | None = None,
    ) -> list[BulkResult[AnyResponse]]: ...
    def send_many(
        self,
        requests: Iterable[AnyRequest],
        *,
        workers: int = 10,
        rate_per_minute: float = 3000,
        on_progress: Callable[[BulkProgress], object] | None = None,
    ) -> list[BulkResult[Any]]:
        """Send many request models (any mix of SMS, email and letters) concurrently, at the
        rate limit, and return one result per request in input order.

        ``workers`` threads send at once, paced by a token bucket shaped like the server's for
        ``rate_per_minute`` (the service's limit). A 429 ``RateLimitError`` is waited out and
        retried. Each result is a ``Sent`` (with ``.response``), a ``Failed`` (nothing was sent)
        or an ``Unknown`` (may have been sent: look it up by reference). ``on_progress`` gets a
        ``BulkProgress`` now and then. Ctrl-C raises ``BulkInterrupted`` with the partial
        results once the sends in flight have finished. See :mod:`govuk_notify.bulk`.
        """
        from .bulk import send_many

        return send_many(
            self,
            requests,
            workers=workers,
            rate_per_minute=rate_per_minute,
            on_progress=on_progress,
        )
