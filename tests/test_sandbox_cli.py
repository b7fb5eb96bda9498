"""The ``govuk-notify sandbox`` command."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from govuk_notify import ReceivedText
from govuk_notify.cli import build_parser, main
from govuk_notify.models.responses import NOTIFICATION_ADAPTER
from govuk_notify.sandbox import Sandbox

from .cli_helpers import (
    LETTER_TEMPLATE,
    SMS_TEMPLATE,
    cli_env,
    one_error_line,
    run_cli,
    run_process,
)
from .processes import finish
from .test_cli_lookup import LETTER_VALUES
from .test_sandbox_support import make_token


def _env() -> dict[str, str]:
    return cli_env()


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
        out, err = finish(process, 20)
        assert process.returncode == 0, err
        assert "Sandbox stopped." in out
        assert live.group(1) not in err
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


# --- actions on a running sandbox, over HTTP ------------------------------------------------


def test_add_received_text_into_a_running_sandbox(notify_sandbox: Sandbox) -> None:
    result = run_cli(
        ["sandbox", "add-received-text", "Is my appointment still on?", "--from", "07700900999"],
        notify_sandbox,
    )
    assert result.returncode == 0, result.stderr
    [text] = notify_sandbox.received_texts()
    assert text.content == "Is my appointment still on?"
    assert text.user_number == "447700900999"  # stored in the international form, as Notify does
    assert text.id in result.stdout
    as_json = run_cli(
        ["sandbox", "add-received-text", "Second", "--to", "07700900777", "--json"],
        notify_sandbox,
    )
    assert as_json.returncode == 0, as_json.stderr
    received = ReceivedText.model_validate_json(as_json.stdout)
    assert received.content == "Second"
    assert received.notify_number == "07700900777"
    listed = run_cli(["received-texts", "--json"], notify_sandbox)
    assert [
        ReceivedText.model_validate_json(line).content for line in listed.stdout.splitlines()
    ] == [
        "Second",
        "Is my appointment still on?",
    ]


def test_return_a_letter_and_set_a_status(notify_sandbox: Sandbox) -> None:
    client = notify_sandbox.client()
    letter = client.send_letter_notification(LETTER_TEMPLATE, LETTER_VALUES)
    sms = client.send_sms_notification("07700900123", SMS_TEMPLATE, {"name": "A", "code": "1"})

    returned = run_cli(["sandbox", "return-letter", str(letter.id)], notify_sandbox)
    assert returned.returncode == 0, returned.stderr
    assert "Marked the letter as returned to sender." in returned.stdout
    [stored] = notify_sandbox.sent_letters()
    assert stored.raw_status == "returned-letter"

    not_a_letter = run_cli(["sandbox", "return-letter", str(sms.id)], notify_sandbox)
    assert not_a_letter.returncode == 2
    assert "is not a letter" in one_error_line(not_a_letter, "govuk-notify sandbox return-letter")

    failed = run_cli(
        ["sandbox", "set-status", str(sms.id), "permanent-failure", "--json"], notify_sandbox
    )
    assert failed.returncode == 0, failed.stderr
    assert NOTIFICATION_ADAPTER.validate_json(failed.stdout).status == "permanent-failure"
    assert client.get_notification_by_id(sms.id).status == "permanent-failure"

    unknown = run_cli(
        ["sandbox", "return-letter", "6a0c3f1e-3f2b-4c8e-9a57-0f5d6c1e2b3a"], notify_sandbox
    )
    assert unknown.returncode == 1
    assert "404" in one_error_line(unknown, "govuk-notify sandbox return-letter")
    bad_status = run_cli(["sandbox", "set-status", str(sms.id), "lost"], notify_sandbox)
    assert bad_status.returncode == 2


def test_sandbox_actions_need_the_key_and_refuse_a_wrong_one(notify_sandbox: Sandbox) -> None:
    no_key = run_cli(["sandbox", "add-received-text", "hi"], notify_sandbox, key="")
    assert no_key.returncode == 2
    assert "NOTIFY_API_KEY" in one_error_line(no_key, "govuk-notify sandbox add-received-text")
    wrong = notify_sandbox.api_keys.live[:-36] + "00000000-0000-4000-8000-000000000000"
    refused = run_cli(["sandbox", "add-received-text", "hi"], notify_sandbox, key=wrong)
    assert refused.returncode == 1
    assert wrong not in refused.stderr
    assert notify_sandbox.received_texts() == []


def test_sandbox_actions_import_nothing_from_the_sandbox(notify_sandbox: Sandbox) -> None:
    code = (
        "import sys\n"
        "from govuk_notify.cli import main\n"
        "status = main(['sandbox', 'add-received-text', 'hello', '--json'])\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('govuk_notify.sandbox'))\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    result = run_process([sys.executable, "-c", code], env=cli_env(notify_sandbox))
    assert result.returncode == 0, result.stderr
    assert "LOADED []" in result.stderr
    assert [t.content for t in notify_sandbox.received_texts()] == ["hello"]
