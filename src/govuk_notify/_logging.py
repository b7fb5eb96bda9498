"""The one log line per attempt, shared by both transports."""

from __future__ import annotations

import logging
from typing import Any

from .errors import NotifyError

__all__ = ["log_attempt", "logger"]

logger = logging.getLogger("govuk_notify")


def log_attempt(
    level: int,
    method: str,
    route: str,
    attempt: int,
    status: int | None,
    error: NotifyError | None,
    elapsed: float,
    wait: float | None,
) -> None:
    """Log one attempt.

    The line holds the method, route template, attempt, status (or the error's class), elapsed
    seconds and what happens next. Never the URL, a body, a header or the key.

    Args:
        level: the logging level.
        method: ``GET`` or ``POST``.
        route: the endpoint's route template (no ids).
        attempt: 1 for the first attempt.
        status: the HTTP status, if an answer came.
        error: what ended the attempt, or None for a success.
        elapsed: seconds the attempt took.
        wait: seconds until the next attempt, or None when there is none.
    """
    extra: dict[str, Any] = {
        "notify_method": method,
        "notify_path": route,
        "notify_attempt": attempt,
        "notify_status": status,
        "notify_error": type(error).__name__ if error is not None else None,
        "notify_elapsed": round(elapsed, 6),
        "notify_retry_in": wait,
    }
    if error is None:
        logger.log(
            level,
            "%s %s attempt %d: HTTP %d in %.3fs",
            method,
            route,
            attempt,
            status,
            elapsed,
            extra=extra,
        )
        return
    outcome = type(error).__name__ if status is None else f"HTTP {status} {type(error).__name__}"
    after = "no retry" if wait is None else f"retrying in {wait:.2f}s"
    logger.log(
        level,
        "%s %s attempt %d: %s after %.3fs, %s",
        method,
        route,
        attempt,
        outcome,
        elapsed,
        after,
        extra=extra,
    )
