"""``NotifyClient.send_many`` and ``govuk_notify.bulk.send_many`` against the embedded sandbox,
over real sockets."""

from __future__ import annotations

import _thread
import itertools
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import ValidationError

from govuk_notify import (
    BadRequestError,
    DailyLimitError,
    EmailRequest,
    EmailResponse,
    LetterRequest,
    LetterResponse,
    NotifyClient,
    PrecompiledLetterRequest,
    PrecompiledLetterResponse,
    RateLimitError,
    RetryPolicy,
    SendStatusUnknownError,
    SmsRequest,
    SmsResponse,
)
from govuk_notify.bulk import (
    AnyRequest,
    AnyResponse,
    BulkCallbackError,
    BulkInterrupted,
    BulkProgress,
    BulkResult,
    Failed,
    NotSent,
    Sent,
    TokenBucket,
    Unknown,
    send_many,
)
from govuk_notify.sandbox import DEFAULT_TEMPLATE_IDS, Sandbox, minimal_pdf

SMS = DEFAULT_TEMPLATE_IDS["sms"]
EMAIL = DEFAULT_TEMPLATE_IDS["plain_email"]
LETTER = DEFAULT_TEMPLATE_IDS["letter"]


@pytest.fixture(scope="module")
def module_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(module_sandbox: Sandbox) -> Sandbox:
    """The module's sandbox, emptied and with its defaults back for each test."""
    module_sandbox.rate_limit = 3000
    module_sandbox.latency_ms = 0
    module_sandbox.set_daily_limit(None)
    module_sandbox.reset()
    return module_sandbox


@pytest.fixture
def client(sandbox: Sandbox) -> NotifyClient:
    return sandbox.client()


@pytest.fixture
def sigint_handled() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt in this process (and in the processes it starts), even
    when the tests run where SIGINT is ignored, as in a background job."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def sms(n: int, **personalisation: Any) -> SmsRequest:
    values = {"name": f"Person {n}", "code": f"{n:06d}", **personalisation}
    return SmsRequest(
        phone_number="07700900123",
        template_id=SMS,
        personalisation={k: v for k, v in values.items() if v is not None},
        reference=f"sms-{n}",
    )


def email(n: int) -> EmailRequest:
    return EmailRequest(
        email_address="someone@example.com",
        template_id=EMAIL,
        personalisation={"subject": f"Subject {n}", "body": f"Body {n}"},
        reference=f"email-{n}",
    )


def letter(n: int) -> LetterRequest:
    return LetterRequest.model_validate(
        {
            "template_id": LETTER,
            "personalisation": {
                "address_line_1": f"Person {n}",
                "address_line_2": "1 High Street",
                "address_line_3": "SW1A 1AA",
                "name": f"Person {n}",
                "application_number": str(n),
                "date": "1 April",
                "needs_documents": "no",
            },
            "reference": f"letter-{n}",
        }
    )


def precompiled(n: int) -> PrecompiledLetterRequest:
    return PrecompiledLetterRequest(reference=f"pdf-{n}", content=minimal_pdf(f"Letter {n}"))


def stored_references(sandbox: Sandbox) -> Counter[str | None]:
    return Counter(n.reference for n in sandbox.notifications())


def test_results_come_back_in_input_order_for_a_mix_of_types(
    sandbox: Sandbox, client: NotifyClient
) -> None:
    sandbox.latency_ms = 20
    makers: list[Callable[[int], AnyRequest]] = [sms, email, letter, precompiled, sms, sms]
    requests: list[AnyRequest] = [makers[n % len(makers)](n) for n in range(60)]

    results = client.send_many(requests, workers=8)

    assert len(results) == 60
    expected_types: dict[type[AnyRequest], type[AnyResponse]] = {
        SmsRequest: SmsResponse,
        EmailRequest: EmailResponse,
        LetterRequest: LetterResponse,
        PrecompiledLetterRequest: PrecompiledLetterResponse,
    }
    for n, (request, result) in enumerate(zip(requests, results, strict=True)):
        assert isinstance(result, Sent), result
        assert result.index == n
        assert result.request is request
        assert type(result.response) is expected_types[type(request)]
        assert result.response.reference == request.reference
        assert result.error is None
    # Each sent exactly once, and the ids answered are the ones stored.
    assert stored_references(sandbox) == Counter(r.reference for r in requests)
    assert {str(r.response.id) for r in results if isinstance(r, Sent)} == {
        n.id for n in sandbox.notifications()
    }


