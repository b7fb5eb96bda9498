"""The Notify v2 API as the sandbox serves it: routes, checks in the server's order, responses.

Nothing here knows about sockets: :meth:`NotifyApi.handle` turns a :class:`Request` into a
:class:`Response`. :mod:`govuk_notify.sandbox.server` puts it on HTTP.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import json
import math
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol
from urllib.parse import unquote, urlencode

import phonenumbers

from ..validation import (
    InvalidEmailAddressError,
    InvalidPhoneNumberError,
    InvalidPostalAddressError,
    ParsedPhoneNumber,
    find_placeholders,
    missing_personalisation,
    normalise_key,
    parse_phone_number,
    validate_email_address,
    validate_postal_address,
)
from ..validation.files import (
    ALLOWED_FILE_EXTENSIONS,
    MAX_DOCUMENT_SIZE,
    MAX_FILENAME_LENGTH,
    retention_weeks,
    unsupported_file_type_message,
)
from . import rendering
from .auth import AuthenticationError, KeyRecord, ServiceAuth, authenticate
from .config import PRECOMPILED_TEMPLATE_ID, ServiceSettings
from .countries import country_zone
from .lifecycle import (
    Lifecycle,
    Steps,
    failure_for_email,
    failure_for_phone,
    is_simulated_email,
    is_simulated_phone,
)
from .limits import DailyLimits, TokenBuckets, daily_limit_message, rate_limit_message
from .pdf import letter_pdf
from .schemas import (
    NOTIFICATION_STATUSES,
    is_valid_uuid,
    validate_email_request,
    validate_file_object,
    validate_letter_request,
    validate_notifications_query,
    validate_precompiled_request,
    validate_preview_request,
    validate_received_texts_query,
    validate_sms_request,
    validate_templates_query,
)
from .store import (
    NewNotification,
    Store,
    StoredDocument,
    StoredNotification,
    StoredReceivedText,
    TemplateVersion,
)

__all__ = [
    "API_PAGE_SIZE",
    "COMPLETED_STATUSES",
    "LETTER_RATES",
    "SMS_RATE",
    "ApiListener",
    "NotifyApi",
    "Request",
    "Response",
    "format_timestamp",
    "letter_status_for_output",
]

API_PAGE_SIZE: Final = 250
SMS_RATE: Final = 0.0227
"""Pounds per SMS fragment (illustrative; Notify's real rate changes every April)."""
LETTER_RATES: Final[Mapping[str, float]] = {
    "economy": 0.59,
    "second": 0.68,
    "first": 1.58,
    "europe": 1.88,
    "rest-of-world": 1.88,
}
"""Pounds for one sheet by postage (illustrative); each further sheet adds ``LETTER_SHEET_RATE``."""
LETTER_SHEET_RATE: Final = 0.06
EMAIL_MAX_BYTES: Final = 2_000_000
QR_CODE_MAX_BYTES: Final = 504
_MIME_BY_EXTENSION: Final[Mapping[str, str]] = {
    "pdf": "application/pdf",
    "csv": "text/csv",
    "txt": "text/plain",
    "json": "application/json",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "rtf": "text/rtf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
_ALLOWED_MIME_TYPES: Final = frozenset({*_MIME_BY_EXTENSION.values(), "application/rtf"})
_ZIP_BASED: Final = frozenset({"docx", "xlsx", "odt"})

COMPLETED_STATUSES: Final = frozenset(
    {
        "sent",
        "delivered",
        "failed",
        "technical-failure",
        "temporary-failure",
        "permanent-failure",
        "returned-letter",
        "cancelled",
        "validation-failed",
    }
)
_LETTER_NEVER_SENT: Final = frozenset(
    {"cancelled", "technical-failure", "validation-failed", "virus-scan-failed"}
)
_FAILED_ALIAS: Final = (
    "technical-failure",
    "temporary-failure",
    "permanent-failure",
    "validation-failed",
    "virus-scan-failed",
    "returned-letter",
)
_REAL_STATUSES: Final = frozenset(NOTIFICATION_STATUSES) - {"failed"}
_DELIVERY_DAYS: Final[Mapping[str, int]] = {
    "first": 1,
    "second": 2,
    "economy": 4,
    "europe": 3,
    "rest-of-world": 5,
}
_QR_LINE: Final = re.compile(r"^qr:\s*(.*)$", re.IGNORECASE | re.MULTILINE)
_NOT_FOUND_MESSAGE: Final = (
    "The requested URL was not found on the server. If you entered the URL manually please "
    "check your spelling and try again."
)
_TRIAL_MODE_MESSAGE: Final = (
    "Can\u2019t send to this recipient when service is in trial mode \u2013 see "
    "https://www.notifications.service.gov.uk/trial-mode"
)
_TEAM_KEY_MESSAGE: Final = "Can\u2019t send to this recipient using a team-only API key"
_SERVICE_NOT_ALLOWED: Final[Mapping[str, str]] = {
    "sms": "Service is not allowed to send text messages",
    "email": "Service is not allowed to send emails",
    "letter": "Service is not allowed to send letters",
}


def format_timestamp(at_us: int) -> str:
    """``%Y-%m-%dT%H:%M:%S.%fZ`` in UTC, as every Notify timestamp."""
    moment = dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=at_us)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def letter_status_for_output(status: str) -> str:
    """Letters show ``created``/``sending`` as ``accepted``, ``delivered``/``returned-letter``
    as ``received``."""
    if status in ("created", "sending"):
        return "accepted"
    if status in ("delivered", "returned-letter"):
        return "received"
    return status


# --- requests, responses and errors ---------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: Sequence[tuple[str, str]]
    body: bytes
    host_url: str
    """``http://host:port``, no trailing slash."""
    authorization: str | None = None


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def json(cls, status: int, data: Any) -> Response:
        return cls(status, json.dumps(data).encode())


class V2Error(Exception):
    """An error answered in the v2 shape ``{"status_code", "errors": [...]}``."""

    def __init__(self, status: int, errors: Sequence[Mapping[str, Any]]) -> None:
        super().__init__(status)
        self.status = status
        self.errors = [dict(item) for item in errors]

    def response(self) -> Response:
        return Response.json(self.status, {"status_code": self.status, "errors": self.errors})


class LegacyError(Exception):
    """An error answered in the app-level shape ``{"result": "error", "message"}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(status)
        self.status = status
        self.message = message

    def response(self) -> Response:
        return Response.json(self.status, {"result": "error", "message": self.message})


def _error(status: int, name: str, message: str) -> V2Error:
    return V2Error(status, [{"error": name, "message": message}])


def _bad_request(message: str, status: int = 400) -> V2Error:
    return _error(status, "BadRequestError", message)


def _validation(messages: Sequence[str]) -> V2Error:
    return V2Error(400, [{"error": "ValidationError", "message": m} for m in messages])


def _not_found() -> V2Error:
    return _error(404, "NoResultFound", "No result found")


def _parse_json(body: bytes, *, empty_ok: bool) -> Any:
    if not body.strip():
        if empty_ok:
            return {}
        raise _bad_request("Invalid JSON supplied in POST data")
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise _bad_request("Invalid JSON supplied in POST data") from None
    return parsed if parsed else {}


def _query_lists(query: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in query:
        out.setdefault(key, []).append(value)
    return out


def _query_url(host: str, path: str, params: Sequence[tuple[str, str]]) -> str:
    url = f"{host}{path}"
    if params:
        url += "?" + urlencode(list(params), safe="!$'()*,/:;?@")
    return url


def _sniff_mime(content: bytes) -> str:
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"{\\rtf"):
        return "text/rtf"
    if content.startswith(b"PK\x03\x04"):
        return "application/zip"
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/msword"
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    if "\x00" in text:
        return "application/octet-stream"
    try:
        json.loads(text)
    except ValueError:
        return "text/plain"
    return "application/json" if text.lstrip()[:1] in ("{", "[") else "text/plain"


def _unsupported_file_type(what: str) -> V2Error:
    return _bad_request(unsupported_file_type_message(what))


def _estimated_delivery(created_at: int, postage: str) -> str:
    created = dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=created_at)
    day = created.date()
    if created.time() >= dt.time(17, 30) or day.weekday() >= 5:
        day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    remaining = _DELIVERY_DAYS.get(postage, 2)
    while remaining:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    delivery = dt.datetime.combine(day, dt.time(16, 0))
    return format_timestamp(int((delivery - dt.datetime(1970, 1, 1)).total_seconds()) * 1_000_000)


def _letter_cost(sheets: int, postage: str) -> float:
    base = LETTER_RATES.get(postage, LETTER_RATES["second"])
    return round(base + LETTER_SHEET_RATE * max(sheets - 1, 0), 2)


def _rate_multiplier(parsed: ParsedPhoneNumber) -> float:
    """1 for Great Britain, 2 for the crown dependencies and (illustratively) abroad."""
    if not parsed.is_uk:
        return 2.0
    number = phonenumbers.parse("+" + parsed.normalised)
    return 1.0 if phonenumbers.region_code_for_number(number) in ("GB", None) else 2.0


def _address_value(personalisation: Mapping[str, Any], wanted: str) -> str | None:
    """A raw address value, looked up ignoring case, spaces, ``_`` and ``-`` (later keys win)."""
    found: Any = None
    for key, value in personalisation.items():
        if normalise_key(key) == wanted:
            found = value
    if found is None:
        return None
    return found if isinstance(found, str) else str(found)


@dataclass(frozen=True)
class _Ctx:
    host: str
    key: KeyRecord


_Handler = Callable[["NotifyApi", Request, "_Ctx | None", Mapping[str, str]], Response]


class ApiListener(Protocol):
    """Told what the API stored, after the store's transaction (so never under its lock).

    Each method must return quickly: it runs on the thread that handles the request.
    """

    def notification_stored(self, notification: StoredNotification) -> None: ...

    def status_changed(self, notification_id: str) -> None: ...

    def received_text_stored(self, text: StoredReceivedText) -> None: ...


class NotifyApi:
    """The sandbox's API: one service, its keys and templates, its notifications."""

    def __init__(
        self,
        *,
        store: Store,
        service_id: str,
        settings: ServiceSettings,
        lifecycle: Lifecycle,
        rate_limit: int,
        daily_limits: DailyLimits,
        clock: Callable[[], float] = time.time,
        listener: ApiListener | None = None,
    ) -> None:
        self.store = store
        self.service_id = service_id
        self.settings = settings
        self.lifecycle = lifecycle
        self.buckets = TokenBuckets(rate_limit=rate_limit)
        self.daily_limits = daily_limits
        self.clock = clock
        self.listener = listener
        self._keys_lock = threading.Lock()
        self._keys: list[KeyRecord] | None = None

    # --- configuration that may change while running -------------------------------------------

    @property
    def rate_limit(self) -> int:
        return self.buckets.rate_limit

    def set_rate_limit(self, rate_limit: int) -> None:
        self.buckets = TokenBuckets(rate_limit=rate_limit)

    def keys_changed(self) -> None:
        with self._keys_lock:
            self._keys = None

    def _service_auth(self, service_id: str) -> ServiceAuth | None:
        if service_id != self.service_id:
            return None
        with self._keys_lock:
            if self._keys is None:
                self._keys = self.store.api_keys()
            keys = list(self._keys)
        return ServiceAuth(self.service_id, self.settings.active, keys)

    # --- entry point ---------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        try:
            handler, params, authenticated = self._route(request)
            ctx: _Ctx | None = None
            if authenticated:
                _, key = authenticate(request.authorization, self._service_auth, clock=self.clock)
                ctx = _Ctx(request.host_url, key)
            return handler(self, request, ctx, params)
        except AuthenticationError as failure:
            return _error(failure.status_code, "AuthError", failure.message).response()
        except (V2Error, LegacyError) as err:
            return err.response()
        except rendering.ContentSanitisationError:
            return _error(500, "TypeError", "Internal server error").response()

    def _route(self, request: Request) -> tuple[_Handler, dict[str, str], bool]:
        path = request.path
        method = "GET" if request.method == "HEAD" else request.method
        for pattern, methods, authenticated in _ROUTES:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            if method not in methods:
                raise LegacyError(405, "The method is not allowed for the requested URL.")
            params = {name: unquote(value) for name, value in match.groupdict().items()}
            return methods[method], params, authenticated
        raise LegacyError(404, _NOT_FOUND_MESSAGE)

    # --- limits --------------------------------------------------------------------------------

    def _check_rate_limits(self, key: KeyRecord, kind: str | None) -> None:
        if not self.buckets.take(self.service_id, key.key_type):
            raise _error(429, "RateLimitError", rate_limit_message(key.key_type, self.rate_limit))
        if kind is not None and key.key_type != "test":
            limit = self.daily_limits.limit_for(kind)
            if self.store.daily_count(kind) + 1 > limit:
                raise _error(429, "TooManyRequestsError", daily_limit_message(kind, limit))

    # --- templates -----------------------------------------------------------------------------

    def _template(self, template_id: str, version: int | None = None) -> TemplateVersion | None:
        if template_id == PRECOMPILED_TEMPLATE_ID:
            return None
        versions = self.store.template_versions(template_id)
        if not versions:
            return None
        if version:
            return next((v for v in versions if v.version == version), None)
        return versions[-1]

    def _template_for_send(self, template_id: str, kind: str) -> TemplateVersion:
        template = self._template(str(uuid.UUID(template_id)))
        if template is None:
            raise _bad_request("Template not found")
        if template.type != kind:
            raise _bad_request(f"{template.type} template is not suitable for {kind} notification")
        if template.archived:
            raise _bad_request("Template has been deleted")
        return template

    @staticmethod
    def _texts(template: TemplateVersion) -> list[str | None]:
        if template.type == "letter":
            return [template.letter_contact_block, template.subject, template.body]
        if template.type == "email":
            return [template.subject, template.body]
        return [template.body]

    def _check_personalisation(
        self, template: TemplateVersion, personalisation: Mapping[str, Any]
    ) -> None:
        missing = missing_personalisation(self._texts(template), personalisation)
        if missing:
            raise _bad_request(f"Missing personalisation: {', '.join(missing)}")

    def template_json(self, template: TemplateVersion) -> dict[str, Any]:
        placeholders = find_placeholders(*self._texts(template))
        return {
            "id": template.id,
            "type": template.type,
            "created_at": format_timestamp(template.created_at),
            "updated_at": (
                format_timestamp(template.version_created_at) if template.version > 1 else None
            ),
            "created_by": template.created_by,
            "version": template.version,
            "body": template.body,
            "subject": template.subject if template.type != "sms" else None,
            "name": template.name,
            "personalisation": {p.name: {"required": True} for p in placeholders},
            "postage": template.postage if template.type == "letter" else None,
            "letter_contact_block": (
                template.letter_contact_block if template.type == "letter" else None
            ),
        }

    # --- recipients ----------------------------------------------------------------------------

    def _allowed_to_send_to(self, key: KeyRecord, recipient: str, kind: str) -> None:
        if key.key_type == "test":
            return
        if key.key_type == "normal" and not self.settings.restricted:
            return
        if self._is_team_member(recipient, kind):
            return
        raise _bad_request(_TEAM_KEY_MESSAGE if key.key_type == "team" else _TRIAL_MODE_MESSAGE)

    def _is_team_member(self, recipient: str, kind: str) -> bool:
        if kind == "email":
            wanted = recipient.strip().lower()
            return any(member.strip().lower() == wanted for member in self.settings.team_members)
        try:
            wanted = parse_phone_number(recipient).normalised
        except InvalidPhoneNumberError:
            return False
        for member in self.settings.team_members:
            try:
                if parse_phone_number(member).normalised == wanted:
                    return True
            except InvalidPhoneNumberError:
                continue
        return False

    def _require_permission(self, kind: str) -> None:
        if kind not in self.settings.permissions:
            raise _bad_request(_SERVICE_NOT_ALLOWED[kind])

    @staticmethod
    def _reject_files(personalisation: Mapping[str, Any]) -> None:
        if any(isinstance(v, dict) and "file" in v for v in personalisation.values()):
            raise _bad_request("Can only send a file by email")

    # --- POST /v2/notifications/<type> ---------------------------------------------------------

    def _post_notification(
        self, request: Request, ctx: _Ctx | None, params: Mapping[str, str]
    ) -> Response:
        assert ctx is not None
        kind = params["segment"]
        if kind not in ("sms", "email", "letter"):
            self._check_rate_limits(ctx.key, None)
            raise LegacyError(404, _NOT_FOUND_MESSAGE)
        self._check_rate_limits(ctx.key, kind)
        body = _parse_json(request.body, empty_ok=False)
        if kind == "letter":
            if isinstance(body, dict) and "content" in body:
                return self._send_precompiled(ctx, body)
            self._check_rate_limits(ctx.key, kind)
            return self._send_letter(ctx, body)
        if kind == "sms":
            return self._send_sms(ctx, body)
        return self._send_email(ctx, body)

    def _notification_uri(self, ctx: _Ctx, notification_id: str) -> str:
        return f"{ctx.host}/v2/notifications/{notification_id}"

    def _template_ref(self, ctx: _Ctx, template: TemplateVersion) -> dict[str, Any]:
        return {
            "id": template.id,
            "version": template.version,
            "uri": f"{ctx.host}/services/{self.service_id}/templates/{template.id}",
        }

    def _count_as(self, key: KeyRecord, *kinds: str) -> list[str]:
        return [] if key.key_type == "test" else list(kinds)

    def _send_sms(self, ctx: _Ctx, body: Any) -> Response:
        errors = validate_sms_request(body)
        if errors:
            raise _validation(errors)
        self._require_permission("sms")
        template = self._template_for_send(body["template_id"], "sms")
        personalisation: dict[str, Any] = body.get("personalisation") or {}
        self._check_personalisation(template, personalisation)
        content = rendering.sms_body(template.body, personalisation)
        if not content:
            raise _bad_request("Your message is empty.")
        self._reject_files(personalisation)

        sender = self.settings.default_sms_sender
        if "sms_sender_id" in body:
            sender_id = str(uuid.UUID(body["sms_sender_id"]))
            if sender_id not in self.settings.sms_senders:
                raise _bad_request(
                    f"sms_sender_id {body['sms_sender_id']} does not exist in database for "
                    f"service id {self.service_id}"
                )
            sender = self.settings.sms_senders[sender_id]
        with contextlib.suppress(InvalidPhoneNumberError):
            sender = parse_phone_number(sender).normalised

        phone_number: str = body["phone_number"].strip()
        self._allowed_to_send_to(ctx.key, phone_number, "sms")
        parsed = parse_phone_number(phone_number)
        if not parsed.is_uk and "international_sms" not in self.settings.permissions:
            raise _bad_request("Cannot send to international mobile numbers")
        if parsed.is_uk_landline and "sms_to_uk_landlines" not in self.settings.permissions:
            raise _error(400, "InvalidPhoneError", "Not a UK mobile number")
        if not parsed.is_uk and ctx.key.key_type != "test":
            limit = self.daily_limits.international_sms
            if self.store.daily_count("international_sms") + 1 > limit:
                raise _error(
                    429, "TooManyRequestsError", daily_limit_message("international_sms", limit)
                )
        if len(content) > rendering.SMS_CHAR_COUNT_LIMIT:
            raise _bad_request(
                "Your message is too long. Text messages cannot be longer than "
                f"{rendering.SMS_CHAR_COUNT_LIMIT} characters. "
                f"Your message is {len(content)} characters long."
            )

        notification_id = str(uuid.uuid4())
        reference = body.get("reference")
        if not is_simulated_phone(parsed.normalised):
            steps = self.lifecycle.message(failure_for_phone(parsed.normalised))
            kinds = ["sms"] if parsed.is_uk else ["sms", "international_sms"]
            self._store(
                NewNotification(
                    id=notification_id,
                    key_type=ctx.key.key_type,
                    api_key_id=ctx.key.id,
                    type="sms",
                    template_id=template.id,
                    template_version=template.version,
                    recipient=phone_number,
                    normalised_to=parsed.normalised,
                    reference=reference,
                    body=content,
                    subject=None,
                    personalisation=personalisation,
                    sender=sender,
                    billable_units=rendering.sms_fragment_count(content),
                    rate_multiplier=_rate_multiplier(parsed),
                    count_as=self._count_as(ctx.key, *kinds),
                ),
                steps,
            )
        return Response.json(
            201,
            {
                "id": notification_id,
                "reference": reference,
                "content": {"body": content, "from_number": sender},
                "uri": self._notification_uri(ctx, notification_id),
                "template": self._template_ref(ctx, template),
                "scheduled_for": None,
            },
        )

    def _send_email(self, ctx: _Ctx, body: Any) -> Response:
        errors = validate_email_request(body)
        if errors:
            raise _validation(errors)
        self._require_permission("email")
        personalisation, sanitised = rendering.sanitise_content_for(
            body.get("sanitise_content_for"), body.get("personalisation") or {}
        )
        template = self._template_for_send(body["template_id"], "email")
        self._check_personalisation(template, personalisation)
        if not rendering.email_body(template.body, personalisation):
            raise _bad_request("Your message is empty.")

        reply_to: str | None = next(iter(self.settings.email_reply_to.values()), None)
        if "email_reply_to_id" in body:
            reply_to_id = str(uuid.UUID(body["email_reply_to_id"]))
            if reply_to_id not in self.settings.email_reply_to:
                raise _bad_request(
                    f"email_reply_to_id {body['email_reply_to_id']} does not exist in database "
                    f"for service id {self.service_id}"
                )
            reply_to = self.settings.email_reply_to[reply_to_id]

        email_address: str = body["email_address"].strip()
        self._allowed_to_send_to(ctx.key, email_address, "email")
        simulated = is_simulated_email(email_address)
        notification_id = str(uuid.uuid4())
        personalisation, documents = self._process_files(
            ctx, notification_id, personalisation, simulated
        )
        content = rendering.email_body(template.body, personalisation)
        size = len(content.encode("utf-8"))
        if size > EMAIL_MAX_BYTES:
            raise _bad_request(
                "Your message is too long. Emails cannot be longer than "
                f"{EMAIL_MAX_BYTES} bytes. Your message is {size} bytes."
            )
        subject = rendering.email_subject(template.subject or "", personalisation)
        reference = body.get("reference")
        unsubscribe = body.get("one_click_unsubscribe_url")
        if not simulated:
            self._store(
                NewNotification(
                    id=notification_id,
                    key_type=ctx.key.key_type,
                    api_key_id=ctx.key.id,
                    type="email",
                    template_id=template.id,
                    template_version=template.version,
                    recipient=email_address,
                    normalised_to=validate_email_address(email_address).lower(),
                    reference=reference,
                    body=content,
                    subject=subject,
                    personalisation=personalisation,
                    one_click_unsubscribe_url=unsubscribe,
                    sender=reply_to,
                    documents=documents,
                    count_as=self._count_as(ctx.key, "email"),
                ),
                self.lifecycle.message(failure_for_email(email_address)),
            )
        return Response.json(
            201,
            {
                "id": notification_id,
                "reference": reference,
                "uri": self._notification_uri(ctx, notification_id),
                "template": self._template_ref(ctx, template),
                "scheduled_for": None,
                "content": {
                    "from_email": self.settings.from_email,
                    "body": content,
                    "subject": subject,
                    "one_click_unsubscribe_url": unsubscribe,
                },
                "sanitised_content": sanitised,
            },
        )

    def _process_files(
        self,
        ctx: _Ctx,
        notification_id: str,
        personalisation: dict[str, Any],
        simulated: bool,
    ) -> tuple[dict[str, Any], list[StoredDocument]]:
        file_keys = [
            key for key, value in personalisation.items()
            if isinstance(value, dict) and "file" in value
        ]  # fmt: skip
        if not file_keys:
            return personalisation, []
        for key in file_keys:
            messages = validate_file_object(personalisation[key])
            if messages:
                raise _bad_request(messages[0])
        if not self.settings.contact_link:
            raise _bad_request(
                "Send files by email has not been set up - add contact details for your service "
                f"at {self.settings.admin_url}/services/{self.service_id}"
                "/service-settings/send-files-by-email"
            )
        result = dict(personalisation)
        documents: list[StoredDocument] = []
        for key in file_keys:
            if simulated:
                result[key] = f"{ctx.host}/sandbox/documents/test-document"
                continue
            document = self._upload_document(ctx, notification_id, key, personalisation[key])
            documents.append(document)
            result[key] = document.url
        return result, documents

    def _upload_document(
        self, ctx: _Ctx, notification_id: str, key: str, spec: Mapping[str, Any]
    ) -> StoredDocument:
        try:
            content = base64.b64decode(spec["file"])
        except (binascii.Error, ValueError):
            raise _bad_request("Document is not base64 encoded") from None
        if not content:
            raise _bad_request("Document must not be empty")
        if len(content) > MAX_DOCUMENT_SIZE:
            raise _bad_request("Uploaded file exceeds file size limit")
        filename: str | None = spec.get("filename")
        sniffed = _sniff_mime(content)
        if filename is not None:
            if len(filename) > MAX_FILENAME_LENGTH:
                raise _bad_request("`filename` cannot be longer than 100 characters")
            extension = filename.rsplit(".", 1)[-1].lower()
            if extension not in ALLOWED_FILE_EXTENSIONS:
                raise _unsupported_file_type(f".{extension}")
            mime = _MIME_BY_EXTENSION[extension]
            # libmagic calls Office and OpenDocument files zip archives; the sniffer here too
            zip_document = sniffed == "application/zip" and extension in _ZIP_BASED
            if sniffed != mime and sniffed not in _ALLOWED_MIME_TYPES and not zip_document:
                raise _unsupported_file_type(sniffed)
        else:
            mime = sniffed
            if mime == "text/plain" and spec.get("is_csv") is True:
                mime = "text/csv"
            if mime not in _ALLOWED_MIME_TYPES:
                raise _unsupported_file_type(mime)
        # The schema check has already refused any other retention period.
        number = retention_weeks(spec.get("retention_period") or "26 weeks")
        confirm = spec.get("confirm_email_before_download")
        document_id = str(uuid.uuid4())
        return StoredDocument(
            id=document_id,
            notification_id=notification_id,
            personalisation_key=key,
            filename=filename,
            mime_type=mime,
            content=content,
            retention_period=f"{number} weeks",
            confirm_email_before_download=confirm is not False,
            url=f"{ctx.host}/sandbox/documents/{document_id}",
            created_at=self.store.now(),
        )

    def _check_qr_codes(
        self, template: TemplateVersion, personalisation: Mapping[str, Any]
    ) -> None:
        rendered = rendering.letter_body(template.body, personalisation)
        for match in _QR_LINE.finditer(rendered):
            data = match.group(1).strip()
            size = len(data.encode("utf-8"))
            if size > QR_CODE_MAX_BYTES:
                raise V2Error(
                    400,
                    [
                        {
                            "error": "ValidationError",
                            "message": "Cannot create a usable QR code - the link is too long",
                            "data": data,
                            "num_bytes": size,
                            "max_bytes": QR_CODE_MAX_BYTES,
                        }
                    ],
                )

    def _check_can_send_letters(self, key: KeyRecord) -> None:
        if key.key_type == "team":
            raise _bad_request("Cannot send letters with a team api key", 403)
        if self.settings.restricted and key.key_type != "test":
            raise _bad_request("Cannot send letters when service is in trial mode", 403)

    def letter_postage_zone(self, personalisation: Mapping[str, Any]) -> tuple[list[str], str]:
        """Validate the address; return its lines and its zone (``united-kingdom``, ``europe``
        or ``rest-of-world``). Raises :class:`V2Error` with the server's message."""
        try:
            address = validate_postal_address(personalisation)
        except InvalidPostalAddressError as err:
            raise _validation([str(err)]) from None
        lines = list(address.lines)
        if (
            address.may_be_international
            and address.postcode is None
            and address.bfpo_number is None
        ):
            zone = country_zone(lines[-1])
            international_allowed = "international_letters" in self.settings.permissions
            if zone is None or not international_allowed:
                raise _validation(
                    [
                        "Last line of address must be a real UK postcode or another country"
                        if international_allowed
                        else "Must be a real UK postcode"
                    ]
                )
            return lines, zone
        return lines, "united-kingdom"

    def _send_letter(self, ctx: _Ctx, body: Any) -> Response:
        errors = validate_letter_request(body)
        if errors:
            raise _validation(errors)
        self._require_permission("letter")
        template = self._template_for_send(body["template_id"], "letter")
        personalisation: dict[str, Any] = body["personalisation"]
        self._check_qr_codes(template, personalisation)
        self._check_personalisation(template, personalisation)
        content = rendering.letter_body(template.body, personalisation)
        if not content:
            raise _bad_request("Your message is empty.")
        self._reject_files(personalisation)
        self._check_can_send_letters(ctx.key)
        lines, zone = self.letter_postage_zone(personalisation)
        postage = (template.postage or "second") if zone == "united-kingdom" else zone
        subject = rendering.letter_subject(template.subject or "", personalisation)

        notification_id = str(uuid.uuid4())
        pdf, pages = letter_pdf(
            address_lines=lines,
            body=content,
            subject=rendering.letter_body(template.subject or "", personalisation),
            contact_block=(
                rendering.letter_body(template.letter_contact_block, personalisation)
                if template.letter_contact_block
                else None
            ),
        )
        reference = body.get("reference")
        self._store(
            NewNotification(
                id=notification_id,
                key_type=ctx.key.key_type,
                api_key_id=ctx.key.id,
                type="letter",
                template_id=template.id,
                template_version=template.version,
                recipient=lines[0] if lines else None,
                normalised_to=None,
                reference=reference,
                body=content,
                subject=subject,
                personalisation=personalisation,
                postage=postage,
                billable_units=math.ceil(pages / 2),
                pdf=pdf,
                count_as=self._count_as(ctx.key, "letter"),
            ),
            self.lifecycle.letter(pages, test_key=ctx.key.key_type == "test"),
        )
        return Response.json(
            201,
            {
                "id": notification_id,
                "reference": reference,
                "uri": self._notification_uri(ctx, notification_id),
                "template": self._template_ref(ctx, template),
                "content": {"body": content, "subject": subject},
                "scheduled_for": None,
            },
        )

    def _send_precompiled(self, ctx: _Ctx, body: dict[str, Any]) -> Response:
        errors = validate_precompiled_request(body)
        if errors:
            raise _validation(errors)
        self._require_permission("letter")
        self._check_can_send_letters(ctx.key)
        try:
            content = base64.b64decode(body["content"])
        except (binascii.Error, ValueError):
            raise _bad_request("Cannot decode letter content (invalid base64 encoding)") from None
        postage = body.get("postage") or "second"
        notification_id = str(uuid.uuid4())
        steps = self.lifecycle.precompiled_letter(content)
        self._store(
            NewNotification(
                id=notification_id,
                key_type=ctx.key.key_type,
                api_key_id=ctx.key.id,
                type="letter",
                template_id=PRECOMPILED_TEMPLATE_ID,
                template_version=1,
                recipient="Provided as PDF",
                normalised_to=None,
                reference=body["reference"],
                body="",
                subject="Pre-compiled PDF",
                personalisation={"address_line_1": "Provided as PDF"},
                postage=postage,
                precompiled=True,
                billable_units=1,
                pdf=content,
                count_as=self._count_as(ctx.key, "letter"),
            ),
            steps,
        )
        return Response.json(
            201, {"id": notification_id, "reference": body["reference"], "postage": postage}
        )

    def _store(self, new: NewNotification, steps: Steps) -> StoredNotification:
        new.first_status = steps.first
        new.later_steps = steps.later
        new.sent_step = steps.sent_step
        stored = self.store.insert_notification(new)
        if self.listener is not None:
            self.listener.notification_stored(stored)
        return stored

    # --- jobs (CSV batches), for include_jobs ----------------------------------------------------

    def create_job(
        self, template_id: str, rows: Sequence[Mapping[str, Any]], reference: str | None = None
    ) -> tuple[str, list[str]]:
        """Store one notification per row as a live-key CSV job; return the job id and the ids.

        Each row is the personalisation of one message, with the recipient under ``phone number``
        (text messages), ``email address`` (emails) or the address lines (letters), matched as
        the server matches CSV columns (ignoring case, spaces, ``_`` and ``-``).
        """
        template = self._template(str(uuid.UUID(template_id)))
        if template is None or template.archived:
            raise ValueError(f"no usable template with id {template_id}")
        job_id = str(uuid.uuid4())
        ids = []
        for row_number, row in enumerate(rows):
            personalisation = dict(row)
            missing = missing_personalisation(self._texts(template), personalisation)
            if missing:
                raise ValueError(f"row {row_number}: Missing personalisation: {', '.join(missing)}")
            notification_id = str(uuid.uuid4())
            new = NewNotification(
                id=notification_id,
                key_type="normal",
                api_key_id=None,
                type=template.type,
                template_id=template.id,
                template_version=template.version,
                recipient=None,
                normalised_to=None,
                reference=reference,
                body="",
                subject=None,
                personalisation=personalisation,
                job_id=job_id,
                job_row_number=row_number,
                count_as=[template.type],
            )
            if template.type == "sms":
                recipient = _address_value(personalisation, "phonenumber")
                if recipient is None:
                    raise ValueError(f"row {row_number}: no 'phone number'")
                try:
                    parsed = parse_phone_number(recipient)
                except InvalidPhoneNumberError as err:
                    raise ValueError(f"row {row_number}: {err}") from None
                new.recipient, new.normalised_to = recipient, parsed.normalised
                new.body = rendering.sms_body(template.body, personalisation)
                new.billable_units = rendering.sms_fragment_count(new.body)
                new.rate_multiplier = _rate_multiplier(parsed)
                new.sender = self.settings.default_sms_sender
                steps = self.lifecycle.message(failure_for_phone(parsed.normalised))
            elif template.type == "email":
                recipient = _address_value(personalisation, "emailaddress")
                if recipient is None:
                    raise ValueError(f"row {row_number}: no 'email address'")
                try:
                    new.normalised_to = validate_email_address(recipient).lower()
                except InvalidEmailAddressError as err:
                    raise ValueError(f"row {row_number}: {err}") from None
                new.recipient = recipient
                new.body = rendering.email_body(template.body, personalisation)
                new.subject = rendering.email_subject(template.subject or "", personalisation)
                steps = self.lifecycle.message(failure_for_email(recipient))
            else:
                try:
                    lines, zone = self.letter_postage_zone(personalisation)
                except V2Error as err:
                    raise ValueError(f"row {row_number}: {err.errors[0]['message']}") from None
                new.body = rendering.letter_body(template.body, personalisation)
                new.subject = rendering.letter_subject(template.subject or "", personalisation)
                new.recipient = lines[0]
                new.postage = (template.postage or "second") if zone == "united-kingdom" else zone
                new.pdf, pages = letter_pdf(
                    address_lines=lines,
                    body=new.body,
                    subject=rendering.letter_body(template.subject or "", personalisation),
                    contact_block=template.letter_contact_block,
                )
                new.billable_units = math.ceil(pages / 2)
                steps = self.lifecycle.letter(pages)
            self._store(new, steps)
            ids.append(notification_id)
        return job_id, ids

    # --- GET notifications -----------------------------------------------------------------------

    def notification_json(
        self, host: str, notification: StoredNotification, now: int
    ) -> dict[str, Any]:
        status, reached, sent_at = notification.status_at(now)
        personalisation = notification.personalisation
        kind = notification.type
        data: dict[str, Any] = {
            "id": notification.id,
            "reference": notification.reference,
            "email_address": notification.recipient if kind == "email" else None,
            "phone_number": notification.recipient if kind == "sms" else None,
            "line_1": None,
            "line_2": None,
            "line_3": None,
            "line_4": None,
            "line_5": None,
            "line_6": None,
            "postcode": None,
            "type": kind,
            "status": letter_status_for_output(status) if kind == "letter" else status,
            "template": {
                "id": notification.template_id,
                "version": notification.template_version,
                "uri": (
                    f"{host}/v2/template/{notification.template_id}"
                    f"/version/{notification.template_version}"
                ),
            },
            "body": notification.body,
            "subject": notification.subject,
            "created_at": format_timestamp(notification.created_at),
            "created_by_name": None,
            "sent_at": format_timestamp(sent_at) if sent_at is not None else None,
            "completed_at": format_timestamp(reached) if status in COMPLETED_STATUSES else None,
            "scheduled_for": None,
            "postage": notification.postage,
            "one_click_unsubscribe_url": notification.one_click_unsubscribe_url,
        }
        if kind == "letter":
            for n in range(1, 7):
                data[f"line_{n}"] = _address_value(personalisation, f"addressline{n}")
            data["postcode"] = _address_value(personalisation, "postcode")
            data["estimated_delivery"] = _estimated_delivery(
                notification.created_at, notification.postage or "second"
            )
        data.update(self._cost(notification, status))
        return data

    @staticmethod
    def _cost(notification: StoredNotification, status: str) -> dict[str, Any]:
        if notification.type == "email":
            return {"is_cost_data_ready": True, "cost_in_pounds": 0.0, "cost_details": {}}
        not_ready: dict[str, Any] = {
            "is_cost_data_ready": False,
            "cost_in_pounds": None,
            "cost_details": {},
        }
        if notification.type == "sms":
            if status == "created":
                return not_ready
            units, multiplier = notification.billable_units, notification.rate_multiplier
            return {
                "is_cost_data_ready": True,
                "cost_in_pounds": round(units * multiplier * SMS_RATE, 4),
                "cost_details": {
                    "billable_sms_fragments": units,
                    "international_rate_multiplier": multiplier,
                    "sms_rate": SMS_RATE,
                },
            }
        if status in ("pending-virus-check", "created"):
            return not_ready
        postage = notification.postage or "second"
        if status in _LETTER_NEVER_SENT:
            sheets, cost = 0, 0.0
        else:
            sheets = notification.billable_units
            cost = _letter_cost(sheets, postage)
        return {
            "is_cost_data_ready": True,
            "cost_in_pounds": cost,
            "cost_details": {"billable_sheets_of_paper": sheets, "postage": postage},
        }

    def _get_notification(
        self, request: Request, ctx: _Ctx | None, params: Mapping[str, str]
    ) -> Response:
        assert ctx is not None
        notification = self._find_notification(params["segment"])
        return Response.json(200, self.notification_json(ctx.host, notification, self.store.now()))

    def _find_notification(self, raw_id: str) -> StoredNotification:
        if not is_valid_uuid(raw_id):
            raise _validation(["notification_id is not a valid UUID"])
        notification = self.store.get_notification(str(uuid.UUID(raw_id)))
        if notification is None:
            raise _not_found()
        return notification

    def _list_notifications(
        self, request: Request, ctx: _Ctx | None, params: Mapping[str, str]
    ) -> Response:
        assert ctx is not None
        lists = _query_lists(request.query)
        data: dict[str, Any] = {
            key: values if key in ("status", "template_type") else values[0]
            for key, values in lists.items()
        }
        errors = validate_notifications_query(data)
        if errors:
            raise _validation(errors)
        statuses: list[str] | None = None
        if "status" in data:
            expanded: set[str] = set()
            for status in data["status"]:
                if status == "failed":
                    expanded.update(_FAILED_ALIAS)
                elif status == "accepted":
                    expanded.update(("created", "sending"))
                elif status == "received":
                    expanded.add("delivered")
                else:
                    expanded.add(status)
            if not expanded >= _REAL_STATUSES:
                statuses = sorted(expanded)
        older_than = str(uuid.UUID(data["older_than"])) if "older_than" in data else None
        now = self.store.now()
        notifications = self.store.list_notifications(
            now=now,
            key_type=ctx.key.key_type,
            statuses=statuses,
            types=data.get("template_type"),
            reference=data.get("reference"),
            include_jobs="include_jobs" in data,
            older_than=older_than,
            limit=API_PAGE_SIZE,
        )
        current: list[tuple[str, str]] = []
        for key, value in data.items():
            values = value if isinstance(value, list) else [value]
            current += [(key, item) for item in values]
        links = {"current": _query_url(ctx.host, "/v2/notifications", current)}
        if notifications:
            following = [(k, v) for k, v in current if k != "older_than"]
            following.append(("older_than", notifications[-1].id))
            links["next"] = _query_url(ctx.host, "/v2/notifications", following)
        return Response.json(
            200,
            {
                "notifications": [self.notification_json(ctx.host, n, now) for n in notifications],
                "links": links,
            },
        )

    def _get_pdf(self, request: Request, ctx: _Ctx | None, params: Mapping[str, str]) -> Response:
        notification = self._find_notification(params["notification_id"])
        if notification.type != "letter":
            raise _bad_request("Notification is not a letter")
        status, _, _ = notification.status_at(self.store.now())
        if status == "virus-scan-failed":
            raise _bad_request("File did not pass the virus scan")
        if status == "technical-failure":
            raise _bad_request(f"PDF not available for letters in status {status}")
        if status == "pending-virus-check" or (
            status == "created" and not notification.precompiled
        ):
            raise _error(400, "PDFNotReadyError", "PDF not available yet, try again later")
        pdf = self.store.letter_pdf(notification.id)
        if pdf is None:
            raise _error(400, "PDFNotReadyError", "PDF not available yet, try again later")
        return Response(200, pdf, content_type="application/pdf")

    # --- templates -----------------------------------------------------------------------------

    def _find_template(self, raw_id: str, version: int | None = None) -> TemplateVersion:
        if not is_valid_uuid(raw_id):
            raise _validation(["id is not a valid UUID"])
        template = self._template(str(uuid.UUID(raw_id)), version)
        if template is None:
            raise _not_found()
        return template

    def _get_template(
        self, request: Request, ctx: _Ctx | None, params: Mapping[str, str]
    ) -> Response:
        version = int(params["version"]) if "version" in params else None
        return Response.json(
            200, self.template_json(self._find_template(params["template_id"], version))
        )

    def _list_templates(
        self, request: Request, ctx: _Ctx | None, params: Mapping[str, str]
    ) -> Response:
        data = {key: values[0] for key, values in _query_lists(request.query).items()}
        errors = validate_templates_query(data)
        if errors:
            raise _validation(errors)
        templates = [
            t for t in self.store.latest_templates()
            if not t.archived and ("type" not in data or t.type == data["type"])
        ]  # fmt: skip
        templates.sort(key=lambda t: (t.name, t.type))
        return Response.json(200, {"templates": [self.template_json(t) for t in templates]})

    def _preview(self, request: Request, ctx: _Ctx | None, params: Mapping[str, str]) -> Response:
        raw_id = params["template_id"]
        if not is_valid_uuid(raw_id):
            raise _validation(["id is not a valid UUID"])
        body = _parse_json(request.body, empty_ok=True)
        if isinstance(body, dict):
            body["id"] = raw_id
        errors = validate_preview_request(body)
        if errors:
            raise _validation(errors)
        template = self._find_template(raw_id)
        personalisation: dict[str, Any] = body.get("personalisation") or {}
        self._check_personalisation(template, personalisation)
        subject: str | None = None
        html: str | None = None
        if template.type == "sms":
            content = rendering.sms_body(template.body, personalisation)
        elif template.type == "email":
            content = rendering.email_body(template.body, personalisation)
            subject = rendering.email_subject(template.subject or "", personalisation)
            html = rendering.email_html(template.body, personalisation)
        else:
            content = rendering.letter_body(template.body, personalisation)
            subject = rendering.letter_subject(template.subject or "", personalisation)
        return Response.json(
            200,
            {
                "id": template.id,
                "type": template.type,
                "version": template.version,
                "body": content,
                "subject": subject,
                "postage": template.postage if template.type == "letter" else None,
                "html": html,
            },
        )

    # --- received text messages ----------------------------------------------------------------

    def received_text_json(self, text: StoredReceivedText) -> dict[str, Any]:
        return {
            "id": text.id,
            "created_at": format_timestamp(text.created_at),
            "service_id": self.service_id,
            "notify_number": text.notify_number,
            "user_number": text.user_number,
            "content": text.content,
        }

    def _list_received(
        self, request: Request, ctx: _Ctx | None, params: Mapping[str, str]
    ) -> Response:
        assert ctx is not None
        data = {key: values[0] for key, values in _query_lists(request.query).items()}
        errors = validate_received_texts_query(data)
        if errors:
            raise _validation(errors)
        older_than = str(uuid.UUID(data["older_than"])) if "older_than" in data else None
        texts = self.store.list_received_texts(older_than=older_than, limit=API_PAGE_SIZE)
        links = {"current": f"{ctx.host}/v2/received-text-messages"}
        if texts:
            links["next"] = f"{ctx.host}/v2/received-text-messages?older_than={texts[-1].id}"
        return Response.json(
            200,
            {"received_text_messages": [self.received_text_json(t) for t in texts], "links": links},
        )

    def add_received_text(
        self, content: str, user_number: str = "447700900123", notify_number: str | None = None
    ) -> StoredReceivedText:
        text = self.store.insert_received_text(
            str(uuid.uuid4()), notify_number or self.settings.inbound_number, user_number, content
        )
        if self.listener is not None:
            self.listener.received_text_stored(text)
        return text

    def set_notification_status(self, notification_id: str, status: str) -> bool:
        """Fix a notification's raw status from now on; False if there is no such notification."""
        if not self.store.set_notification_status(notification_id, status):
            return False
        if self.listener is not None:
            self.listener.status_changed(notification_id)
        return True

    # --- sandbox-only endpoints ----------------------------------------------------------------

    def _inject_received(
        self, request: Request, ctx: _Ctx | None, params: Mapping[str, str]
    ) -> Response:
        body = _parse_json(request.body, empty_ok=False)
        errors: list[str] = []
        if not isinstance(body, dict):
            errors.append(f"{body!r} is not of type object".replace("'", ""))
        else:
            for name in ("content", "user_number", "notify_number"):
                if name in body and not isinstance(body[name], str):
                    errors.append(f"{name} {body[name]!r} is not of type string".replace("'", ""))
            if "content" not in body:
                errors.append("content is a required property")
            extras = [k for k in body if k not in ("content", "user_number", "notify_number")]
            if extras:
                verb = "was" if len(extras) == 1 else "were"
                errors.append(
                    f"Additional properties are not allowed ({', '.join(extras)} {verb} unexpected)"
                )
        if errors:
            raise _validation(errors)
        text = self.add_received_text(
            body["content"], body.get("user_number") or "447700900123", body.get("notify_number")
        )
        return Response.json(201, self.received_text_json(text))

    def _set_status(
        self, request: Request, ctx: _Ctx | None, params: Mapping[str, str]
    ) -> Response:
        assert ctx is not None
        notification = self._find_notification(params["notification_id"])
        body = _parse_json(request.body, empty_ok=False)
        status = body.get("status") if isinstance(body, dict) else None
        if status not in NOTIFICATION_STATUSES or status == "failed":
            allowed = ", ".join(s for s in NOTIFICATION_STATUSES if s != "failed")
            raise _validation([f"status must be one of [{allowed}]"])
        self.set_notification_status(notification.id, status)
        updated = self._find_notification(notification.id)
        return Response.json(200, self.notification_json(ctx.host, updated, self.store.now()))

    def _get_document(
        self, request: Request, ctx: _Ctx | None, params: Mapping[str, str]
    ) -> Response:
        document_id = params["document_id"]
        if document_id == "test-document":
            return Response(200, b"sandbox test document\n", content_type="text/plain")
        document = self.store.document(document_id) if is_valid_uuid(document_id) else None
        if document is None:
            raise LegacyError(404, _NOT_FOUND_MESSAGE)
        response = Response(200, document.content, content_type=document.mime_type)
        if document.filename:
            safe = document.filename.replace('"', "")
            response.headers.append(("Content-Disposition", f'attachment; filename="{safe}"'))
        return response

    def _status(self, request: Request, ctx: _Ctx | None, params: Mapping[str, str]) -> Response:
        return Response.json(200, {"status": "ok", "service_id": self.service_id})


_ROUTES: Final[Sequence[tuple[re.Pattern[str], Mapping[str, _Handler], bool]]] = (
    (re.compile(r"/v2/notifications"), {"GET": NotifyApi._list_notifications}, True),
    (
        re.compile(r"/v2/notifications/(?P<notification_id>[^/]+)/pdf"),
        {"GET": NotifyApi._get_pdf},
        True,
    ),
    (
        re.compile(r"/v2/notifications/(?P<segment>[^/]+)"),
        {"GET": NotifyApi._get_notification, "POST": NotifyApi._post_notification},
        True,
    ),
    (re.compile(r"/v2/templates"), {"GET": NotifyApi._list_templates}, True),
    (
        re.compile(r"/v2/template/(?P<template_id>[^/]+)/version/(?P<version>[0-9]+)"),
        {"GET": NotifyApi._get_template},
        True,
    ),
    (
        re.compile(r"/v2/template/(?P<template_id>[^/]+)/preview"),
        {"POST": NotifyApi._preview},
        True,
    ),
    (re.compile(r"/v2/template/(?P<template_id>[^/]+)"), {"GET": NotifyApi._get_template}, True),
    (re.compile(r"/v2/received-text-messages"), {"GET": NotifyApi._list_received}, True),
    (
        re.compile(r"/sandbox/received-text-messages"),
        {"POST": NotifyApi._inject_received},
        True,
    ),
    (
        re.compile(r"/sandbox/notifications/(?P<notification_id>[^/]+)/status"),
        {"POST": NotifyApi._set_status},
        True,
    ),
    (
        re.compile(r"/sandbox/documents/(?P<document_id>[^/]+)"),
        {"GET": NotifyApi._get_document},
        False,
    ),
    (re.compile(r"/_status"), {"GET": NotifyApi._status}, False),
)
