"""``python -m benchmarks``: every benchmark, one table, written into docs/guides/performance.md,
and a summary of the targets, met or missed, into README.md.

Exits 0 when every benchmark ran to the end, whether or not each target is met (the table says
which are not), and 1 when one of them could not complete.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import importlib.util
import os
import sys
import time
import traceback
from collections.abc import Callable

from . import Figure, machine_description, project_root, render_summary, render_table

START_MARKER = "<!-- bench:start -->"
END_MARKER = "<!-- bench:end -->"
BENCHMARKS = ("send", "parse", "page", "iterate", "import", "concurrency", "bulk")

# How the figures are made, where the time goes and what was changed for speed. The numbers in
# these notes were measured on the machine of the table when each change was made (medians).
NOTES = """\
How it is measured: both clients talk to `benchmarks/server.py`, a keep-alive HTTP/1.1 server in
a process of its own that answers at once with bodies shaped like Notify's (a 201 SMS answer,
pages of 250 notifications, received texts), so `time.process_time()` counts the client's work
only. Every send goes to a different phone number, as in a real batch. The garbage collector stays
on, as in an application.

- **Send (CPU per call).** Under cProfile the official client spends about 30% of a call in
  `merge_environment_settings` (it reads the proxy variables by walking the whole environment,
  twice, on every call), about 20% in `prepare_request` (merging the session's headers, cookies
  and hooks, parsing the URL) and about 13 µs in PyJWT. govuk-notify builds the `PreparedRequest`
  itself with the environment merged once per client (`_sync_transport.py`), and hands it to the
  session's adapter for the URL directly: `Session.send` would add response hooks and a cookie
  jar, which a Notify call does not use, for about a tenth of a send's CPU. Its JWT is signed by
  PyJWT's HS256 algorithm with the key prepared once (`auth.py`, about 10 µs): `jwt.encode()`
  itself re-checks the form of the key on every call (a DER parse attempt through `cryptography`),
  which costs about 15 µs more for the same token. A UK mobile written plainly (`07…`, `447…`,
  `+447…`, `00447…`, with or without spaces) is checked against libphonenumber's own GB patterns
  without a full parse, which gives the same answer (a test compares the two over every `07`
  prefix) and took about 45 µs off a send (0.68× to about 0.55×); any other number takes the full
  parse. What is left is mostly requests, urllib3 and `http.client`, for both clients. A cache of
  parsed numbers was measured and left out: a batch goes to different numbers, so it would not
  hit, and it would keep recipients' numbers in memory.
- **Async send (CPU per call).** When `AsyncNotifyClient` makes its own connections, it sends
  through httpcore2's connection pool (the layer under httpx2's client) with a network backend of
  its own on asyncio's transports and protocols (`_asyncio_backend.py`). httpx2's client layer
  (auth flow, cookies, redirects, event hooks, its request and response models) does nothing a
  Notify call needs, and anyio's streams put a cancel scope, a timeout scope and an exception map
  around every read and write; without them, and with a request's headers and body written in one
  system call, an awaited send went from about 0.8× to between 0.57× and 0.61× of the official
  client's sync send in the day's runs on a quiet machine: the 0.6× target is met by a hair, and
  a busy machine tips it over. What is left under it is h11 (the pure-Python HTTP/1.1 state
  machine) and httpcore2's pool, whose locks and shielded closes each cost an extra turn of the
  event loop; less would take an HTTP parser in C, that is, leaving httpx2's stack. An
  `http_client=` of your own, or a proxy set in the environment, goes through httpx2's client as
  it is, at the old cost.
- **1,000 sends at 100 ms.** Wall time is bounded below by latency and concurrency (2 s), and in
  an event loop also by the CPU of every send, which one thread does: the loop cannot overlap
  its own work. On a machine whose cores are busy with other work, the loop gets only part of a
  core and the batch takes longer; the threaded `send_many` spreads the same work over threads.
  httpcore2's pool looks through every connection for an idle one on each request, so 50
  connections cost more per send than one does.
- **A page read.** HTTP on loopback plus parsing 250 notifications into models, against the
  official client's HTTP plus `json.loads` into dicts: the parsing costs more (below), and the
  transport costs less.