def test_typed_results_for_one_kind_of_request(client: NotifyClient) -> None:
    results = client.send_many([sms(1), sms(2)])
    bodies = []
    for result in results:
        if result.outcome == "sent":
            bodies.append(result.response.content.body)  # narrowed to SmsResponse
    assert bodies == [
        "Hello Person 1, your security code is 000001. It expires in 10 minutes.",
        "Hello Person 2, your security code is 000002. It expires in 10 minutes.",
    ]


def test_each_request_gets_its_own_error(sandbox: Sandbox, client: NotifyClient) -> None:
    requests: list[AnyRequest] = [
        sms(0),
        sms(1, code=None),  # Missing personalisation: code
        sms(2),
        SmsRequest(
            phone_number="07700900123",
            template_id="7e6b4e28-0000-4000-8000-000000000000",
            personalisation={"name": "x"},
            reference="sms-3",
        ),  # Template not found
        email(4),
    ]
    results = client.send_many(requests, workers=3)

    assert [r.outcome for r in results] == ["sent", "failed", "sent", "failed", "sent"]
    missing, not_found = results[1], results[3]
    assert isinstance(missing, Failed)
    assert isinstance(missing.error, BadRequestError)
    assert missing.error.message == "Missing personalisation: code"
    assert missing.response is None
    assert isinstance(not_found, Failed)
    assert isinstance(not_found.error, BadRequestError)
    assert not_found.error.message == "Template not found"
    assert stored_references(sandbox) == Counter(["sms-0", "sms-2", "email-4"])


def test_a_daily_limit_is_a_failure_and_not_waited_out(
    sandbox: Sandbox, client: NotifyClient
) -> None:
    sandbox.set_daily_limit({"sms": 3})
    started = time.monotonic()
    results = client.send_many([sms(n) for n in range(5)], workers=1)
    assert time.monotonic() - started < 30  # a daily limit is never waited out (a day)
    assert [r.outcome for r in results] == ["sent", "sent", "sent", "failed", "failed"]
    assert all(isinstance(r.error, DailyLimitError) for r in results[3:])
    assert sum(stored_references(sandbox).values()) == 3


def test_an_answer_that_never_comes_is_unknown_not_failed(sandbox: Sandbox) -> None:
    """A read timeout after the request went out: the sandbox did create the message, so the
    result must say "unknown", never "failed"."""
    impatient = sandbox.client(timeout=(2.0, 0.2), retry=RetryPolicy(max_retries=0))
    sandbox.latency_ms = 600
    results = impatient.send_many([sms(1)])
    [result] = results
    assert isinstance(result, Unknown)
    assert isinstance(result.error, SendStatusUnknownError)
    assert result.error.reference == "sms-1"
    assert stored_references(sandbox) == Counter(["sms-1"])


def test_429s_from_a_smaller_server_limit_are_waited_out_with_nothing_lost_or_doubled(
    sandbox: Sandbox,
) -> None:
    """The sandbox allows 120 a minute (a burst of 41, then 2 a second); the client believes
    it may send 3000 a minute, as if another process shared the key. Even a slow, loaded machine
    sends faster than 2 a second with 10 workers, so the server refuses some."""
    sandbox.rate_limit = 120
    no_retries = sandbox.client(retry=RetryPolicy(max_retries=0))
    requests = [sms(n) for n in range(60)]
    progress: list[BulkProgress] = []

    started = time.monotonic()
    results = send_many(
        no_retries, requests, workers=10, rate_per_minute=3000, on_progress=progress.append
    )
    elapsed = time.monotonic() - started

    assert all(isinstance(r, Sent) for r in results), Counter(r.outcome for r in results)
    assert progress[-1].rate_limited > 0  # the server did refuse some, and they were retried
    assert stored_references(sandbox) == Counter(r.reference for r in requests)
    # 19 past the burst at 2 a second is about 10 s; the back-off must not waste much more.
    assert elapsed < 40, elapsed


