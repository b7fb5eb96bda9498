"""``govuk-notify`` on a real terminal (a pseudo-terminal): colour there, never with
``NO_COLOR`` or ``TERM=dumb`` or when piped; the bulk progress line redrawn in place."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from govuk_notify.sandbox import Sandbox

from .cli_helpers import SMS_TEMPLATE, cli_env, run_cli

pty = pytest.importorskip("pty", reason="pseudo-terminals need a POSIX system")

ESC = "\x1b["
GREEN = "\x1b[32m"
RED = "\x1b[31m"
BOLD = "\x1b[1m"


@dataclass(frozen=True)
class TerminalRun:
    returncode: int
    stdout: str
    stderr: str


def run_on_terminal(
    args: Sequence[str], sandbox: Sandbox, env: Mapping[str, str] | None = None
) -> TerminalRun:
    """Run the command with its stdout and its stderr each on a pseudo-terminal of its own."""
    out_master, out_slave = pty.openpty()
    err_master, err_slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "govuk_notify.cli", *args],
        stdin=subprocess.DEVNULL,
        stdout=out_slave,
        stderr=err_slave,
        env=cli_env(sandbox, extra={"TERM": "xterm-256color", **(env or {})}),
    )
    os.close(out_slave)
    os.close(err_slave)
    chunks: dict[int, list[bytes]] = {out_master: [], err_master: []}
    open_fds = {out_master, err_master}
    deadline = time.monotonic() + 60
    try:
        while open_fds and time.monotonic() < deadline:
            ready, _, _ = select.select(list(open_fds), [], [], 1.0)
            for fd in ready:
                try:
                    data = os.read(fd, 65536)
                except OSError:  # EIO: the other side is closed
                    data = b""
                if data:
                    chunks[fd].append(data)
                else:
                    open_fds.discard(fd)
        killer = threading.Timer(max(1.0, deadline - time.monotonic()), process.kill)
        killer.start()
        returncode = process.wait()
        killer.cancel()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(out_master)
        os.close(err_master)

    # The terminal turns "\n" into "\r\n"; undo it so the text reads as the program wrote it.
    def text(fd: int) -> str:
        return b"".join(chunks[fd]).decode("utf-8").replace("\r\n", "\n")

    return TerminalRun(returncode, text(out_master), text(err_master))


@pytest.fixture
def delivered_and_failed(notify_sandbox: Sandbox) -> Sandbox:
    client = notify_sandbox.client()
    ok = client.send_sms_notification("07700900123", SMS_TEMPLATE, {"name": "A", "code": "1"})
    bad = client.send_sms_notification("07700900002", SMS_TEMPLATE, {"name": "A", "code": "1"})
    notify_sandbox.wait_for_status(str(ok.id), "delivered")
    notify_sandbox.wait_for_status(str(bad.id), "permanent-failure")
    return notify_sandbox


def test_colour_on_a_terminal(delivered_and_failed: Sandbox) -> None:
    run = run_on_terminal(["notifications"], delivered_and_failed)
    assert run.returncode == 0, run.stderr
    assert f"{GREEN}delivered" in run.stdout
    assert f"{RED}permanent-failure" in run.stdout
    assert run.stdout.startswith(f"{BOLD}CREATED")
    # Columns stay aligned: the escape codes take no width.
    plain = [line for line in _strip(run.stdout).splitlines() if line]
    id_column = {line.rindex(" ") for line in plain}
    assert len(id_column) == 1, plain


def test_no_colour_with_no_color_or_a_dumb_terminal(delivered_and_failed: Sandbox) -> None:
    for env in ({"NO_COLOR": "1"}, {"TERM": "dumb"}):
        run = run_on_terminal(["notifications"], delivered_and_failed, env)
        assert run.returncode == 0, run.stderr
        assert "delivered" in run.stdout
        assert ESC not in run.stdout, env
    # NO_COLOR set but empty does not count (https://no-color.org).
    empty = run_on_terminal(["notifications"], delivered_and_failed, {"NO_COLOR": ""})
    assert f"{GREEN}delivered" in empty.stdout


def test_no_colour_when_piped(delivered_and_failed: Sandbox) -> None:
    result = run_cli(["notifications"], delivered_and_failed)
    assert result.returncode == 0
    assert "permanent-failure" in result.stdout
    assert ESC not in result.stdout + result.stderr
    refused = run_cli(["template", "6a0c3f1e-3f2b-4c8e-9a57-0f5d6c1e2b3a"], delivered_and_failed)
    assert refused.returncode == 1
    assert ESC not in refused.stderr


def test_an_error_on_a_terminal_is_one_red_line(notify_sandbox: Sandbox) -> None:
    run = run_on_terminal(["template", "6a0c3f1e-3f2b-4c8e-9a57-0f5d6c1e2b3a"], notify_sandbox)
    assert run.returncode == 1
    assert run.stdout == ""
    [line] = run.stderr.splitlines()
    assert line.startswith(f"govuk-notify template: {BOLD[:-1]};31merror:")
    assert _strip(line).endswith("(404 NoResultFound): No result found")
    quiet = run_on_terminal(
        ["template", "6a0c3f1e-3f2b-4c8e-9a57-0f5d6c1e2b3a"], notify_sandbox, {"NO_COLOR": "1"}
    )
    assert ESC not in quiet.stderr


def test_the_bulk_progress_is_redrawn_on_a_terminal_and_not_when_piped(
    notify_sandbox: Sandbox, tmp_path: Path
) -> None:
    rows = [f"0770090{n:04d},Person {n},{n}" for n in range(1, 31)]
    csv_path = tmp_path / "people.csv"
    csv_path.write_text("phone number,name,code\n" + "\n".join(rows) + "\n", encoding="utf-8")
    args = ["send-bulk", "--template", SMS_TEMPLATE, "--csv", str(csv_path)]
    run = run_on_terminal(args, notify_sandbox)
    assert run.returncode == 0, run.stderr
    assert len(notify_sandbox.sent_sms()) == 30
    redraws = [part for part in run.stderr.split("\r") if part.startswith("[")]
    assert redraws, run.stderr
    assert "30/30" in redraws[-1]
    assert "sent 30" in redraws[-1]

    piped_csv = tmp_path / "again.csv"
    piped_csv.write_text(csv_path.read_text(encoding="utf-8").replace("Person", "P"), "utf-8")
    piped = run_cli(
        ["send-bulk", "--template", SMS_TEMPLATE, "--csv", str(piped_csv)], notify_sandbox
    )
    assert piped.returncode == 0, piped.stderr
    assert "\r" not in piped.stderr
    assert ESC not in piped.stderr + piped.stdout
    assert "30/30" in piped.stderr


def _strip(text: str) -> str:
    out = []
    in_escape = False
    for char in text:
        if in_escape:
            in_escape = char != "m"
        elif char == "\x1b":
            in_escape = True
        else:
            out.append(char)
    return "".join(out)
