"""Bulk sending at the rate limit: ``NotifyClient.send_many`` against a plain loop over the
official client's ``send_sms_notification``.

Both talk to the embedded sandbox, run in a process of its own (so that its CPU time is charged
to neither client), with 100 ms of latency on every answer and its rate limit on (3000 a minute:
a bucket of 1000 tokens, then 50 a second). Each run gets a fresh sandbox, so its bucket is full.

The rate limit allows 3000 sends in ``(3000 - 1000) / 50 = 40`` seconds. ``send_many`` should
finish within 5% of that, with no 429 answer, and every notification must then be listed once.
A plain loop waits 100 ms per message, so it needs about 300 s for 3000; ``--quick`` times it
over fewer sends and extrapolates (the output says so).

Run alone with ``python -m benchmarks.bench_bulk [--quick] [--rounds N]``; the official client
comes from the benchmark environment (``make bench``).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = ["run"]

RATE_LIMIT = 3000
LATENCY_MS = 100.0
SENDS = 3000
QUICK_LOOP_SENDS = 300
SMS_TEMPLATE_ID = "27977601-9753-4b18-afab-ef47bb93bc78"  # the sandbox's default SMS template


@dataclass(frozen=True)
class SandboxProcess:
    base_url: str
    api_key: str


@contextmanager
def sandbox_process(latency_ms: float, rate_limit: int) -> Iterator[SandboxProcess]:
    """``govuk-notify sandbox`` on a free port, in its own process."""
    command = [
        sys.executable,
        "-m",
        "govuk_notify.cli",
        "sandbox",
        "--port",
        "0",
        "--latency",
        str(latency_ms),
        "--rate-limit",
        str(rate_limit),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        base_url = api_key = ""
        for line in process.stdout:
            if match := re.match(r"GOV\.UK Notify sandbox running at (\S+)", line):
                base_url = match.group(1)
            elif match := re.match(r"\s+live\s+(\S+)", line):
                api_key = match.group(1)
            elif line.startswith("Press Ctrl-C"):
                break
        if not base_url or not api_key:
            raise RuntimeError("the sandbox did not start")
        yield SandboxProcess(base_url, api_key)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _phone(n: int) -> str:
    return f"07700900{300 + n % 600:03d}"  # Ofcom's drama range, past the simulated numbers


@dataclass(frozen=True)
class BulkRun:
    seconds: float
    rate_limited: int
    listed: int
    listed_once: bool


def time_send_many(sends: int, latency_ms: float) -> BulkRun:
    from govuk_notify import NotifyClient, RetryPolicy, SmsRequest
    from govuk_notify.bulk import BulkProgress, Sent

    with sandbox_process(latency_ms, RATE_LIMIT) as sandbox:
        # No retries in the client: every 429 reaches send_many, which counts it.
        client = NotifyClient(
            sandbox.api_key, base_url=sandbox.base_url, retry=RetryPolicy(max_retries=0)
        )
        with client:
            requests = [
                SmsRequest(
                    phone_number=_phone(n),
                    template_id=SMS_TEMPLATE_ID,
                    personalisation={"name": f"Person {n}", "code": f"{n:06d}"},
                    reference=f"bulk-bench-{n}",
                )
                for n in range(sends)
            ]
            last: list[BulkProgress] = []
            started = time.perf_counter()
            results = client.send_many(requests, on_progress=last.append)
            seconds = time.perf_counter() - started
            failures = [r for r in results if not isinstance(r, Sent)]
            if failures:
                raise RuntimeError(f"{len(failures)} sends did not succeed: {failures[0]}")
            listed = Counter(n.reference for n in client.get_all_notifications_iterator())
    expected = {f"bulk-bench-{n}" for n in range(sends)}
    return BulkRun(
        seconds=seconds,
        rate_limited=last[-1].rate_limited,
        listed=sum(listed.values()),
        listed_once=set(listed) == expected and set(listed.values()) == {1},
    )


def time_official_loop(sends: int, latency_ms: float) -> float:
    from notifications_python_client.notifications import NotificationsAPIClient

    with sandbox_process(latency_ms, RATE_LIMIT) as sandbox:
        client = NotificationsAPIClient(sandbox.api_key, base_url=sandbox.base_url)
        started = time.perf_counter()
        for n in range(sends):
            client.send_sms_notification(
                phone_number=_phone(n),
                template_id=SMS_TEMPLATE_ID,
                personalisation={"name": f"Person {n}", "code": f"{n:06d}"},
                reference=f"loop-bench-{n}",
            )
        return time.perf_counter() - started


def rate_limit_seconds(sends: int, rate_limit: int = RATE_LIMIT) -> float:
    """The least time the server's bucket allows for ``sends``: a full bucket at once, then
    ``rate_limit / 60`` a second."""
    capacity = min(math.ceil(rate_limit / 3) + 1, 1000)
    return max(0.0, (sends - capacity) / (rate_limit / 60))


def run(
    rounds: int = 1,
    *,
    sends: int = SENDS,
    loop_sends: int | None = None,
    quick: bool = False,
    latency_ms: float = LATENCY_MS,
    verbose: bool = True,
) -> dict[str, float]:
    """Time both ways ``rounds`` times (medians are returned).

    ``loop_sends``: how many sends the official loop makes (default: ``sends``, or 300 with
    ``quick``); fewer than ``sends`` are extrapolated to ``sends`` at the measured pace.
    """
    loop_count = loop_sends if loop_sends is not None else (QUICK_LOOP_SENDS if quick else sends)
    bulk_runs: list[BulkRun] = []
    loop_times: list[float] = []
    for round_number in range(1, rounds + 1):
        bulk = time_send_many(sends, latency_ms)
        bulk_runs.append(bulk)
        if verbose:
            print(
                f"round {round_number}: send_many {sends} in {bulk.seconds:.2f} s,"
                f" {bulk.rate_limited} x 429, listed {bulk.listed}"
                f" ({'each once' if bulk.listed_once else 'NOT each once'})",
                file=sys.stderr,
            )
        loop_seconds = time_official_loop(loop_count, latency_ms)
        loop_times.append(loop_seconds)
        if verbose:
            print(
                f"round {round_number}: official loop {loop_count} in {loop_seconds:.2f} s",
                file=sys.stderr,
            )
    bulk_seconds = statistics.median(r.seconds for r in bulk_runs)
    allowed = rate_limit_seconds(sends)
    loop_seconds = statistics.median(loop_times)
    loop_per_send = loop_seconds / loop_count
    loop_for_sends = loop_per_send * sends
    return {
        "sends": float(sends),
        "latency_ms": latency_ms,
        "rounds": float(rounds),
        "bulk_seconds": bulk_seconds,
        "rate_limit_seconds": allowed,
        "bulk_over_rate_limit": bulk_seconds / allowed if allowed else math.nan,
        "bulk_429s": float(max(r.rate_limited for r in bulk_runs)),
        "bulk_listed_once": float(all(r.listed_once for r in bulk_runs)),
        "bulk_sends_per_second": sends / bulk_seconds,
        "loop_sends": float(loop_count),
        "loop_seconds": loop_seconds,
        "loop_ms_per_send": loop_per_send * 1000,
        "loop_seconds_for_sends": loop_for_sends,
        "loop_extrapolated": float(loop_count != sends),
        "speedup": loop_for_sends / bulk_seconds,
    }


def report(figures: dict[str, float]) -> str:
    sends = int(figures["sends"])
    loop_sends = int(figures["loop_sends"])
    extrapolated = figures["loop_extrapolated"] == 1.0
    within = figures["bulk_over_rate_limit"] <= 1.05
    lines = [
        f"Bulk: {sends} SMS, sandbox with {figures['latency_ms']:g} ms latency and a rate limit"
        f" of {RATE_LIMIT}/min (median of {int(figures['rounds'])} round(s))",
        f"  send_many          {figures['bulk_seconds']:8.2f} s"
        f"  ({figures['bulk_sends_per_second']:.1f}/s)",
        f"  rate limit allows  {figures['rate_limit_seconds']:8.2f} s"
        f"  -> {100 * (figures['bulk_over_rate_limit'] - 1):+.1f}%"
        f" ({'within' if within else 'NOT within'} 5%)",
        f"  429 answers        {int(figures['bulk_429s']):8d}",
        f"  listed once each   {'yes' if figures['bulk_listed_once'] == 1.0 else 'NO':>8}",
        f"  official loop      {figures['loop_seconds_for_sends']:8.2f} s"
        + (
            f"  (extrapolated from {loop_sends} sends in {figures['loop_seconds']:.2f} s,"
            f" {figures['loop_ms_per_send']:.1f} ms each)"
            if extrapolated
            else f"  ({figures['loop_ms_per_send']:.1f} ms each)"
        ),
        f"  official loop / send_many = {figures['speedup']:.1f}x",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_bulk", description=__doc__)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--sends", type=int, default=SENDS)
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"time the official loop over {QUICK_LOOP_SENDS} sends and extrapolate",
    )
    parser.add_argument("--loop-sends", type=int, help="sends for the official loop")
    parser.add_argument("--latency", type=float, default=LATENCY_MS, metavar="MS")
    args = parser.parse_args(argv)
    figures = run(
        args.rounds,
        sends=args.sends,
        loop_sends=args.loop_sends,
        quick=args.quick,
        latency_ms=args.latency,
    )
    print(report(figures))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
