"""The token bucket that paces ``send_many``.

Pure functions, and one bucket for threads and tasks alike.

It is shaped like the server's (server contract §5.6): a full bucket's burst first, then
``rate_per_minute / 60`` tokens a second. The sync engine blocks in :meth:`TokenBucket.acquire`,
the async one awaits :meth:`TokenBucket.acquire_async`; both reserve with the same pure
:func:`reserve` and pause with :func:`pause`.
"""

from __future__ import annotations

import asyncio
import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .models._base import argument_error

__all__ = [
    "DEFAULT_RATE_PER_MINUTE",
    "BucketState",
    "TokenBucket",
    "backoff_after_rate_limit",
    "batch_bucket",
    "bucket_capacity",
    "pause",
    "refill",
    "reserve",
]

DEFAULT_RATE_PER_MINUTE = 3000
"""The server's default ``service.rate_limit``: requests per 60 seconds, per key type."""


def bucket_capacity(rate_per_minute: float) -> int:
    """The most tokens the server's bucket holds: ``min(ceil(rate / 3) + 1, 1000)``."""
    return min(math.ceil(rate_per_minute / 3) + 1, 1000)


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
    """The bucket at ``now``.

    Refilled at ``rate_per_second`` since ``state.updated``, never above ``capacity``. Before
    ``state.updated`` (during a pause) nothing is added.
    """
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
    """Empty the bucket and hold it empty for ``seconds``.

    After a 429 the server's bucket is empty, and someone else is using it too. Tokens already
    promised stay promised.
    """
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
        """Take ``cost`` tokens now (on credit if need be).

        Returns the seconds to wait before using them.
        """
        with self._lock:
            now = self._clock()
            self._state, wait = reserve(self._state, now, cost, self.rate_per_second, self.capacity)
            return wait

    def pause(self, seconds: float) -> None:
        """Empty the bucket and refill nothing for ``seconds``.

        Callers already waiting for tokens are held until then too (see :meth:`hold_remaining`).
        """
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
        """Block until ``cost`` tokens are granted (True), or until ``stop`` is set (False).

        When stopped, the reserved tokens are lost, which only slows later callers.
        """
        event = stop if stop is not None else threading.Event()
        wait = self.reserve(cost)
        while wait > 0:
            if event.wait(wait):
                return False
            wait = self.hold_remaining()
        return not event.is_set()

    async def acquire_async(self, cost: float = 1.0, stop: asyncio.Event | None = None) -> bool:
        """Wait without blocking the event loop until ``cost`` tokens are granted.

        Args:
            cost: tokens to take.
            stop: an event that ends the wait early.

        Returns:
            True once granted; False when ``stop`` was set (the reserved tokens are then lost,
            which only slows later callers).
        """
        wait = self.reserve(cost)
        while wait > 0:
            if stop is None:
                await asyncio.sleep(wait)
            else:
                try:
                    await asyncio.wait_for(stop.wait(), wait)
                    return False
                except asyncio.TimeoutError:
                    pass
            wait = self.hold_remaining()
        return stop is None or not stop.is_set()


def backoff_after_rate_limit(streak: int) -> float:
    """Seconds to hold every worker after a 429 without ``Retry-After`` (Notify sends none).

    Args:
        streak: 429s in a row with no send accepted between them, counting this one (1 or more).

    Returns:
        0.25 s, 0.5 s, ... up to 5 s, jittered by ±25%.
    """
    base: float = min(0.25 * 2.0 ** min(max(streak, 1) - 1, 5), 5.0)
    return base * (0.75 + 0.5 * random.random())


def batch_bucket(rate_per_minute: float) -> TokenBucket:
    """The bucket a batch paces itself with when it is given none.

    Shaped like the server's, with its burst kept 2% under the server's capacity, so that jitter
    in the network does not earn a 429.
    """
    capacity = bucket_capacity(rate_per_minute)
    return TokenBucket(rate_per_minute, capacity=max(1, capacity - capacity // 50))
