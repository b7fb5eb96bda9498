"""What one attempt came to, the same for both transports.

An attempt ends with an :class:`Answer` (the status, reason, ``Retry-After`` and whole body) or
with the SDK error that ended it. :func:`settle` turns that into the parsed response, or the wait
before the next attempt, or raises the error that ends the call; it logs the attempt once. The
decisions are :mod:`govuk_notify.retry`'s; only the loop that does the I/O and the waiting is
written for each transport.
"""

from __future__ import annotations

import logging
from typing import TypeVar

from ._endpoint import Call
from ._errors_map import api_error
from ._logging import log_attempt, logger
from .errors import NotifyError
from .retry import RetryPolicy, final_error

__all__ = ["Answer", "Wait", "settle"]

R = TypeVar("R")


class Answer:
    """An answer read in full: its status, reason, ``Retry-After`` and body."""

    __slots__ = ("content", "reason", "retry_after", "status")

    def __init__(self, status: int, reason: str, retry_after: str | None, content: bytes) -> None:
        self.status = status
        self.reason = reason
        self.retry_after = retry_after
        self.content = content


class Wait:
    """Try again after ``seconds``."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


def settle(
    call: Call[R],
    outcome: Answer | NotifyError,
    retry_number: int,
    elapsed: float,
    policy: RetryPolicy,
    *,
    retry_rate_limits: bool,
) -> R | Wait:
    """The parsed response, or how long to wait before trying again.

    Args:
        call: the call the attempt made.
        outcome: how the attempt ended.
        retry_number: how many retries came before it (0 for the first attempt).
        elapsed: the attempt's seconds, for the log line.
        policy: the client's retry policy.
        retry_rate_limits: whether a 429 is retried here (not when a batch owns the rate limit).

    Returns:
        The endpoint's response model, or a :class:`Wait`.

    Raises:
        NotifyError: the call ends (``SendStatusUnknownError`` for a send that may have arrived).
    """
    endpoint = call.endpoint
    attempt = retry_number + 1
    if isinstance(outcome, Answer):
        status: int | None = outcome.status
        if 200 <= outcome.status < 300:
            if logger.isEnabledFor(logging.DEBUG):
                log_attempt(
                    logging.DEBUG, endpoint.method, endpoint.route, attempt, status, None, elapsed,
                    None,
                )  # fmt: skip
            return call.parse(outcome.status, outcome.content)
        error: NotifyError = api_error(
            outcome.status, outcome.reason, outcome.content, outcome.retry_after
        )
    else:
        error = outcome
        status = getattr(error, "status_code", None)
    wait = policy.wait_before_retry(
        endpoint.kind, error, retry_number, retry_rate_limits=retry_rate_limits
    )
    if logger.isEnabledFor(logging.INFO):
        log_attempt(
            logging.INFO, endpoint.method, endpoint.route, attempt, status, error, elapsed, wait
        )
    if wait is None:
        final = final_error(endpoint.kind, error, call.reference, status)
        if final is error:
            raise error
        raise final from error
    return Wait(wait)
