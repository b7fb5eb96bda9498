"""``send_many(journal=...)`` and the journal itself: exactly once per message across crashes
and edits, with every clock injected (the tests run at a fixed 23:59:30 UTC and cross midnight)."""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from govuk_notify import NotifyClient, SmsRequest
from govuk_notify.bulk import (
    AlreadySent,
    AnyRequest,
    BulkCallbackError,
    NotSent,
    Sent,
    Unknown,
    send_many,
)
from govuk_notify.bulk_identity import derived_reference, message_key
from govuk_notify.bulk_journal import (
    JournalBusyError,
    JournalMismatchError,
    JournalVersionError,
    SendJournal,
)
from govuk_notify.bulk_resume import InDoubtError
from govuk_notify.sandbox import DEFAULT_TEMPLATE_IDS, Sandbox

SMS = DEFAULT_TEMPLATE_IDS["sms"]
BEFORE_MIDNIGHT = datetime.datetime(2026, 12, 31, 23, 59, 30, tzinfo=datetime.timezone.utc)


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self, start: datetime.datetime) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="module")
def module_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(module_sandbox: Sandbox) -> Sandbox:
    module_sandbox.latency_ms = 0
    module_sandbox.reset()
    return module_sandbox


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[NotifyClient]:
    with sandbox.client() as client:
        yield client


def sms(n: int, code: str | None = None, number: str | None = None) -> SmsRequest:
    return SmsRequest(
        phone_number=number or f"07700900{300 + n:03d}",
        template_id=SMS,
        personalisation={"name": f"Person {n}", "code": code or f"{n:06d}"},
    )


def test_a_rerun_after_a_crash_and_an_edit_sends_exactly_the_new_messages(
    sandbox: Sandbox, client: NotifyClient, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.sqlite3"
    batch = [sms(n) for n in range(6)]

    def crash_at_the_fourth(index: int, request: AnyRequest) -> None:
        if index == 3:
            raise RuntimeError("the application crashed")

    with pytest.raises(BulkCallbackError) as caught:
        send_many(client, batch, workers=1, journal=journal, before_send=crash_at_the_fourth)
    first = caught.value.results
    assert [r.outcome for r in first] == ["sent"] * 3 + ["not_sent"] * 3
    assert all(isinstance(r, NotSent) for r in first[3:])
    ids = {r.index: str(r.response.id) for r in first if isinstance(r, Sent)}
    assert len(sandbox.notifications()) == 3

    # The edit: reordered, person 1's number written another way, person 2's code changed,
    # person 6 added.
    edited = [sms(5), sms(4), sms(3), sms(2, code="999999"), sms(1, number="+447700900301")]
    edited += [sms(0), sms(6)]
    results = send_many(client, edited, workers=1, journal=journal)
    assert [r.outcome for r in results] == [
        "sent",
        "sent",
        "sent",
        "sent",
        "already_sent",
        "already_sent",
        "sent",
    ]
    assert [r.index for r in results] == list(range(7))
    skipped = [r for r in results if isinstance(r, AlreadySent)]
    assert [r.notification_id for r in skipped] == [ids[1], ids[0]]
    assert len(sandbox.notifications()) == 3 + 5
    # every message once; the references derived from the messages, whatever their order
    counts = [n.reference for n in sandbox.notifications()]
    assert len(set(counts)) == len(counts)
    assert {r.request.reference for r in results} >= {
        derived_reference("bulk", message_key(sms(0)))
    }

    again = send_many(client, list(reversed(edited)), journal=journal)
    assert {r.outcome for r in again} == {"already_sent"}
    assert len(sandbox.notifications()) == 8


def test_the_same_message_twice_in_a_batch_is_sent_once(
    sandbox: Sandbox, client: NotifyClient, tmp_path: Path
) -> None:
    results = send_many(
        client, [sms(1), sms(2), sms(1, number="7700900301")], journal=tmp_path / "j.sqlite3"
    )
    first, _, duplicate = results
    assert isinstance(first, Sent)
    assert isinstance(duplicate, AlreadySent)
    assert duplicate.duplicate_of == 0
    assert duplicate.notification_id == str(first.response.id)
    assert len(sandbox.notifications()) == 2


def test_without_a_journal_nothing_is_skipped(sandbox: Sandbox, client: NotifyClient) -> None:
    send_many(client, [sms(1)])
    assert [r.outcome for r in send_many(client, [sms(1)])] == ["sent"]
    assert len(sandbox.notifications()) == 2


def test_messages_in_doubt_across_midnight(
    sandbox: Sandbox, client: NotifyClient, tmp_path: Path
) -> None:
    """Two sends went out at 23:59:30 UTC and their answers were lost; one reached Notify."""
    clock = Clock(BEFORE_MIDNIGHT)
    lost, landed = sms(1), sms(2)
    with SendJournal(tmp_path / "doubt.sqlite3", clock=clock, settle_time=120) as journal:
        journal.check_service(sandbox.service_id)
        keys = [message_key(lost), message_key(landed)]
        refs = [derived_reference("bulk", key) for key in keys]
        journal.add([(keys[0], refs[0], SMS, 0), (keys[1], refs[1], SMS, 1)])
        for key in keys:
            journal.mark_sending(key)
        assert journal.entries()[keys[0]].last_attempt_at == BEFORE_MIDNIGHT.timestamp()
        arrived = client.send(landed.model_copy(update={"reference": refs[1]}))

        clock.advance(60)  # 00:00:30 the next day: too soon to prove the lost one absent
        results = send_many(client, [lost, landed], journal=journal)
        assert isinstance(results[0], Unknown)
        assert isinstance(results[0].error, InDoubtError)
        assert isinstance(results[1], AlreadySent)
        assert results[1].notification_id == str(arrived.id)
        assert len(sandbox.notifications()) == 1

        clock.advance(61)  # 121 s after the attempt: Notify would have it by now
        results = send_many(client, [lost, landed], journal=journal)
        assert [r.outcome for r in results] == ["sent", "already_sent"]
        assert sorted(n.reference or "" for n in sandbox.notifications()) == sorted(refs)
        assert journal.entries()[keys[0]].last_attempt_at == clock.now


def test_a_journal_of_another_service_is_refused(
    sandbox: Sandbox, client: NotifyClient, tmp_path: Path
) -> None:
    path = tmp_path / "other.sqlite3"
    with SendJournal(path) as journal:
        journal.check_service("another-service")
    with pytest.raises(JournalMismatchError, match="another service"):
        send_many(client, [sms(1)], journal=path)
    assert sandbox.notifications() == []


def test_one_journal_one_run(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite3"
    with SendJournal(path), pytest.raises(JournalBusyError):
        SendJournal(path)
    SendJournal(path).close()  # free again


def test_a_journal_of_another_version_is_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES ('schema_version', '9')")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(JournalVersionError, match="schema version 9"):
        SendJournal(path)
    assert path.read_bytes() == before


def test_the_client_method_takes_the_journal_too(
    sandbox: Sandbox, client: NotifyClient, tmp_path: Path
) -> None:
    journal = tmp_path / "batch.sqlite3"
    first = client.send_many([sms(1), sms(2)], workers=1, journal=journal)
    assert [type(r) for r in first] == [Sent, Sent]
    # the same two messages in another order, and one new one
    again = client.send_many([sms(2), sms(3), sms(1)], workers=1, journal=journal)
    assert [type(r) for r in again] == [AlreadySent, Sent, AlreadySent]
    assert len(sandbox.notifications()) == 3
