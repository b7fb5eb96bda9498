"""The environment for a child process the tests start.

Under ``make test-clocks`` the suite runs with libfaketime preloaded and ``FAKETIME=@<start>``:
every new process's clock starts at ``<start>``, however long the suite has been running. A child
process would then sign its API tokens minutes behind the sandbox it talks to. ``child_env``
starts the child's fake clock at the parent's current (fake) time instead. Outside
``make test-clocks`` it is a plain copy of the environment.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

__all__ = ["carry_fake_clock", "child_env", "finish"]


def child_env(base: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
    """A copy of ``base`` (default: this process's environment) with ``extra`` added, and a
    libfaketime start time moved on to now."""
    env = dict(os.environ if base is None else base)
    env.update(extra)
    carry_fake_clock(env)
    return env


def carry_fake_clock(env: dict[str, str]) -> None:
    """Start a child's libfaketime clock (``FAKETIME=@...``) at this process's current (fake)
    time. libfaketime reads that time in the child's own time zone, so it is written in the
    zone of the child's ``TZ`` (this process's local zone when the child has none)."""
    if not env.get("FAKETIME", "").startswith("@"):
        return
    zone = ZoneInfo(env["TZ"]) if env.get("TZ") else None
    now = datetime.fromtimestamp(time.time(), zone) if zone else datetime.now()
    env["FAKETIME"] = "@" + now.strftime("%Y-%m-%d %H:%M:%S")


def finish(process: subprocess.Popen[str], timeout: float = 60) -> tuple[str, str]:
    """Wait for a process to end and return what it wrote (stdout, stderr); kill it if it runs
    past ``timeout`` seconds. A timer kills it rather than ``communicate(timeout=...)``, whose
    wait sleeps with ``time.sleep``, which fails under libfaketime."""
    killer = threading.Timer(timeout, process.kill)
    killer.start()
    try:
        out, err = process.communicate()
    finally:
        killer.cancel()
    return out or "", err or ""
