"""Rate limits, daily limits and latency (contract §2.5, §5.6, §5.7)."""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest

from govuk_notify.sandbox import DEFAULT_TEMPLATE_IDS, DailyLimits, Sandbox, minimal_pdf
from govuk_notify.sandbox.limits import TokenBuckets, bucket_capacity

from .test_sandbox_support import LETTER_PERSONALISATION, Raw, errors

SMS_BODY = {
    "phone_number": "07700900123",
    "template_id": DEFAULT_TEMPLATE_IDS["sms"],
    "personalisation": {"name": "A", "code": 1},
}
LETTER_BODY = {
    "template_id": DEFAULT_TEMPLATE_IDS["letter"],
    "personalisation": LETTER_PERSONALISATION,
}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("rate", "capacity"), [(3000, 1000), (3, 2), (60, 21), (2997, 1000), (2994, 999), (1, 2)]
)
def test_bucket_capacity(rate: int, capacity: int) -> None:
    assert bucket_capacity(rate) == capacity


def test_token_bucket_refills_at_rate_over_sixty() -> None:
    clock = FakeClock()
    buckets = TokenBuckets(rate_limit=60, clock=clock)  # capacity 21, one token a second
    assert all(buckets.take("s", "normal") for _ in range(21))
    assert not buckets.take("s", "normal")
    assert buckets.take("s", "test")  # each key type has its own bucket
    assert buckets.take("other-service", "normal")
    clock.now += 0.5
    assert not buckets.take("s", "normal")
    clock.now += 0.5
    assert buckets.take("s", "normal")
    assert not buckets.take("s", "normal")
    clock.now += 3600
    assert buckets.tokens_left("s", "normal") == 21


def test_rate_limit_over_http() -> None:
    with Sandbox(rate_limit=3) as sandbox:  # two tokens a bucket
        live, test, team = Raw(sandbox), Raw(sandbox, "test"), Raw(sandbox, "team")
        assert live.post("/v2/notifications/sms", json=SMS_BODY).status_code == 201
        assert live.post("/v2/notifications/sms", data=b"{not json").status_code == 400
        limited = live.post("/v2/notifications/sms", data=b"{not json")
        assert limited.status_code == 429
        assert errors(limited) == [
            ("RateLimitError", "Exceeded rate limit for key type LIVE of 3 requests per 60 seconds")
        ]
        # GETs and previews are not rate limited
        assert live.get("/v2/notifications").status_code == 200
        template = DEFAULT_TEMPLATE_IDS["sms"]
        preview = live.post(
            f"/v2/template/{template}/preview", json={"personalisation": {"name": 1, "code": 2}}
        )
        assert preview.status_code == 200
        assert test.post("/v2/notifications/sms", json=SMS_BODY).status_code == 201
        team.post("/v2/notifications/sms", json=SMS_BODY)
        team.post("/v2/notifications/sms", json=SMS_BODY)
        assert errors(team.post("/v2/notifications/sms", json=SMS_BODY)) == [
            ("RateLimitError", "Exceeded rate limit for key type TEAM of 3 requests per 60 seconds")
        ]
        for raw in (live, test, team):
            raw.close()


def test_a_templated_letter_takes_two_tokens_and_a_precompiled_one_takes_one() -> None:
    with Sandbox(rate_limit=3) as sandbox:
        raw = Raw(sandbox)
        assert raw.post("/v2/notifications/letter", json=LETTER_BODY).status_code == 201
        assert raw.post("/v2/notifications/sms", json=SMS_BODY).status_code == 429
        sandbox.reset()
        precompiled = {"reference": "r", "content": base64.b64encode(minimal_pdf()).decode()}
        assert raw.post("/v2/notifications/letter", json=precompiled).status_code == 201
        assert raw.post("/v2/notifications/sms", json=SMS_BODY).status_code == 201
        raw.close()


