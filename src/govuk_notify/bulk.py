"""Sending many messages at the rate limit: a client-side token bucket and :func:`send_many`.

Notify has no bulk endpoint, so a batch is one request per message. :func:`send_many` sends them
from a pool of threads, paced by a token bucket shaped like the server's (server contract §5.6),
so that a batch runs at the service's rate limit and not faster: a full bucket's burst first,
then ``rate_per_minute / 60`` requests a second.

A 429 ``RateLimitError`` (another process sending with the same key) is waited out and the send
retried: the server checks the limit before it creates anything, so that retry cannot send a
message twice. Every other outcome is final: one result per request, in input order.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, Union, overload

from .errors import (
    APIError,
    ConnectError,
    NotifyError,
    RateLimitError,
    SendStatusUnknownError,
    TLSError,
)
from .models._base import argument_error
from .models.requests import EmailRequest, LetterRequest, PrecompiledLetterRequest, SmsRequest
from .models.responses import (
    EmailResponse,
    LetterResponse,
    PrecompiledLetterResponse,
    SmsResponse,
)

if TYPE_CHECKING:
    from .client import NotifyClient

__all__ = [
    "DEFAULT_RATE_PER_MINUTE",
    "DEFAULT_WORKERS",
    "AnyRequest",
    "AnyResponse",
    "BucketState",
    "BulkCallbackError",
    "BulkInterrupted",
    "BulkProgress",
    "BulkResult",
    "Failed",
    "NotSent",
    "Sent",
    "TokenBucket",
    "Unknown",
    "bucket_capacity",
    "outcome_of_error",
    "refill",
    "reserve",
    "send_many",
    "token_cost",
]

DEFAULT_RATE_PER_MINUTE = 3000
"""The server's default ``service.rate_limit``: requests per 60 seconds, per key type."""

DEFAULT_WORKERS = 10
"""Threads sending at once: enough for 50 requests a second (the default rate limit) with up to
200 ms of latency per request. Each keeps one connection of the client's pool busy."""

AnyRequest = Union[SmsRequest, EmailRequest, LetterRequest, PrecompiledLetterRequest]  # noqa: UP007
AnyResponse = Union[SmsResponse, EmailResponse, LetterResponse, PrecompiledLetterResponse]  # noqa: UP007
_REQUEST_TYPES = (SmsRequest, EmailRequest, LetterRequest, PrecompiledLetterRequest)


# --- the token bucket, as pure functions ---------------------------------------------------------


def bucket_capacity(rate_per_minute: float) -> int:
    """The most tokens the server's bucket holds: ``min(ceil(rate / 3) + 1, 1000)``."""
    return min(math.ceil(rate_per_minute / 3) + 1, 1000)


def token_cost(request: AnyRequest) -> int:
    """Tokens a send takes on the server: two for a templated letter (the server checks the
    limit twice on that route), one for anything else."""
    return 2 if isinstance(request, LetterRequest) else 1


@dataclass(frozen=True)
class BucketState:
    """A token bucket at one moment.

    ``tokens`` may be negative: tokens already promised to callers who are waiting for them.
    ``updated`` is the clock time the count is for; after a pause it lies in the future, and the
    bucket does not refill before then.
    """

    tokens: float
    updated: float


def refill(state: BucketState, now: float, rate_per_second: float, capacity: float) -> BucketState:
    """The bucket at ``now``: refilled at ``rate_per_second`` since ``state.updated``, never above
    ``capacity``. Before ``state.updated`` (during a pause) nothing is added."""
    if now <= state.updated:
        return state
    tokens = min(capacity, state.tokens + (now - state.updated) * rate_per_second)
    return BucketState(tokens, now)


