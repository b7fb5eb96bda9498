"""Every Python example in the README and the documentation runs as pasted, and type-checks.

Each ```python block of ``README.md`` and ``docs/**/*.md`` is a complete program. It runs in a
fresh interpreter, in an empty folder, against a sandbox, with ``NOTIFY_API_KEY`` (the sandbox's
live key) and ``NOTIFY_BASE_URL`` (its base URL) in the environment, as a user would set them;
a block of test functions (``def test_...``) runs under pytest, as a user's test module would,
with the package's fixtures. Then all blocks are checked by ``mypy --strict`` with a plain
configuration (no pydantic plugin), as a user's project would check them. A block that fails to
run or to type-check fails ``make test``, naming the file and line.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from govuk_notify.sandbox import Sandbox

from .processes import child_env

ROOT = Path(__file__).resolve().parents[1]
_FENCE = re.compile(r"^```python[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Example:
    """One ```python block: where it is and its code."""

    path: Path
    line: int
    code: str

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def module(self) -> str:
        stem = re.sub(r"\W", "_", str(self.path.relative_to(ROOT)).removesuffix(".md"))
        return f"example_{stem}_{self.line}"


def documents() -> list[Path]:
    """The README and every Markdown page under docs/."""
    pages = [ROOT / "README.md"]
    docs = ROOT / "docs"
    if docs.is_dir():
        pages += sorted(docs.rglob("*.md"))
    return pages


def examples() -> list[Example]:
    """Every ```python block of the documents, with the line its code starts on."""
    found = []
    for path in documents():
        text = path.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            line = text.count("\n", 0, match.start(1)) + 1
            found.append(Example(path, line, match.group(1)))
    return found


EXAMPLES = examples()


def test_the_readme_has_examples() -> None:
    assert sum(1 for e in EXAMPLES if e.path.name == "README.md") >= 4


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def _environment(sandbox: Sandbox) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOTIFY_", "PYTEST_"))}
    return child_env(env, NOTIFY_API_KEY=sandbox.api_keys.live, NOTIFY_BASE_URL=sandbox.base_url)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_the_example_runs_as_pasted(example: Example, sandbox: Sandbox, tmp_path: Path) -> None:
    sandbox.reset()
    script = tmp_path / f"{example.module}.py"
    script.write_text(example.code, encoding="utf-8")
    # A block of tests (as a user's test module) runs under pytest, with the package's fixtures.
    is_tests = re.search(r"^def test_", example.code, re.MULTILINE) is not None
    command = [sys.executable, str(script)]
    if is_tests:
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(script)]
    result = subprocess.run(
        command,
        cwd=tmp_path,
        env=_environment(sandbox),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, (
        f"{example.name} failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
    )
    assert sandbox.api_keys.live not in result.stdout + result.stderr
    if is_tests:
        assert re.search(r"\b\d+ passed\b", result.stdout), result.stdout


PLAIN_MYPY = """\
[mypy]
strict = True
warn_unreachable = True
"""


def test_the_examples_type_check_without_the_pydantic_plugin(tmp_path: Path) -> None:
    mypy_api = pytest.importorskip("mypy.api")
    for example in EXAMPLES:
        (tmp_path / f"{example.module}.py").write_text(example.code, encoding="utf-8")
    (tmp_path / "mypy.ini").write_text(PLAIN_MYPY)
    stdout, stderr, status = mypy_api.run(
        [
            "--config-file",
            str(tmp_path / "mypy.ini"),
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            *(str(tmp_path / f"{e.module}.py") for e in EXAMPLES),
        ]
    )
    by_module = {e.module: e for e in EXAMPLES}

    def located(line: str) -> str:
        # "example_README_45.py:3: error: ..." -> "README.md:47: error: ..."
        name, _, rest = line.partition(".py:")
        example = by_module.get(Path(name).name)
        if example is None or ":" not in rest:
            return line
        number, _, message = rest.partition(":")
        return f"{example.name.rsplit(':', 1)[0]}:{example.line + int(number) - 1}:{message}"

    assert status == 0, "\n".join(located(line) for line in stdout.splitlines()) + stderr
