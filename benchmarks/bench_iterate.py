"""Iterating 100,000 notifications (400 pages of 250, then an empty page) with each client's
``get_all_notifications_iterator``: rows per second, and the memory the iteration needs.

Each client runs in a fresh process of its own (``python -m benchmarks.bench_iterate --worker
...``), so that one's memory cannot hide in the other's. The worker makes the client, then:

1. iterates once without tracing: rows per second (wall time), and how far the peak resident set
   size (``ru_maxrss``) rose above the resident set size just before the loop;
2. iterates again under ``tracemalloc``: the peak of memory allocated by Python during the loop,
   after 10,000 rows and after all of them (flat means: the two are about the same).

The official iterator yields dicts, govuk-notify's yields models. Every row is touched (its
``id``), so a lazy iterator could not look faster than it is.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

from . import Figure, median, project_root
from .server import API_KEY, PAGE_SIZE, PAGES

__all__ = ["ROUNDS", "run"]

ROUNDS = 3
ROWS = PAGES * PAGE_SIZE
EARLY_ROWS = 10_000
LIMIT_MIB = 50.0
_MIB = 1024 * 1024


def _iterator_factory(client_name: str, base_url: str) -> Callable[[], Iterator[Any]]:
    if client_name == "govuk":
        import govuk_notify

        ours = govuk_notify.NotifyClient(API_KEY, base_url)
        return ours.get_all_notifications_iterator
    if client_name == "official":
        from notifications_python_client import notifications

        # The official client has no annotations.
        official_class: Any = notifications.NotificationsAPIClient
        official = official_class(API_KEY, base_url)
        iterate: Callable[[], Iterator[dict[str, Any]]] = official.get_all_notifications_iterator
        return iterate
    raise ValueError(f"unknown client {client_name!r}")


def _row_id(row: Any) -> object:
    return row["id"] if isinstance(row, dict) else row.id


def _max_rss_mib() -> float:
    """The peak resident set size so far (``ru_maxrss`` is in KiB on Linux, bytes on macOS)."""
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / _MIB


def _rss_mib() -> float:
    """The resident set size now (Linux); elsewhere the peak so far, which is at least as much."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return _max_rss_mib()
    return pages * resource.getpagesize() / _MIB


def worker(client_name: str, base_url: str) -> dict[str, float]:
    """Both passes in this process; the figures as a dict."""
    iterate = _iterator_factory(client_name, base_url)
    # One page first, so that lazily built parts of either client exist before the baseline.
    next(iter(iterate()))

    rss_before = _rss_mib()
    rows = 0
    started = time.perf_counter()
    for row in iterate():
        _row_id(row)
        rows += 1
    seconds = time.perf_counter() - started
    rss_growth = _max_rss_mib() - rss_before
    if rows != ROWS:
        raise RuntimeError(f"{client_name} iterated {rows} rows, not {ROWS}")

    tracemalloc.start()
    tracemalloc.reset_peak()
    base, _ = tracemalloc.get_traced_memory()
    early_peak = 0.0
    traced_rows = 0
    for row in iterate():
        _row_id(row)
        traced_rows += 1
        if traced_rows == EARLY_ROWS:
            early_peak = (tracemalloc.get_traced_memory()[1] - base) / _MIB
    peak = (tracemalloc.get_traced_memory()[1] - base) / _MIB
    tracemalloc.stop()
    if traced_rows != ROWS:
        raise RuntimeError(f"{client_name} iterated {traced_rows} rows under tracemalloc")
    return {
        "rows_per_second": rows / seconds,
        "rss_growth_mib": rss_growth,
        "traced_peak_mib": peak,
        "traced_peak_early_mib": early_peak,
    }


def _run_worker(client_name: str, base_url: str) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_iterate", "--worker", client_name, base_url],
        cwd=project_root(),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"the {client_name} iteration worker failed ({completed.returncode}):\n"
            + completed.stderr[-2000:]
        )
    result: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def run(base_url: str, rounds: int = ROUNDS) -> list[Figure]:
    ours: list[dict[str, float]] = []
    official: list[dict[str, float]] = []
    for round_number in range(rounds):
        order = ("govuk", "official") if round_number % 2 == 0 else ("official", "govuk")
        for name in order:
            (ours if name == "govuk" else official).append(_run_worker(name, base_url))

    def med(results: list[dict[str, float]], key: str) -> float:
        return median([r[key] for r in results])

    early = med(ours, "traced_peak_early_mib")
    return [
        Figure(
            name="Iterate 100,000 notifications: rows per second",
            unit="rows/s",
            ours=med(ours, "rows_per_second"),
            official=med(official, "rows_per_second"),
            rounds=rounds,
            higher_is_better=True,
            note="models vs dicts, 400 pages of 250",
        ),
        Figure(
            name="Iterate 100,000 notifications: peak memory (tracemalloc)",
            unit="MiB",
            ours=med(ours, "traced_peak_mib"),
            official=med(official, "traced_peak_mib"),
            rounds=rounds,
            limit=LIMIT_MIB,
            note=f"above the start of the loop; {early:.1f} MiB after the first 10,000 rows",
            short="Iterate 100,000 notifications: peak memory (tracemalloc)",
            remedy="keeping fewer pages in memory",
        ),
        Figure(
            name="Iterate 100,000 notifications: peak RSS growth",
            unit="MiB",
            ours=med(ours, "rss_growth_mib"),
            official=med(official, "rss_growth_mib"),
            rounds=rounds,
            limit=LIMIT_MIB,
            note="peak RSS (ru_maxrss) minus the RSS before the loop",
            short="Iterate 100,000 notifications: peak RSS growth",
            remedy="keeping fewer pages in memory",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_iterate")
    parser.add_argument("--worker", choices=("govuk", "official"), required=True)
    parser.add_argument("base_url")
    args = parser.parse_args(argv)
    print(json.dumps(worker(args.worker, args.base_url)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
