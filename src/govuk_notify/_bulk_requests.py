"""The requests a batch takes: the check that each can be sent, and what each costs the bucket.

Shared by the threaded engine (:mod:`govuk_notify.bulk`) and the async one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar, Union

from ._endpoint import Endpoint, Sendable
from .models._base import argument_error
from .models.requests import EmailRequest, LetterRequest, PrecompiledLetterRequest, SmsRequest
from .models.responses import (
    EmailResponse,
    LetterResponse,
    PrecompiledLetterResponse,
    SmsResponse,
)

__all__ = ["AnyRequest", "AnyResponse", "check_requests", "token_cost"]

R = TypeVar("R")

AnyRequest = Union[SmsRequest, EmailRequest, LetterRequest, PrecompiledLetterRequest]  # noqa: UP007
AnyResponse = Union[SmsResponse, EmailResponse, LetterResponse, PrecompiledLetterResponse]  # noqa: UP007


def token_cost(request: Sendable[Any]) -> int:
    """Tokens a send takes on the server.

    Args:
        request: a request model.

    Returns:
        Two for a templated letter (the server checks the limit twice on that route), one for
        anything else.
    """
    return 2 if isinstance(request, LetterRequest) else 1


def check_requests(requests: Iterable[Sendable[R]]) -> list[Sendable[R]]:
    """The requests as a list, each checked to be a request model that can be sent.

    Args:
        requests: the batch.

    Returns:
        The batch as a list.

    Raises:
        pydantic.ValidationError: an item is not an ``SmsRequest``, ``EmailRequest``,
            ``LetterRequest`` or ``PrecompiledLetterRequest`` (its loc is ``requests.<n>``).
    """
    items = list(requests)
    for position, item in enumerate(items):
        endpoint = getattr(type(item), "endpoint", None)
        if not isinstance(endpoint, Endpoint) or endpoint.kind != "send":
            raise argument_error(
                ("requests", position),
                f"is a {type(item).__name__}; send_many takes SmsRequest, EmailRequest, "
                "LetterRequest and PrecompiledLetterRequest models",
                title="send_many",
            )
    return items
