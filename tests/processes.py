"""The environment for a child process the tests start.

Under ``make test-clocks`` the suite runs with libfaketime preloaded and ``FAKETIME=@<start>``:
every new process's clock starts at ``<start>``, however long the suite has been running. A child
process would then sign its API tokens minutes behind the sandbox it talks to. ``child_env``
starts the child's fake clock at the parent's current (fake) time instead. Outside
``make test-clocks`` it is a plain copy of the environment.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping

__all__ = ["child_env"]


def child_env(base: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
    """A copy of ``base`` (default: this process's environment) with ``extra`` added, and a
    libfaketime start time moved on to now."""
    env = dict(os.environ if base is None else base)
    env.update(extra)
    if env.get("FAKETIME", "").startswith("@"):
        env["FAKETIME"] = "@" + time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    return env
