"""1,000 sends to a server that answers each request 100 ms late, 50 at a time, with no rate
limit: ``AsyncNotifyClient.send_many(concurrency=50)`` against the time latency and concurrency
allow (1000 / 50 × 0.1 s = 2 s), and its CPU per send against the threaded
``NotifyClient.send_many(workers=50)`` in the same run.

The server runs in a process of its own; wall time is ``time.perf_counter()``, CPU is
``time.process_time()`` (every thread of this process).
"""

from __future__ import annotations

import asyncio
import gc
import sys
import time
from typing import Any

from . import Figure, median, render_table
from .server import API_KEY, TEMPLATE_ID, running_server

__all__ = ["ROUNDS", "run"]

ROUNDS = 3
SENDS = 1000
CONCURRENCY = 50
LATENCY_MS = 100.0
NO_RATE_LIMIT = 1e9
"""Requests per minute: a bucket that never makes anyone wait."""
WALL_TARGET = 1.10


def _requests(round_number: int) -> list[Any]:
    from govuk_notify import SmsRequest

    return [
        SmsRequest(
            phone_number=f"07712{(round_number * SENDS + n) % 1_000_000:06d}",
            template_id=TEMPLATE_ID,
            personalisation={"name": "Amala"},
            reference=f"bench-{n}",
        )
        for n in range(SENDS)
    ]


def _async_round(base_url: str, requests: list[Any]) -> tuple[float, float]:
    import govuk_notify

    async def main() -> tuple[float, float]:
        async with govuk_notify.AsyncNotifyClient(API_KEY, base_url) as client:
            gc.collect()
            cpu = time.process_time()
            wall = time.perf_counter()
            results = await client.send_many(
                requests, concurrency=CONCURRENCY, rate_per_minute=NO_RATE_LIMIT
            )
            wall = time.perf_counter() - wall
            cpu = time.process_time() - cpu
        if any(r.outcome != "sent" for r in results):
            raise RuntimeError("an async send failed")
        return wall, cpu

    return asyncio.run(main())


def _threaded_round(base_url: str, requests: list[Any]) -> tuple[float, float]:
    import govuk_notify

    with govuk_notify.NotifyClient(API_KEY, base_url) as client:
        gc.collect()
        cpu = time.process_time()
        wall = time.perf_counter()
        results = client.send_many(requests, workers=CONCURRENCY, rate_per_minute=NO_RATE_LIMIT)
        wall = time.perf_counter() - wall
        cpu = time.process_time() - cpu
    if any(r.outcome != "sent" for r in results):
        raise RuntimeError("a threaded send failed")
    return wall, cpu


def run(base_url: str, rounds: int = ROUNDS) -> list[Figure]:
    allowed = SENDS / CONCURRENCY * LATENCY_MS / 1000.0
    async_wall: list[float] = []
    async_cpu: list[float] = []
    threaded_wall: list[float] = []
    threaded_cpu: list[float] = []
    for round_number in range(rounds):
        requests = _requests(round_number)
        order = [
            (_async_round, async_wall, async_cpu),
            (_threaded_round, threaded_wall, threaded_cpu),
        ]
        for sender, walls, cpus in order if round_number % 2 == 0 else reversed(order):
            wall, cpu = sender(base_url, requests)
            walls.append(wall)
            cpus.append(cpu / SENDS * 1e6)
    return [
        Figure(
            name=f"{SENDS} sends, {LATENCY_MS:g} ms latency, concurrency {CONCURRENCY}: "
            "AsyncNotifyClient wall time",
            unit="s",
            ours=median(async_wall),
            official=None,
            rounds=rounds,
            limit=allowed * WALL_TARGET,
            note=(
                f"latency and concurrency allow {allowed:.1f} s (target: within 10%);"
                f" the threaded send_many took {median(threaded_wall):.2f} s"
            ),
            short=f"{SENDS:,} sends at {LATENCY_MS:g} ms latency, concurrency {CONCURRENCY}:"
            " `AsyncNotifyClient` wall time",
            remedy="less CPU per send on the event loop's one thread (an HTTP parser in C)",
        ),
        Figure(
            name="CPU per send in that batch: async send_many vs threaded send_many",
            unit="µs",
            ours=median(async_cpu),
            official=median(threaded_cpu),
            rounds=rounds,
            target=1.0,
            note="the other side is govuk-notify's threaded send_many, not the official client",
            short="CPU per send in that batch: async `send_many` vs threaded `send_many`",
            remedy="an HTTP/1.1 parser in C in place of h11 (see the async send row)",
        ),
    ]


def main() -> int:
    with running_server(latency_ms=LATENCY_MS) as server:
        print(render_table(run(server.base_url)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
