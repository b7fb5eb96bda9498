"""The ``govuk-notify sandbox`` command."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from govuk_notify.cli import build_parser, main

from .test_sandbox_support import make_token

SRC = Path(__file__).resolve().parent.parent / "src"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def test_help_lists_the_sandbox_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    assert "sandbox" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["sandbox", "--help"])
    help_text = capsys.readouterr().out
    for option in (
        "--host",
        "--port",
        "--db",
        "--templates",
        "--rate-limit",
        "--daily-limit",
        "--latency",
    ):
        assert option in help_text
    assert main([]) == 2


def test_bad_options_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["sandbox", "--rate-limit", "0"])
    with pytest.raises(SystemExit):
        build_parser().parse_args(["sandbox", "--latency", "-5"])
    capsys.readouterr()
    missing = tmp_path / "missing.json"
    assert main(["sandbox", "--port", "0", "--templates", str(missing)]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_the_sandbox_command_serves_until_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "govuk_notify.cli", "sandbox", "--port", "0", "--db", str(db),
         "--rate-limit", "600", "--daily-limit", "5", "--latency", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )  # fmt: skip
    try:
        assert process.stdout is not None
        lines = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        output = "".join(lines)
        base_url = re.search(r"running at (http://127\.0\.0\.1:\d+)", output)
        live = re.search(r"^  live  (\S+)$", output, re.MULTILINE)
        assert base_url, output
        assert live, output
        assert re.search(r"^  team  \S+$", output, re.MULTILINE)
        assert re.search(r"^  test  \S+$", output, re.MULTILINE)
        assert "27977601-9753-4b18-afab-ef47bb93bc78" in output
        assert str(db) in output

        headers = {"Authorization": "Bearer " + make_token(live.group(1))}
        response = requests.get(base_url.group(1) + "/v2/templates", headers=headers, timeout=10)
        assert response.status_code == 200
        assert len(response.json()["templates"]) == 4

        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
        assert process.returncode == 0, err
        assert "Sandbox stopped." in out
        assert live.group(1) not in err
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
