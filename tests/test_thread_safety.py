"""One client shared by 8 threads: 1,600 text messages sent to the embedded sandbox come back as
1,600 distinct successful responses, each to the thread that sent it, and listing them back from
the sandbox finds each one exactly once."""

from __future__ import annotations

import logging
import threading
import uuid
from collections import Counter

import pytest

from govuk_notify import NotifyClient, RetryPolicy, SmsResponse
from govuk_notify.sandbox import DEFAULT_TEMPLATE_IDS, Sandbox

THREADS = 8
PER_THREAD = 200
PHONE = "07700900123"


def test_one_client_shared_by_eight_threads(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    template_id = DEFAULT_TEMPLATE_IDS["sms"]
    # The default limit (3,000 a minute, 1,000 at once) would turn part of this burst into 429s;
    # this test is about sharing a client, so the bucket refills faster than it can be emptied.
    with Sandbox(rate_limit=600_000) as sandbox:
        client: NotifyClient = sandbox.client(retry=RetryPolicy(max_retries=0), timeout=30)
        results: dict[int, list[SmsResponse]] = {n: [] for n in range(THREADS)}
        failures: list[BaseException] = []
        start = threading.Barrier(THREADS)

        def work(n: int) -> None:
            try:
                start.wait(10)
                for i in range(PER_THREAD):
                    results[n].append(
                        client.send_sms_notification(
                            PHONE,
                            template_id,
                            personalisation={"name": f"thread {n}", "code": str(i)},
                            reference=f"t{n}-{i}",
                        )
                    )
            except BaseException as error:  # reported below, with the thread's number
                failures.append(error)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
        assert not any(thread.is_alive() for thread in threads)
        assert failures == []

        responses = [response for n in range(THREADS) for response in results[n]]
        assert len(responses) == THREADS * PER_THREAD
        ids = {response.id for response in responses}
        assert len(ids) == THREADS * PER_THREAD
        for n in range(THREADS):
            # Every thread got its own answers, in its own order.
            assert [r.reference for r in results[n]] == [f"t{n}-{i}" for i in range(PER_THREAD)]
            assert all(f"thread {n}, your security code" in r.content.body for r in results[n])

        listed = Counter(
            notification.id
            for notification in client.get_all_notifications_iterator(template_type="sms")
        )
        assert set(listed) == ids
        assert set(listed.values()) == {1}
        by_reference = {
            n.reference: n.id for n in client.get_all_notifications_iterator(template_type="sms")
        }
        assert by_reference == {r.reference: r.id for r in responses}
        assert {uuid.UUID(str(m.id)) for m in sandbox.sent_sms()} == ids

    # No warnings: no "connection pool is full", no retries, nothing the transport complained of.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
