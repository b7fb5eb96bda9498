"""One owner for the rate limit: in ``send_many`` a 429 is handled once, by the bulk layer (it
pauses every worker and retries), never a second time by the transport under it; outside a
batch the transport still retries it. Proven on both clients against a real local server."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from govuk_notify import RetryPolicy, SmsRequest
from govuk_notify.bulk import BulkProgress, Sent

from . import bodies
from .clients import FLAVOURS, Flavour, make_client
from .wire import Reply, WireServer

RATE_LIMITED = bodies.error(429, "RateLimitError", "Exceeded rate limit for key type LIVE")
RETRYING = RetryPolicy(max_retries=3, initial_delay=0.01, max_delay=0.02)
"""A policy that would retry a 429 itself, were it not inside a batch."""


@pytest.fixture
def server() -> Iterator[WireServer]:
    with WireServer() as wire:
        yield wire


def attempts(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "govuk_notify" and hasattr(r, "notify_attempt")]


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("retry_after", [None, "0.05"], ids=["no-retry-after", "retry-after"])
def test_a_429_in_a_batch_is_retried_once_by_the_bulk_layer(
    server: WireServer,
    caplog: pytest.LogCaptureFixture,
    flavour: Flavour,
    retry_after: str | None,
) -> None:
    caplog.set_level(logging.DEBUG, logger="govuk_notify")
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    server.add(Reply(429, RATE_LIMITED, headers))
    server.default = Reply(201, bodies.sms_response("bulk-0"))
    request = SmsRequest(
        phone_number="07700900123", template_id=bodies.TEMPLATE_ID, reference="bulk-0"
    )
    reports: list[BulkProgress] = []
    with make_client(flavour, bodies.API_KEY, server.url, retry=RETRYING) as client:
        results = client.send_many([request], workers=1, on_progress=reports.append)
    assert isinstance(results[0], Sent)
    assert len(server.requests) == 2  # the refused attempt, then the bucket's retry
    logged = attempts(caplog)
    assert [r.notify_status for r in logged] == [429, 201]  # type: ignore[attr-defined]
    assert logged[0].notify_retry_in is None  # type: ignore[attr-defined]  # handed up
    assert reports[-1].rate_limited == 1  # the bulk layer waited it out


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_outside_a_batch_the_transport_retries_a_429(
    server: WireServer, caplog: pytest.LogCaptureFixture, flavour: Flavour
) -> None:
    caplog.set_level(logging.DEBUG, logger="govuk_notify")
    server.add(Reply(429, RATE_LIMITED))
    server.default = Reply(201, bodies.sms_response())
    with make_client(flavour, bodies.API_KEY, server.url, retry=RETRYING) as client:
        client.send(SmsRequest(phone_number="07700900123", template_id=bodies.TEMPLATE_ID))
    logged = attempts(caplog)
    assert [r.notify_status for r in logged] == [429, 201]  # type: ignore[attr-defined]
    assert logged[0].notify_retry_in is not None  # type: ignore[attr-defined]