def test_the_rate_limit_can_change_while_running() -> None:
    with Sandbox() as sandbox:
        raw = Raw(sandbox)
        sandbox.rate_limit = 1
        assert raw.post("/v2/notifications/sms", json=SMS_BODY).status_code == 201
        assert raw.post("/v2/notifications/sms", json=SMS_BODY).status_code == 201
        limited = raw.post("/v2/notifications/sms", json=SMS_BODY)
        assert errors(limited)[0][1].endswith("of 1 requests per 60 seconds")
        raw.close()


def test_daily_limits() -> None:
    with Sandbox(daily_limit=2) as sandbox:
        live, test = Raw(sandbox), Raw(sandbox, "test")
        for _ in range(2):
            assert live.post("/v2/notifications/sms", json=SMS_BODY).status_code == 201
        simulated = dict(SMS_BODY, phone_number="07700900000")  # not stored, not counted
        assert live.post("/v2/notifications/sms", data=b"{not json").status_code == 429
        limited = live.post("/v2/notifications/sms", json=simulated)
        assert limited.status_code == 429
        assert errors(limited) == [
            ("TooManyRequestsError", "Exceeded send limits (sms: 2) for today")
        ]
        assert sandbox.daily_count("sms") == 2
        # other types have their own count, and test keys are never limited
        email = {
            "email_address": "a@example.com",
            "template_id": DEFAULT_TEMPLATE_IDS["plain_email"],
            "personalisation": {"subject": "s", "body": "b"},
        }
        assert live.post("/v2/notifications/email", json=email).status_code == 201
        for _ in range(3):
            assert test.post("/v2/notifications/sms", json=SMS_BODY).status_code == 201
        assert sandbox.daily_count("sms") == 2
        sandbox.set_daily_limit({"sms": 10})
        assert live.post("/v2/notifications/sms", json=SMS_BODY).status_code == 201
        live.close()
        test.close()


def test_simulated_sends_do_not_count() -> None:
    with Sandbox(daily_limit=1) as sandbox:
        raw = Raw(sandbox)
        simulated = dict(SMS_BODY, phone_number="07700900111")
        for _ in range(3):
            assert raw.post("/v2/notifications/sms", json=simulated).status_code == 201
        assert raw.post("/v2/notifications/sms", json=SMS_BODY).status_code == 201
        assert raw.post("/v2/notifications/sms", json=SMS_BODY).status_code == 429
        raw.close()


def test_the_international_daily_limit() -> None:
    with Sandbox(daily_limit={"international_sms": 1}) as sandbox:
        raw = Raw(sandbox)
        abroad: dict[str, Any] = dict(SMS_BODY, phone_number="+1 202 555 0104")
        assert raw.post("/v2/notifications/sms", json=abroad).status_code == 201
        limited = raw.post("/v2/notifications/sms", json=abroad)
        assert errors(limited) == [
            ("TooManyRequestsError", "Exceeded send limits (international_sms: 1) for today")
        ]
        assert raw.post("/v2/notifications/sms", json=SMS_BODY).status_code == 201
        raw.close()


def test_daily_limit_settings() -> None:
    assert DailyLimits.from_setting(None).sms == 999_999_999
    assert DailyLimits.from_setting(5).as_dict() == {
        "sms": 5,
        "email": 5,
        "letter": 5,
        "international_sms": 250_000,
    }
    with pytest.raises(ValueError, match="unknown daily limit types: fax"):
        DailyLimits.from_setting({"fax": 1})
    with pytest.raises(ValueError, match="negative"):
        DailyLimits.from_setting(-1)


def test_latency_delays_every_answer() -> None:
    # The delay is a lower bound, so it is checked exactly; the undelayed answer only has to come
    # well within the delay it no longer has (a generous bound for a loaded machine).
    with Sandbox(latency_ms=2000) as sandbox:
        raw = Raw(sandbox)
        started = time.monotonic()
        assert raw.get("/v2/templates").status_code == 200
        assert raw.get("/v2/nothing").status_code == 404
        assert time.monotonic() - started >= 4.0
        sandbox.latency_ms = 0
        started = time.monotonic()
        raw.get("/v2/templates")
        assert time.monotonic() - started < 1.5
        raw.close()
