"""send-bulk as a new user runs it: invalid rows, --skip-invalid, then the same file fixed,
changed, extended, cut and reordered. Every run is a real process against the sandbox; the
sandbox's own list of notifications is the proof."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from govuk_notify.sandbox import DEFAULT_TEMPLATE_IDS, Sandbox

from .bulk_support import journal_states, phone, references, run_cli, start_cli, wait_for_sent

SMS = DEFAULT_TEMPLATE_IDS["sms"]
EMAIL = DEFAULT_TEMPLATE_IDS["plain_email"]


@pytest.fixture(scope="module")
def module_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(module_sandbox: Sandbox) -> Sandbox:
    module_sandbox.latency_ms = 0
    module_sandbox.reset()
    return module_sandbox


Row = tuple[str, str, str]  # phone number, name, code


def write_rows(path: Path, rows: list[Row]) -> Path:
    lines = ["phone number,name,code"] + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def sent_messages(sandbox: Sandbox) -> Counter[tuple[str, str]]:
    """(normalised number, body) -> how many times the sandbox sent it."""
    return Counter((n.phone_number.replace(" ", ""), n.body) for n in sandbox.sent_sms())


def body(name: str, code: str) -> str:
    return f"Hello {name}, your security code is {code}. It expires in 10 minutes."


def test_fixing_changing_adding_removing_and_reordering_sends_exactly_the_new_messages(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    rows: list[Row] = [(phone(n), f"Person {n}", f"{n:06d}") for n in range(20)]
    rows[4] = ("12345", "Person 4", "000004")  # invalid: not enough digits
    rows[11] = (phone(11), "", "000011")  # invalid: ((name)) is empty
    path = write_rows(tmp_path / "people.csv", rows)

    first = run_cli(sandbox, SMS, path)
    assert first.returncode == 2
    assert "Fix the rows, or use --skip-invalid to send the rest." in first.stdout
    assert sandbox.notifications() == []

    second = run_cli(sandbox, SMS, path, "--skip-invalid")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Done: 18 sent, 0 failed, 0 in doubt, 2 invalid (skipped)." in second.stdout
    assert len(sandbox.notifications()) == 18

    # The edit: fix the 2 invalid rows, change 2 sent rows, add 2, remove 1, reorder the rest.
    # Person 7 writes the number another way (the same person to Notify).
    edited = list(rows)
    edited[4] = (phone(4), "Person 4", "000004")
    edited[11] = (phone(11), "Person 11", "000011")
    edited[2] = (phone(2), "Person 2", "999999")  # changed code
    edited[9] = (phone(9), "Dr Person 9", "000009")  # changed name
    edited[7] = ("+44 7700 900307", "Person 7", "000007")
    del edited[15]  # removed
    edited.reverse()
    edited += [(phone(50), "Person 50", "000050"), (phone(51), "Person 51", "000051")]
    write_rows(path, edited)
    before = sent_messages(sandbox)

    third = run_cli(sandbox, SMS, path)
    assert third.returncode == 0, third.stdout + third.stderr
    assert "15 already sent (skipped), 6 to send" in third.stdout
    assert "Done: 6 sent, 0 failed, 0 in doubt, 15 sent before (skipped)." in third.stdout
    assert "3 messages in the journal from rows no longer in the file" in third.stdout
    new = sent_messages(sandbox) - before
    assert new == Counter(
        {
            (phone(4), body("Person 4", "000004")): 1,
            (phone(11), body("Person 11", "000011")): 1,
            (phone(2), body("Person 2", "999999")): 1,
            (phone(9), body("Dr Person 9", "000009")): 1,
            (phone(50), body("Person 50", "000050")): 1,
            (phone(51), body("Person 51", "000051")): 1,
        }
    )
    assert set(sent_messages(sandbox).values()) == {1}  # no message went twice
    assert len(sandbox.notifications()) == 24

    # And again: nothing left to send; a shuffled file keeps every reference.
    fourth = run_cli(sandbox, SMS, write_rows(path, sorted(edited)))
    assert fourth.returncode == 0
    assert "21 already sent (skipped), 0 to send" in fourth.stdout
    assert len(sandbox.notifications()) == 24
    assert set(references(sandbox).values()) == {1}


def test_new_job_sends_again_and_says_so_first(sandbox: Sandbox, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "again.csv", [(phone(n), f"P{n}", "1") for n in range(3)])
    assert run_cli(sandbox, SMS, path).returncode == 0
    again = run_cli(sandbox, SMS, path, "--new-job")
    assert again.returncode == 0, again.stdout + again.stderr
    lines = again.stdout.splitlines()
    [notice] = [line for line in lines if line.startswith("Starting job 2 in the journal")]
    assert "every row of the file is sent again, even if job 1 sent it" in notice
    assert lines.index(notice) < lines.index(next(x for x in lines if "to send" in x))
    assert "0 already sent (skipped), 3 to send" in again.stdout
    counts = references(sandbox)
    assert len(counts) == 6
    assert set(counts.values()) == {1}
    assert sum(1 for ref in counts if ref and ref.endswith("-2")) == 3
    # the new job is the current one: a rerun sends nothing
    assert "3 already sent (skipped), 0 to send" in run_cli(sandbox, SMS, path).stdout


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_journal_for_another_template_or_service_is_refused_unchanged(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    journal = tmp_path / "shared.sqlite3"
    sms = write_rows(tmp_path / "sms.csv", [(phone(1), "A", "1")])
    assert run_cli(sandbox, SMS, sms, "--journal", str(journal)).returncode == 0
    emails = tmp_path / "emails.csv"
    emails.write_text("email address,subject,body\na@example.com,Hi,Text\n", encoding="utf-8")
    digest = file_digest(journal)

    refused = run_cli(sandbox, EMAIL, emails, "--journal", str(journal))
    assert refused.returncode == 2
    assert "was made for another template" in refused.stderr
    assert "--force-journal" in refused.stderr
    assert file_digest(journal) == digest
    assert len(sandbox.notifications()) == 1

    forced = run_cli(sandbox, EMAIL, emails, "--journal", str(journal), "--force-journal")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert len(sandbox.sent_emails()) == 1

    db = sqlite3.connect(journal)
    db.execute("UPDATE meta SET value = 'another-service' WHERE name = 'service_id'")
    db.commit()
    db.close()
    digest = file_digest(journal)
    other = run_cli(sandbox, EMAIL, emails, "--journal", str(journal))
    assert other.returncode == 2
    assert "was made for another service (another-service)" in other.stderr
    assert file_digest(journal) == digest


@pytest.mark.parametrize("layout", ["version 1", "version 3", "not sqlite"])
def test_a_journal_it_cannot_read_is_refused_and_left_as_it_is(
    sandbox: Sandbox, tmp_path: Path, layout: str
) -> None:
    journal = tmp_path / "old.sqlite3"
    if layout == "not sqlite":
        journal.write_text("phone number\n", encoding="utf-8")
    else:
        db = sqlite3.connect(journal)
        if layout == "version 1":  # send-bulk's first layout: no version record
            db.execute("CREATE TABLE jobs (csv_sha256 TEXT, template_id TEXT)")
            db.execute("CREATE TABLE rows (csv_sha256 TEXT, row INTEGER, state TEXT)")
        else:
            db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.execute("INSERT INTO meta VALUES ('schema_version', '3')")
        db.commit()
        db.close()
    digest = file_digest(journal)
    path = write_rows(tmp_path / "p.csv", [(phone(1), "A", "1")])
    done = run_cli(sandbox, SMS, path, "--journal", str(journal))
    assert done.returncode == 2
    expected = {
        "version 1": "no schema version",
        "version 3": "schema version 3",
        "not sqlite": "is not a send-bulk journal",
    }[layout]
    assert expected in done.stderr
    assert "left as it is" in done.stderr or layout == "not sqlite"
    assert file_digest(journal) == digest
    assert sandbox.notifications() == []


def test_ctrl_c_reports_where_it_stopped_on_a_non_terminal(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    sandbox.latency_ms = 100
    path = write_rows(tmp_path / "stop.csv", [(phone(n), f"P{n}", "1") for n in range(80)])
    journal = tmp_path / "stop.csv.journal.sqlite3"
    process = start_cli(sandbox, SMS, path, "--workers", "2")
    wait_for_sent(journal, 10, process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, out + err
    sent = journal_states(journal)["sent"]
    assert 10 <= sent < 80
    last = out.splitlines()[-2:]
    assert last[0] == (
        f"Interrupted: {sent} sent, 0 failed, 0 in doubt, {80 - sent} not sent"
        " (of 80 messages in the file)."
    )
    assert last[1].startswith("Run the same command again to continue")
    # progress on a pipe: whole lines, the last one where the run stopped
    assert "\r" not in err
    progress = [line for line in err.splitlines() if line.startswith("[")]
    assert progress
    assert f"sent {sent}" in progress[-1]
    assert sum(references(sandbox).values()) == sent


def test_kill_9_during_a_rerun_after_an_edit_then_every_message_exactly_once(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    rows: list[Row] = [(phone(n), f"Person {n}", f"{n:06d}") for n in range(60)]
    path = write_rows(tmp_path / "big.csv", rows)
    journal = tmp_path / "big.csv.journal.sqlite3"
    assert run_cli(sandbox, SMS, path).returncode == 0

    edited = [(p, n, "777777" if i % 6 == 0 else c) for i, (p, n, c) in enumerate(rows)]  # 10
    edited.reverse()
    edited += [(phone(n), f"Person {n}", f"{n:06d}") for n in range(100, 190)]  # 90 new
    write_rows(path, edited)

    sandbox.latency_ms = 200  # sends are in flight when the kill lands
    process = start_cli(sandbox, SMS, path, "--workers", "6", "--settle-time", "1")
    wait_for_sent(journal, 60 + 20, process)
    process.kill()
    process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL
    assert journal_states(journal)["sent"] < 160

    sandbox.latency_ms = 0
    rerun = run_cli(sandbox, SMS, path, "--workers", "6", "--settle-time", "1")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr

    counts = sent_messages(sandbox)
    assert set(counts.values()) == {1}, {k: v for k, v in counts.items() if v != 1}
    assert len(counts) == 60 + 10 + 90
    assert set(references(sandbox).values()) == {1}
    assert journal_states(journal) == {"sent": 160}


def test_the_file_saved_under_a_new_name_does_not_send_again(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    rows: list[Row] = [(phone(n), f"P{n}", "1") for n in range(3)]
    original = write_rows(tmp_path / "people.csv", rows)
    assert run_cli(sandbox, SMS, original).returncode == 0
    renamed = write_rows(tmp_path / "people (2).csv", [*rows, (phone(3), "P3", "1")])

    refused = run_cli(sandbox, SMS, renamed)
    assert refused.returncode == 2
    assert "some of these messages were sent already (3 by " in refused.stderr
    assert f"--journal {tmp_path / 'people.csv.journal.sqlite3'}" in refused.stderr
    assert not (tmp_path / "people (2).csv.journal.sqlite3").exists()
    assert len(sandbox.notifications()) == 3

    journal = str(tmp_path / "people.csv.journal.sqlite3")
    continued = run_cli(sandbox, SMS, renamed, "--journal", journal)
    assert "3 already sent (skipped), 1 to send" in continued.stdout
    assert len(sandbox.notifications()) == 4

    again = run_cli(sandbox, SMS, renamed, "--new-job")
    assert again.returncode == 0
    assert "every row of the file is sent (--new-job)" in again.stdout
    assert len(sandbox.notifications()) == 8
