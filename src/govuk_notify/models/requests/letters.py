"""The letter requests: `LetterPersonalisation`, `LetterRequest` and `PrecompiledLetterRequest`."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictStr,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..._endpoint import Endpoint
from .._base import RequestModel
from ..responses import LetterResponse, PrecompiledLetterResponse
from ._fields import (
    Id,
    Reference,
    _json_value_adapter,
    _recipient_error,
)
from .files import (
    _no_files,
)

if TYPE_CHECKING:
    from ...types import IdLike


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
        from ...validation import InvalidRecipientError, validate_postal_address

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
