"""Receiving Notify's callbacks: typed payloads, with the bearer token checked first.

GOV.UK Notify POSTs JSON to URLs a service configures, each request carrying the header
``Authorization: Bearer <the token the service chose>``:

* a **delivery receipt** when an email's or a text message's status changes
  (`EmailDeliveryReceipt` or `SmsDeliveryReceipt`, told apart by `notification_type`;
  `DeliveryReceipt` is either),
* a **received text message** when someone texts the service's number
  (`ReceivedTextCallback`),
* a **returned letter** when the post sends a letter back (`ReturnedLetterCallback`).

Each kind has its own URL in Notify's settings, so each has its own function here:
`parse_delivery_receipt`, `parse_received_text` and `parse_returned_letter`. They take the
`Authorization` header, the raw body and the token you expect; they check the token in constant
time *before* reading the body, then return the typed payload or raise a `CallbackError` whose
`http_status` (401 or 400) is the answer to give. No web framework is involved. Neither the
expected token nor the received one ever appears in an error or a log.

Example:
    ```python
    try:
        receipt = parse_delivery_receipt(
            request.headers.get("Authorization"), request.body, expected_token=TOKEN
        )
    except CallbackError as error:
        return Response(str(error), status=error.http_status)
    save_status(receipt.id, receipt.status)
    ```
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeAlias, TypeVar
from uuid import UUID

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    TypeAdapter,
    ValidationError,
)

from govuk_notify.errors import ConfigurationError, NotifyError
from govuk_notify.models._base import ResponseModel, Timestamp
from govuk_notify.models.enums import EmailStatus, SmsStatus

__all__ = [
    "CALLBACK_MODELS",
    "DELIVERY_RECEIPT_ADAPTER",
    "CallbackError",
    "DeliveryReceipt",
    "EmailDeliveryReceipt",
    "InvalidTokenError",
    "MalformedCallbackError",
    "MissingTokenError",
    "ReceivedTextCallback",
    "ReturnedLetterCallback",
    "SmsDeliveryReceipt",
    "callback_json_schemas",
    "check_bearer_token",
    "parse_delivery_receipt",
    "parse_received_text",
    "parse_returned_letter",
]

_log = logging.getLogger(__name__)


# --- models -------------------------------------------------------------------------------------


def _notify_time(value: datetime) -> str:
    # Notify's own format ("%Y-%m-%dT%H:%M:%S.%fZ", always in UTC with six digits of fraction),
    # so that a payload built here (by the sandbox, say) is what Notify would send.
    utc = value.astimezone(timezone.utc).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


_CallbackTime = Annotated[
    Timestamp, PlainSerializer(_notify_time, return_type=str, when_used="json")
]


class _CallbackModel(ResponseModel):
    """Callback payloads: unknown fields kept, frozen, attribute docstrings in the JSON Schema."""

    model_config = ConfigDict(use_attribute_docstrings=True)


class _DeliveryReceiptBase(_CallbackModel):
    # The fields in the order Notify sends them; the subclasses narrow ``status`` and
    # ``notification_type`` without moving them.
    id: UUID
    """Notify's id for the notification."""
    reference: str | None = None
    """The reference the service gave when sending, or null."""
    to: str
    """The email address or phone number of the recipient."""
    status: str
    """The status of the notification."""
    created_at: _CallbackTime
    """When the service sent the request."""
    completed_at: _CallbackTime | None = None
    """The last time the status was updated, or null."""
    sent_at: _CallbackTime | None = None
    """When the notification was handed to the provider, or null if it never was."""
    notification_type: str
    """The channel: ``sms`` or ``email``."""
    template_id: UUID
    """The id of the template that was used."""
    template_version: int
    """The version of the template that was used."""


class SmsDeliveryReceipt(_DeliveryReceiptBase):
    """A text message's delivery receipt (``SmsCallbackRequest`` in Notify's OpenAPI)."""

    status: SmsStatus
    """The status of the text message (a status Notify adds later is kept, not refused)."""
    notification_type: Literal["sms"] = "sms"
    """Always ``sms``."""


