"""Import time: ``import govuk_notify`` against ``import notifications_python_client``, each in a
fresh interpreter (``python -I``), timed inside it around the import statement alone (so neither
the interpreter's start nor its shutdown is counted), median of many runs.

``import govuk_notify`` loads the client and the models on first use, so two more figures keep
the comparison honest: importing the client class itself (``from govuk_notify import
NotifyClient``, what an application that sends writes), and the whole cold start: import the
client, make one and send one text message to the benchmark server, timed the same way.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile

from . import Figure, median
from .server import API_KEY, TEMPLATE_ID

__all__ = ["RUNS", "run"]

RUNS = 25
COLD_RUNS = 11
TARGET = 1.5

_TIMED = """\
import sys, time
_started = time.perf_counter()
{code}
print(time.perf_counter() - _started)
"""

_OURS_IMPORT = "import govuk_notify"
_OFFICIAL_IMPORT = "import notifications_python_client"
_OURS_CLIENT_IMPORT = "from govuk_notify import NotifyClient"
_OFFICIAL_CLIENT_IMPORT = "from notifications_python_client import NotificationsAPIClient"
_SEND = (
    f'client.send_sms_notification("07712000001", "{TEMPLATE_ID}", {{"name": "Amala"}},'
    ' reference="cold")'
)
_OURS_COLD = f"""\
from govuk_notify import NotifyClient
client = NotifyClient(sys.argv[1], sys.argv[2])
{_SEND}"""
_OFFICIAL_COLD = f"""\
from notifications_python_client import NotificationsAPIClient
client = NotificationsAPIClient(sys.argv[1], sys.argv[2])
{_SEND}"""


def _timed(code: str, args: list[str], cwd: str) -> float:
    """Seconds the snippet took inside a fresh interpreter. ``-I``: no user site, no PYTHON*
    variables, and the working directory is not on ``sys.path``."""
    completed = subprocess.run(
        [sys.executable, "-I", "-c", _TIMED.format(code=code), *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return float(completed.stdout.strip().splitlines()[-1])


def _interleaved(codes: dict[str, str], args: list[str], runs: int) -> dict[str, float]:
    """Median milliseconds of each snippet, the snippets taking turns."""
    times: dict[str, list[float]] = {name: [] for name in codes}
    with tempfile.TemporaryDirectory() as empty:
        for code in codes.values():
            _timed(code, args, empty)  # warm the file system caches
        for _ in range(runs):
            for name, code in codes.items():
                times[name].append(_timed(code, args, empty))
    return {name: median(values) * 1e3 for name, values in times.items()}


def run(base_url: str, runs: int = RUNS, cold_runs: int = COLD_RUNS) -> list[Figure]:
    imports = _interleaved(
        {
            "ours": _OURS_IMPORT,
            "official": _OFFICIAL_IMPORT,
            "ours client": _OURS_CLIENT_IMPORT,
            "official client": _OFFICIAL_CLIENT_IMPORT,
        },
        [],
        runs,
    )
    cold = _interleaved(
        {"ours": _OURS_COLD, "official": _OFFICIAL_COLD}, [API_KEY, base_url], cold_runs
    )
    return [
        Figure(
            name="Import time: `import govuk_notify` vs `import notifications_python_client`",
            unit="ms",
            ours=imports["ours"],
            official=imports["official"],
            rounds=runs,
            target=TARGET,
            note="fresh interpreter each run, wall time of the import statement",
            short="`import govuk_notify`",
            remedy="importing less at the top level",
        ),
        Figure(
            name="Import the client class",
            unit="ms",
            ours=imports["ours client"],
            official=imports["official client"],
            rounds=runs,
            note="`from govuk_notify import NotifyClient` vs"
            " `from notifications_python_client import NotificationsAPIClient`",
        ),
        Figure(
            name="Cold start: import, make a client, send one SMS",
            unit="ms",
            ours=cold["ours"],
            official=cold["official"],
            rounds=cold_runs,
            target=TARGET,
            note="fresh interpreter each run, wall time up to the answer",
            short="Cold start: import, make a client, send one SMS",
            remedy="a first send without pydantic (checks by hand, models built unvalidated):"
            " importing `requests`, PyJWT and pydantic's `BaseModel` alone takes about 1.5× the"
            " official client's import",
        ),
    ]
