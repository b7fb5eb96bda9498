"""Base classes and shared field types of the models.

Request models refuse unknown fields and are frozen; response models keep unknown fields (in
`model_extra`) and are frozen; status enums admit values Notify adds later (`OpenEnum`).
"""

from __future__ import annotations

import enum
from datetime import datetime, timezone
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = ["OpenEnum", "RequestModel", "ResponseModel", "Timestamp", "argument_error"]


class RequestModel(BaseModel):
    """Base of the request models: unknown fields refused, frozen, errors without the input.

    A typo such as `phone_numbr` fails loudly, a request cannot change once it was checked, and
    a `ValidationError` never quotes the input, which may be personal data.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, hide_input_in_errors=True, defer_build=True
    )


class ResponseModel(BaseModel):
    """Base of the response models: unknown fields kept, frozen.

    Notify adds fields often; a field this version does not know is kept in `model_extra`
    instead of failing the whole response.
    """

    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)


class OpenEnum(str, enum.Enum):
    """A string enum that admits values it does not know yet.

    Notify adds statuses and postage classes from time to time; an old client must not crash on
    them. An unknown value becomes a pseudo-member whose `value` is the text the server sent and
    whose `is_known` is False; equal unknown values are the same object. Members are strings, so
    `status == "delivered"` works as well as `status is SmsStatus.DELIVERED`.

    Example:
        ```python
        SmsStatus("delivered") is SmsStatus.DELIVERED  # True
        later = SmsStatus("queued-abroad")  # a value this version does not know
        later.value, later.is_known  # ('queued-abroad', False)
        ```
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value.upper().replace("-", "_")
        member._value_ = value
        # Cache it so that equal unknown values are the same object.
        return cls._value2member_map_.setdefault(value, member)

    @property
    def is_known(self) -> bool:
        """False for a value Notify added after this version of the SDK was released."""
        return type(self).__members__.get(self._name_) is self

    def __str__(self) -> str:
        return str(self.value)


def _assume_utc(value: datetime) -> datetime:
    # The server always sends UTC ("...Z"); older documentation shows naive UTC timestamps.
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


Timestamp = Annotated[datetime, AfterValidator(_assume_utc)]
"""An aware `datetime`; a timestamp without a zone is read as UTC, as Notify means it."""


def argument_error(
    name: str | tuple[str | int, ...],
    message: str,
    *,
    title: str = "arguments",
    error_type: str = "argument",
) -> ValidationError:
    """A pydantic ``ValidationError`` for one bad argument of a method or helper.

    The SDK's rule: a mistake in what you pass, found before anything is sent, is a
    ``ValidationError`` (a ``ValueError``) whose location is the argument's name. Its text never
    quotes the value, which may be personal data.

    Args:
        name: The argument's name, as the method's signature spells it, or a location inside
            it (``("requests", 3)``).
        message: What is wrong with it, e.g. ``"is not a valid UUID"``.
        title: The ``title`` of the error (the method or helper's name).
        error_type: The error's ``type`` in ``errors()``.

    Returns:
        The error, for the caller to raise.
    """
    detail: InitErrorDetails = {
        "type": PydanticCustomError(error_type, message),
        "loc": (name,) if isinstance(name, str) else name,
        "input": None,
    }
    return ValidationError.from_exception_data(title, [detail], hide_input=True)
