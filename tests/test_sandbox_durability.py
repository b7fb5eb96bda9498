"""Data survives a restart on the same database, and concurrent clients lose or double nothing."""

from __future__ import annotations

import base64
import socket
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
import requests

from govuk_notify import RetryPolicy
from govuk_notify.sandbox import DEFAULT_TEMPLATE_IDS, Sandbox

from .test_sandbox_support import EMAIL_PERSONALISATION, LETTER_PERSONALISATION, Raw, errors

SMS = DEFAULT_TEMPLATE_IDS["sms"]
# A fixed mid-morning time: the test advances the clock an hour and must stay on the same day.
MORNING = datetime(2026, 6, 2, 9, 30, tzinfo=timezone.utc).timestamp()


def test_everything_survives_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    upload = {"file": base64.b64encode(b"hello").decode(), "filename": "hello.txt"}
    with Sandbox(db=db, daily_limit=10, clock=lambda: MORNING) as first:
        raw = Raw(first)
        keys, service_id, first_url = first.api_keys, first.service_id, first.base_url
        sms = raw.post(
            "/v2/notifications/sms",
            json={
                "phone_number": "07700900123",
                "template_id": SMS,
                "personalisation": {"name": "A", "code": 1},
            },
        ).json()
        email = raw.post(
            "/v2/notifications/email",
            json={
                "email_address": "a@example.com",
                "template_id": DEFAULT_TEMPLATE_IDS["email_with_file"],
                "personalisation": dict(EMAIL_PERSONALISATION, link_to_file=upload),
            },
        ).json()
        letter = raw.post(
            "/v2/notifications/letter",
            json={
                "template_id": DEFAULT_TEMPLATE_IDS["letter"],
                "personalisation": LETTER_PERSONALISATION,
            },
        ).json()
        text = first.add_received_text("hello sandbox")
        first.update_template(SMS, body="Version three ((name)) ((code))")
        first.revoke_api_key("team")
        first.advance(0.2)  # the letter is printed, so its PDF is ready
        first.wait_for_status(letter["id"], "sending", timeout=30)
        pdf = raw.get(f"/v2/notifications/{letter['id']}/pdf").content
        raw.close()
    assert not first.running

    with Sandbox(db=db, daily_limit=10, clock=lambda: MORNING + 60) as second:
        assert second.service_id == service_id
        assert second.api_keys.live == keys.live
        assert second.api_keys.test == keys.test
        assert second.api_keys.team != keys.team  # the revoked one was replaced
        raw = Raw(second)
        # a token signed with the old live key works against the new server
        assert raw.get(f"/v2/notifications/{sms['id']}").json()["body"].startswith("Hello A")
        assert raw.get(f"/v2/notifications/{letter['id']}/pdf").content == pdf
        second.advance(3600)
        assert raw.get(f"/v2/notifications/{letter['id']}").json()["status"] == "received"
        revoked = raw.get("/v2/templates", headers=raw.headers(keys.team))
        assert errors(revoked) == [("AuthError", "Invalid token: API key revoked")]
        assert raw.get(f"/v2/template/{SMS}").json()["version"] == 3
        [stored_email] = second.sent_emails()
        assert stored_email.id == email["id"]
        assert stored_email.files[0].content == b"hello"
        assert [t.id for t in second.received_texts()] == [text.id]
        assert second.daily_count("sms") == 1
        assert len(raw.get("/v2/notifications").json()["notifications"]) == 3
        # new notifications still come after the old ones
        newer = raw.post(
            "/v2/notifications/sms",
            json={
                "phone_number": "07700900123",
                "template_id": SMS,
                "personalisation": {"name": "B", "code": 2},
            },
        ).json()
        listed = [n["id"] for n in raw.get("/v2/notifications").json()["notifications"]]
        assert listed[0] == newer["id"]
        assert len(listed) == 4
        assert second.base_url != first_url or second.port > 0
        raw.close()


def test_stopping_leaves_no_thread_or_socket_behind() -> None:
    before = {t.ident for t in threading.enumerate()}
    sandbox = Sandbox().start()
    port = sandbox.port
    raw = Raw(sandbox)
    assert raw.get("/v2/templates").status_code == 200  # a keep-alive connection stays open
    client = sandbox.client()
    client.get_all_templates()
    sandbox.stop()
    sandbox.stop()  # idempotent
    deadline = time.monotonic() + 30
    while {t.ident for t in threading.enumerate()} - before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert {t.ident for t in threading.enumerate()} - before == set()
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port)):
        pass
    with pytest.raises(requests.ConnectionError):
        raw.get("/v2/templates")
    raw.close()


def test_eight_clients_sending_at_once_lose_and_double_nothing() -> None:
    senders, per_sender = 8, 500
    with Sandbox(rate_limit=1_000_000) as sandbox:
        sent: list[list[str]] = [[] for _ in range(senders)]
        failures: list[str] = []
        read_failures: list[str] = []
        done = threading.Event()
        start = threading.Barrier(senders + 1)

        def send(index: int) -> None:
            client = sandbox.client(retry=RetryPolicy(max_retries=0))
            start.wait()
            for n in range(per_sender):
                try:
                    response = client.send_sms_notification(
                        "07700900123",
                        SMS,
                        personalisation={"name": f"sender {index}", "code": n},
                        reference=f"{index}-{n}",
                    )
                except Exception as err:  # collected and asserted on below
                    failures.append(repr(err))
                else:
                    sent[index].append(str(response.id))

        def read() -> None:
            client = sandbox.client(retry=RetryPolicy(max_retries=0))
            start.wait()
            while not done.is_set():
                try:
                    client.get_all_notifications()
                except Exception as err:  # collected and asserted on below
                    read_failures.append(repr(err))

        threads = [threading.Thread(target=send, args=(i,)) for i in range(senders)]
        reader = threading.Thread(target=read)
        for thread in [*threads, reader]:
            thread.start()
        for thread in threads:
            thread.join()
        done.set()
        reader.join()

        assert failures == []
        assert read_failures == []
        all_sent = [notification_id for ids in sent for notification_id in ids]
        assert len(all_sent) == senders * per_sender

        listed = [str(n.id) for n in sandbox.client().get_all_notifications_iterator()]
        assert len(listed) == len(set(listed)) == senders * per_sender
        assert set(listed) == set(all_sent)
        references = {n.reference for n in sandbox.sent_sms()}
        assert len(references) == senders * per_sender
