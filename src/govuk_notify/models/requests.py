"""Request models. Each validates its input the way the Notify server does, before anything is
sent: a request the server would accept is never refused, and a mistake that can be found without
the service's state is reported with the field's name and the server's own words."""

from __future__ import annotations

import base64
import binascii
import functools
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

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
MAX_FILE_SIZE = MAX_UPLOAD_SIZE
"""The size ``prepare_upload`` allows, as the official clients do (2 MiB)."""


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
"""A UUID, given as ``uuid.UUID`` or ``str``; sent in canonical form."""

Reference = Annotated[
    StrictStr,
    Field(
        max_length=MAX_REFERENCE_LENGTH,
        description="Your identifier for the message or batch; no personal data. "
        "At most 1000 characters.",
    ),
]


def _recipient_error(err: InvalidRecipientError) -> PydanticCustomError:
    return PydanticCustomError("recipient", "{message}", {"message": err.message})


def _is_file(value: object) -> bool:
    return isinstance(value, FileUpload) or (isinstance(value, Mapping) and "file" in value)


def _no_files(personalisation: Mapping[str, object] | None) -> None:
    if personalisation and any(_is_file(v) for v in personalisation.values()):
        raise PydanticCustomError("file_not_allowed", "Can only send a file by email")


# --- file uploads -------------------------------------------------------------------------------


class FileUpload(RequestModel):
    """A file to send by email, as a value in the personalisation (see ``prepare_upload``).

    The file is shared through a secure download link placed where the placeholder is.
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
        """The JSON object Notify expects (all four documented keys, ``is_csv`` only if set)."""
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
EmailPersonalisationValue = Annotated[
    Union[Annotated[FileUpload, Tag("file")], Annotated[JsonValue, Tag("json")]],  # noqa: UP007
    Discriminator(_file_or_json),
]


def _personalisation_payload(personalisation: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value.to_payload() if isinstance(value, FileUpload) else value
        for key, value in personalisation.items()
    }


# --- sends --------------------------------------------------------------------------------------


class SmsRequest(RequestModel):
    """A text message to send (``POST /v2/notifications/sms``)."""

    phone_number: StrictStr = Field(
        description="A UK or international number, in any usual format."
    )
    template_id: Id
    personalisation: Personalisation | None = None
    reference: Reference | None = None
    sms_sender_id: Id | None = None

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
    """An email to send (``POST /v2/notifications/email``)."""

    email_address: StrictStr
    template_id: Id
    personalisation: dict[str, EmailPersonalisationValue] | None = Field(
        default=None,
        description="Placeholder values; a value may be a file made by prepare_upload().",
    )
    reference: Reference | None = None
    email_reply_to_id: Id | None = None
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


class LetterPersonalisation(RequestModel):
    """The personalisation of a letter: the address, and any other placeholder values.

    The address is ``address_line_1`` to ``address_line_7`` (3 to 7 lines after blank lines are
    dropped; the last is a UK postcode, ``BFPO``, or a country). The legacy ``postcode`` field is
    read as the last line when ``address_line_7`` is not given. Other keys are kept as they are.
    """

    model_config = ConfigDict(extra="allow")

    address_line_1: AddressLine = None
    address_line_2: AddressLine = None
    address_line_3: AddressLine = None
    address_line_4: AddressLine = None
    address_line_5: AddressLine = None
    address_line_6: AddressLine = None
    address_line_7: AddressLine = None
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
        """The personalisation as sent: the address keys given, then the other values."""
        return self.model_dump(exclude_unset=True)


class LetterRequest(RequestModel):
    """A letter to send from a template (``POST /v2/notifications/letter``)."""

    template_id: Id
    personalisation: LetterPersonalisation
    reference: Reference | None = None

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            template_id: IdLike,
            personalisation: LetterPersonalisation | Mapping[str, object],
            reference: str | None = None,
        ) -> None: ...

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "template_id": str(self.template_id),
            "personalisation": self.personalisation.to_payload(),
        }
        if self.reference is not None:
            payload["reference"] = self.reference
        return payload


PrecompiledPostage = Literal["first", "second", "economy"]


def _pdf_bytes(value: object) -> object:
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    return value


class PrecompiledLetterRequest(RequestModel):
    """A letter you made as a PDF (``POST /v2/notifications/letter`` with ``content``).

    Notify checks the PDF after accepting it: a PDF outside the letter specification ends with
    status ``validation-failed``.
    """

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
    """The filters of ``GET /v2/notifications``."""

    status: Annotated[tuple[NotificationStatusFilter, ...] | None, BeforeValidator(_as_tuple)] = (
        None
    )
    template_type: Annotated[tuple[TemplateType, ...] | None, BeforeValidator(_as_tuple)] = None
    reference: StrictStr | None = None
    older_than: Id | None = None
    include_jobs: StrictBool | None = None

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
        """Query parameters; lists are repeated keys, as the server reads them."""
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
