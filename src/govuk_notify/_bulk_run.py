"""The threaded engine of ``send_many``: the workers, their shared bucket and the results.

A run hands requests to a pool of threads. Each worker takes the next request, reserves a token
from the bucket (waiting its turn), sends, and files one result in the request's place; a 429 from
another sender pauses every worker and the request is retried (the bulk layer is the one owner of
the rate limit). The public ``send_many`` (its arguments and checks) is in ``bulk.py``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from ._bucket import TokenBucket, backoff_after_rate_limit
from ._bulk_requests import token_cost
from ._bulk_results import (
    BulkCallbackError,
    BulkInterrupted,
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

__all__ = ["Run", "Sender"]

R = TypeVar("R")


class Sender(Protocol):
    """What ``send_many`` needs of a client: ``send`` (``NotifyClient`` has it)."""

    def send(self, request: Sendable[R], *, timeout: Timeout | None = None) -> R:
        """Send one request model."""
        ...


class Run:
    """One batch: its requests, its workers' shared state and its results, in input order."""

    def __init__(
        self,
        client: Sender,
        requests: Sequence[Sendable[Any]],
        *,
        workers: int,
        bucket: TokenBucket,
        on_progress: Callable[[BulkProgress], object] | None,
        progress_interval: float,
        before_send: Callable[[int, Any], object] | None,
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
        with rate_limits_handled_by_caller():  # the bucket owns the rate limit
            self._work()

    def _work(self) -> None:
        while not self.stop.is_set():
            with self.lock:
                if self.next_index >= len(self.requests):
                    return
                index = self.next_index
                self.next_index += 1
            if not self.send_one(index, self.requests[index]):
                return

    def send_one(self, index: int, request: Sendable[Any]) -> bool:
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
        """How long to hold every worker after a 429.

        ``Retry-After`` when the server sent it; otherwise join the pause already running, or start
        a longer one than last time.
        """
        held = self.bucket.hold_remaining()
        with self.lock:
            self.rate_limited += 1
            if err.retry_after is not None:
                return err.retry_after
            if held > 0:
                return held
            self.rate_limit_streak += 1
            streak = self.rate_limit_streak
        return backoff_after_rate_limit(streak)

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