def reserve(
    state: BucketState, now: float, cost: float, rate_per_second: float, capacity: float
) -> tuple[BucketState, float]:
    """Take ``cost`` tokens at ``now``, on credit if the bucket holds fewer.

    Returns the new state and how many seconds the caller must wait before using the tokens
    (0.0 when they were there). Callers are served in the order they reserve, and the tokens
    granted in any window of ``t`` seconds never exceed ``capacity + rate_per_second * t``.
    """
    current = refill(state, now, rate_per_second, capacity)
    tokens = current.tokens - cost
    wait = max(0.0, current.updated - now)
    if tokens < 0:
        wait += -tokens / rate_per_second
    return BucketState(tokens, current.updated), wait


def pause(
    state: BucketState, now: float, seconds: float, rate_per_second: float, capacity: float
) -> BucketState:
    """Empty the bucket and hold it empty for ``seconds`` (after a 429: the server's bucket is
    empty, and someone else is using it too). Tokens already promised stay promised."""
    current = refill(state, now, rate_per_second, capacity)
    return BucketState(min(current.tokens, 0.0), max(current.updated, now + max(seconds, 0.0)))


class TokenBucket:
    """A thread-safe token bucket shaped like the server's.

    It starts full with ``capacity`` tokens (by default the server's
    ``min(ceil(rate / 3) + 1, 1000)``) and refills at ``rate_per_minute / 60`` tokens a second.
    ``clock`` is injectable for tests.
    """

    def __init__(
        self,
        rate_per_minute: float = DEFAULT_RATE_PER_MINUTE,
        *,
        capacity: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not rate_per_minute > 0:
            raise argument_error("rate_per_minute", "must be more than 0", title="TokenBucket")
        self.rate_per_minute = rate_per_minute
        self.rate_per_second = rate_per_minute / 60.0
        self.capacity = float(bucket_capacity(rate_per_minute) if capacity is None else capacity)
        if self.capacity < 1:
            raise argument_error("capacity", "must be at least 1", title="TokenBucket")
        self._clock = clock
        self._lock = threading.Lock()
        self._state = BucketState(self.capacity, clock())
        self._hold_until = float("-inf")

    def reserve(self, cost: float = 1.0) -> float:
        """Take ``cost`` tokens now (on credit if need be); return the seconds to wait before
        using them."""
        with self._lock:
            now = self._clock()
            self._state, wait = reserve(self._state, now, cost, self.rate_per_second, self.capacity)
            return wait

    def pause(self, seconds: float) -> None:
        """Empty the bucket and refill nothing for ``seconds``; callers already waiting for
        tokens are held until then too (see :meth:`hold_remaining`)."""
        with self._lock:
            now = self._clock()
            self._state = pause(self._state, now, seconds, self.rate_per_second, self.capacity)
            self._hold_until = max(self._hold_until, now + seconds)

    def hold_remaining(self) -> float:
        """Seconds left of the current pause (0.0 when there is none)."""
        with self._lock:
            return max(0.0, self._hold_until - self._clock())

    def tokens(self) -> float:
        """Tokens in the bucket now (negative while callers wait for promised tokens)."""
        with self._lock:
            state = refill(self._state, self._clock(), self.rate_per_second, self.capacity)
            return state.tokens

    def seconds_for(self, cost: float) -> float:
        """How long, from now, until ``cost`` more tokens could be granted."""
        with self._lock:
            now = self._clock()
            state = refill(self._state, now, self.rate_per_second, self.capacity)
            wait = max(0.0, state.updated - now)
            missing = cost - state.tokens
            return wait + max(0.0, missing) / self.rate_per_second

    def acquire(self, cost: float = 1.0, stop: threading.Event | None = None) -> bool:
        """Block until ``cost`` tokens are granted (True), or until ``stop`` is set (False; the
        reserved tokens are then lost, which only slows later callers)."""
        event = stop if stop is not None else threading.Event()
        wait = self.reserve(cost)
        while wait > 0:
            if event.wait(wait):
                return False
            wait = self.hold_remaining()
        return not event.is_set()


# --- results ---------------------------------------------------------------------------------

_R = TypeVar("_R", bound=AnyResponse)
Outcome = Literal["sent", "failed", "unknown", "not_sent"]


@dataclass(frozen=True)
class Sent(Generic[_R]):
    """Notify accepted the request; ``response`` holds the new notification's id."""

    index: int
    request: AnyRequest = field(repr=False)
    response: _R

    outcome: Literal["sent"] = field(default="sent", init=False)

    @property
    def error(self) -> None:
        return None


@dataclass(frozen=True)
class Failed:
    """Notify refused the request, or it never left: nothing was sent. ``error`` says why
    (a 4xx ``APIError``, a ``ConnectError``, or a ``RateLimitError`` waited out for too long)."""

    index: int
    request: AnyRequest = field(repr=False)
    error: Exception

    outcome: Literal["failed"] = field(default="failed", init=False)

    @property
    def response(self) -> None:
        return None


@dataclass(frozen=True)
class Unknown:
    """The request went out but no clear answer came back: the message may have been sent.
    Look it up by its reference before sending it again. ``error`` is ``None`` when the run was
    abandoned while the request was in flight."""

    index: int
    request: AnyRequest = field(repr=False)
    error: Exception | None

    outcome: Literal["unknown"] = field(default="unknown", init=False)

    @property
    def response(self) -> None:
        return None


@dataclass(frozen=True)
class NotSent:
    """The run stopped before this request was sent (only in :class:`BulkInterrupted`)."""

    index: int
    request: AnyRequest = field(repr=False)

    outcome: Literal["not_sent"] = field(default="not_sent", init=False)

    @property
    def response(self) -> None:
        return None

    @property
    def error(self) -> None:
        return None


BulkResult = Union[Sent[_R], Failed, Unknown, NotSent]  # noqa: UP007
"""One request's outcome. ``isinstance(result, Sent)`` (or ``result.outcome == "sent"``) narrows
it; ``result.response`` and ``result.error`` are there on every kind (``None`` where they do not
apply)."""


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
    """:func:`send_many` stopped because one of its callbacks raised (the error is
    ``__cause__``). Like :class:`BulkInterrupted`, it carries the partial ``results``."""

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


# --- the engine ------------------------------------------------------------------------------


class _Run:
    def __init__(
        self,
        client: NotifyClient,
        requests: Sequence[AnyRequest],
        *,
        workers: int,
        bucket: TokenBucket,
        on_progress: Callable[[BulkProgress], object] | None,
        progress_interval: float,
        before_send: Callable[[int, AnyRequest], object] | None,
        on_result: Callable[[BulkResult[Any]], object] | None,
        max_rate_limit_wait: float,
    ) -> None:
        self.client = client
        self.requests = requests
        self.workers = workers
        self.bucket = bucket
        self.on_progress = on_progress
        self.progress_interval = progress_interval
        self.before_send = before_send
        self.on_result = on_result
        self.max_rate_limit_wait = max_rate_limit_wait

        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.wake = threading.Event()
        self.results: list[BulkResult[Any] | None] = [None] * len(requests)
        self.next_index = 0
        self.in_flight: set[int] = set()
        self.counts = {"sent": 0, "failed": 0, "unknown": 0}
        self.rate_limited = 0
        self.rate_limit_streak = 0
        # cost_after[i]: the tokens that requests[i:] need, for the time left.
        self.cost_after = [0] * (len(requests) + 1)
        for position in range(len(requests) - 1, -1, -1):
            self.cost_after[position] = self.cost_after[position + 1] + token_cost(
                requests[position]
            )
        self.latency_total = 0.0
        self.latency_count = 0
        self.callback_error: BaseException | None = None
        self.abandoned = False
        self.started = time.monotonic()

    # ---- worker side ----

    def work(self) -> None:
        while not self.stop.is_set():
            with self.lock:
                if self.next_index >= len(self.requests):
                    return
                index = self.next_index
                self.next_index += 1
            if not self.send_one(index, self.requests[index]):
                return

    def send_one(self, index: int, request: AnyRequest) -> bool:
        """Send one request; False when the run stopped before it was sent."""
        cost = token_cost(request)
        if not self.bucket.acquire(cost, self.stop):
            return False
        with self.lock:
            self.in_flight.add(index)
        waited = 0.0
        refused = False  # True once a 429 proved that nothing was created
        while True:
            if self.before_send is not None:
                try:
                    self.before_send(index, request)
                except BaseException as err:
                    self.fail_callback(err)
                    if refused:
                        self.finish(NotSent(index, request))
                    else:
                        self.forget(index)
                    return False
            began = time.monotonic()
            try:
                response = self.client.send(request)
            except RateLimitError as err:
                refused = True
                delay = self.rate_limit_delay(err)
                if waited + delay > self.max_rate_limit_wait:
                    self.finish(Failed(index, request, err))
                    return True
                waited += delay
                self.bucket.pause(delay)
                if not self.bucket.acquire(cost, self.stop):
                    self.finish(NotSent(index, request))
                    return False
                continue
            except Exception as err:
                self.note_latency(time.monotonic() - began)
                if outcome_of_error(err) == "failed":
                    self.finish(Failed(index, request, err))
                else:
                    self.finish(Unknown(index, request, err))
                return True
            self.note_latency(time.monotonic() - began)
            self.finish(Sent(index, request, response))
            return True

    def forget(self, index: int) -> None:
        with self.lock:
            self.in_flight.discard(index)
        self.wake.set()

    def rate_limit_delay(self, err: RateLimitError) -> float:
        """How long to hold every worker after a 429: ``Retry-After`` when the server sent it;
        otherwise join the pause already running, or start a longer one than last time."""
        held = self.bucket.hold_remaining()
        with self.lock:
            self.rate_limited += 1
            if err.retry_after is not None:
                return err.retry_after
            if held > 0:
                return held
            self.rate_limit_streak += 1
            streak = self.rate_limit_streak
        # Notify sends no Retry-After. Back off 0.25 s, 0.5 s, ... up to 5 s, with jitter.
        base: float = min(0.25 * 2.0 ** min(streak - 1, 5), 5.0)
        return base * (0.75 + 0.5 * random.random())

    def note_latency(self, seconds: float) -> None:
        with self.lock:
            self.latency_total += seconds
            self.latency_count += 1

    def finish(self, result: BulkResult[Any]) -> None:
        with self.lock:
            if self.abandoned:
                return
        if self.on_result is not None:
            try:
                self.on_result(result)
            except BaseException as err:
                self.fail_callback(err)
        with self.lock:
            self.in_flight.discard(result.index)
            if not isinstance(result, NotSent):
                self.results[result.index] = result
                self.counts[result.outcome] += 1
                if isinstance(result, Sent):
                    self.rate_limit_streak = 0
        self.wake.set()

    def fail_callback(self, err: BaseException) -> None:
        with self.lock:
            if self.callback_error is None:
                self.callback_error = err
        self.stop.set()
        self.wake.set()

    # ---- main-thread side ----

    def progress(self) -> BulkProgress:
        with self.lock:
            counts = dict(self.counts)
            in_flight = len(self.in_flight)
            rate_limited = self.rate_limited
            mean_latency = self.latency_total / self.latency_count if self.latency_count else None
            unstarted_cost = self.cost_after[self.next_index]
        elapsed = time.monotonic() - self.started
        eta: float | None = None
        if mean_latency is not None:
            remaining = len(self.requests) - sum(counts.values())
            by_rate = self.bucket.seconds_for(unstarted_cost) if unstarted_cost else 0.0
            by_workers = remaining * mean_latency / self.workers
            eta = max(by_rate, by_workers) + (mean_latency if remaining else 0.0)
        return BulkProgress(
            total=len(self.requests),
            sent=counts["sent"],
            failed=counts["failed"],
            unknown=counts["unknown"],
            in_flight=in_flight,
            rate_limited=rate_limited,
            elapsed=elapsed,
            eta=eta,
        )

    def report(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.progress())

    def run(self) -> list[BulkResult[Any]]:
        threads = [
            threading.Thread(target=self.work, name=f"govuk-notify-bulk-{n}", daemon=True)
            for n in range(min(self.workers, len(self.requests)))
        ]
        try:
            for thread in threads:
                thread.start()
            last_report = float("-inf")
            while any(thread.is_alive() for thread in threads):
                self.wake.wait(min(self.progress_interval, 0.1))
                self.wake.clear()
                if self.callback_error is not None:
                    break
                now = time.monotonic()
                if now - last_report >= self.progress_interval:
                    last_report = now
                    self.report()
            if self.callback_error is None:
                self.report()
        except BaseException as err:
            self.stop.set()
            self.drain(threads)
            results = self.collect()
            if isinstance(err, KeyboardInterrupt):
                raise BulkInterrupted(results) from err
            if isinstance(err, Exception):
                raise BulkCallbackError(results) from err
            raise
        if self.callback_error is not None:
            self.drain(threads)
            cause = self.callback_error
            results = self.collect()
            if isinstance(cause, KeyboardInterrupt):
                raise BulkInterrupted(results) from cause
            raise BulkCallbackError(results) from cause
        return self.collect()

    def drain(self, threads: list[threading.Thread]) -> None:
        """Wait for the sends in flight; a second Ctrl-C stops waiting (they become Unknown)."""
        try:
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.1)
        except KeyboardInterrupt:
            with self.lock:
                self.abandoned = True

    def collect(self) -> list[BulkResult[Any]]:
        with self.lock:
            collected: list[BulkResult[Any]] = []
            for index, result in enumerate(self.results):
                if result is not None:
                    collected.append(result)
                elif index in self.in_flight:
                    collected.append(Unknown(index, self.requests[index], None))
                else:
                    collected.append(NotSent(index, self.requests[index]))
            return collected