def test_a_429_that_outlasts_the_patience_is_a_failure(sandbox: Sandbox) -> None:
    sandbox.rate_limit = 1  # a bucket of 2 tokens, then one a minute
    no_retries = sandbox.client(retry=RetryPolicy(max_retries=0))
    results = send_many(no_retries, [sms(n) for n in range(3)], workers=1, max_rate_limit_wait=0.5)
    assert [r.outcome for r in results] == ["sent", "sent", "failed"]
    assert isinstance(results[2].error, RateLimitError)
    assert sum(stored_references(sandbox).values()) == 2


def test_progress_is_reported_in_the_calling_thread_and_adds_up(
    sandbox: Sandbox, client: NotifyClient
) -> None:
    sandbox.latency_ms = 30
    requests = [sms(n) for n in range(40)] + [sms(99, code=None)]
    seen: list[tuple[BulkProgress, bool]] = []

    def on_progress(progress: BulkProgress) -> None:
        seen.append((progress, threading.current_thread() is threading.main_thread()))

    results = send_many(
        client, requests, workers=2, on_progress=on_progress, progress_interval=0.05
    )

    assert all(in_main for _, in_main in seen)
    reports = [p for p, _ in seen]
    assert len(reports) >= 3
    final = reports[-1]
    assert (final.total, final.sent, final.failed, final.unknown) == (41, 40, 1, 0)
    assert final.done == 41
    assert final.remaining == 0
    assert final.in_flight == 0
    assert final.eta == 0.0
    assert final.rate == pytest.approx(41 / final.elapsed)
    assert sum(isinstance(r, Sent) for r in results) == final.sent
    for before, after in itertools.pairwise(reports):
        assert after.done >= before.done
        assert after.elapsed >= before.elapsed
    assert any(0 < p.done < 41 for p in reports)


def test_no_requests_no_sends(client: NotifyClient) -> None:
    seen: list[BulkProgress] = []
    assert client.send_many([], on_progress=seen.append) == []
    assert [(p.total, p.done) for p in seen] == [(0, 0)]


def test_anything_but_a_request_model_is_refused_before_sending(
    sandbox: Sandbox, client: NotifyClient
) -> None:
    bad: list[Any] = [sms(1), {"phone_number": "07700900123"}]
    with pytest.raises(ValidationError, match="is a dict") as caught:
        client.send_many(bad)
    assert caught.value.errors()[0]["loc"] == ("requests", 1)
    with pytest.raises(ValidationError, match="workers"):
        client.send_many([sms(1)], workers=0)
    assert sandbox.notifications() == []


def slow_run(sandbox: Sandbox) -> tuple[list[SmsRequest], TokenBucket]:
    """Requests paced at 20 a second, so that a run lasts seconds and can be interrupted."""
    sandbox.latency_ms = 50
    return [sms(n) for n in range(100)], TokenBucket(1200, capacity=1)


def check_interrupted(sandbox: Sandbox, stopped: BulkInterrupted, total: int) -> None:
    results: list[BulkResult[Any]] = stopped.results
    assert len(results) == total
    assert [r.index for r in results] == list(range(total))
    sent = {r.request.reference for r in stopped.sent}
    assert stopped.sent
    assert stopped.not_sent
    assert not stopped.unknown
    assert len(stopped.sent) + len(stopped.not_sent) + len(stopped.failed) == total
    # The in-flight ones finished, so the sandbox holds exactly the ones reported sent.
    assert stored_references(sandbox) == Counter(sent)
    # It started nothing new: its workers have all ended, so nothing more can be sent.
    assert not [t for t in threading.enumerate() if t.name.startswith("govuk-notify-bulk-")]
    assert stored_references(sandbox) == Counter(sent)


