"""What the installed pytest plugin costs a project that never uses it.

A temporary project with one trivial test is run with ``python -m pytest`` in a fresh process,
with the plugin loaded through its entry point and with it turned off (``-p no:govuk_notify``),
interleaved, many times; the figure is the difference of the medians of the wall times of the
whole run. Run it with ``.venv/bin/python -m benchmarks.bench_pytest_plugin``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 21
TARGET_MS = 5.0


def _run(project: Path, *extra: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra, str(project)],
        cwd=project,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def measure(runs: int = RUNS) -> tuple[float, float]:
    """Median wall seconds of a pytest run with the plugin and without it."""
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / "test_one.py").write_text("def test_one():\n    assert 1 + 1 == 2\n")
        _run(project)  # warm the file cache
        with_plugin: list[float] = []
        without: list[float] = []
        for _ in range(runs):
            with_plugin.append(_run(project))
            without.append(_run(project, "-p", "no:govuk_notify"))
    return statistics.median(with_plugin), statistics.median(without)


_IMPORT_PLUGIN = """\
import time, pytest
started = time.perf_counter()
import govuk_notify.pytest_plugin
print(time.perf_counter() - started)
"""


def import_cost(runs: int = RUNS) -> float:
    """Median seconds to import the plugin in a fresh interpreter that has pytest loaded."""
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _IMPORT_PLUGIN], check=True, capture_output=True, text=True
        ).stdout
        times.append(float(out))
    return statistics.median(times)


def main() -> None:
    """Print both medians, the difference, and the plugin's own import time."""
    loaded, off = measure()
    cost = (loaded - off) * 1000
    print(f"pytest run, plugin loaded: {loaded * 1000:.1f} ms (median of {RUNS})")
    print(f"pytest run, plugin off:    {off * 1000:.1f} ms")
    verdict = "met" if cost <= TARGET_MS else "MISSED"
    print(f"cost of the plugin: {cost:+.1f} ms (target <= {TARGET_MS:.0f} ms: {verdict})")
    print(f"importing the plugin alone: {import_cost() * 1000:.2f} ms (median of {RUNS})")


if __name__ == "__main__":
    main()
