"""Tab completion of ``govuk-notify`` in a real bash, through the code that
``govuk-notify completion bash`` prints (argcomplete, the ``completion`` extra)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from govuk_notify.sandbox import Sandbox

from .cli_helpers import (
    EMAIL_TEMPLATE,
    SMS_TEMPLATE,
    cli_env,
    one_error_line,
    run_cli,
    run_process,
)

pytest.importorskip("argcomplete", reason="the completion extra is not installed")

BASH = shutil.which("bash")
EXECUTABLE = Path(sys.executable).parent / "govuk-notify"
needs_bash = pytest.mark.skipif(
    BASH is None or not EXECUTABLE.exists(),
    reason="needs bash and the installed govuk-notify script",
)


def complete(line: str, sandbox: Sandbox | None = None, key: str | None = None) -> list[str]:
    """What bash offers for ``line`` (the cursor at its end), with the shell code installed as
    the documentation says: ``eval "$(govuk-notify completion bash)"``."""
    next_word = 'COMP_WORDS+=(""); COMP_CWORD=$((COMP_CWORD + 1))' if line.endswith(" ") else ":"
    script = (
        'eval "$(govuk-notify completion bash)" || exit 9\n'
        f"COMP_LINE={_quote(line)}\n"
        "COMP_POINT=${#COMP_LINE}\n"
        'read -r -a COMP_WORDS <<< "$COMP_LINE"\n'
        "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
        f"{next_word}\n"
        "COMP_TYPE=9\n"
        "_python_argcomplete govuk-notify\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = cli_env(sandbox, key=key)
    env["PATH"] = f"{EXECUTABLE.parent}:{env.get('PATH', '')}"
    assert BASH is not None
    result = run_process([BASH, "--norc", "--noprofile", "-c", script], env=env)
    assert result.returncode == 0, result.stderr
    return sorted(word.strip() for word in result.stdout.splitlines() if word.strip())


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


@needs_bash
def test_bash_completes_commands_and_options() -> None:
    assert complete("govuk-notify templ") == ["template", "templates"]
    assert "received-texts" in complete("govuk-notify ")
    kinds = [word for word in complete("govuk-notify send ") if not word.startswith("-")]
    assert kinds == ["email", "letter", "precompiled-letter", "sms"]
    assert complete("govuk-notify notifications --st") == ["--status"]
    assert "permanent-failure" in complete("govuk-notify notifications --status ")
    assert "add-received-text" in complete("govuk-notify sandbox ")


@needs_bash
def test_bash_completes_template_ids_when_a_key_is_set(notify_sandbox: Sandbox) -> None:
    assert complete("govuk-notify template 2797", notify_sandbox) == [SMS_TEMPLATE]
    offered = complete("govuk-notify send email a@b.com --template ", notify_sandbox)
    assert EMAIL_TEMPLATE in offered
    assert SMS_TEMPLATE in offered
    assert complete("govuk-notify template 2797", notify_sandbox, key="") == []


def test_the_shell_code_for_bash_and_zsh() -> None:
    bash = run_cli(["completion", "bash"])
    assert bash.returncode == 0, bash.stderr
    assert "complete -o nospace -o default -o bashdefault -F _python_argcomplete govuk-notify" in (
        bash.stdout
    )
    zsh = run_cli(["completion", "zsh"])
    assert zsh.returncode == 0, zsh.stderr
    assert "compdef _python_argcomplete govuk-notify" in zsh.stdout
    fish = run_cli(["completion", "fish"])
    assert fish.returncode == 2
    assert "invalid choice: 'fish'" in fish.stderr


def test_without_argcomplete_the_error_names_the_extra() -> None:
    code = (
        "import sys\n"
        "sys.modules['argcomplete'] = None  # as if it were not installed\n"
        "from govuk_notify.cli import main\n"
        "sys.exit(main(['completion', 'bash']))\n"
    )
    result = run_process([sys.executable, "-c", code], env=cli_env())
    assert result.returncode == 2
    line = one_error_line(result, "govuk-notify completion")
    assert "pip install 'govuk-notify[completion]'" in line


ZSH = shutil.which("zsh")


@pytest.mark.skipif(ZSH is None or not EXECUTABLE.exists(), reason="needs zsh")
def test_zsh_completes_a_template_id_on_a_terminal(notify_sandbox: Sandbox) -> None:
    """An interactive zsh on a pseudo-terminal, set up as the documentation says, then Tab."""
    import os
    import pty
    import select
    import threading
    import time

    env = cli_env(notify_sandbox)
    env["PATH"] = f"{EXECUTABLE.parent}:{env.get('PATH', '')}"
    env["TERM"] = "xterm"
    assert ZSH is not None
    fd, terminal = pty.openpty()
    shell = subprocess.Popen(
        [ZSH, "-f", "-i"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        start_new_session=True,
    )
    os.close(terminal)

    screen = bytearray()

    def wait_for(text: bytes, seconds: float = 30) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in screen:
                return True
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    screen.extend(os.read(fd, 65536))
                except OSError:
                    return text in screen
        return text in screen

    try:
        os.write(fd, b'autoload -U compinit && compinit -u && eval "$(govuk-notify completion zsh)"'
                 b" && echo READY-$((6*7))\n")  # fmt: skip
        assert wait_for(b"READY-42"), screen.decode(errors="replace")
        screen.clear()
        os.write(fd, b"govuk-notify template 2797\t")
        assert wait_for(SMS_TEMPLATE.encode()), screen.decode(errors="replace")
        os.write(fd, b"\x15exit\n")  # Ctrl-U clears the line
        killer = threading.Timer(30, shell.kill)
        killer.start()
        shell.wait()
        killer.cancel()
    finally:
        if shell.poll() is None:
            shell.kill()
            shell.wait()
        os.close(fd)
