"""The ``--help`` of every ``govuk-notify`` command is kept in ``tests/snapshots/help/``, so that
a change to it shows in review; and ``govuk-notify --help`` loads none of the heavy modules.

After changing a command on purpose, rewrite the snapshots and review the diff::

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_cli_help.py
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from govuk_notify.cli import SUBCOMMANDS, build_parser

from .cli_helpers import cli_env, run_cli, run_process

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "help"
WIDTH = "100"

same_layout = pytest.mark.skipif(
    sys.version_info >= (3, 13),
    reason="the snapshots are argparse's layout in Python 3.10 to 3.12 (CI runs 3.11); 3.13 "
    "indents the command lists differently",
)


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """The parser and every parser under it, depth first."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen: set[int] = set()
            for child in action.choices.values():
                if id(child) not in seen:
                    seen.add(id(child))
                    yield from _parsers(child)


def _snapshot_name(parser: argparse.ArgumentParser) -> str:
    return parser.prog.replace(" ", ".") + ".txt"


@pytest.fixture
def helps(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("COLUMNS", WIDTH)
    monkeypatch.setenv("NO_COLOR", "1")  # Python 3.14 colours help on a terminal
    return {_snapshot_name(p): p.format_help() for p in _parsers(build_parser())}


@same_layout
def test_every_command_has_its_help_in_a_snapshot(helps: dict[str, str]) -> None:
    expected_commands = {
        "govuk-notify.send.sms.txt",
        "govuk-notify.send.email.txt",
        "govuk-notify.send.letter.txt",
        "govuk-notify.send.precompiled-letter.txt",
        "govuk-notify.status.txt",
        "govuk-notify.notifications.txt",
        "govuk-notify.templates.txt",
        "govuk-notify.template.txt",
        "govuk-notify.preview.txt",
        "govuk-notify.received-texts.txt",
        "govuk-notify.send-bulk.txt",
        "govuk-notify.sandbox.txt",
        "govuk-notify.sandbox.add-received-text.txt",
        "govuk-notify.sandbox.return-letter.txt",
        "govuk-notify.completion.txt",
    }
    assert expected_commands <= set(helps)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SNAPSHOTS.glob("*.txt"):
            old.unlink()
        for name, text in helps.items():
            (SNAPSHOTS / name).write_text(text, encoding="utf-8")
    stored = {path.name: path.read_text(encoding="utf-8") for path in SNAPSHOTS.glob("*.txt")}
    assert sorted(stored) == sorted(helps), "commands added or removed: UPDATE_SNAPSHOTS=1"
    for name, text in helps.items():
        assert text == stored[name], f"{name} changed: review it, then UPDATE_SNAPSHOTS=1"


def test_help_documents_the_exit_codes(helps: dict[str, str]) -> None:
    for name, text in helps.items():
        if name.startswith(("govuk-notify.send-bulk", "govuk-notify.completion")):
            continue
        for line in ("  0    success", "  3    a send may", "  4    network", "  130  interrupted"):
            assert line in text, name


@same_layout
def test_help_as_run_is_the_snapshot() -> None:
    """``govuk-notify --help`` builds the commands' summaries alone: they must match."""
    full = build_parser()
    [subparsers] = [a for a in full._actions if isinstance(a, argparse._SubParsersAction)]
    summaries = {c.dest: c.help for c in subparsers._choices_actions}
    assert summaries == {c.name: c.summary for c in SUBCOMMANDS}, (
        "a Command's summary in govuk_notify.cli.SUBCOMMANDS must be its parser's help="
    )
    result = run_cli(["--help"], env={"COLUMNS": WIDTH})
    assert result.returncode == 0
    assert result.stdout == (SNAPSHOTS / "govuk-notify.txt").read_text(encoding="utf-8")
    send_sms = run_cli(["send", "sms", "--help"], env={"COLUMNS": WIDTH})
    assert send_sms.stdout == (SNAPSHOTS / "govuk-notify.send.sms.txt").read_text(encoding="utf-8")


def test_help_loads_no_pydantic_requests_or_sandbox() -> None:
    code = (
        "import sys\n"
        "from govuk_notify.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('pydantic', 'requests', 'urllib3', 'argcomplete', 'sqlite3', 'jwt',\n"
        "         'phonenumbers', 'govuk_notify.sandbox', 'govuk_notify.client')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)), file=sys.stderr)\n"
    )
    for args in (["--help"], ["send", "sms", "--help"], ["notifications", "--help"], []):
        result = run_process([sys.executable, "-c", code, *args], env=cli_env())
        assert result.returncode == 0, result.stderr
        assert result.stderr.splitlines()[-1] == "[]", (args, result.stderr)
