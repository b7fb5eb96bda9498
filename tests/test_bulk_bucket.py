"""The client-side token bucket of govuk_notify.bulk: pure functions and a fake clock."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from govuk_notify.bulk import (
    BucketState,
    TokenBucket,
    bucket_capacity,
    pause,
    refill,
    reserve,
)

EPSILON = 1e-6


@pytest.mark.parametrize(
    ("rate", "capacity"),
    [
        (3000, 1000),
        (2994, 999),
        (2997, 1000),
        (1500, 501),
        (60, 21),
        (3, 2),
        (1, 2),
        (10_000, 1000),
    ],
)
def test_capacity_is_the_servers(rate: int, capacity: int) -> None:
    assert bucket_capacity(rate) == capacity


class FakeClock:
    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_full_bucket_grants_its_capacity_at_once_then_one_token_per_interval() -> None:
    clock = FakeClock()
    bucket = TokenBucket(3000, clock=clock)
    assert bucket.capacity == 1000
    waits = [bucket.reserve() for _ in range(1003)]
    assert waits[:1000] == [0.0] * 1000
    # 50 tokens a second: the 1001st is 20 ms away, the 1002nd 40 ms...
    assert waits[1000:] == pytest.approx([0.02, 0.04, 0.06])
    clock.now += 1.0  # 50 tokens refilled, 3 of them already promised
    assert bucket.tokens() == pytest.approx(47.0)


def test_refill_never_goes_above_capacity_and_never_runs_backwards() -> None:
    state = BucketState(tokens=10.0, updated=0.0)
    assert refill(state, 3600.0, 50.0, 1000.0) == BucketState(1000.0, 3600.0)
    assert refill(state, -5.0, 50.0, 1000.0) == state
    assert refill(state, 0.1, 50.0, 1000.0).tokens == pytest.approx(15.0)


def test_a_templated_letter_takes_two_tokens() -> None:
    state = BucketState(tokens=1.0, updated=0.0)
    state, wait = reserve(state, 0.0, 2, 50.0, 1000.0)
    assert wait == pytest.approx(0.02)
    assert state.tokens == pytest.approx(-1.0)


def test_a_pause_holds_every_caller_and_the_bucket_restarts_empty() -> None:
    clock = FakeClock(0.0)
    bucket = TokenBucket(3000, clock=clock)
    assert bucket.reserve() == 0.0
    bucket.pause(2.0)
    assert bucket.hold_remaining() == pytest.approx(2.0)
    # Empty, and nothing refills for 2 s: the next token is 2 s + 20 ms away.
    assert bucket.reserve() == pytest.approx(2.02)
    clock.now = 1.5
    assert bucket.hold_remaining() == pytest.approx(0.5)
    clock.now = 3.0
    assert bucket.hold_remaining() == 0.0
    # 1 s of refill (50 tokens) minus the one promised during the pause.
    assert bucket.tokens() == pytest.approx(49.0)


def test_pause_keeps_tokens_already_promised() -> None:
    state = BucketState(tokens=-5.0, updated=10.0)
    paused = pause(state, 10.0, 1.0, 50.0, 1000.0)
    assert paused == BucketState(-5.0, 11.0)
    _, wait = reserve(paused, 10.0, 1, 50.0, 1000.0)
    assert wait == pytest.approx(1.0 + 6 / 50)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="rate_per_minute"):
        TokenBucket(0)
    with pytest.raises(ValueError, match="capacity"):
        TokenBucket(60, capacity=0.5)


def test_reservations_from_many_threads_are_each_served_once() -> None:
    """With the clock frozen, 8 threads x 500 reservations must get exactly the waits a single
    caller would get: each slot handed out once, none lost to a race."""
    clock = FakeClock()
    bucket = TokenBucket(600, clock=clock)  # capacity 201, 10 tokens a second
    waits: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def take() -> None:
        start.wait()
        mine = [bucket.reserve() for _ in range(500)]
        with lock:
            waits.extend(mine)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = [max(0.0, (k - 201) / 10) for k in range(1, 4001)]
    assert sorted(waits) == pytest.approx(expected)


def test_acquire_gives_up_when_stopped() -> None:
    bucket = TokenBucket(60, capacity=1)
    stop = threading.Event()
    assert bucket.acquire(1, stop) is True  # the one token
    timer = threading.Timer(0.05, stop.set)
    timer.start()
    try:
        assert bucket.acquire(1, stop) is False  # the next one is a second away
    finally:
        timer.cancel()


# --- the server's promise, checked on any traffic ------------------------------------------------


@dataclass(frozen=True)
class Grant:
    at: float
    cost: int


def _simulate(
    rate: int, ops: list[tuple[float, int, float]], capacity: float | None = None
) -> tuple[list[Grant], float]:
    """Run reservations (gap since the last call, cost, pause length or 0) through the pure
    functions; return when each grant may be used, and the capacity."""
    cap = float(bucket_capacity(rate) if capacity is None else capacity)
    rps = rate / 60.0
    state = BucketState(cap, 0.0)
    now = 0.0
    grants: list[Grant] = []
    for gap, cost, pause_for in ops:
        now += gap
        if pause_for:
            state = pause(state, now, pause_for, rps, cap)
        state, wait = reserve(state, now, cost, rps, cap)
        grants.append(Grant(now + wait, cost))
    return grants, cap


gaps = st.one_of(st.just(0.0), st.just(0.0), st.just(0.0), st.floats(min_value=0.0, max_value=5.0))
operations = st.lists(
    st.tuples(
        gaps,
        st.sampled_from([1, 1, 1, 2]),
        st.one_of(st.just(0.0), st.just(0.0), st.floats(min_value=0.0, max_value=2.0)),
    ),
    min_size=1,
    max_size=150,
)
# Small rates too, so that 150 calls can empty and overfill a bucket.
rates = st.one_of(st.integers(min_value=1, max_value=120), st.integers(min_value=1, max_value=6000))


@settings(max_examples=300, deadline=None)
@given(rate=rates, ops=operations)
@example(rate=60, ops=[(5.0, 1, 0.0)] + [(0.0, 1, 0.0)] * 30)  # idle, then a crowd
@example(rate=3000, ops=[(0.0, 2, 0.0)] * 150)
def test_never_more_than_capacity_plus_rate_times_t_in_any_window(
    rate: int, ops: list[tuple[float, int, float]]
) -> None:
    grants, capacity = _simulate(rate, ops)
    rps = rate / 60.0
    times = sorted(grants, key=lambda g: g.at)
    for i, first in enumerate(times):
        taken = 0
        for last in times[i:]:
            taken += last.cost
            window = last.at - first.at
            assert taken <= capacity + rps * window + EPSILON, (first, last, taken)


@settings(max_examples=200, deadline=None)
@given(
    rate=st.integers(min_value=1, max_value=6000),
    costs=st.lists(st.sampled_from([1, 2]), min_size=1, max_size=300),
)
def test_a_crowd_at_once_is_served_as_fast_as_the_limit_allows(rate: int, costs: list[int]) -> None:
    """Everyone arrives at t=0: the k-th caller may go as soon as the first k costs fit in
    ``capacity + rate * t`` (not later: that would waste the limit), in arrival order."""
    grants, capacity = _simulate(rate, [(0.0, cost, 0.0) for cost in costs])
    rps = rate / 60.0
    total = 0
    for grant, cost in zip(grants, costs, strict=True):
        total += cost
        assert grant.at == pytest.approx(max(0.0, (total - capacity) / rps), abs=EPSILON)
    assert [g.at for g in grants] == sorted(g.at for g in grants)


@settings(max_examples=200, deadline=None)
@given(rate=st.integers(min_value=1, max_value=6000), idle=st.floats(min_value=0, max_value=1e5))
def test_an_idle_bucket_is_full_again(rate: int, idle: float) -> None:
    grants, capacity = _simulate(rate, [(0.0, 1, 0.0)] * int(bucket_capacity(rate)))
    assert grants[-1].at == 0.0
    rps = rate / 60.0
    state = BucketState(0.0, 0.0)
    assert refill(state, idle, rps, capacity).tokens == pytest.approx(min(capacity, idle * rps))
