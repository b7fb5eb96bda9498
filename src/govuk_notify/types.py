"""Type aliases used in the public signatures.

Attributes:
    IdLike: An id as users write it: a ``str`` in any form ``uuid.UUID()`` reads (hyphens
        anywhere, braces, a ``urn:uuid:`` prefix, any case) or a ``uuid.UUID``. Models store it as
        ``uuid.UUID`` and send it in canonical form.
    JSONValue: A value JSON can carry: ``str``, ``int``, ``float``, ``bool``, ``None``, or a list
        or mapping of such values.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import TypeAlias

__all__ = ["IdLike", "JSONValue"]

IdLike: TypeAlias = str | uuid.UUID

JSONValue: TypeAlias = (
    str | int | float | bool | Sequence["JSONValue"] | Mapping[str, "JSONValue"] | None
)
