"""When a request is tried again: :class:`RetryPolicy` and the pure decisions both clients share.

Notify has no idempotency key, so a send (``POST /v2/notifications/*``) is retried only when the
request cannot have reached the server (it never left: DNS failure, refused connection, connect
timeout) or when the server refused it with a per-minute ``RateLimitError`` before creating
anything. Reads are also retried after read timeouts, dropped connections and 500/502/503/504.
A send that may have reached Notify without a clear answer raises ``SendStatusUnknownError``.

Everything here is a pure function of its arguments (the jitter aside): the loops that perform
I/O and wait live in the sync and async transports and only ask these functions what to do.
"""

from __future__ import annotations

import contextlib
import math
import random
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal, TypeAlias

from .errors import (
    APIError,
    ConfigurationError,
    ConnectError,
    ConnectionDroppedError,
    NotifyConnectionError,
    NotifyError,
    RateLimitError,
    ReadTimeoutError,
    SendStatusUnknownError,
    ServerError,
    TLSError,
)

__all__ = [
    "MAYBE_SENT_STATUSES",
    "RETRYABLE_STATUSES",
    "CallKind",
    "RetryPolicy",
    "Timeout",
    "attempt_limit",
    "check_timeout",
    "final_error",
    "rate_limits_handled_by_caller",
    "send_may_have_arrived",
    "transport_retries_rate_limits",
]

Timeout: TypeAlias = "float | tuple[float, float]"
"""Seconds: one number for both phases, or ``(connect, read)``."""

CallKind = Literal["send", "read"]
"""``send`` for ``POST /v2/notifications/*``; ``read`` for GETs and template previews."""

RETRYABLE_STATUSES = frozenset((500, 502, 503, 504))
"""Statuses after which a read is retried (and a send, with ``retry_sends_on_server_error``)."""
MAYBE_SENT_STATUSES = frozenset((502, 504))
"""Gateway statuses: the gateway may have passed the send on before it failed."""


def _seconds(name: str, value: object) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise ConfigurationError(f"{name} must be a finite number of seconds, 0 or more")
    return float(value)


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before trying a request again.

    * ``max_retries``: retries after the first attempt (0 turns retrying off).
    * The n-th retry (n from 0) waits ``min(initial_delay * 2**n, max_delay)``, shortened by a
      random jitter of up to 25% so that many clients do not retry in step.
    * A 429 with ``Retry-After`` waits that long instead, if it is at most ``max_retry_after``
      seconds; a longer wait is not made and the ``RateLimitError`` is raised.
    * ``retry_sends_on_server_error``: also retry sends after a 500/502/503/504. Off by default,
      because the message may already have been created: turn it on only if a duplicate message
      is better than a missing one.

    What is retried (:meth:`wait_before_retry` decides):

    ============================================  =======  ======================================
    failure                                       send     read (GET, template preview)
    ============================================  =======  ======================================
    DNS failure, refused connection, connect      yes      yes
    timeout (``ConnectError``)
    429 ``RateLimitError``                        yes [2]  yes [2]
    read timeout, connection dropped              no [1]   yes
    500, 502, 503, 504                            opt-in   yes
    429 daily limit, any other 4xx, TLS failure   no       no
    ============================================  =======  ======================================

    [1] raised as ``SendStatusUnknownError``, as are 502 and 504 answers to a send.
    [2] except inside ``send_many``, whose bucket owns the rate limit: it pauses every worker
    and retries, and the transport under it does not retry a 429 a second time.

    Example:
        >>> RetryPolicy(max_retries=0).wait_before_retry("read", ConnectError("refused"), 0)
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    retry_sends_on_server_error: bool = False

    def __post_init__(self) -> None:
        """Check every field.

        Raises:
            ConfigurationError: a field is not a number (or bool) in range.
        """
        if (
            isinstance(self.max_retries, bool)
            or not isinstance(self.max_retries, int)
            or self.max_retries < 0
        ):
            raise ConfigurationError("max_retries must be a whole number, 0 or more")
        _seconds("initial_delay", self.initial_delay)
        _seconds("max_delay", self.max_delay)
        _seconds("max_retry_after", self.max_retry_after)
        if not isinstance(self.retry_sends_on_server_error, bool):
            raise ConfigurationError("retry_sends_on_server_error must be True or False")

    def backoff(self, retry_number: int) -> float:
        """Seconds to wait before a retry, jittered.

        Args:
            retry_number: 0 for the first retry.

        Returns:
            ``min(initial_delay * 2**n, max_delay)`` shortened by up to 25%.

        Raises:
            ValueError: ``retry_number`` is negative.
        """
        if retry_number < 0:
            raise ValueError("retry_number must be 0 or more")
        try:
            delay = min(self.initial_delay * 2.0**retry_number, self.max_delay)
        except OverflowError:  # 2.0 ** 1024 and beyond
            delay = self.max_delay if self.initial_delay > 0 else 0.0
        return delay * (1.0 - 0.25 * random.random())

    def delay(self, retry_number: int, retry_after: float | None) -> float | None:
        """Seconds to wait before a retry, or None when none is to be made.

        Args:
            retry_number: retries already made (0 after the first attempt).
            retry_after: the server's ``Retry-After`` in seconds, if it sent one.

        Returns:
            The wait, or None when no retry is left or the server asked for a longer wait than
            ``max_retry_after``.
        """
        if retry_number >= self.max_retries:
            return None
        if retry_after is not None:
            return retry_after if retry_after <= self.max_retry_after else None
        return self.backoff(retry_number)

    def wait_before_retry(
        self,
        kind: CallKind,
        error: NotifyError,
        retry_number: int,
        *,
        retry_rate_limits: bool = True,
    ) -> float | None:
        """Seconds to wait before trying again after ``error``, or None: do not retry.

        Args:
            kind: ``"send"`` or ``"read"``.
            error: what ended the attempt.
            retry_number: retries already made (0 after the first attempt).
            retry_rate_limits: False when a caller above owns the rate limit (``send_many``):
                a 429 is then handed up at once.

        Returns:
            The wait in seconds, or None.
        """
        if isinstance(error, RateLimitError):
            if not retry_rate_limits:
                return None
            return self.delay(retry_number, error.retry_after)
        if isinstance(error, ConnectError):
            # The request never left (ConnectTimeoutError is a ConnectError too).
            return self.delay(retry_number, None)
        if isinstance(error, (ReadTimeoutError, ConnectionDroppedError)):
            return self.delay(retry_number, None) if kind == "read" else None
        if (
            isinstance(error, ServerError)
            and error.status_code in RETRYABLE_STATUSES
            and (kind == "read" or self.retry_sends_on_server_error)
        ):
            return self.delay(retry_number, None)
        return None


