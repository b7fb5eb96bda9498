"""Sending a job's messages with :func:`govuk_notify.bulk.send_many`.

Every step is recorded in the journal before and after it happens.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .progress import ProgressBar

if TYPE_CHECKING:
    from ...bulk import AnyRequest, BulkProgress, BulkResult
    from ...bulk_journal import SendJournal
    from ...client import NotifyClient
    from .planning import PlannedRow
    from .report import Output

__all__ = ["send_rows"]


def send_rows(
    args: argparse.Namespace,
    output: Output,
    client: NotifyClient,
    journal: SendJournal,
    rows: Sequence[PlannedRow],
) -> None:
    """Send ``rows`` at the rate limit, showing progress on standard error.

    ``sending`` is committed before each request goes out, the outcome as soon as it is known.

    Raises:
        KeyboardInterrupt: Ctrl-C (as :class:`~govuk_notify.bulk.BulkInterrupted`): no new send
            started, the ones in flight finished and were recorded.
    """
    if not rows:
        return
    from ...bulk import send_many
    from ...bulk_resume import describe_error

    bar = ProgressBar(output.err)

    def before_send(index: int, request: AnyRequest) -> None:
        journal.mark_sending(rows[index].key)

    def on_result(result: BulkResult[Any]) -> None:
        key = rows[result.index].key
        if result.outcome == "sent":
            journal.mark_sent(key, str(getattr(result.response, "id", "")))
        elif result.outcome == "failed":
            journal.mark_failed(key, describe_error(result.error))
        elif result.outcome == "not_sent":
            journal.mark_pending(key)
        elif result.outcome == "unknown":
            journal.mark_unknown(key, describe_error(result.error))

    started = time.monotonic()
    try:
        send_many(
            client,
            [row.request for row in rows],
            workers=args.workers,
            rate_per_minute=args.rate_limit,
            on_progress=bar.update,
            progress_interval=0.2 if bar.tty else 1.0,
            before_send=before_send,
            on_result=on_result,
        )
    except KeyboardInterrupt as err:
        bar.interrupted(_final_progress(getattr(err, "results", None), time.monotonic() - started))
        raise


def _final_progress(results: object, elapsed: float) -> BulkProgress | None:
    """Where an interrupted run stopped, from ``BulkInterrupted.results``."""
    from ...bulk import BulkProgress

    if not isinstance(results, list):
        return None
    counts = Counter(getattr(result, "outcome", None) for result in results)
    return BulkProgress(
        total=len(results),
        sent=counts["sent"],
        failed=counts["failed"],
        unknown=counts["unknown"],
        in_flight=0,
        rate_limited=0,
        elapsed=elapsed,
        eta=None,
    )
