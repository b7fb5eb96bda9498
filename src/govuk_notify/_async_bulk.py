"""``AsyncNotifyClient.send_many``: the bulk engine in asyncio tasks instead of threads.

The same :class:`~govuk_notify.bulk.TokenBucket` paces it (awaited with
:meth:`~govuk_notify.bulk.TokenBucket.acquire_async`), the same rules own the rate limit (a 429
pauses every task and is retried by the bucket, never by the transport under it), and the
results are the same :class:`~govuk_notify.bulk.Sent`, :class:`~govuk_notify.bulk.Failed` and
:class:`~govuk_notify.bulk.Unknown`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

from ._bucket import TokenBucket, backoff_after_rate_limit, batch_bucket
from ._bulk_requests import check_batch, check_requests, token_cost
from ._bulk_results import (
    BulkCallbackError,
    BulkProgress,
    BulkResult,
    Failed,
    NotSent,
    Sent,
    Unknown,
    outcome_of_error,
)
from ._endpoint import Sendable
from .errors import RateLimitError
from .retry import Timeout, rate_limits_handled_by_caller

__all__ = ["AsyncSender", "send_many_async"]

R = TypeVar("R")


class AsyncSender(Protocol):
    """What the async engine needs of a client: an awaitable ``send``."""

    def send(self, request: Sendable[R], *, timeout: Timeout | None = None) -> Awaitable[R]:
        """Send one request model."""
        ...


class _AsyncRun:
    def __init__(
        self,
        client: AsyncSender,
        requests: Sequence[Sendable[Any]],
        *,
        concurrency: int,
        bucket: TokenBucket,
        on_progress: Callable[[BulkProgress], object] | None,
        progress_interval: float,
        max_rate_limit_wait: float,
    ) -> None:
        self.client = client
        self.requests = requests
        self.concurrency = concurrency
        self.bucket = bucket
        self.on_progress = on_progress
        self.progress_interval = progress_interval
        self.max_rate_limit_wait = max_rate_limit_wait
        self.results: list[BulkResult[Any] | None] = [None] * len(requests)
        self.next_index = 0
        self.in_flight: set[int] = set()
        self.counts = {"sent": 0, "failed": 0, "unknown": 0}
        self.rate_limited = 0
        self.rate_limit_streak = 0
        self.latency_total = 0.0
        self.latency_count = 0
        self.started = time.monotonic()
        self.stop = asyncio.Event()

    async def work(self) -> None:
        with rate_limits_handled_by_caller():  # the bucket owns the rate limit
            while not self.stop.is_set() and self.next_index < len(self.requests):
                index = self.next_index
                self.next_index += 1
                await self.send_one(index, self.requests[index])

    async def send_one(self, index: int, request: Sendable[Any]) -> None:
        cost = token_cost(request)
        if not await self.bucket.acquire_async(cost, self.stop):
            return
        self.in_flight.add(index)
        waited = 0.0
        while True:
            began = time.monotonic()
            try:
                response = await self.client.send(request)
            except RateLimitError as err:
                delay = self.rate_limit_delay(err)
                if waited + delay > self.max_rate_limit_wait:
                    self.finish(Failed(index, request, err))
                    return
                waited += delay
                self.bucket.pause(delay)
                if not await self.bucket.acquire_async(cost, self.stop):
                    self.finish(NotSent(index, request))
                    return
                continue
            except asyncio.CancelledError:
                self.finish(Unknown(index, request, None))  # it may have gone out
                raise
            except Exception as err:
                self.note_latency(time.monotonic() - began)
                if outcome_of_error(err) == "failed":
                    self.finish(Failed(index, request, err))
                else:
                    self.finish(Unknown(index, request, err))
                return
            self.note_latency(time.monotonic() - began)
            self.finish(Sent(index, request, response))
            return

    def rate_limit_delay(self, err: RateLimitError) -> float:
        """As the threaded engine: ``Retry-After``, else the pause running, else a longer one."""
        held = self.bucket.hold_remaining()
        self.rate_limited += 1
        if err.retry_after is not None:
            return err.retry_after
        if held > 0:
            return held
        self.rate_limit_streak += 1
        return backoff_after_rate_limit(self.rate_limit_streak)

    def note_latency(self, seconds: float) -> None:
        self.latency_total += seconds
        self.latency_count += 1

    def finish(self, result: BulkResult[Any]) -> None:
        self.in_flight.discard(result.index)
        if isinstance(result, NotSent):
            return
        self.results[result.index] = result
        self.counts[result.outcome] += 1
        if isinstance(result, Sent):
            self.rate_limit_streak = 0

    def progress(self) -> BulkProgress:
        elapsed = time.monotonic() - self.started
        done = sum(self.counts.values())
        remaining = len(self.requests) - done
        eta: float | None = None
        if self.latency_count:
            mean = self.latency_total / self.latency_count
            unstarted = sum(token_cost(r) for r in self.requests[self.next_index :])
            by_rate = self.bucket.seconds_for(unstarted) if unstarted else 0.0
            eta = max(by_rate, remaining * mean / self.concurrency) + (mean if remaining else 0.0)
        return BulkProgress(
            total=len(self.requests),
            sent=self.counts["sent"],
            failed=self.counts["failed"],
            unknown=self.counts["unknown"],
            in_flight=len(self.in_flight),
            rate_limited=self.rate_limited,
            elapsed=elapsed,
            eta=eta,
        )

    def report(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.progress())

    async def reporter(self) -> None:
        while True:
            await asyncio.sleep(self.progress_interval)
            self.report()

    async def run(self) -> list[BulkResult[Any]]:
        workers = [
            asyncio.ensure_future(self.work())
            for _ in range(min(self.concurrency, len(self.requests)))
        ]
        reporter = asyncio.ensure_future(self.reporter()) if self.on_progress else None
        try:
            await asyncio.gather(*workers)
        except asyncio.CancelledError:
            self.stop.set()
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            raise
        except Exception as err:  # a callback (on_progress) raised
            self.stop.set()
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            raise BulkCallbackError(self.collect()) from err
        finally:
            if reporter is not None:
                reporter.cancel()
                await asyncio.gather(reporter, return_exceptions=True)
        try:
            self.report()
        except Exception as err:
            raise BulkCallbackError(self.collect()) from err
        return self.collect()

    def collect(self) -> list[BulkResult[Any]]:
        collected: list[BulkResult[Any]] = []
        for index, result in enumerate(self.results):
            if result is not None:
                collected.append(result)
            elif index in self.in_flight:
                collected.append(Unknown(index, self.requests[index], None))
            else:
                collected.append(NotSent(index, self.requests[index]))
        return collected


async def send_many_async(
    client: AsyncSender,
    requests: Iterable[Sendable[R]],
    *,
    concurrency: int = 10,
    rate_per_minute: float = 3000,
    on_progress: Callable[[BulkProgress], object] | None = None,
    progress_interval: float = 0.5,
    max_rate_limit_wait: float = 600.0,
    bucket: TokenBucket | None = None,
) -> list[BulkResult[R]]:
    """Send many request models from ``concurrency`` tasks, at the rate limit.

    Args:
        client: an ``AsyncNotifyClient``.
        requests: any mix of SMS, email and letter request models.
        concurrency: sends in flight at once.
        rate_per_minute: the service's rate limit (3000 by default); the bucket's burst is kept
            2% under the server's, as in the threaded version.
        on_progress: gets a ``BulkProgress`` every ``progress_interval`` seconds and at the end.
        progress_interval: seconds between progress reports.
        max_rate_limit_wait: the most seconds one request waits out 429s before it fails.
        bucket: a bucket of your own (shared with other batches, or with another shape).

    Returns:
        One result per request, in input order.

    Raises:
        pydantic.ValidationError: a bad ``concurrency``, ``rate_per_minute`` or
            ``progress_interval``, or an item that is not a request model.
        BulkCallbackError: ``on_progress`` raised; it carries the partial results.
    """
    check_batch("concurrency", concurrency, rate_per_minute, progress_interval)
    items = check_requests(requests)
    if bucket is None:
        bucket = batch_bucket(rate_per_minute)
    run = _AsyncRun(
        client,
        items,
        concurrency=concurrency,
        bucket=bucket,
        on_progress=on_progress,
        progress_interval=progress_interval,
        max_rate_limit_wait=max_rate_limit_wait,
    )
    return await run.run()
