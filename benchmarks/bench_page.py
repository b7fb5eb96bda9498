"""CPU time for one whole page read: ``get_all_notifications`` (HTTP on loopback, then parsing
the 250 notifications into models), against the official client's ``get_all_notifications`` (the
same HTTP, then ``json.loads`` into dicts). Both talk to the benchmark server, in a process of its
own, so ``time.process_time()`` counts the client's work only. The garbage collector stays on.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from typing import Any

from . import Figure, median, render_table
from .server import API_KEY, running_server

__all__ = ["ROUNDS", "run"]

ROUNDS = 7
READS = 40
WARMUP = 5
TARGET = 1.2


def _ms_per_read(read: Callable[[], object], reads: int) -> float:
    gc.collect()
    started = time.process_time()
    for _ in range(reads):
        read()
    return (time.process_time() - started) / reads * 1e3


def run(base_url: str, rounds: int = ROUNDS, reads: int = READS) -> list[Figure]:
    from notifications_python_client import notifications

    import govuk_notify

    official_class: Any = notifications.NotificationsAPIClient  # no annotations
    ours_client = govuk_notify.NotifyClient(API_KEY, base_url)
    official_client = official_class(API_KEY, base_url)

    def ours() -> object:
        page = ours_client.get_all_notifications()
        assert len(page.notifications) == 250
        return page

    def official() -> object:
        page = official_client.get_all_notifications()
        assert len(page["notifications"]) == 250
        return page

    try:
        _ms_per_read(ours, WARMUP)
        _ms_per_read(official, WARMUP)
        ours_ms: list[float] = []
        official_ms: list[float] = []
        for round_number in range(rounds):
            pair = [(ours, ours_ms), (official, official_ms)]
            for read, into in pair if round_number % 2 == 0 else reversed(pair):
                into.append(_ms_per_read(read, reads))
    finally:
        ours_client.close()
        official_client.request_session.close()
    return [
        Figure(
            name="CPU per get_all_notifications page of 250 (HTTP + parsing)",
            unit="ms",
            ours=median(ours_ms),
            official=median(official_ms),
            rounds=rounds,
            target=TARGET,
            note=f"{reads} reads a round; models vs the official client's dicts",
            short="CPU per `get_all_notifications` page of 250 (HTTP + parsing)",
            remedy="fewer objects per row than pydantic models make (see the parse row); the"
            " HTTP part already costs less than the official client's",
        )
    ]


def main() -> int:
    with running_server() as server:
        print(render_table(run(server.base_url)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
