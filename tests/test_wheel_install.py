"""The built wheel, installed into a fresh virtual environment, does what the README says.

The wheel is built from this checkout (``python -m build``), installed with pip into a new venv
with nothing else, and the README's first Quick start block runs there against the sandbox it
starts itself. The wheel carries the licence, the entry points and the sandbox's data files."""

from __future__ import annotations

import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def quick_start() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None
    return match.group(1)


def test_the_wheel_installs_and_runs_the_quick_start(tmp_path: Path) -> None:
    pytest.importorskip("build")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [wheel] = dist.glob("govuk_notify-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "govuk_notify/sandbox/default_templates.json" in names
    assert "govuk_notify/py.typed" in names

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    script = tmp_path / "quick_start.py"
    script.write_text(quick_start(), encoding="utf-8")
    run = subprocess.run(
        [str(python), str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    first, second = run.stdout.splitlines()
    assert "Hello Amala, your security code is 123456" in first
    assert second == "07700 900123 created"  # as the sandbox received it
    # the package came from the wheel, not from this checkout
    where = subprocess.run(
        [str(python), "-c", "import govuk_notify; print(govuk_notify.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    assert str(env_dir) in where
    console = env_dir / "bin" / "govuk-notify"
    assert (
        subprocess.run([str(console), "--help"], capture_output=True, check=False).returncode == 0
    )
