"""Helpers for send-bulk's tests: the CLI as a real process, and what the sandbox and the journal
hold afterwards."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from govuk_notify.sandbox import Sandbox

from .processes import child_env


def phone(n: int) -> str:
    """A number in Ofcom's drama range, past the simulated ones (which are never stored)."""
    assert 0 <= n < 700
    return f"07700900{300 + n:03d}"


def cli_command(template: str, file: Path, *extra: str) -> list[str]:
    """``python -m govuk_notify.cli send-bulk`` with these arguments."""
    return [
        sys.executable,
        "-m",
        "govuk_notify.cli",
        "send-bulk",
        "--template",
        template,
        "--file",
        str(file),
        *extra,
    ]


def cli_env(sandbox: Sandbox) -> dict[str, str]:
    """The environment of a run against ``sandbox``."""
    return child_env(
        NOTIFY_API_KEY=sandbox.api_keys.live,
        NOTIFY_BASE_URL=sandbox.base_url,
        PYTHONUNBUFFERED="1",
    )


def start_cli(sandbox: Sandbox, template: str, file: Path, *extra: str) -> subprocess.Popen[str]:
    """Start send-bulk in its own process, its output piped (not a terminal)."""
    return subprocess.Popen(
        cli_command(template, file, *extra),
        env=cli_env(sandbox),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_cli(
    sandbox: Sandbox, template: str, file: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    """Run send-bulk to the end in its own process."""
    return subprocess.run(
        cli_command(template, file, *extra),
        env=cli_env(sandbox),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def references(sandbox: Sandbox) -> Counter[str | None]:
    """How many notifications the sandbox holds per reference."""
    return Counter(n.reference for n in sandbox.notifications())


def journal_states(path: Path) -> Counter[str]:
    """How many messages of the journal's current job are in each state."""
    db = sqlite3.connect(path)
    try:
        return Counter(
            state
            for (state,) in db.execute(
                "SELECT state FROM messages"
                " WHERE job = (SELECT CAST(value AS INTEGER) FROM meta WHERE name = 'job')"
            )
        )
    finally:
        db.close()


def wait_for_sent(journal: Path, at_least: int, process: subprocess.Popen[str]) -> None:
    """Poll the journal (generous deadline) until ``at_least`` messages are sent."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if journal.exists() and journal_states(journal)["sent"] >= at_least:
                return
        except sqlite3.OperationalError:
            pass  # the run is creating the journal's tables
        assert process.poll() is None, process.communicate()
        threading.Event().wait(0.02)  # poll
    raise AssertionError("the run did not get going")