- **Parsing a page.** The parser is not the cost: pydantic-core's JSON parser turns the page into
  dicts in about 0.7x the time of `json.loads` (the "parser alone" row). The cost is the objects
  built from it. A notification becomes three models (with the template and the cost details), each
  with its `__dict__`, fields-set and extras dict, and two `UUID`s: about 10 allocations a row that
  the garbage collector counts and tracks, where `json.loads` makes dicts of strings and numbers
  that it does not track. With the collector off the ratio is about 1.4x: collection is over half
  of the gap, and what is left still misses. CPython 3.13 collects a third as often (its first
  threshold is 2,000 allocations, not 700): there, in a separate run of the same page, the models
  took about 1.5x and the floor row about 1.0x. No pydantic setting that keeps the models'
  behaviour made it faster: `cache_strings="keys"` or `False` cost 3-4% more, `frozen` and
  `defer_build` change nothing at run time. Declaring the keys of the other channels that every
  notification carries (9 on an SMS, null) as fields, instead of leaving them to `model_extra`,
  took about 10% off; the `UUID` ids cost about a fifth; dropping unknown fields (`extra="ignore"`)
  would save about a fifth too, but the models keep them, as the official client's dicts do. The
  "floor" row is the cheapest page of models pydantic can build, measured in the same run: one
  model per row, every key a field typed `Any` (no `UUID`, `datetime`, enum or nested model) and no
  extras dict. Even that is above 1.0x here, because each model adds an object, its `__dict__` and
  its fields-set, and they cost more than the faster parser saves. So no page of pydantic models
  can meet 1.0x here; meeting it would mean returning dicts, or another model library (msgspec's
  structs), and the SDK promises pydantic models. The target is missed.
- **Import.** `import govuk_notify` imports the errors only and every other public name on first
  use (PEP 562): 170 ms before, 14 ms after. The models defer building their validators until
  first used (`defer_build=True`), and the request models import the recipient checks
  (libphonenumber) in their validators: `from govuk_notify import NotifyClient` went from 168 to
  129 ms, and a cold start up to the first SMS answer from 175 to 150 ms. Most of the rest is
  pydantic: `import requests` plus `from pydantic import BaseModel` alone take 1.5 times the
  official client's import.
- **Cold start.** A fresh process that imports the client, makes one and sends one text: on top
  of what the official client loads (requests and PyJWT), govuk-notify loads pydantic, its models
  and libphonenumber, and the first send builds the two models' validators and compiles
  libphonenumber's patterns for the number's region (about 60 ms in a profile, a quarter of it
  pydantic scanning the installed packages for its plugins; `PYDANTIC_DISABLE_PLUGINS=1` skips
  that). The 1.5× target is missed: meeting it would take a send path without pydantic (checks
  written by hand, models built without validation), which the SDK does not do.
"""


def _versions() -> str:
    names = ("govuk-notify", "notifications-python-client", "pydantic", "requests")
    parts = []
    for name in names:
        try:
            parts.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{name} (not installed)")
    return ", ".join(parts)


def _bulk_figures() -> list[Figure]:
    from . import bench_bulk

    results: dict[str, float] = bench_bulk.run(rounds=1)
    sends = int(results["sends"])
    allowed = results["rate_limit_seconds"]
    no_429 = results["bulk_429s"] == 0
    listed_once = results["bulk_listed_once"] == 1.0
    loop_note = (
        f"official loop timed over {int(results['loop_sends'])} sends and extrapolated"
        if results.get("loop_extrapolated") == 1.0
        else "official: a plain loop of send_sms_notification"
    )
    return [
        Figure(
            name=f"Bulk: {sends} SMS at the rate limit, {results['latency_ms']:g} ms latency",
            unit="s",
            ours=results["bulk_seconds"],
            official=results["loop_seconds_for_sends"],
            rounds=int(results["rounds"]),
            limit=allowed * 1.05,
            also_required=no_429 and listed_once,
            note=(
                f"send_many; the rate limit allows {allowed:.1f} s (target: within 5%);"
                f" {int(results['bulk_429s'])} × 429;"
                f" {'each listed once' if listed_once else 'NOT each listed once'}; {loop_note}"
            ),
            short=f"Bulk: {sends:,} SMS at the rate limit, `send_many` wall time",
            remedy="pacing closer to the limit",
        )
    ]


def _block(figures: list[Figure], seconds: float) -> str:
    missed = [figure.name for figure in figures if figure.met is False]
    verdict = (
        "Every target is met."
        if not missed
        else "Targets missed: " + "; ".join(missed) + " (see the notes below the table)."
    )
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    return "\n".join(
        [
            f"Measured on {today} on {machine_description()}, with {_versions()}. Each figure is"
            " the median of the number of rounds given in its row; the ratio is"
            " govuk-notify / official (for rows per second, higher is better).",
            "",
            render_table(figures),
            "",
            verdict,
            "",
            NOTES,
            f"Reproduce with `make bench` (this run took {seconds / 60:.1f} minutes).",
        ]
    )


def _summary(figures: list[Figure]) -> str:
    """The README's table: every figure with a target, and what a missed one would take."""
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    missed = sum(1 for figure in figures if figure.met is False)
    met = sum(1 for figure in figures if figure.met is True)
    return "\n".join(
        [
            f"Measured by `make bench` on {today} ({machine_description()}), both clients in one"
            f" run against the same local server; the ratio is govuk-notify / official."
            f" {met} targets met, {missed} missed.",
            "",
            render_summary(figures),
            "",
            "How each figure is made, where the time goes and what was tried:"
            " [performance](docs/guides/performance.md).",
        ]
    )


