"""The text message request (`SmsRequest`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import (
    Field,
    StrictStr,
    field_validator,
)

from ..._endpoint import Endpoint
from .._base import RequestModel
from ..responses import SmsResponse
from ._fields import (
    Id,
    Reference,
    _recipient_error,
)
from .files import (
    Personalisation,
    _no_files,
)

if TYPE_CHECKING:
    from ...types import IdLike, JSONValue


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
        from ...validation import InvalidRecipientError, parse_phone_number

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
