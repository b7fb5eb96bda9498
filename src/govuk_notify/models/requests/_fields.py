"""The field types shared by the request models: ids, references and recipient errors."""

from __future__ import annotations

import functools
import uuid
from typing import TYPE_CHECKING, Annotated

from pydantic import (
    BeforeValidator,
    Field,
    JsonValue,
    StrictStr,
    TypeAdapter,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

if TYPE_CHECKING:
    from ...validation import InvalidRecipientError


MAX_REFERENCE_LENGTH = 1000
"""The longest `reference` Notify accepts on a templated message, in characters."""


@functools.cache
def _json_value_adapter() -> TypeAdapter[JsonValue]:
    # Built on first use, not at import.
    return TypeAdapter(JsonValue)


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
