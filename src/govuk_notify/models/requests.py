"""Request models: one per send, plus the list filters.

Each validates its input the way the Notify server does, when it is made and before anything is
sent: a request the server would accept is never refused, and a mistake that can be found without
the service's state raises pydantic's `ValidationError` naming the field, in the server's own
words. The models are frozen and refuse unknown fields; their errors never quote the input.
Build one where the input arrives and send it later with `NotifyClient.send`.

Example:
    ```python
    request = SmsRequest(phone_number="07700 900123", template_id=template_id)  # checked here
    response = client.send(request)  # an SmsResponse
    ```
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    JsonValue,
    PlainSerializer,
    StrictBool,
    StrictStr,
    Tag,
    TypeAdapter,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .._endpoint import Endpoint
from ..validation.files import (
    ALLOWED_FILE_EXTENSIONS,
    MAX_DOCUMENT_SIZE,
    MAX_FILENAME_LENGTH,
    MAX_UPLOAD_SIZE,
    retention_weeks,
    unsupported_file_type_message,
    unsupported_retention_message,
)
from ._base import RequestModel
from .enums import NotificationStatusFilter, TemplateType
from .responses import EmailResponse, LetterResponse, PrecompiledLetterResponse, SmsResponse

if TYPE_CHECKING:
    from ..types import IdLike, JSONValue
    from ..validation import InvalidRecipientError
    from .enums import NotificationStatusFilter as _Status
    from .enums import TemplateType as _TemplateType

# Each model that has an id field declares its ``__init__`` for type checkers only: the fields
# read as ``uuid.UUID``, but an id may be given as ``str`` too, which plain mypy (without
# pydantic's plugin) would otherwise refuse. tests/test_typed_init.py keeps these signatures equal
# to the fields.

# The checks of ..validation (libphonenumber and the address rules among them) are imported by
# the validators that use them, on their first call: ``import govuk_notify`` does not pay for them.

__all__ = [
    "MAX_FILE_SIZE",
    "EmailRequest",
    "FileUpload",
    "LetterPersonalisation",
    "LetterRequest",
    "NotificationFilters",
    "PrecompiledLetterRequest",
    "SmsRequest",
]

MAX_REFERENCE_LENGTH = 1000
"""The longest `reference` Notify accepts on a templated message, in characters."""
MAX_FILE_SIZE = MAX_UPLOAD_SIZE
"""The size `prepare_upload` allows, as the official clients do (2 MiB)."""


@functools.cache
def _json_value_adapter() -> TypeAdapter[JsonValue]:
    # Built on first use, not at import.
    return TypeAdapter(JsonValue)


# --- shared field types -------------------------------------------------------------------------


def _uuid(value: object) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            # The server checks with uuid.UUID(value): hyphens anywhere, braces, urn:uuid: prefix.
            return uuid.UUID(value)
        except ValueError:
            pass
    raise PydanticCustomError("uuid", "is not a valid UUID")


Id = Annotated[
    uuid.UUID,
    BeforeValidator(_uuid),
    WithJsonSchema({"type": "string", "format": "uuid"}),
]
"""A UUID, given as `uuid.UUID` or `str` in any form `uuid.UUID()` reads (hyphens anywhere,
braces, a `urn:uuid:` prefix, any case), as the server reads it; sent in canonical form."""

Reference = Annotated[
    StrictStr,
    Field(
        max_length=MAX_REFERENCE_LENGTH,
        description="Your identifier for the message or batch; no personal data. "
        "At most 1000 characters.",
    ),
]
"""A `reference`: any string of at most 1000 characters."""


def _recipient_error(err: InvalidRecipientError) -> PydanticCustomError:
    return PydanticCustomError("recipient", "{message}", {"message": err.message})


def _is_file(value: object) -> bool:
    return isinstance(value, FileUpload) or (isinstance(value, Mapping) and "file" in value)


def _no_files(personalisation: Mapping[str, object] | None) -> None:
    if personalisation and any(_is_file(v) for v in personalisation.values()):
        raise PydanticCustomError("file_not_allowed", "Can only send a file by email")


# --- file uploads -------------------------------------------------------------------------------


class FileUpload(RequestModel):
    """A file to send by email, as a value in the personalisation (made by `prepare_upload`).

    The file is shared through a secure download link placed where the placeholder is. Made
    directly, the fields are checked as Notify checks them: the file is base64, not empty and at
    most 2 MiB + 1 KiB decoded; the filename has an allowed extension and at most 100
    characters; the retention period is `1 week` to `78 weeks`; `is_csv` is not set with a
    filename.
    """

    file: StrictStr = Field(description="The file's bytes, base64-encoded.", repr=False)
    filename: StrictStr | None = Field(
        default=None, description="The name the recipient sees; it needs an allowed extension."
    )
    confirm_email_before_download: StrictBool | None = Field(
        default=None,
        description="Ask the recipient to confirm their email address first (Notify's default: "
        "true).",
    )
    retention_period: StrictStr | None = Field(
        default=None,
        description="How long the file can be downloaded: '1 week' to '78 weeks' "
        "(Notify's default: 26 weeks).",
    )
    is_csv: StrictBool | None = Field(
        default=None,
        description="Legacy: mark a file without a filename as CSV. Not with filename.",
    )

    @field_validator("file")
    @classmethod
    def _check_file(cls, value: str) -> str:
        try:
            decoded = base64.b64decode(value)
        except (binascii.Error, ValueError):
            raise PydanticCustomError("file", "Document is not base64 encoded") from None
        if not decoded:
            raise PydanticCustomError("file", "Document must not be empty")
        if len(decoded) > MAX_DOCUMENT_SIZE:
            raise PydanticCustomError("file", "Uploaded file exceeds file size limit")
        return value

    @field_validator("filename")
    @classmethod
    def _check_filename(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if "." not in value:
            raise PydanticCustomError(
                "filename",
                "`filename` must end with a file extension. For example, filename.csv",
            )
        if len(value) > MAX_FILENAME_LENGTH:
            raise PydanticCustomError("filename", "`filename` cannot be longer than 100 characters")
        extension = value.rsplit(".", 1)[1].lower()
        if extension not in ALLOWED_FILE_EXTENSIONS:
            raise PydanticCustomError(
                "filename",
                "{message}",
                {"message": unsupported_file_type_message(f".{extension}")},
            )
        return value

    @field_validator("retention_period")
    @classmethod
    def _check_retention(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if retention_weeks(value) is None:
            raise PydanticCustomError(
                "retention_period", "{message}", {"message": unsupported_retention_message(value)}
            )
        return value

    @model_validator(mode="after")
    def _check_is_csv(self) -> FileUpload:
        if self.is_csv is not None and self.filename is not None:
            raise PydanticCustomError(
                "is_csv", "Do not set a value for `is_csv` if `filename` is set."
            )
        return self

    def to_payload(self) -> dict[str, Any]:
        """The JSON object Notify expects in the personalisation.

        Returns:
            The four documented keys (`file`, `filename`, `confirm_email_before_download`,
            `retention_period`, None as null), and `is_csv` only if it is set.
        """
        payload: dict[str, Any] = {
            "file": self.file,
            "filename": self.filename,
            "confirm_email_before_download": self.confirm_email_before_download,
            "retention_period": self.retention_period,
        }
        if self.is_csv is not None:
            payload["is_csv"] = self.is_csv
        return payload


def _file_or_json(value: object) -> str:
    return "file" if _is_file(value) else "json"


Personalisation = dict[str, JsonValue]
"""Placeholder values: names to JSON values (a list becomes a bulleted list or `a, b and c`)."""
EmailPersonalisationValue = Annotated[
    Union[Annotated[FileUpload, Tag("file")], Annotated[JsonValue, Tag("json")]],  # noqa: UP007
    Discriminator(_file_or_json),
]
"""An email's placeholder value: a JSON value, or a file (`FileUpload`, or a mapping with a
`file` key)."""


def _personalisation_payload(personalisation: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value.to_payload() if isinstance(value, FileUpload) else value
        for key, value in personalisation.items()
    }


# --- sends --------------------------------------------------------------------------------------


class SmsRequest(RequestModel):
    """A text message to send (`POST /v2/notifications/sms`).

    Raises:
        pydantic.ValidationError: When made with a phone number Notify would refuse (in
            Notify's words: `Not enough digits`, `Must not contain letters or symbols`...), an
            id that is not a UUID, a reference over 1000 characters, a file in the
            personalisation, or an unknown field.

    Example:
        ```python
        request = SmsRequest(
            phone_number="+44 7700 900123",
            template_id="27977601-9753-4b18-afab-ef47bb93bc78",
            personalisation={"name": "Amala", "code": "4821"},
            reference="sign-in-4134325",
        )
        ```
    """

    endpoint: ClassVar[Endpoint[SmsResponse]] = Endpoint(
        "POST", "/v2/notifications/sms", "send", "SmsResponse", SmsResponse.model_validate_json
    )
    """Where the request is sent, and how the answer is read (see ``govuk_notify.endpoints``)."""

    phone_number: StrictStr = Field(
        description="A UK or international number, in any usual format: 07700 900123, "
        "+44 (0)7700-900123, 447700900123, +1 202 555 0123. Landlines and numbers abroad are "
        "allowed here; whether the service may send to them is Notify's to check."
    )
    template_id: Id = Field(description="The template's id (a UUID, as str or uuid.UUID).")
    personalisation: Personalisation | None = Field(
        default=None,
        description="Values for the template's placeholders, by name (matched ignoring case, "
        "spaces, _ and -).",
    )
    reference: Reference | None = Field(
        default=None,
        description="Your identifier for the message or batch, at most 1000 characters; no "
        "personal data. Find the message by it with get_all_notifications(reference=...).",
    )
    sms_sender_id: Id | None = Field(
        default=None,
        description="One of the service's text message senders (its id); the default when null.",
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            phone_number: str,
            template_id: IdLike,
            personalisation: Mapping[str, JSONValue] | None = None,
            reference: str | None = None,
            sms_sender_id: IdLike | None = None,
        ) -> None: ...

    @field_validator("phone_number")
    @classmethod
    def _check_phone_number(cls, value: str) -> str:
        from ..validation import InvalidRecipientError, parse_phone_number

        try:
            parse_phone_number(value)
        except InvalidRecipientError as err:
            raise _recipient_error(err) from None
        return value

    @field_validator("personalisation", mode="before")
    @classmethod
    def _check_personalisation(cls, value: object) -> object:
        if isinstance(value, Mapping):
            _no_files(value)
        return value

    def to_payload(self) -> dict[str, Any]:
        """The JSON body Notify expects.

        Returns:
            The fields that are set, ids in canonical form; null fields are left out.
        """
        payload: dict[str, Any] = {
            "phone_number": self.phone_number,
            "template_id": str(self.template_id),
        }
        if self.personalisation is not None:
            payload["personalisation"] = self.personalisation
        if self.reference is not None:
            payload["reference"] = self.reference
        if self.sms_sender_id is not None:
            payload["sms_sender_id"] = str(self.sms_sender_id)
        return payload


_HTTPS_URI = re.compile(
    r"""^https[A-Za-z0-9+.\-]*:
    (?:
      //(?:(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*@)?
        (?:\[[0-9A-Fa-f:.vV]+\]|(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)
        (?::[0-9]*)?
        (?:/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*
      |
      /?(?:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+
         (?:/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*)?
    )
    (?:\?(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?
    (?:\#(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?$""",
    re.VERBOSE,
)


class EmailRequest(RequestModel):
    """An email to send (`POST /v2/notifications/email`).

    Raises:
        pydantic.ValidationError: When made with an address Notify would refuse (`Not a valid
            email address`), an id that is not a UUID, a reference over 1000 characters, an
            unsubscribe URL that is not an absolute https URL, a `sanitise_content_for` key
            whose value is not a string, a bad file, or an unknown field.

    Example:
        ```python
        request = EmailRequest(
            email_address="amala@example.gov.uk",
            template_id="24195183-379b-4f65-bb31-7f9b87596cc0",
            personalisation={"subject": "Your application", "body": "Thank you."},
            one_click_unsubscribe_url="https://example.gov.uk/unsubscribe?u=1",
        )
        ```
    """

    endpoint: ClassVar[Endpoint[EmailResponse]] = Endpoint(
        "POST",
        "/v2/notifications/email",
        "send",
        "EmailResponse",
        EmailResponse.model_validate_json,
    )
    """Where the request is sent, and how the answer is read (see ``govuk_notify.endpoints``)."""

    email_address: StrictStr = Field(
        description="The recipient's address; surrounding spaces and zero-width characters are "
        "ignored, as Notify ignores them."
    )
    template_id: Id = Field(description="The template's id (a UUID, as str or uuid.UUID).")
    personalisation: dict[str, EmailPersonalisationValue] | None = Field(
        default=None,
        description="Values for the template's placeholders, by name (matched ignoring case, "
        "spaces, _ and -). A value may be a file made by prepare_upload().",
    )
    reference: Reference | None = Field(
        default=None,
        description="Your identifier for the message or batch, at most 1000 characters; no "
        "personal data. Find the message by it with get_all_notifications(reference=...).",
    )
    email_reply_to_id: Id | None = Field(
        default=None,
        description="One of the service's reply-to addresses (its id); the default when null.",
    )
    one_click_unsubscribe_url: StrictStr | None = Field(
        default=None, description="An absolute https URL put in the List-Unsubscribe header."
    )
    sanitise_content_for: list[StrictStr] | None = Field(
        default=None,
        description="Personalisation keys whose (string) values Notify should make safe: "
        "links removed, markdown escaped.",
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            email_address: str,
            template_id: IdLike,
            personalisation: Mapping[str, FileUpload | Mapping[str, object] | JSONValue]
            | None = None,
            reference: str | None = None,
            email_reply_to_id: IdLike | None = None,
            one_click_unsubscribe_url: str | None = None,
            sanitise_content_for: Sequence[str] | None = None,
        ) -> None: ...

    @field_validator("email_address")
    @classmethod
    def _check_email_address(cls, value: str) -> str:
        from ..validation import InvalidRecipientError, validate_email_address

        try:
            validate_email_address(value)
        except InvalidRecipientError as err:
            raise _recipient_error(err) from None
        return value

    @field_validator("one_click_unsubscribe_url")
    @classmethod
    def _check_unsubscribe_url(cls, value: str | None) -> str | None:
        if value is not None and not _HTTPS_URI.match(value):
            raise PydanticCustomError("https_url", "is not a valid https url")
        return value

    @model_validator(mode="after")
    def _check_sanitise_content_for(self) -> EmailRequest:
        if not self.sanitise_content_for or not self.personalisation:
            return self
        from ..validation import normalise_key

        values: dict[str, object] = {}
        for key, value in self.personalisation.items():
            values[normalise_key(key)] = value  # later keys win, as on the server
        for name in self.sanitise_content_for:
            key = normalise_key(name)
            if key in values and not isinstance(values[key], str):
                raise PydanticCustomError(
                    "sanitise_content_for",
                    "sanitise_content_for names '{name}', whose personalisation value is not a "
                    "string; only string values can be sanitised",
                    {"name": name},
                )
        return self

    def to_payload(self) -> dict[str, Any]:
        """The JSON body Notify expects.

        Returns:
            The fields that are set, ids in canonical form and files as Notify's file objects;
            null fields are left out.
        """
        payload: dict[str, Any] = {
            "email_address": self.email_address,
            "template_id": str(self.template_id),
        }
        if self.personalisation is not None:
            payload["personalisation"] = _personalisation_payload(self.personalisation)
        if self.reference is not None:
            payload["reference"] = self.reference
        if self.email_reply_to_id is not None:
            payload["email_reply_to_id"] = str(self.email_reply_to_id)
        if self.one_click_unsubscribe_url is not None:
            payload["one_click_unsubscribe_url"] = self.one_click_unsubscribe_url
        if self.sanitise_content_for is not None:
            payload["sanitise_content_for"] = self.sanitise_content_for
        return payload


AddressLine = Union[StrictStr, int, float, None]  # noqa: UP007
"""An address line: text, or a number (Notify reads it as text); None or empty for none."""


class LetterPersonalisation(RequestModel):
    """The personalisation of a letter: the address, and any other placeholder values.

    The address is `address_line_1` to `address_line_7` (3 to 7 lines after blank lines are
    dropped; the last is a UK postcode, `BFPO`, or a country). The legacy `postcode` field is
    read as the last line when `address_line_7` is not given. Other keys (the template's
    placeholders) are kept as they are and must be JSON values. A plain `dict` given to
    `send_letter_notification` or `LetterRequest` becomes one of these.

    Raises:
        pydantic.ValidationError: When made with an address Notify would refuse, in its words
            (see `govuk_notify.validation.validate_postal_address`), a value that is not JSON,
            or a file.

    Example:
        ```python
        personalisation = LetterPersonalisation.model_validate(
            {
                "address_line_1": "Amala Bird",
                "address_line_2": "123 High Street",
                "address_line_3": "SW14 6BF",
                "name": "Amala",
            }
        )
        ```
    """

    model_config = ConfigDict(extra="allow")

    address_line_1: AddressLine = Field(
        default=None, description="The first line of the address, usually the name."
    )
    address_line_2: AddressLine = Field(default=None, description="The second line.")
    address_line_3: AddressLine = Field(
        default=None,
        description="The third line; an address needs at least three after empty ones are dropped.",
    )
    address_line_4: AddressLine = Field(default=None, description="An optional line.")
    address_line_5: AddressLine = Field(default=None, description="An optional line.")
    address_line_6: AddressLine = Field(default=None, description="An optional line.")
    address_line_7: AddressLine = Field(
        default=None,
        description="The seventh line. The last line given must be a UK postcode, BFPO and a "
        "number, or a country.",
    )
    postcode: AddressLine = Field(
        default=None, description="Legacy: the last line of the address, when there is no line 7."
    )

    @model_validator(mode="after")
    def _check_address(self) -> LetterPersonalisation:
        extra = self.__pydantic_extra__ or {}
        _no_files(extra)
        for key, value in extra.items():
            try:
                _json_value_adapter().validate_python(value)
            except ValueError:
                raise PydanticCustomError(
                    "json_value",
                    "personalisation '{key}' is not a JSON value",
                    {"key": key},
                ) from None
        from ..validation import InvalidRecipientError, validate_postal_address

        try:
            validate_postal_address(self.to_payload())
        except InvalidRecipientError as err:
            raise _recipient_error(err) from None
        return self

    def to_payload(self) -> dict[str, Any]:
        """The personalisation as sent.

        Returns:
            The address keys given, then the other values, as given (no cleaning up: Notify
            does that).
        """
        return self.model_dump(exclude_unset=True)


class LetterRequest(RequestModel):
    """A letter to send from a template (`POST /v2/notifications/letter`).

    Raises:
        pydantic.ValidationError: When made with an address Notify would refuse, an id that is
            not a UUID, a reference over 1000 characters, or a file in the personalisation.
    """

    endpoint: ClassVar[Endpoint[LetterResponse]] = Endpoint(
        "POST",
        "/v2/notifications/letter",
        "send",
        "LetterResponse",
        LetterResponse.model_validate_json,
    )
    """Where the request is sent, and how the answer is read (see ``govuk_notify.endpoints``)."""

    template_id: Id = Field(description="The template's id (a UUID, as str or uuid.UUID).")
    personalisation: LetterPersonalisation = Field(
        description="The address (address_line_1 to address_line_7) and the template's "
        "placeholder values."
    )
    reference: Reference | None = Field(
        default=None,
        description="Your identifier for the message or batch, at most 1000 characters; no "
        "personal data. Find the message by it with get_all_notifications(reference=...).",
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            template_id: IdLike,
            personalisation: LetterPersonalisation | Mapping[str, object],
            reference: str | None = None,
        ) -> None: ...

    def to_payload(self) -> dict[str, Any]:
        """The JSON body Notify expects.

        Returns:
            The template id in canonical form, the personalisation, and the reference if set.
        """
        payload: dict[str, Any] = {
            "template_id": str(self.template_id),
            "personalisation": self.personalisation.to_payload(),
        }
        if self.reference is not None:
            payload["reference"] = self.reference
        return payload


PrecompiledPostage = Literal["first", "second", "economy"]
"""The postage a precompiled letter can ask for."""


def _pdf_bytes(value: object) -> object:
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    return value


class PrecompiledLetterRequest(RequestModel):
    """A letter you made as a PDF (`POST /v2/notifications/letter` with `content`).

    Notify checks the PDF after accepting it: a PDF outside the letter specification ends with
    the status `validation-failed`.

    Raises:
        pydantic.ValidationError: When made without a reference, with content that is not
            bytes, or with a postage other than `first`, `second` or `economy`.
    """

    endpoint: ClassVar[Endpoint[PrecompiledLetterResponse]] = Endpoint(
        "POST",
        "/v2/notifications/letter",
        "send",
        "PrecompiledLetterResponse",
        PrecompiledLetterResponse.model_validate_json,
    )
    """Where the request is sent, and how the answer is read (see ``govuk_notify.endpoints``)."""

    reference: StrictStr = Field(description="Required for precompiled letters; no length limit.")
    content: Annotated[
        bytes,
        BeforeValidator(_pdf_bytes),
        PlainSerializer(lambda b: base64.b64encode(b).decode("ascii"), return_type=str),
        WithJsonSchema({"type": "string", "contentEncoding": "base64"}),
    ] = Field(description="The PDF file's bytes (sent base64-encoded).", repr=False)
    postage: PrecompiledPostage | None = Field(
        default=None, description="first, second or economy; Notify's default is second."
    )

    @field_validator("content", mode="before")
    @classmethod
    def _check_content(cls, value: object) -> object:
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise PydanticCustomError("bytes", "content must be the PDF file's bytes")
        return value

    def to_payload(self) -> dict[str, Any]:
        """The JSON body Notify expects.

        Returns:
            The reference, the PDF base64-encoded as `content`, and the postage if set.
        """
        payload: dict[str, Any] = {
            "reference": self.reference,
            "content": base64.b64encode(self.content).decode("ascii"),
        }
        if self.postage is not None:
            payload["postage"] = self.postage
        return payload


# --- list filters -------------------------------------------------------------------------------


def _as_tuple(value: object) -> object:
    if value is None or isinstance(value, (list, tuple)):
        return value
    return (value,)


class NotificationFilters(RequestModel):
    """The filters of `GET /v2/notifications` (`get_all_notifications` and its iterator).

    Raises:
        pydantic.ValidationError: When made with a status or template type Notify does not
            know, an `older_than` that is not a UUID, or an `include_jobs` that is not a bool.
    """

    status: Annotated[tuple[NotificationStatusFilter, ...] | None, BeforeValidator(_as_tuple)] = (
        Field(
            default=None,
            description="One status or several (any of them matches); failed stands for the "
            "three failure statuses.",
        )
    )
    template_type: Annotated[tuple[TemplateType, ...] | None, BeforeValidator(_as_tuple)] = Field(
        default=None, description="sms, email or letter; one or several."
    )
    reference: StrictStr | None = Field(
        default=None, description="Only the notifications sent with this reference."
    )
    older_than: Id | None = Field(
        default=None, description="A notification id: the page starts after it (older)."
    )
    include_jobs: StrictBool | None = Field(
        default=None,
        description="Also list the notifications sent by uploading a spreadsheet.",
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            status: str | _Status | Sequence[str | _Status] | None = None,
            template_type: str | _TemplateType | Sequence[str | _TemplateType] | None = None,
            reference: str | None = None,
            older_than: IdLike | None = None,
            include_jobs: bool | None = None,
        ) -> None: ...

    def to_params(self) -> list[tuple[str, str]]:
        """The query parameters, as the server reads them.

        Returns:
            `(name, value)` pairs; several statuses or types are repeated keys, and
            `include_jobs` is sent only when true.
        """
        params: list[tuple[str, str]] = []
        for status in self.status or ():
            params.append(("status", status.value))
        for template_type in self.template_type or ():
            params.append(("template_type", template_type.value))
        if self.reference is not None:
            params.append(("reference", self.reference))
        if self.older_than is not None:
            params.append(("older_than", str(self.older_than)))
        if self.include_jobs:
            params.append(("include_jobs", "true"))
        return params
