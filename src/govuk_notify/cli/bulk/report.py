"""What ``send-bulk`` tells its user.

The plan before the first send, the outcome at the end, and where an interrupted run stopped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal, TextIO

if TYPE_CHECKING:
    from ...bulk_journal import SendJournal
    from ...models.responses import Template
    from .planning import Plan, PlannedRow

__all__ = ["Output", "report_interrupted", "report_plan", "report_result"]


class Output:
    """The command's two streams: the report (stdout) and progress and errors (stderr)."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        """Write the report to ``out``, the rest to ``err``."""
        self.out = out
        self.err = err

    def say(self, text: str) -> None:
        """Print a line of the report."""
        self.out.write(text + "\n")
        self.out.flush()

    def warn(self, text: str) -> None:
        """Print a line on standard error."""
        self.err.write(text + "\n")
        self.err.flush()

    def listing(self, title: str, lines: Sequence[object], limit: int = 50) -> None:
        """Print a title and up to ``limit`` indented lines."""
        self.say(title)
        for line in lines[:limit]:
            self.say(f"  {line}")
        if len(lines) > limit:
            self.say(f"  ... and {len(lines) - limit} more")


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def report_plan(
    output: Output, template: Template, plan: Plan, invalid_rows: int, journal: SendJournal
) -> None:
    """Say what the run will do before it does anything."""
    if plan.duplicates:
        output.listing(
            "Rows that are the same message as an earlier row (sent once):",
            [f"row {row}: the same as row {first}" for row, first in plan.duplicates.items()],
        )
    if plan.not_in_file:
        states = Counter(entry.state for entry in plan.not_in_file)
        output.say(
            f"{_plural(len(plan.not_in_file), 'message')} in the journal from rows no longer in"
            " the file (removed or changed) left as they are: "
            + ", ".join(f"{n:,} {state}" for state, n in sorted(states.items()))
        )
    parts = [
        f"{len(plan.already_sent):,} already sent (skipped)",
        f"{len(plan.to_send):,} to send",
    ]
    if plan.in_doubt:
        parts.append(f"{len(plan.in_doubt):,} to check later")
    if invalid_rows:
        parts.append(f"{invalid_rows:,} invalid")
    output.say(
        f"Template {template.name!r} ({template.type.value}), "
        f"{_plural(len(plan.rows), 'message')}: " + ", ".join(parts) + f". Journal: {journal.path}"
    )


def _counts(journal: SendJournal, rows: Mapping[str, PlannedRow]) -> Counter[str]:
    entries = journal.entries()
    counts: Counter[str] = Counter()
    for key in rows:
        entry = entries.get(key)
        state = "pending" if entry is None else entry.state
        counts["in doubt" if state in ("sending", "unknown") else state] += 1
    return counts


def report_interrupted(
    output: Output, journal: SendJournal, rows: Mapping[str, PlannedRow]
) -> None:
    """The last lines after Ctrl-C.

    How many of the file's messages were sent, failed, are in doubt, and were not sent.
    """
    counts = _counts(journal, rows)
    output.say(
        f"Interrupted: {counts['sent']:,} sent, {counts['failed']:,} failed,"
        f" {counts['in doubt']:,} in doubt, {counts['pending']:,} not sent"
        f" (of {_plural(len(rows), 'message')} in the file)."
    )
    output.say(
        "Run the same command again to continue: it sends only the messages not sent yet"
        + (", after checking the ones in doubt." if counts["in doubt"] else ".")
    )


def report_result(
    output: Output,
    journal: SendJournal,
    rows: Mapping[str, PlannedRow],
    sent_before: int,
    invalid_rows: int,
    duplicates: Mapping[str, int],
    unresolved: Mapping[str, str],
) -> Literal["ok", "failed", "unknown"]:
    """List the failed messages and those in doubt, then the totals; return the outcome.

    ``sent_before`` is how many messages the journal showed as sent when the run started.
    """
    entries = journal.entries()
    failed: list[str] = []
    unknown: list[str] = []
    for key, row in rows.items():
        entry = entries.get(key)
        if entry is None:
            continue
        if entry.state == "failed":
            failed.append(f"row {row.number}: {entry.error}")
        elif entry.in_doubt:
            why = unresolved.get(key) or entry.error or "not checked"
            unknown.append(f"row {row.number} (reference {entry.reference}): {why}")
    if duplicates:
        output.listing(
            "Messages that Notify holds more than once (sent twice outside this journal):",
            [f"row {rows[key].number}: {n} notifications" for key, n in duplicates.items()],
        )
    if failed:
        output.listing(f"{len(failed)} row(s) refused by Notify (not sent):", failed)
    if unknown:
        output.listing(
            f"{len(unknown)} row(s) may or may not have been sent; run again later to check"
            " them, or look them up by reference:",
            unknown,
        )
    counts = _counts(journal, rows)
    before = f", {sent_before:,} sent before (skipped)" if sent_before else ""
    skipped = f", {invalid_rows:,} invalid (skipped)" if invalid_rows else ""
    output.say(
        f"Done: {counts['sent'] - sent_before:,} sent, {counts['failed']:,} failed,"
        f" {counts['in doubt']:,} in doubt{before}{skipped}."
    )
    if unknown:
        return "unknown"
    return "failed" if failed else "ok"
