"""Adaptive frequency (famact.scheduling.frequency): the next run from frequency and priority,
tightened by frequent content changes, relaxed when nothing changes, exponential back-off,
the pause after N failures in a row, and the bounded adjustment history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from famact.constants import ExecutionOutcome, Frequency, Priority
from famact.models import Execution, ScheduleSlot
from famact.scheduling import frequency as policy
from tests.unit.store.fakes import T0


def _slot(**extra: Any) -> ScheduleSlot:
    return ScheduleSlot(**{"source_id": "s", "next_run_at": T0, "frequency": Frequency.DAILY, **extra})


def _run(
    outcome: ExecutionOutcome = ExecutionOutcome.SUCCESS, *, items: int = 100, **counts: int
) -> Execution:
    return Execution(
        execution_id="e", source_id="s", started_at=T0, outcome=outcome, items_scraped=items, **counts
    )


def _after(slot: ScheduleSlot, execution: Execution) -> ScheduleSlot:
    return policy.apply(slot, policy.decide(slot, execution, T0), execution, T0)


def _seasoned(**extra: Any) -> ScheduleSlot:
    """A slot whose baseline crawl is done (a success in its history)."""
    return _after(_slot(**extra), _run(new_count=100))


@pytest.mark.parametrize(
    ("frequency", "priority", "hours"),
    [
        (Frequency.DAILY, Priority.MEDIUM, 24),
        (Frequency.DAILY, Priority.HIGH, 18),
        (Frequency.DAILY, Priority.LOW, 36),
        (Frequency.WEEKLY, Priority.HIGH, 126),
        (Frequency.HOURLY, Priority.HIGH, 0.75),
        (Frequency.MONTHLY, Priority.LOW, 1080),
    ],
)
def test_the_regular_interval_is_frequency_times_priority(
    frequency: Frequency, priority: Priority, hours: float
) -> None:
    slot = ScheduleSlot(source_id="s", next_run_at=T0, frequency=frequency, priority=priority)
    assert policy.interval(slot) == timedelta(hours=hours)


def test_the_first_successful_crawl_sets_the_baseline_without_adapting() -> None:
    after = _after(_slot(), _run(new_count=100))  # everything is new on a first crawl
    assert after.interval_factor == 1.0 and after.next_run_at == T0 + timedelta(hours=24)
    assert after.adjustments[-1].reason.startswith("first successful crawl")


@pytest.mark.parametrize(
    ("counts", "factor", "reason"),
    [
        ({"new_count": 10, "updated_count": 10}, 0.75, "tightened"),  # 20% changed
        ({"inactive_count": 50}, 0.75, "tightened"),  # vanished listings are changes too
        ({"unchanged_count": 100}, 1.25, "relaxed"),
        ({"new_count": 5, "unchanged_count": 95}, 1.0, "kept"),  # 5%: neither
    ],
)
def test_content_changes_tighten_and_stillness_relaxes(
    counts: dict[str, int], factor: float, reason: str
) -> None:
    after = _after(_seasoned(), _run(**counts))
    assert after.interval_factor == factor and reason in after.adjustments[-1].reason
    assert after.next_run_at == T0 + timedelta(hours=24 * factor)


def test_the_learned_factor_is_bounded_both_ways() -> None:
    busy, still = _seasoned(), _seasoned()
    for _ in range(30):
        busy = _after(busy, _run(updated_count=100))
        still = _after(still, _run(unchanged_count=100))
    assert busy.interval_factor == policy.MIN_FACTOR and "(at its bound)" in busy.adjustments[-1].reason
    assert still.interval_factor == policy.MAX_FACTOR
    assert busy.next_run_at == T0 + timedelta(hours=6) and still.next_run_at == T0 + timedelta(hours=96)
    hourly = _after(
        _seasoned(frequency=Frequency.HOURLY, priority=Priority.HIGH, interval_factor=0.25), _run()
    )
    assert hourly.next_run_at == T0 + policy.MIN_INTERVAL  # never more often than every 30 min


@pytest.mark.parametrize("outcome", [ExecutionOutcome.PARTIAL, ExecutionOutcome.SUCCESS])
def test_a_crawl_without_a_content_signal_keeps_the_factor(outcome: ExecutionOutcome) -> None:
    slot = _seasoned(interval_factor=2.0)
    run = _run(outcome, items=0) if outcome is ExecutionOutcome.SUCCESS else _run(outcome, updated_count=90)
    after = _after(slot, run)
    assert after.interval_factor == 2.0 and after.consecutive_failures == 0


def test_failures_back_off_exponentially_then_pause_for_the_admin() -> None:
    slot = _seasoned(interval_factor=0.5)
    delays = []
    for n in range(1, policy.PAUSE_AFTER_FAILURES):
        outcome = ExecutionOutcome.CANCELLED if n == 2 else ExecutionOutcome.FAILED
        slot = _after(slot, _run(outcome, items=0))
        assert slot.consecutive_failures == n and slot.paused_reason is None
        delays.append(slot.next_run_at - T0)
    assert delays == [timedelta(minutes=15 * 2**k) for k in range(policy.PAUSE_AFTER_FAILURES - 1)]
    assert slot.interval_factor == 0.5  # failures say nothing about the content
    slot = _after(slot, _run(ExecutionOutcome.FAILED, items=0))
    assert slot.consecutive_failures == policy.PAUSE_AFTER_FAILURES
    assert slot.paused_reason and "paused after 5 failures" in slot.paused_reason
    # A success clears the count (the pause itself is lifted only by the admin's resume).
    assert _after(slot.model_copy(update={"paused_reason": None}), _run()).consecutive_failures == 0


def test_backoff_is_capped_and_refuses_a_non_failure() -> None:
    assert policy.backoff(1) == timedelta(minutes=15)
    assert policy.backoff(7) == timedelta(hours=16) and policy.backoff(8) == policy.backoff(500) == timedelta(
        hours=24
    )
    with pytest.raises(ValueError, match="failures: 0"):
        policy.backoff(0)


def test_the_adjustment_history_is_bounded_and_newest_last() -> None:
    slot = _seasoned()
    for n in range(policy.HISTORY_LIMIT + 5):
        slot = _after(slot, _run(new_count=n % 3 * 20, unchanged_count=100 - n % 3 * 20))
    assert len(slot.adjustments) == policy.HISTORY_LIMIT
    last = slot.adjustments[-1]
    assert last.next_run_at == slot.next_run_at and last.factor == round(slot.interval_factor, 4)
    assert last.interval_hours == pytest.approx((slot.next_run_at - T0).total_seconds() / 3600, abs=1e-3)
    # The history survives the slot's JSON round trip (it is stored on the row).
    assert ScheduleSlot.model_validate(slot.model_dump(mode="json")) == slot
