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

__all__ = ["AnyRequest", "AnyResponse", "check_batch", "check_requests", "token_cost"]

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


def check_batch(
    count_name: str, count: object, rate_per_minute: float, progress_interval: float
) -> None:
    """Check the settings both ``send_many`` take.

    Args:
        count_name: ``workers`` (threads) or ``concurrency`` (tasks).
        count: how many send at once.
        rate_per_minute: the rate limit to pace the batch to.
        progress_interval: seconds between progress reports.

    Raises:
        pydantic.ValidationError: one of them is out of range (its loc is the argument's name).
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise argument_error(count_name, "must be a whole number of 1 or more", title="send_many")
    if not rate_per_minute > 0:
        raise argument_error("rate_per_minute", "must be more than 0", title="send_many")
    if not progress_interval > 0:
        raise argument_error("progress_interval", "must be more than 0", title="send_many")
