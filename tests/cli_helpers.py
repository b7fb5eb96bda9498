"""Running ``govuk-notify`` as a user does: a real process, its real streams and exit code."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from govuk_notify.sandbox import Sandbox

from .processes import carry_fake_clock, child_env, finish

SRC = Path(__file__).resolve().parent.parent / "src"

SMS_TEMPLATE = "27977601-9753-4b18-afab-ef47bb93bc78"
EMAIL_TEMPLATE = "6ddb7845-8c78-41be-a04f-c94057b5aabf"
PLAIN_EMAIL_TEMPLATE = "24195183-379b-4f65-bb31-7f9b87596cc0"
LETTER_TEMPLATE = "a7fbf154-fb22-468b-8fd8-4e236b126152"


def cli_env(
    sandbox: Sandbox | None = None,
    *,
    key: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """An environment for the command: the source tree first on the path, no colour settings
    inherited, a fixed width and time zone, and the sandbox's live key and base URL."""
    env = child_env(
        {
            k: v
            for k, v in os.environ.items()
            if k not in ("NOTIFY_API_KEY", "NOTIFY_BASE_URL", "NO_COLOR", "TERM", "_ARGCOMPLETE")
        }
    )
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    env["COLUMNS"] = "100"
    env["TZ"] = "Europe/London"
    if sandbox is not None:
        env["NOTIFY_API_KEY"] = sandbox.api_keys.live if key is None else key
        env["NOTIFY_BASE_URL"] = sandbox.base_url
    elif key is not None:
        env["NOTIFY_API_KEY"] = key
    env.update(extra or {})
    carry_fake_clock(env)
    return env


def pause(seconds: float) -> None:
    """Wait a moment between two polls (an Event's wait, which works under libfaketime)."""
    threading.Event().wait(seconds)


def run_cli(
    args: Sequence[str],
    sandbox: Sandbox | None = None,
    *,
    key: str | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m govuk_notify.cli ARGS`` to the end, its output captured (piped)."""
    command = [sys.executable, "-m", "govuk_notify.cli", *args]
    return run_process(command, env=cli_env(sandbox, key=key, extra=env), cwd=cwd, timeout=timeout)


def run_process(
    command: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run a command to the end (killed after ``timeout`` seconds), its output captured."""
    process = subprocess.Popen(
        list(command),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(env),
        cwd=cwd,
    )
    out, err = finish(process, timeout)
    return subprocess.CompletedProcess(list(command), process.returncode, out, err)


def one_error_line(result: subprocess.CompletedProcess[str], prog: str) -> str:
    """The single line the command wrote on stderr, checked to be one line naming ``prog``."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{prog}: error: "), lines[0]
    return lines[0]
