"""``govuk-notify send-bulk`` against the embedded sandbox: CSV headers, validation before the
first send, the journal, resuming, and a ``kill -9`` in the middle of a run."""

from __future__ import annotations

import io
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from govuk_notify.bulk import BulkProgress
from govuk_notify.bulk_journal import SendJournal
from govuk_notify.cli import main
from govuk_notify.cli.bulk import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNKNOWN,
    EXIT_USAGE,
)
from govuk_notify.cli.bulk.planning import normalise_header
from govuk_notify.cli.bulk.progress import ProgressBar
from govuk_notify.sandbox import DEFAULT_TEMPLATE_IDS, Sandbox, SentLetter

from .processes import child_env

SMS = DEFAULT_TEMPLATE_IDS["sms"]
EMAIL = DEFAULT_TEMPLATE_IDS["plain_email"]
LETTER = DEFAULT_TEMPLATE_IDS["letter"]


@pytest.fixture(scope="module")
def module_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(module_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    module_sandbox.latency_ms = 0
    module_sandbox.set_daily_limit(None)
    module_sandbox.reset()
    monkeypatch.setenv("NOTIFY_API_KEY", module_sandbox.api_keys.live)
    monkeypatch.setenv("NOTIFY_BASE_URL", module_sandbox.base_url)
    return module_sandbox


@pytest.fixture
def sigint_handled() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt in this process (and in the processes it starts), even
    when the tests run where SIGINT is ignored, as in a background job."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def phone(n: int) -> str:
    """A number in Ofcom's drama range, past the simulated ones (which are never stored)."""
    assert 0 <= n < 700
    return f"07700900{300 + n:03d}"


def write_sms_csv(path: Path, rows: int, header: str = "phone number,name,code") -> Path:
    lines = [header] + [f"{phone(n)},Person {n},{n:06d}" for n in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def send_bulk(csv_path: Path, *extra: str, template: str = SMS) -> int:
    return main(["send-bulk", "--template", template, "--csv", str(csv_path), *extra])


def references(sandbox: Sandbox) -> Counter[str | None]:
    return Counter(n.reference for n in sandbox.notifications())


def journal_states(path: Path) -> Counter[str]:
    db = sqlite3.connect(path)
    try:
        return Counter(state for (state,) in db.execute("SELECT state FROM messages"))
    finally:
        db.close()


def journal_references(path: Path) -> dict[int, str]:
    """Row -> reference, from the journal."""
    db = sqlite3.connect(path)
    try:
        return dict(db.execute("SELECT row, reference FROM messages"))
    finally:
        db.close()


# --- headers and validation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("phone number", "phonenumber"),
        ("Phone_Number", "phonenumber"),
        (" PHONE-NUMBER ", "phonenumber"),
        ("Address Line 1", "addressline1"),
        ("address_line_7", "addressline7"),
        ("Post-Code", "postcode"),
    ],
)
def test_headers_match_ignoring_case_spaces_underscores_and_hyphens(header: str, key: str) -> None:
    assert normalise_header(header) == key


def test_sms_columns_in_any_spelling(sandbox: Sandbox, tmp_path: Path) -> None:
    csv_path = write_sms_csv(tmp_path / "sms.csv", 3, header="Phone_Number,NAME,Co-de")
    assert send_bulk(csv_path) == EXIT_OK
    sent = sorted(sandbox.sent_sms(), key=lambda n: n.reference or "")
    assert [n.phone_number for n in sent] == [phone(0), phone(1), phone(2)]
    assert sent[1].body == "Hello Person 1, your security code is 000001. It expires in 10 minutes."