def test_ctrl_c_in_the_progress_callback_stops_cleanly(
    sandbox: Sandbox, client: NotifyClient
) -> None:
    requests, bucket = slow_run(sandbox)

    def on_progress(progress: BulkProgress) -> None:
        if progress.sent >= 5:
            raise KeyboardInterrupt

    with pytest.raises(BulkInterrupted) as caught:
        send_many(
            client,
            requests,
            workers=4,
            bucket=bucket,
            on_progress=on_progress,
            progress_interval=0.05,
        )
    assert isinstance(caught.value, KeyboardInterrupt)
    assert "sent" in str(caught.value)
    check_interrupted(sandbox, caught.value, len(requests))


def test_a_real_ctrl_c_in_the_main_thread_stops_cleanly(
    sandbox: Sandbox, client: NotifyClient, sigint_handled: None
) -> None:
    """``_thread.interrupt_main`` delivers a SIGINT-style KeyboardInterrupt to the main thread
    while it waits for the workers, as Ctrl-C in a terminal does."""
    requests, bucket = slow_run(sandbox)
    fired = threading.Event()

    def on_result(result: BulkResult[Any]) -> None:  # runs in a worker thread
        if result.outcome == "sent" and result.index >= 5 and not fired.is_set():
            fired.set()
            _thread.interrupt_main()

    with pytest.raises(BulkInterrupted) as caught:
        send_many(client, requests, workers=4, bucket=bucket, on_result=on_result)
    assert fired.is_set()
    check_interrupted(sandbox, caught.value, len(requests))


def test_a_second_ctrl_c_stops_waiting_and_reports_the_sends_in_flight_as_unknown(
    sandbox: Sandbox, client: NotifyClient, sigint_handled: None
) -> None:
    sandbox.latency_ms = 10_000  # far longer than a second Ctrl-C takes, even on a loaded machine
    presses = 0

    def on_progress(progress: BulkProgress) -> None:
        nonlocal presses
        if progress.in_flight == 2 and presses == 0:
            presses += 1
            # The second press comes while send_many waits for the two requests in flight.
            threading.Timer(0.2, _thread.interrupt_main).start()
            raise KeyboardInterrupt

    started = time.monotonic()
    with pytest.raises(BulkInterrupted) as caught:
        send_many(
            client,
            [sms(n) for n in range(6)],
            workers=2,
            on_progress=on_progress,
            progress_interval=0.05,
        )
    assert time.monotonic() - started < 8  # it did not wait the 10 s out
    outcomes = [r.outcome for r in caught.value.results]
    assert outcomes == ["unknown", "unknown", "not_sent", "not_sent", "not_sent", "not_sent"]
    assert all(isinstance(r, Unknown) and r.error is None for r in caught.value.unknown)
    # The two abandoned sends reached the sandbox (it stores before it answers): wait for them, so
    # that they cannot land after the next test's reset.
    deadline = time.monotonic() + 30
    while len(sandbox.notifications()) < 2:
        assert time.monotonic() < deadline, "the abandoned sends never reached the sandbox"
        time.sleep(0.01)


def test_an_error_in_a_callback_stops_the_run_and_keeps_the_results(
    sandbox: Sandbox, client: NotifyClient
) -> None:
    requests, bucket = slow_run(sandbox)

    def on_progress(progress: BulkProgress) -> None:
        if progress.sent >= 3:
            raise RuntimeError("disk full")

    with pytest.raises(BulkCallbackError) as caught:
        send_many(
            client,
            requests,
            workers=2,
            bucket=bucket,
            on_progress=on_progress,
            progress_interval=0.05,
        )
    assert isinstance(caught.value.__cause__, RuntimeError)
    sent = {r.request.reference for r in caught.value.sent}
    assert len(sent) >= 3
    assert all(isinstance(r, (Sent, NotSent)) for r in caught.value.results)
    assert stored_references(sandbox) == Counter(sent)
