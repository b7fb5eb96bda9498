"""Benchmarks of govuk-notify against the official notifications-python-client.

Run with ``make bench`` (or ``python -m benchmarks`` from the project root, in an environment that
holds both clients). Every figure is a median over rounds, and both clients are measured in the
same run on the same machine, against the same local server (``benchmarks.server``), so that the
ratios say what the clients cost, whatever the machine's speed.
"""

from __future__ import annotations

import math
import os
import platform
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "Figure",
    "format_value",
    "machine_description",
    "median",
    "project_root",
    "render_summary",
    "render_table",
]


def project_root() -> str:
    """The directory holding ``benchmarks/`` (and ``src/``)."""
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("no values to take the median of")
    return float(statistics.median(values))


@dataclass(frozen=True)
class Figure:
    """One row of the results table.

    ``ours`` and ``official`` are medians in ``unit``. ``target`` is the ratio govuk-notify /
    official to stay at or under (or over, when ``higher_is_better``); ``limit`` is an absolute
    bound on ``ours`` instead. A figure with neither is reported without a verdict.
    """

    name: str
    unit: str
    ours: float
    official: float | None
    rounds: int
    target: float | None = None
    limit: float | None = None
    higher_is_better: bool = False
    also_required: bool = True
    """Conditions besides the target that must hold for the figure to be met."""
    note: str = ""
    remedy: str = ""
    """What meeting the target would take; the README's summary shows it when it is missed."""
    short: str = ""
    """The figure's name in the README's summary (``name`` when empty)."""

    @property
    def ratio(self) -> float | None:
        if self.official is None or self.official == 0 or math.isnan(self.official):
            return None
        return self.ours / self.official

    @property
    def target_text(self) -> str:
        sign = "≥" if self.higher_is_better else "≤"
        if self.target is not None:
            return f"{sign} {self.target:.2f}×"
        if self.limit is not None:
            return f"{sign} {format_value(self.limit, self.unit)}"
        return "reported"

    @property
    def met(self) -> bool | None:
        if self.target is not None:
            ratio = self.ratio
            if ratio is None:
                return False
            within = ratio >= self.target if self.higher_is_better else ratio <= self.target
        elif self.limit is not None:
            within = self.ours >= self.limit if self.higher_is_better else self.ours <= self.limit
        else:
            return None
        return within and self.also_required


def format_value(value: float | None, unit: str) -> str:
    if value is None or math.isnan(value):
        return "–"
    if unit == "rows/s":
        return f"{value:,.0f} rows/s"
    if unit in ("s", "ms", "µs"):
        digits = 2 if value < 10 else 1 if value < 100 else 0
        return f"{value:.{digits}f} {unit}"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    return f"{value:g} {unit}".rstrip()


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def machine_description() -> str:
    """CPU model, the cores this process may use, the OS and the Python version."""
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = os.cpu_count() or 1
    cores = f"{usable} core{'s' if usable != 1 else ''}"
    total = os.cpu_count()
    if total is not None and total != usable:
        cores += f" (of {total})"
    return (
        f"{_cpu_model()}, {cores}, {platform.system()} {platform.release()},"
        f" {platform.python_implementation()} {platform.python_version()}"
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_table(figures: Sequence[Figure]) -> str:
    """The results as a Markdown table."""
    rows = [
        "| figure | govuk-notify | official | ratio | target | met? |",
        "| --- | ---: | ---: | ---: | :---: | :---: |",
    ]
    for figure in figures:
        ratio = figure.ratio
        met = figure.met
        name = f"{figure.name} (median of {figure.rounds})"
        if figure.note:
            name += f"<br><sub>{figure.note}</sub>"
        rows.append(
            "| "
            + " | ".join(
                _cell(text)
                for text in (
                    name,
                    format_value(figure.ours, figure.unit),
                    format_value(figure.official, figure.unit),
                    "–" if ratio is None else f"{ratio:.2f}×",
                    figure.target_text,
                    "–" if met is None else "yes" if met else "**no**",
                )
            )
            + " |"
        )
    return "\n".join(rows)


def render_summary(figures: Sequence[Figure]) -> str:
    """The figures with a target, as the README's Markdown table: met or missed, and for a
    missed one, what meeting it would take."""
    rows = [
        "| figure | govuk-notify | official | ratio | target | met? |",
        "| --- | ---: | ---: | ---: | :---: | --- |",
    ]
    for figure in figures:
        met = figure.met
        if met is None:
            continue
        ratio = figure.ratio
        verdict = "yes" if met else f"**no**: {figure.remedy or 'see the notes'}"
        cells = (
            figure.short or figure.name,
            format_value(figure.ours, figure.unit),
            format_value(figure.official, figure.unit),
            "–" if ratio is None else f"{ratio:.2f}×",
            figure.target_text,
            verdict,
        )
        rows.append("| " + " | ".join(_cell(text) for text in cells) + " |")
    return "\n".join(rows)
