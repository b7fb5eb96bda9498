"""Sending many messages at the rate limit: a client-side token bucket and :func:`send_many`.

Notify has no bulk endpoint, so a batch is one request per message. :func:`send_many` sends them
from a pool of threads, paced by a token bucket shaped like the server's (server contract §5.6),
so that a batch runs at the service's rate limit and not faster: a full bucket's burst first,
then ``rate_per_minute / 60`` requests a second.

A 429 ``RateLimitError`` (another process sending with the same key) is waited out and the send
retried: the server checks the limit before it creates anything, so that retry cannot send a
message twice. The bulk layer is the one owner of the rate limit: its bucket pauses every worker
and retries, and the transport under it hands a 429 straight up instead of retrying it too.
Every other outcome is final: one result per request, in input order.

The async version, :meth:`AsyncNotifyClient.send_many <govuk_notify.AsyncNotifyClient.send_many>`,
runs the same bucket and the same rules in tasks instead of threads.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from ._bucket import (
    DEFAULT_RATE_PER_MINUTE,
    BucketState,
    TokenBucket,
    backoff_after_rate_limit,
    batch_bucket,
    bucket_capacity,
    pause,
    refill,
    reserve,
)
from ._bulk_requests import AnyRequest, AnyResponse, check_batch, check_requests, token_cost
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
from ._bulk_run import Run, Sender
from ._endpoint import Sendable
from .bulk_resume import AlreadySent, JournaledBatch

if TYPE_CHECKING:
    from .bulk_journal import SendJournal
    from .client import NotifyClient

__all__ = [
    "DEFAULT_RATE_PER_MINUTE",
    "DEFAULT_WORKERS",
    "AlreadySent",
    "AnyRequest",
    "AnyResponse",
    "BucketState",
    "BulkCallbackError",
    "BulkInterrupted",
    "BulkProgress",
    "BulkResult",
    "Failed",
    "NotSent",
    "Sender",
    "Sent",
    "TokenBucket",
    "Unknown",
    "backoff_after_rate_limit",
    "bucket_capacity",
    "check_requests",
    "outcome_of_error",
    "pause",
    "refill",
    "reserve",
    "send_many",
    "token_cost",
]

R = TypeVar("R")

DEFAULT_WORKERS = 10
"""Threads sending at once: enough for 50 requests a second (the default rate limit) with up to
200 ms of latency per request. Each keeps one connection of the client's pool busy."""


def send_many(
    client: Sender,
    requests: Iterable[Sendable[R]],
    *,
    workers: int = DEFAULT_WORKERS,
    rate_per_minute: float = DEFAULT_RATE_PER_MINUTE,
    on_progress: Callable[[BulkProgress], object] | None = None,
    progress_interval: float = 0.5,
    before_send: Callable[[int, Any], object] | None = None,
    on_result: Callable[[BulkResult[Any]], object] | None = None,
    max_rate_limit_wait: float = 600.0,
    bucket: TokenBucket | None = None,
    journal: str | os.PathLike[str] | SendJournal | None = None,
) -> list[BulkResult[R]]:
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

    With ``journal`` (a path, or a :class:`~govuk_notify.bulk_journal.SendJournal`), every
    message is recorded in that SQLite file and a message the journal shows as sent is not sent
    again: it comes back as :class:`AlreadySent`. A message is its normalised recipient, template
    and personalisation (:mod:`govuk_notify.bulk_identity`), so a rerun after a crash or after
    editing the batch sends exactly the messages not sent before. A request without a reference
    gets one derived from its message; one still in doubt from an earlier run is looked up by
    reference first (:class:`Unknown` with an ``InDoubtError`` while that cannot decide).
    ``on_progress`` then counts only the messages being sent. The journal needs a
    ``NotifyClient`` (it reads the service id and looks messages up).
    """
    check_batch("workers", workers, rate_per_minute, progress_interval)
    items = check_requests(requests)
    if journal is not None:
        journaled: list[BulkResult[R]] = JournaledBatch(
            journal,
            cast("NotifyClient", client),
            items,  # type: ignore[arg-type]
        ).run(
            lambda batch, before, after: send_many(
                client,
                batch,
                workers=workers,
                rate_per_minute=rate_per_minute,
                on_progress=on_progress,
                progress_interval=progress_interval,
                before_send=before,
                on_result=after,
                max_rate_limit_wait=max_rate_limit_wait,
                bucket=bucket,
            ),
            before_send=before_send,
            on_result=on_result,
            unknown=Unknown,
        )
        return journaled
    if bucket is None:
        bucket = batch_bucket(rate_per_minute)
    run = Run(
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
