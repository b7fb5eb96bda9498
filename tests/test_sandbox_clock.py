"""The sandbox's clock is injectable, and the day boundaries that matter are crossed on purpose:
midnight UTC (the daily limits reset), a month and year end, and the night British Summer Time
starts (the day is a UTC day, so the clock change moves nothing)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from govuk_notify import DailyLimitError
from govuk_notify.sandbox import DEFAULT_TEMPLATE_IDS, Sandbox

SMS = DEFAULT_TEMPLATE_IDS["sms"]


class SteppingClock:
    """A wall clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now


def send(sandbox: Sandbox) -> None:
    sandbox.client().send_sms_notification("07700900123", SMS, {"name": "A", "code": "1"})


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # midnight UTC
        (datetime(2026, 6, 2, 23, 59, 30), datetime(2026, 6, 3, 0, 0, 30)),
        # a year end
        (datetime(2026, 12, 31, 23, 59, 30), datetime(2027, 1, 1, 0, 0, 30)),
        # British Summer Time starts at 01:00 UTC on 2027-03-28: not a day boundary
        (datetime(2027, 3, 28, 0, 59, 30), datetime(2027, 3, 28, 1, 0, 30)),
    ],
)
def test_the_daily_limit_counts_utc_days(before: datetime, after: datetime) -> None:
    clock = SteppingClock(before.replace(tzinfo=timezone.utc))
    with Sandbox(clock=clock, daily_limit={"sms": 2}) as sandbox:
        send(sandbox)
        send(sandbox)
        assert sandbox.daily_count("sms") == 2
        clock.now = after.replace(tzinfo=timezone.utc).timestamp()
        same_day = before.date() == after.date()
        assert sandbox.daily_count("sms") == (2 if same_day else 0)
        if same_day:
            with pytest.raises(DailyLimitError):
                send(sandbox)
        else:
            send(sandbox)  # a new day, a new allowance
            assert sandbox.daily_count("sms") == 1
        [notification] = sandbox.notifications()[:1]
        assert notification.created_at.date() == before.date()


def test_created_at_follows_the_injected_clock_and_advance() -> None:
    start = datetime(2026, 12, 31, 23, 59, 30, tzinfo=timezone.utc)
    with Sandbox(clock=SteppingClock(start)) as sandbox:
        send(sandbox)
        sandbox.advance(60)  # into the new year
        send(sandbox)
        created = sorted(n.created_at for n in sandbox.notifications())
        assert created == [start, datetime(2027, 1, 1, 0, 0, 30, tzinfo=timezone.utc)]