class EmailDeliveryReceipt(_DeliveryReceiptBase):
    """An email's delivery receipt (``EmailCallbackRequest`` in Notify's OpenAPI)."""

    status: EmailStatus
    """The status of the email (a status Notify adds later is kept, not refused)."""
    notification_type: Literal["email"] = "email"
    """Always ``email``."""


DeliveryReceipt: TypeAlias = Annotated[
    SmsDeliveryReceipt | EmailDeliveryReceipt, Field(discriminator="notification_type")
]
"""A delivery receipt of either channel, chosen by its `notification_type`.

Notify sends delivery receipts for emails and text messages only; letters have none (a letter
that comes back is reported by `ReturnedLetterCallback`).
"""

DELIVERY_RECEIPT_ADAPTER: TypeAdapter[DeliveryReceipt] = TypeAdapter(DeliveryReceipt)
"""Validates (and gives the JSON Schema of) `DeliveryReceipt`."""


class ReceivedTextCallback(_CallbackModel):
    """A text message someone sent to the service's number."""

    id: UUID
    """Notify's id for the received message."""
    source_number: str
    """The phone number the message came from, as Notify received it (for example
    ``447700912345``)."""
    destination_number: str
    """The service's number the message was sent to."""
    message: str
    """The text of the message."""
    date_received: _CallbackTime
    """When Notify received the message."""


def _absent_if_text_none(value: object) -> object:
    # For a letter whose template is hidden (an uploaded or precompiled letter) Notify's server
    # formats a missing template id with str(), so the JSON holds the text "None".
    return None if value == "None" else value


class ReturnedLetterCallback(_CallbackModel):
    """A letter the post returned to Notify (``LetterCallbackRequest`` in Notify's OpenAPI)."""

    notification_id: UUID
    """Notify's id for the returned letter."""
    reference: str | None = None
    """The reference the service gave when sending through the API, or null."""
    date_sent: _CallbackTime
    """When the letter was sent to Notify."""
    sent_by: str | None = None
    """The email address of the team member who sent the letter, ``API`` if it came through
    the API, or null."""
    template_name: str | None = None
    """The name of the template used, or null for an uploaded or precompiled letter."""
    template_id: Annotated[UUID | None, BeforeValidator(_absent_if_text_none)] = None
    """The id of the template used, or null for an uploaded or precompiled letter."""
    template_version: int | None = None
    """The version of the template used, or null for an uploaded or precompiled letter."""
    spreadsheet_file_name: str | None = None
    """The uploaded spreadsheet the letter came from, or null."""
    spreadsheet_row_number: int | None = None
    """The letter's row in that spreadsheet, or null."""
    upload_letter_file_name: str | None = None
    """The file name of an uploaded letter, or null."""


CALLBACK_MODELS: tuple[type[ResponseModel], ...] = (
    SmsDeliveryReceipt,
    EmailDeliveryReceipt,
    ReceivedTextCallback,
    ReturnedLetterCallback,
)
"""Every callback model class, for exporting their JSON Schemas.

See also `callback_json_schemas`, which adds the `DeliveryReceipt` union.
"""