def test_email_and_letter_columns(sandbox: Sandbox, tmp_path: Path) -> None:
    emails = tmp_path / "emails.csv"
    emails.write_text(
        "EMAIL ADDRESS,subject,body\nsomeone@example.com,Hello,Your form is ready\n",
        encoding="utf-8",
    )
    assert send_bulk(emails, template=EMAIL) == EXIT_OK
    [sent_email] = sandbox.sent_emails()
    assert (sent_email.email_address, sent_email.subject) == ("someone@example.com", "Hello")

    letters = tmp_path / "letters.csv"
    letters.write_text(
        "Address Line 1,address_line_2,ADDRESS-LINE-3,Post Code,name,application number,date,"
        "needs documents\n"
        "A Person,1 High Street,Leeds,LS1 1AA,A Person,A-1,1 May,yes\n",
        encoding="utf-8",
    )
    assert send_bulk(letters, template=LETTER) == EXIT_OK
    [letter] = sandbox.sent_letters()
    assert isinstance(letter, SentLetter)
    assert letter.address == ("A Person", "1 High Street", "Leeds", "LS1 1AA")
    assert "A-1" in letter.body


def test_invalid_rows_are_listed_and_nothing_is_sent(
    sandbox: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_path = tmp_path / "people.csv"
    csv_path.write_text(
        "phone number,name,code\n"
        f"{phone(0)},Ann,1\n"
        "12345,Bob,2\n"  # row 3: a bad number
        f"{phone(2)},,3\n"  # row 4: the template needs ((name))
        f"{phone(3)},Dee,4,surplus\n"  # row 5: a cell past the header
        f"{phone(4)},Eve,5\n",
        encoding="utf-8",
    )
    assert send_bulk(csv_path) == EXIT_USAGE
    out = capsys.readouterr().out
    assert "row 3, column 'phone number': Not enough digits" in out
    assert "row 4, column 'name': empty: the template needs ((name))" in out
    assert "row 5, column '(no header)': 1 cell(s) past the header" in out
    assert "Nothing was sent" in out
    assert sandbox.notifications() == []
    assert not (tmp_path / "people.csv.journal.sqlite3").exists()

    # --skip-invalid sends the two good rows only.
    assert send_bulk(csv_path, "--skip-invalid") == EXIT_OK
    out = capsys.readouterr().out
    assert "Done: 2 sent, 0 failed, 0 in doubt, 3 invalid (skipped)." in out
    assert sorted(n.phone_number for n in sandbox.sent_sms()) == [phone(0), phone(4)]


def test_file_level_problems_stop_everything(
    sandbox: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    no_recipient = tmp_path / "a.csv"
    no_recipient.write_text("mobile,name,code\n07700900123,Ann,1\n", encoding="utf-8")
    assert send_bulk(no_recipient, "--skip-invalid") == EXIT_USAGE
    assert "there is no 'phone number' column" in capsys.readouterr().out

    no_placeholder = tmp_path / "b.csv"
    no_placeholder.write_text("phone number,name\n07700900123,Ann\n", encoding="utf-8")
    assert send_bulk(no_placeholder, "--skip-invalid") == EXIT_USAGE
    assert "no column for the template's placeholder ((code))" in capsys.readouterr().out

    twice = tmp_path / "c.csv"
    twice.write_text("phone number,Phone_Number,name,code\n0,0,a,1\n", encoding="utf-8")
    assert send_bulk(twice) == EXIT_USAGE
    assert "are the same column to Notify" in capsys.readouterr().out
    assert sandbox.notifications() == []


def test_setup_problems_exit_2(
    sandbox: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    csv_path = write_sms_csv(tmp_path / "x.csv", 1)
    assert send_bulk(csv_path, template="not-a-uuid") == EXIT_USAGE
    assert send_bulk(csv_path, template="7e6b4e28-0000-4000-8000-000000000000") == EXIT_USAGE
    assert send_bulk(tmp_path / "missing.csv") == EXIT_USAGE
    monkeypatch.delenv("NOTIFY_API_KEY")
    assert send_bulk(csv_path) == EXIT_USAGE
    assert "NOTIFY_API_KEY" in capsys.readouterr().err
    assert sandbox.notifications() == []


# --- the journal ------------------------------------------------------------------------------


def test_refused_rows_are_never_sent_and_a_rerun_tries_them_again(
    sandbox: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_path = write_sms_csv(tmp_path / "daily.csv", 8)
    sandbox.set_daily_limit({"sms": 5})
    assert send_bulk(csv_path, "--workers", "1") == EXIT_FAILED
    out = capsys.readouterr().out
    assert "3 row(s) refused by Notify (not sent):" in out
    assert "429 TooManyRequestsError: Exceeded send limits" in out
    assert journal_states(tmp_path / "daily.csv.journal.sqlite3") == {"sent": 5, "failed": 3}

    sandbox.set_daily_limit(None)
    assert send_bulk(csv_path) == EXIT_OK
    assert "5 already sent (skipped), 3 to send" in capsys.readouterr().out
    assert set(references(sandbox).values()) == {1}
    assert len(references(sandbox)) == 8


def test_rows_in_doubt_are_looked_up_before_anything_is_sent_again(
    sandbox: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A journal as a killed run leaves it: row 2 reached Notify but its answer was lost, row 3
    never left, row 4 was tried too long ago to be proved absent. Rows 5 and 6 are pending."""
    csv_path = write_sms_csv(tmp_path / "doubt.csv", 5)
    journal = tmp_path / "doubt.csv.journal.sqlite3"
    assert send_bulk(csv_path) == EXIT_OK
    capsys.readouterr()
    refs = journal_references(journal)
    sandbox.reset()
    db = sqlite3.connect(journal)
    db.execute("UPDATE messages SET state = 'sending', last_attempt_at = 0 WHERE row IN (2, 3)")
    db.execute("UPDATE messages SET state = 'sending' WHERE row = 4")
    db.execute("UPDATE messages SET state = 'pending' WHERE row IN (5, 6)")
    db.execute("UPDATE messages SET last_attempt_at = ? WHERE row = 4", (time.time() - 4 * 86400,))
    db.execute("UPDATE messages SET last_attempt_at = ? WHERE row IN (2, 3)", (time.time() - 60,))
    db.commit()
    db.close()
    sandbox.live_client.send_sms_notification(
        phone(0), SMS, {"name": "Person 0", "code": "000000"}, reference=refs[2]
    )

    assert send_bulk(csv_path, "--settle-time", "0.5") == EXIT_UNKNOWN
    out = capsys.readouterr().out
    assert "Checking 3 message(s)" in out
    assert f"row 4 (reference {refs[4]}): last tried too long ago" in out
    assert references(sandbox) == Counter({refs[2]: 1, refs[3]: 1, refs[5]: 1, refs[6]: 1})
    assert journal_states(journal) == {"sent": 4, "sending": 1}


def test_a_second_run_on_the_same_journal_is_refused(sandbox: Sandbox, tmp_path: Path) -> None:
    csv_path = write_sms_csv(tmp_path / "busy.csv", 2)
    holder = SendJournal(tmp_path / "busy.csv.journal.sqlite3")
    try:
        assert send_bulk(csv_path) == EXIT_USAGE
    finally:
        holder.close()
    assert sandbox.notifications() == []
    assert send_bulk(csv_path) == EXIT_OK


# --- progress -----------------------------------------------------------------------------------


def progress(done: int, elapsed: float) -> BulkProgress:
    return BulkProgress(
        total=100,
        sent=done - 1 if done else 0,
        failed=1 if done else 0,
        unknown=0,
        in_flight=0,
        rate_limited=0,
        elapsed=elapsed,
        eta=(100 - done) / 50,
    )


def test_the_progress_bar_redraws_one_line_on_a_terminal() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, tty=True)
    bar.update(progress(10, 1.0))
    bar.update(progress(60, 2.0))
    bar.update(progress(100, 3.0))
    text = stream.getvalue()
    assert text.count("\r") == 3
    assert text.count("\n") == 1
    assert text.endswith("\n")
    assert "\r[############........] 60/100  sent 59  failed 1  50.0/s  0:01 left\r" in text


def test_the_progress_bar_prints_a_line_now_and_then_when_not_on_a_terminal() -> None:
    stream = io.StringIO()
    now = [0.0]
    bar = ProgressBar(stream, tty=False, every=5.0, clock=lambda: now[0])
    for step in range(1, 21):  # every half second for 10 s
        now[0] = step * 0.5
        bar.update(progress(step * 5, step * 0.5))
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert [line.split("]")[1].split()[0] for line in lines] == ["5/100", "55/100", "100/100"]


# --- interrupted runs, in a separate process -----------------------------------------------


def start_cli(csv_path: Path, sandbox: Sandbox, *extra: str) -> subprocess.Popen[str]:
    env = child_env(
        NOTIFY_API_KEY=sandbox.api_keys.live,
        NOTIFY_BASE_URL=sandbox.base_url,
        PYTHONUNBUFFERED="1",
    )
    command = [sys.executable, "-m", "govuk_notify.cli", "send-bulk", "--template", SMS]
    return subprocess.Popen(
        [*command, "--csv", str(csv_path), *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_sent(journal: Path, at_least: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if journal.exists() and journal_states(journal)["sent"] >= at_least:
                return
        except sqlite3.OperationalError:
            pass  # the run is creating the journal's tables
        assert process.poll() is None, process.communicate()
        threading.Event().wait(0.02)  # poll
    raise AssertionError("the run did not get going")


def test_ctrl_c_then_the_same_command_sends_the_rest(
    sandbox: Sandbox, tmp_path: Path, sigint_handled: None
) -> None:
    sandbox.latency_ms = 100
    csv_path = write_sms_csv(tmp_path / "ctrl-c.csv", 60)
    journal = tmp_path / "ctrl-c.csv.journal.sqlite3"

    process = start_cli(csv_path, sandbox, "--workers", "2")
    wait_for_sent(journal, 10, process)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == EXIT_INTERRUPTED, err
    states = journal_states(journal)
    assert 10 <= states["sent"] < 60
    assert states["sending"] == states["unknown"] == 0  # in-flight sends finished cleanly
    assert sum(references(sandbox).values()) == states["sent"]

    rerun = start_cli(csv_path, sandbox)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == EXIT_OK, out + err
    assert f"{states['sent']} already sent (skipped), {60 - states['sent']} to send" in out
    assert set(references(sandbox).values()) == {1}
    assert len(references(sandbox)) == 60


def test_kill_9_mid_run_then_the_same_command_sends_every_row_exactly_once(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    sandbox.latency_ms = 200  # slow answers: sends are in flight when the kill lands
    rows = 150
    csv_path = write_sms_csv(tmp_path / "kill.csv", rows)
    journal = tmp_path / "kill.csv.journal.sqlite3"

    process = start_cli(csv_path, sandbox, "--workers", "6", "--settle-time", "1")
    wait_for_sent(journal, 20, process)
    process.kill()  # SIGKILL: no clean-up of any kind
    process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL
    at_kill = journal_states(journal)
    # 'sending' is committed before a request goes out: whatever reached the sandbox, or is
    # still on its way, is sent or sending in the journal.
    assert at_kill["sent"] + at_kill["sending"] < rows
    assert sum(references(sandbox).values()) <= at_kill["sent"] + at_kill["sending"]

    rerun = start_cli(csv_path, sandbox, "--workers", "6", "--settle-time", "1")
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == EXIT_OK, out + err

    # From the sandbox's own list: every row sent, each exactly once, by reference.
    expected = set(journal_references(journal).values())
    assert len(expected) == rows
    counts = references(sandbox)
    assert set(counts) == expected
    assert set(counts.values()) == {1}, {ref: n for ref, n in counts.items() if n != 1}
    assert journal_states(journal) == {"sent": rows}
