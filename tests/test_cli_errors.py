"""The exit codes of ``govuk-notify`` and its one-line errors, from real processes: 1 refused,
2 bad input, 3 a send in doubt, 4 network, 130 interrupted; never the key or a token."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import pytest

from govuk_notify.sandbox import Sandbox

from . import bodies
from .cli_helpers import SMS_TEMPLATE, cli_env, one_error_line, pause, run_cli
from .processes import finish
from .wire import Reply, WireServer, free_port

SEND_SMS = ["send", "sms", "07700900123", "--template", SMS_TEMPLATE, "--set", "name=A",
            "--set", "code=1", "--reference", "order-42"]  # fmt: skip
HTML_502 = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


def _wire_env(server: WireServer) -> dict[str, str]:
    return {"NOTIFY_API_KEY": bodies.API_KEY, "NOTIFY_BASE_URL": server.url}


@pytest.mark.parametrize(
    "reply",
    [Reply(action="close"), Reply(502, HTML_502, {"Content-Type": "text/html"})],
    ids=["dropped", "gateway-502"],
)
def test_a_send_in_doubt_is_exit_3_and_names_the_reference(reply: Reply) -> None:
    with WireServer(reply) as server:
        result = run_cli(SEND_SMS, env=_wire_env(server))
        assert len(server.requests) == 1  # not retried
    assert result.returncode == 3
    line = one_error_line(result, "govuk-notify send sms")
    assert "may have reached Notify" in line
    assert "govuk-notify notifications --reference order-42" in line
    assert result.stdout == ""


def test_an_answer_that_is_not_notifys_is_exit_4_for_a_read() -> None:
    with WireServer(Reply(200, b"<html>login page</html>", {"Content-Type": "text/html"})) as s:
        result = run_cli(["templates"], env=_wire_env(s))
    assert result.returncode == 4
    assert "Unexpected response (HTTP 200)" in one_error_line(result, "govuk-notify templates")


def test_no_server_is_exit_4() -> None:
    env = {"NOTIFY_API_KEY": bodies.API_KEY, "NOTIFY_BASE_URL": f"http://127.0.0.1:{free_port()}"}
    for command in (["templates"], SEND_SMS):
        result = run_cli(command, env=env)
        assert result.returncode == 4, result.stderr
        line = one_error_line(result, f"govuk-notify {' '.join(command[:2])}".rstrip())
        assert "refused" in line.lower() or "connect" in line.lower(), line


@pytest.mark.parametrize("command", [["notifications"], SEND_SMS], ids=["read", "send"])
def test_ctrl_c_is_exit_130(command: list[str]) -> None:
    with WireServer(Reply(action="hang")) as server:
        process = subprocess.Popen(
            [sys.executable, "-m", "govuk_notify.cli", *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(extra=_wire_env(server)),
        )
        try:
            deadline = time.monotonic() + 30
            while not server.requests and time.monotonic() < deadline:
                pause(0.02)  # polling the server, not a synchronisation by time
            assert server.requests, "the command never reached the server"
            process.send_signal(signal.SIGINT)
            out, err = finish(process, 30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    assert process.returncode == 130
    assert out == ""
    assert "Interrupted" in err
    assert "Traceback" not in err
    if command is SEND_SMS:
        assert "the text message may have been sent (reference order-42)" in err


def test_the_key_and_tokens_never_appear(notify_sandbox: Sandbox) -> None:
    live = notify_sandbox.api_keys.live
    secret = live[-36:]
    revoked = notify_sandbox.create_api_key("live", name="old")
    notify_sandbox.revoke_api_key(revoked)
    wrong_secret = live[:-36] + "00000000-0000-4000-8000-000000000000"
    cases = [
        (wrong_secret, ["templates"], 1),
        (revoked, SEND_SMS, 1),
        (live[:-5], ["templates"], 2),  # malformed
        (live + "-extra", SEND_SMS, 2),
        ("x" * 80, ["status", "6a0c3f1e-3f2b-4c8e-9a57-0f5d6c1e2b3a"], 2),
    ]
    for key, command, code in cases:
        result = run_cli(command, notify_sandbox, key=key)
        assert result.returncode == code, (command, result.stderr)
        assert len(result.stderr.splitlines()) == 1, result.stderr
        for text in (result.stdout, result.stderr):
            assert key not in text
            assert key[-36:] not in text
            assert secret not in text
            assert "eyJ" not in text  # the start of every JWT
            assert "Bearer" not in text
    assert notify_sandbox.notifications() == []


def test_no_key_names_the_variable(notify_sandbox: Sandbox) -> None:
    result = run_cli(SEND_SMS, notify_sandbox, key="  ")
    assert result.returncode == 2
    assert one_error_line(result, "govuk-notify send sms").endswith(
        "set NOTIFY_API_KEY to the API key"
    )


def test_a_bad_base_url_is_bad_input() -> None:
    result = run_cli(["templates", "--base-url", "http://example.com"], key=bodies.API_KEY, env={})
    assert result.returncode == 2
    assert "https" in one_error_line(result, "govuk-notify templates")


def test_no_command_prints_the_help_and_is_exit_2() -> None:
    result = run_cli([])
    assert result.returncode == 2
    assert "exit codes:" in result.stderr
    assert result.stdout == ""
    unknown = run_cli(["sned"])
    assert unknown.returncode == 2
    assert "invalid choice: 'sned'" in unknown.stderr


def test_output_to_a_closed_pipe_is_not_an_error(notify_sandbox: Sandbox) -> None:
    for number in range(300):
        notify_sandbox.add_received_text(f"message {number} " + "x" * 200)
    process = subprocess.Popen(
        [sys.executable, "-m", "govuk_notify.cli", "received-texts", "--all", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(notify_sandbox),
    )
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()  # as `| head -1` does
    killer = threading.Timer(30, process.kill)
    killer.start()
    err = process.stderr.read() if process.stderr is not None else b""
    assert process.wait() == 0
    killer.cancel()
    assert b"Traceback" not in err