def write_results(block: str, path: str) -> bool:
    """Put ``block`` between the markers of ``path``; False when the markers are missing."""
    with open(path, encoding="utf-8") as readme:
        text = readme.read()
    start = text.find(START_MARKER)
    end = text.find(END_MARKER, start + len(START_MARKER)) if start >= 0 else -1
    if start < 0 or end < 0:
        return False
    new_text = text[: start + len(START_MARKER)] + "\n" + block + "\n" + text[end:]
    with open(path, "w", encoding="utf-8") as readme:
        readme.write(new_text)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--only",
        metavar="NAME[,NAME]",
        help=(
            f"run only these benchmarks ({', '.join(BENCHMARKS)}); docs/guides/performance.md and"
            " README.md are then left alone"
        ),
    )
    parser.add_argument(
        "--no-write", "--no-readme", action="store_true", help="print the table only"
    )
    args = parser.parse_args(argv)
    selected = BENCHMARKS if args.only is None else tuple(args.only.split(","))
    unknown = sorted(set(selected) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")

    # The benchmark modules import the clients; run from anywhere, they find this package.
    root = project_root()
    if root not in sys.path:
        sys.path.insert(0, root)
    from . import (
        bench_concurrency,
        bench_import,
        bench_iterate,
        bench_page,
        bench_parse,
        bench_send,
    )
    from .server import running_server

    started = time.perf_counter()
    figures: list[Figure] = []
    failed: list[str] = []

    def attempt(name: str, bench: Callable[[], list[Figure]]) -> None:
        if name not in selected:
            return
        print(f"running {name} ...", file=sys.stderr, flush=True)
        bench_started = time.perf_counter()
        try:
            figures.extend(bench())
        except Exception:
            failed.append(name)
            print(f"benchmark {name} failed:", file=sys.stderr)
            traceback.print_exc()
        else:
            print(
                f"  {name} done in {time.perf_counter() - bench_started:.1f} s",
                file=sys.stderr,
                flush=True,
            )

    with running_server() as server:
        attempt("send", lambda: bench_send.run(server.base_url))
        attempt("parse", bench_parse.run)
        attempt("page", lambda: bench_page.run(server.base_url))
        attempt("iterate", lambda: bench_iterate.run(server.base_url))
        attempt("import", lambda: bench_import.run(server.base_url))
    if "concurrency" in selected:
        with running_server(latency_ms=bench_concurrency.LATENCY_MS) as slow_server:
            attempt("concurrency", lambda: bench_concurrency.run(slow_server.base_url))

    if "bulk" in selected:
        if importlib.util.find_spec("benchmarks.bench_bulk") is None:
            print("benchmarks/bench_bulk.py is not there: the bulk benchmark is skipped.")
        else:
            attempt("bulk", _bulk_figures)

    seconds = time.perf_counter() - started
    block = _block(figures, seconds)
    print()
    print(block)
    print()
    results = os.path.join(root, "docs", "guides", "performance.md")
    if failed:
        print(f"Did not complete: {', '.join(failed)}. {results} is left as it was.")
        return 1
    if args.no_write or args.only is not None:
        print(f"{results} is left as it was (--no-write or --only).")
        return 0
    readme = os.path.join(root, "README.md")
    for path, text in ((results, block), (readme, _summary(figures))):
        if write_results(text, path):
            print(f"Written into {path} between {START_MARKER} and {END_MARKER}.")
        else:
            print(
                f"{path} has no {START_MARKER} ... {END_MARKER} markers: the table was not"
                " written into it."
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
