"""CPU time per ``send_sms_notification``, validation included: govuk-notify's sync client and its
async client (awaited one after another on one event loop), each against the official client's
sync send.

Both clients run in this process and talk to the benchmark server, which runs in a process of its
own: ``time.process_time()`` then counts only the client's work (Python and the kernel's share of
its socket calls), not the server's and not the wait for the answer.

Every call goes to a different phone number, as a real batch does, so no cache of recipients can
help. Rounds alternate between the clients, and which goes first.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from . import Figure, median, render_table
from .server import API_KEY, TEMPLATE_ID, running_server

__all__ = ["ROUNDS", "run"]

ROUNDS = 7
CALLS = 1000
WARMUP = 200
TARGET = 0.6


def _phone_numbers() -> Iterator[str]:
    # Valid UK mobile numbers (07712 xxxxxx), never the same twice.
    for n in itertools.count():
        yield f"07712{n % 1_000_000:06d}"


def _cpu_per_call(call: Callable[[str, int], object], numbers: Iterator[str], calls: int) -> float:
    """Microseconds of CPU per call."""
    gc.collect()
    started = time.process_time()
    for n in range(calls):
        call(next(numbers), n)
    return (time.process_time() - started) / calls * 1e6


def _async_cpu_per_call(
    loop: asyncio.AbstractEventLoop,
    client: Any,
    personalisation: dict[str, str],
    numbers: Iterator[str],
    calls: int,
) -> float:
    """Microseconds of CPU per awaited send, the event loop's own work included."""

    async def sends() -> None:
        for n in range(calls):
            await client.send_sms_notification(
                next(numbers), TEMPLATE_ID, personalisation, reference=f"bench-{n}"
            )

    gc.collect()
    started = time.process_time()
    loop.run_until_complete(sends())
    return (time.process_time() - started) / calls * 1e6


def run(base_url: str, rounds: int = ROUNDS, calls: int = CALLS) -> list[Figure]:
    from notifications_python_client import notifications

    import govuk_notify

    # The official client has no annotations.
    official_class: Any = notifications.NotificationsAPIClient
    ours_client = govuk_notify.NotifyClient(API_KEY, base_url)
    official_client = official_class(API_KEY, base_url)
    personalisation = {"name": "Amala", "day": "Tuesday", "time": "10:30"}

    def ours(phone_number: str, n: int) -> object:
        return ours_client.send_sms_notification(
            phone_number, TEMPLATE_ID, personalisation, reference=f"bench-{n}"
        )

    def official(phone_number: str, n: int) -> object:
        return official_client.send_sms_notification(
            phone_number, TEMPLATE_ID, personalisation, reference=f"bench-{n}"
        )

    loop = asyncio.new_event_loop()
    async_client = govuk_notify.AsyncNotifyClient(API_KEY, base_url)

    def ours_async(numbers: Iterator[str], calls: int) -> float:
        return _async_cpu_per_call(loop, async_client, personalisation, numbers, calls)

    numbers = _phone_numbers()
    try:
        _cpu_per_call(ours, numbers, WARMUP)
        _cpu_per_call(official, numbers, WARMUP)
        ours_async(numbers, WARMUP)
        ours_us: list[float] = []
        official_us: list[float] = []
        async_us: list[float] = []
        for round_number in range(rounds):
            if round_number % 2 == 0:
                ours_us.append(_cpu_per_call(ours, numbers, calls))
                async_us.append(ours_async(numbers, calls))
                official_us.append(_cpu_per_call(official, numbers, calls))
            else:
                official_us.append(_cpu_per_call(official, numbers, calls))
                async_us.append(ours_async(numbers, calls))
                ours_us.append(_cpu_per_call(ours, numbers, calls))
    finally:
        ours_client.close()
        official_client.request_session.close()
        loop.run_until_complete(async_client.aclose())
        loop.close()
    return [
        Figure(
            name="CPU per send_sms_notification",
            unit="µs",
            ours=median(ours_us),
            official=median(official_us),
            rounds=rounds,
            target=TARGET,
            note=f"{calls} calls a round, validation included",
            short="CPU per send, `NotifyClient`",
            remedy="sending through urllib3's pool without requests' adapter and response, which"
            " would stop honouring a `session=` of the caller's",
        ),
        Figure(
            name="CPU per send_sms_notification, AsyncNotifyClient (vs the official sync send)",
            unit="µs",
            ours=median(async_us),
            official=median(official_us),
            rounds=rounds,
            target=TARGET,
            note=f"{calls} awaited calls a round on one event loop, httpcore2 on asyncio",
            short="CPU per send, `AsyncNotifyClient` (vs the official sync send)",
            remedy="an HTTP/1.1 parser in C in place of h11 (pure Python, about a third of what"
            " is left), that is, leaving httpx2's stack",
        ),
    ]


def main() -> int:
    with running_server() as server:
        print(render_table(run(server.base_url)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