def send_may_have_arrived(error: NotifyError) -> bool:
    """Whether a send that failed with ``error`` may nevertheless have reached Notify.

    Args:
        error: the error that ended the last attempt.

    Returns:
        True when the request went out and no clear answer came back (a read timeout, a
        connection dropped after sending, an unclassified connection failure, or a 502/504 from
        a gateway).
    """
    if isinstance(error, (ConnectError, TLSError)):
        return False
    if isinstance(error, NotifyConnectionError):
        return True
    return isinstance(error, ServerError) and error.status_code in MAYBE_SENT_STATUSES


def final_error(
    kind: CallKind, error: NotifyError, reference: str | None, status: int | None
) -> NotifyError:
    """The error to raise once no retry is left.

    Args:
        kind: ``"send"`` or ``"read"``.
        error: what ended the last attempt.
        reference: the send's reference, carried by ``SendStatusUnknownError``.
        status: the HTTP status of the last answer, if any came.

    Returns:
        ``error`` itself, or a ``SendStatusUnknownError`` (to be raised from ``error``) when a
        send may have arrived.
    """
    if kind == "send" and send_may_have_arrived(error):
        reason = (
            f"HTTP {error.status_code} from a gateway"
            if isinstance(error, APIError)
            else str(error)
        )
        return SendStatusUnknownError(reason, reference=reference, status_code=status)
    return error


_TIMEOUT_RULE = "must be a positive number of seconds or a (connect, read) pair of them"


def check_timeout(timeout: Timeout, *, per_call: bool = False) -> Timeout:
    """Return ``timeout`` if it is valid.

    Args:
        timeout: seconds, or a ``(connect, read)`` pair of them.
        per_call: True for a method's ``timeout=`` argument, False for the client's setting.

    Returns:
        ``timeout`` unchanged.

    Raises:
        ConfigurationError: a bad client setting.
        pydantic.ValidationError: a bad ``timeout=`` argument of a method (the rule for every
            argument), its loc ``timeout``.
    """
    values = timeout if isinstance(timeout, tuple) else (timeout,)
    if (isinstance(timeout, tuple) and len(values) != 2) or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v > 0
        for v in values
    ):
        if per_call:
            from .models._base import argument_error  # not at import: models import this module

            raise argument_error("timeout", _TIMEOUT_RULE, title="the call's timeout")
        raise ConfigurationError(f"timeout {_TIMEOUT_RULE}")
    return timeout


def attempt_limit(timeout: Timeout) -> float:
    """The most seconds one attempt may take: the connect and the read timeouts added up.

    Args:
        timeout: a checked timeout.

    Returns:
        Seconds.
    """
    if isinstance(timeout, tuple):
        return float(timeout[0]) + float(timeout[1])
    return 2.0 * float(timeout)


_CALLER_OWNS_RATE_LIMIT: ContextVar[bool] = ContextVar(
    "govuk_notify_caller_owns_rate_limit", default=False
)


def transport_retries_rate_limits() -> bool:
    """Whether the transport should retry a 429 itself in the current thread or task.

    Returns:
        False inside :func:`rate_limits_handled_by_caller`, True elsewhere.
    """
    return not _CALLER_OWNS_RATE_LIMIT.get()


@contextlib.contextmanager
def rate_limits_handled_by_caller() -> Iterator[None]:
    """Within this block (in this thread or task only), a 429 goes straight to the caller.

    ``send_many`` runs each worker in it, so the bucket that paces the batch is the one owner
    of the rate limit.

    Yields:
        Nothing.
    """
    token = _CALLER_OWNS_RATE_LIMIT.set(True)
    try:
        yield
    finally:
        _CALLER_OWNS_RATE_LIMIT.reset(token)