@overload
def send_many(
    client: NotifyClient,
    requests: Iterable[SmsRequest],
    *,
    workers: int = ...,
    rate_per_minute: float = ...,
    on_progress: Callable[[BulkProgress], object] | None = ...,
    progress_interval: float = ...,
    before_send: Callable[[int, AnyRequest], object] | None = ...,
    on_result: Callable[[BulkResult[Any]], object] | None = ...,
    max_rate_limit_wait: float = ...,
    bucket: TokenBucket | None = ...,
) -> list[BulkResult[SmsResponse]]: ...
@overload
def send_many(
    client: NotifyClient,
    requests: Iterable[EmailRequest],
    *,
    workers: int = ...,
    rate_per_minute: float = ...,
    on_progress: Callable[[BulkProgress], object] | None = ...,
    progress_interval: float = ...,
    before_send: Callable[[int, AnyRequest], object] | None = ...,
    on_result: Callable[[BulkResult[Any]], object] | None = ...,
    max_rate_limit_wait: float = ...,
    bucket: TokenBucket | None = ...,
) -> list[BulkResult[EmailResponse]]: ...
@overload
def send_many(
    client: NotifyClient,
    requests: Iterable[LetterRequest],
    *,
    workers: int = ...,
    rate_per_minute: float = ...,
    on_progress: Callable[[BulkProgress], object] | None = ...,
    progress_interval: float = ...,
    before_send: Callable[[int, AnyRequest], object] | None = ...,
    on_result: Callable[[BulkResult[Any]], object] | None = ...,
    max_rate_limit_wait: float = ...,
    bucket: TokenBucket | None = ...,
) -> list[BulkResult[LetterResponse]]: ...
@overload
def send_many(
    client: NotifyClient,
    requests: Iterable[PrecompiledLetterRequest],
    *,
    workers: int = ...,
    rate_per_minute: float = ...,
    on_progress: Callable[[BulkProgress], object] | None = ...,
    progress_interval: float = ...,
    before_send: Callable[[int, AnyRequest], object] | None = ...,
    on_result: Callable[[BulkResult[Any]], object] | None = ...,
    max_rate_limit_wait: float = ...,
    bucket: TokenBucket | None = ...,
) -> list[BulkResult[PrecompiledLetterResponse]]: ...
@overload
def send_many(
    client: NotifyClient,
    requests: Iterable[AnyRequest],
    *,
    workers: int = ...,
    rate_per_minute: float = ...,
    on_progress: Callable[[BulkProgress], object] | None = ...,
    progress_interval: float = ...,
    before_send: Callable[[int, AnyRequest], object] | None = ...,
    on_result: Callable[[BulkResult[Any]], object] | None = ...,
    max_rate_limit_wait: float = ...,
    bucket: TokenBucket | None = ...,
) -> list[BulkResult[AnyResponse]]: ...
def send_many(
    client: NotifyClient,
    requests: Iterable[AnyRequest],
    *,
    workers: int = DEFAULT_WORKERS,
    rate_per_minute: float = DEFAULT_RATE_PER_MINUTE,
    on_progress: Callable[[BulkProgress], object] | None = None,
    progress_interval: float = 0.5,
    before_send: Callable[[int, AnyRequest], object] | None = None,
    on_result: Callable[[BulkResult[Any]], object] | None = None,
    max_rate_limit_wait: float = 600.0,
    bucket: TokenBucket | None = None,
) -> list[BulkResult[Any]]:
    """Send many request models (any mix of SMS, email and letters) at the rate limit.

    ``workers`` threads send at once, paced by a :class:`TokenBucket` of ``rate_per_minute``
    (the service's rate limit; 3000 by default). Its burst is kept 2% under the server's so that
    jitter in the network does not earn a 429; pass your own ``bucket`` to change that. A 429
    ``RateLimitError`` pauses every worker and the send is retried, for up to
    ``max_rate_limit_wait`` seconds per request.

    Returns one result per request, in input order: :class:`Sent` (``.response``),
    :class:`Failed` (refused, nothing sent) or :class:`Unknown` (may have been sent; look it up
    by reference before sending again).

    ``on_progress`` gets a :class:`BulkProgress` in the calling thread, at most every
    ``progress_interval`` seconds and once at the end. ``before_send(index, request)`` runs in
    a worker right before each attempt goes out (after its token is granted; again before a
    retry after a 429), and ``on_result(result)`` in the worker once the outcome is known,
    including :class:`NotSent` for a request that ``before_send`` saw but that the run stopped
    before it was sent. An exception
    from a callback stops the run as Ctrl-C does and becomes :class:`BulkCallbackError`.

    Ctrl-C (``KeyboardInterrupt`` in the calling thread) starts no new send, waits for those in
    flight, and raises :class:`BulkInterrupted` with the partial results; a second Ctrl-C stops
    the waiting, and the sends still in flight become :class:`Unknown`.
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise argument_error("workers", "must be a whole number of 1 or more", title="send_many")
    if not rate_per_minute > 0:
        raise argument_error("rate_per_minute", "must be more than 0", title="send_many")
    if not progress_interval > 0:
        raise argument_error("progress_interval", "must be more than 0", title="send_many")
    items = list(requests)
    for position, item in enumerate(items):
        if not isinstance(item, _REQUEST_TYPES):
            raise argument_error(
                ("requests", position),
                f"is a {type(item).__name__}; send_many takes SmsRequest, EmailRequest, "
                "LetterRequest and PrecompiledLetterRequest models",
                title="send_many",
            )
    if bucket is None:
        capacity = bucket_capacity(rate_per_minute)
        bucket = TokenBucket(rate_per_minute, capacity=max(1, capacity - capacity // 50))
    run = _Run(
        client,
        items,
        workers=workers,
        bucket=bucket,
        on_progress=on_progress,
        progress_interval=progress_interval,
        before_send=before_send,
        on_result=on_result,
        max_rate_limit_wait=max_rate_limit_wait,
    )
    return run.run()