def callback_json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each callback payload.

    Returns:
        The schemas keyed by a name fit for a file name: one per class in `CALLBACK_MODELS`, and
        `DeliveryReceipt` for the union of both channels.
    """
    schemas = {model.__name__: model.model_json_schema() for model in CALLBACK_MODELS}
    schemas["DeliveryReceipt"] = DELIVERY_RECEIPT_ADAPTER.json_schema()
    return schemas


# --- errors -------------------------------------------------------------------------------------


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


# --- the token ----------------------------------------------------------------------------------


def _as_bytes(text: str) -> bytes:
    # "surrogatepass" so that no str (not even a lone surrogate) can make encoding fail.
    return text.encode("utf-8", "surrogatepass")


def _expected_tokens(expected_token: str | Sequence[str]) -> tuple[bytes, ...]:
    candidates: object = expected_token
    if isinstance(candidates, str):
        candidates = (candidates,)
    if not isinstance(candidates, Sequence) or not candidates:
        candidates = ()
    tokens: list[bytes] = []
    for candidate in candidates:
        if not isinstance(candidate, str) or not candidate:
            tokens.clear()
            break
        tokens.append(_as_bytes(candidate))
    if not tokens:
        # A programming or deployment mistake (say an unset environment variable), not a bad
        # callback: it must not turn into a 401 that hides it.
        raise ConfigurationError(
            "expected_token must be a non-empty string, or a non-empty sequence of them"
        )
    return tuple(tokens)


def _received_token(authorization: str | bytes | None) -> bytes:
    if authorization is None:
        raise MissingTokenError("The callback has no Authorization header")
    # Header bytes are Latin-1, as WSGI and ASGI servers read them (and as Notify's sender,
    # Python's http.client, writes them): bytes and str headers then give the same token.
    text = authorization.decode("latin-1") if isinstance(authorization, bytes) else authorization
    scheme, *rest = re.split(r"[ \t]+", text.strip(" \t"), maxsplit=1)
    if not scheme:
        raise MissingTokenError("The callback's Authorization header is empty")
    if scheme.lower() != "bearer":
        raise MissingTokenError(
            "The callback's Authorization header does not use the Bearer scheme"
        )
    if not rest:
        raise MissingTokenError("The callback's Authorization header has no bearer token")
    return _as_bytes(rest[0])


def check_bearer_token(
    authorization: str | bytes | None, *, expected_token: str | Sequence[str]
) -> None:
    """Check the `Authorization` header of a callback against the token you configured.

    The comparison takes the same time whatever the tokens hold: it compares SHA-256 digests
    with `hmac.compare_digest`, so even the length is not revealed. The `parse_*` functions call
    it first; call it yourself only to check a token without parsing a body.

    Args:
        authorization: The request's `Authorization` header as `str` or `bytes` (read as
            Latin-1, as WSGI and ASGI servers read headers), or None when there is none. The
            scheme is matched ignoring case (`Bearer`, `bearer`).
        expected_token: The token set in Notify, or a sequence of tokens that are all accepted:
            Notify retries a callback (for up to 25 minutes) with the token it had when it
            queued it, so while you change the token both the old and the new one arrive.

    Raises:
        MissingTokenError: There is no bearer token in `authorization` (answer 401).
        InvalidTokenError: The token is none of the expected ones (answer 401).
        ConfigurationError: `expected_token` is empty, or a sequence that is empty or holds an
            empty string or a non-string (say, an unset environment variable).

    Example:
        ```python
        check_bearer_token(headers.get("Authorization"), expected_token=[new_token, old_token])
        ```
    """
    expected = _expected_tokens(expected_token)
    received = hashlib.sha256(_received_token(authorization)).digest()
    matched = False
    for candidate in expected:
        matched |= hmac.compare_digest(received, hashlib.sha256(candidate).digest())
    if not matched:
        raise InvalidTokenError("The callback's bearer token is not the expected one")


# --- parsing ------------------------------------------------------------------------------------

_T = TypeVar("_T")


@dataclass(frozen=True)
class _Kind(Generic[_T]):
    name: str
    adapter: TypeAdapter[_T]
    tagged: bool = False
    """Validation errors of a tagged union start their location with the tag: drop it."""


_DELIVERY_RECEIPT = _Kind("delivery receipt", DELIVERY_RECEIPT_ADAPTER, tagged=True)
_RECEIVED_TEXT = _Kind("received text message", TypeAdapter(ReceivedTextCallback))
_RETURNED_LETTER = _Kind("returned letter", TypeAdapter(ReturnedLetterCallback))


def _problems(error: ValidationError, *, tagged: bool) -> list[tuple[str, str]]:
    problems = []
    for item in error.errors(include_url=False, include_input=False, include_context=False):
        kind = item["type"]
        if kind == "union_tag_not_found":
            problems.append(("notification_type", "Field required"))
        elif kind == "union_tag_invalid":
            problems.append(("notification_type", "Input should be 'sms' or 'email'"))
        else:
            location = item["loc"][1:] if tagged else item["loc"]
            field = ".".join(str(part) for part in location) or "body"
            problems.append((field, item["msg"]))
    return problems


def _parse(
    kind: _Kind[_T],
    authorization: str | bytes | None,
    body: bytes | str,
    expected_token: str | Sequence[str],
) -> _T:
    try:
        check_bearer_token(authorization, expected_token=expected_token)
    except CallbackError as error:
        _log.debug("Refused a %s callback: %s", kind.name, error)
        raise
    if isinstance(body, str):
        body = _as_bytes(body)
    try:
        return kind.adapter.validate_json(body)
    except ValidationError as error:
        # Built outside the except block, so the refusal does not chain pydantic's error, whose
        # text quotes the values sent (phone numbers, message text).
        problems = _problems(error, tagged=kind.tagged)
    refusal = MalformedCallbackError(kind.name, problems)
    _log.debug("Refused a %s callback: %s", kind.name, refusal)
    raise refusal


def parse_delivery_receipt(
    authorization: str | bytes | None, body: bytes | str, *, expected_token: str | Sequence[str]
) -> DeliveryReceipt:
    """Check a delivery receipt's bearer token, then parse its body.

    Args:
        authorization: The request's `Authorization` header (`str` or `bytes`), or None when
            there is none.
        body: The raw request body, as `bytes` or `str`. It is read only once the token is
            right.
        expected_token: The token set in Notify, or several that are all accepted (see
            `check_bearer_token`).

    Returns:
        An `SmsDeliveryReceipt` or an `EmailDeliveryReceipt`, chosen by the body's
        `notification_type`.

    Raises:
        MissingTokenError: There is no bearer token (answer 401).
        InvalidTokenError: The token is not the one expected (answer 401).
        MalformedCallbackError: The body is not JSON or not a delivery receipt (answer 400).
        ConfigurationError: `expected_token` is empty.

    Example:
        ```python
        receipt = parse_delivery_receipt(
            request.headers.get("Authorization"), request.get_data(), expected_token=TOKEN
        )
        if receipt.status is SmsStatus.PERMANENT_FAILURE:
            mark_number_as_wrong(receipt.to)
        ```
    """
    return _parse(_DELIVERY_RECEIPT, authorization, body, expected_token)


def parse_received_text(
    authorization: str | bytes | None, body: bytes | str, *, expected_token: str | Sequence[str]
) -> ReceivedTextCallback:
    """Check a received text message's bearer token, then parse its body.

    Args:
        authorization: The request's `Authorization` header (`str` or `bytes`), or None when
            there is none.
        body: The raw request body, as `bytes` or `str`.
        expected_token: The token set in Notify, or several that are all accepted (see
            `check_bearer_token`).

    Returns:
        The received text message.

    Raises:
        MissingTokenError: There is no bearer token (answer 401).
        InvalidTokenError: The token is not the one expected (answer 401).
        MalformedCallbackError: The body is not a received text message (answer 400).
        ConfigurationError: `expected_token` is empty.
    """
    return _parse(_RECEIVED_TEXT, authorization, body, expected_token)


def parse_returned_letter(
    authorization: str | bytes | None, body: bytes | str, *, expected_token: str | Sequence[str]
) -> ReturnedLetterCallback:
    """Check a returned letter's bearer token, then parse its body.

    Args:
        authorization: The request's `Authorization` header (`str` or `bytes`), or None when
            there is none.
        body: The raw request body, as `bytes` or `str`.
        expected_token: The token set in Notify, or several that are all accepted (see
            `check_bearer_token`).

    Returns:
        The returned letter report.

    Raises:
        MissingTokenError: There is no bearer token (answer 401).
        InvalidTokenError: The token is not the one expected (answer 401).
        MalformedCallbackError: The body is not a returned-letter report (answer 400).
        ConfigurationError: `expected_token` is empty.
    """
    return _parse(_RETURNED_LETTER, authorization, body, expected_token)
