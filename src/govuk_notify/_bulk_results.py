"""What ``send_many`` returns: one result per request, the progress reports and its errors.

Shared by the threaded and the async engines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar, Union

from .bulk_resume import AlreadySent
from .errors import APIError, ConnectError, NotifyError, SendStatusUnknownError, TLSError

__all__ = [
    "BulkCallbackError",
    "BulkInterrupted",
    "BulkProgress",
    "BulkResult",
    "Failed",
    "NotSent",
    "Sent",
    "Unknown",
    "outcome_of_error",
]

_R = TypeVar("_R")
Outcome = Literal["sent", "failed", "unknown", "not_sent"]


@dataclass(frozen=True)
class Sent(Generic[_R]):
    """Notify accepted the request; ``response`` holds the new notification's id."""

    index: int
    request: Any = field(repr=False)
    response: _R

    outcome: Literal["sent"] = field(default="sent", init=False)

    @property
    def error(self) -> None:
        return None


@dataclass(frozen=True)
class Failed:
    """Notify refused the request, or it never left.

    Nothing was sent. ``error`` says why (a 4xx ``APIError``, a ``ConnectError``, or a
    ``RateLimitError`` waited out for too long).
    """

    index: int
    request: Any = field(repr=False)
    error: Exception

    outcome: Literal["failed"] = field(default="failed", init=False)

    @property
    def response(self) -> None:
        return None


@dataclass(frozen=True)
class Unknown:
    """The request went out but no clear answer came back.

    The message may have been sent. Look it up by its reference before sending it again. ``error``
    is ``None`` when the run was abandoned while the request was in flight.
    """

    index: int
    request: Any = field(repr=False)
    error: Exception | None

    outcome: Literal["unknown"] = field(default="unknown", init=False)

    @property
    def response(self) -> None:
        return None


@dataclass(frozen=True)
class NotSent:
    """The run stopped before this request was sent (only in :class:`BulkInterrupted`)."""

    index: int
    request: Any = field(repr=False)

    outcome: Literal["not_sent"] = field(default="not_sent", init=False)

    @property
    def response(self) -> None:
        return None

    @property
    def error(self) -> None:
        return None


BulkResult = Union[Sent[_R], Failed, Unknown, NotSent, AlreadySent]  # noqa: UP007
"""One request's outcome (:class:`AlreadySent` only with ``send_many(journal=...)``).
``isinstance(result, Sent)`` (or ``result.outcome == "sent"``) narrows it; ``result.response``
and ``result.error`` are there on every kind (``None`` where they do not apply)."""


def outcome_of_error(error: BaseException) -> Literal["failed", "unknown"]:
    """Whether an error from a send proves that nothing was sent (``"failed"``) or not.

    Proof: an answer with a 4xx status (the server refuses before it creates anything), or a
    request that never left (no connection, no TLS). Anything else (a 5xx, a timeout after the
    request went out, an answer that could not be read) may hide a created notification.
    """
    if isinstance(error, SendStatusUnknownError):
        return "unknown"
    if isinstance(error, APIError):
        return "failed" if 400 <= error.status_code < 500 else "unknown"
    if isinstance(error, (ConnectError, TLSError)):
        return "failed"
    return "unknown"


class _PartialResults:
    results: list[BulkResult[Any]]

    @property
    def sent(self) -> list[Sent[Any]]:
        return [r for r in self.results if isinstance(r, Sent)]

    @property
    def failed(self) -> list[Failed]:
        return [r for r in self.results if isinstance(r, Failed)]

    @property
    def unknown(self) -> list[Unknown]:
        return [r for r in self.results if isinstance(r, Unknown)]

    @property
    def not_sent(self) -> list[NotSent]:
        return [r for r in self.results if isinstance(r, NotSent)]

    def _summary(self) -> str:
        return (
            f"{len(self.sent)} sent, {len(self.failed)} failed, {len(self.unknown)} unknown, "
            f"{len(self.not_sent)} not sent"
        )


class BulkInterrupted(_PartialResults, KeyboardInterrupt):
    """Ctrl-C stopped :func:`send_many`: no new send started, the ones in flight finished.

    ``results`` has one entry per request, in input order: :class:`Sent`, :class:`Failed`,
    :class:`Unknown` or :class:`NotSent`. It is a ``KeyboardInterrupt``, so a program that does
    not catch it still stops as Ctrl-C makes it stop.
    """

    def __init__(self, results: list[BulkResult[Any]]) -> None:
        self.results = results
        super().__init__(self._summary())

    def __str__(self) -> str:
        return f"interrupted: {self._summary()}"


class BulkCallbackError(_PartialResults, NotifyError):
    """:func:`send_many` stopped because one of its callbacks raised (the error is ``__cause__``).

    Like :class:`BulkInterrupted`, it carries the partial ``results``.
    """

    def __init__(self, results: list[BulkResult[Any]]) -> None:
        self.results = results
        super().__init__(self._summary())

    def __str__(self) -> str:
        return f"aborted by a callback: {self._summary()}"


@dataclass(frozen=True)
class BulkProgress:
    """Where a :func:`send_many` run is."""

    total: int
    sent: int
    failed: int
    unknown: int
    in_flight: int
    rate_limited: int
    """429 ``RateLimitError`` answers waited out so far (after the client's own retries)."""
    elapsed: float
    """Seconds since the run started."""
    eta: float | None
    """Seconds left, from the rate limit and the latency seen so far (``None`` before the first
    answer)."""

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.unknown

    @property
    def remaining(self) -> int:
        return self.total - self.done

    @property
    def rate(self) -> float:
        """Requests finished per second since the start."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0
