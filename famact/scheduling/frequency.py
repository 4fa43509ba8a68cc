"""Adaptive frequency: when a source runs next, from how its last crawl went. Pure.

- The base interval is the config's frequency scaled by the source's priority (high sooner).
- A learned factor on top adapts to the content: a successful crawl that found many listings
  new, changed or gone tightens it, one that found nothing changed relaxes it (bounded, so a
  weekly source never runs more than 4x as often, nor less than 4x as rarely). The first
  successful crawl of a source only sets the baseline: everything on it is "new".
- A failed (or vanished) job backs off exponentially from RETRY_BASE, whatever the interval;
  after PAUSE_AFTER_FAILURES in a row the source is paused and flagged for the admin.
- Every decision is appended to the slot's bounded adjustment history, with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from famact.constants import FREQUENCY_HOURS, ExecutionOutcome, Frequency, Priority
from famact.models import Execution, ScheduleAdjustment, ScheduleSlot

PRIORITY_FACTOR: dict[Priority, float] = {Priority.HIGH: 0.75, Priority.MEDIUM: 1.0, Priority.LOW: 1.5}
MIN_FACTOR, MAX_FACTOR = 0.25, 4.0
TIGHTEN, RELAX = 0.75, 1.25
CHANGED_OFTEN = 0.2  # share of a crawl's listings new, updated or vanished: "changes often"
MIN_INTERVAL = timedelta(minutes=30)
RETRY_BASE = timedelta(minutes=15)
MAX_BACKOFF = timedelta(hours=24)
PAUSE_AFTER_FAILURES = 5
HISTORY_LIMIT = 20
SUCCESSFUL = frozenset({ExecutionOutcome.SUCCESS, ExecutionOutcome.PARTIAL})


def base_interval(frequency: Frequency, priority: Priority) -> timedelta:
    return timedelta(hours=FREQUENCY_HOURS[Frequency(frequency)] * PRIORITY_FACTOR[Priority(priority)])


def interval(slot: ScheduleSlot) -> timedelta:
    """The regular interval of the slot now: base x learned factor, at least MIN_INTERVAL."""
    return max(MIN_INTERVAL, base_interval(slot.frequency, slot.priority) * slot.interval_factor)


def change_share(execution: Execution) -> float | None:
    """Share of the crawl's listings that were new, changed or vanished; None without items."""
    if execution.items_scraped <= 0:
        return None
    changed = execution.new_count + execution.updated_count + execution.inactive_count
    return min(1.0, changed / execution.items_scraped)


def backoff(failures: int) -> timedelta:
    """Delay before retry number `failures` (1, 2, ...): 15 min, 30 min, 1 h, ... <= 24 h."""
    if failures < 1:
        raise ValueError(f"failures: {failures} is not a failure count (>= 1)")
    return min(MAX_BACKOFF, RETRY_BASE * 2 ** min(failures - 1, 20))


@dataclass(frozen=True)
class Decision:
    next_run_at: datetime
    interval_factor: float
    consecutive_failures: int
    pause: bool
    reason: str


def _had_success(slot: ScheduleSlot) -> bool:
    return any(ExecutionOutcome(a.outcome) in SUCCESSFUL for a in slot.adjustments)


def decide(slot: ScheduleSlot, execution: Execution, now: datetime) -> Decision:
    """The schedule after `execution` ended at `now`."""
    outcome = ExecutionOutcome(execution.outcome)
    factor = slot.interval_factor
    if outcome not in SUCCESSFUL:
        failures = slot.consecutive_failures + 1
        if failures >= PAUSE_AFTER_FAILURES:
            return Decision(
                now + interval(slot),
                factor,
                failures,
                True,
                f"paused after {failures} failures in a row (last: {outcome.value}); needs the admin",
            )
        delay = backoff(failures)
        return Decision(
            now + delay,
            factor,
            failures,
            False,
            f"{outcome.value}: failure {failures}, retry in {_fmt(delay)}",
        )
    share = change_share(execution)
    if outcome is not ExecutionOutcome.SUCCESS or share is None:
        reason = f"{outcome.value}: kept the interval (no content signal)"
    elif not _had_success(slot):
        reason = "first successful crawl: baseline, interval kept"
    elif share >= CHANGED_OFTEN:
        factor = max(MIN_FACTOR, factor * TIGHTEN)
        reason = f"{share:.0%} of listings changed: tightened"
    elif share == 0:
        factor = min(MAX_FACTOR, factor * RELAX)
        reason = "nothing changed: relaxed"
    else:
        reason = f"{share:.0%} of listings changed: interval kept"
    if factor == slot.interval_factor and ("tightened" in reason or "relaxed" in reason):
        reason += " (at its bound)"
    after = slot.model_copy(update={"interval_factor": factor})
    return Decision(now + interval(after), factor, 0, False, reason)


def _fmt(delay: timedelta) -> str:
    minutes = int(delay.total_seconds() // 60)
    return f"{minutes // 60} h" if minutes >= 120 and minutes % 60 == 0 else f"{minutes} min"


def apply(slot: ScheduleSlot, decision: Decision, execution: Execution, now: datetime) -> ScheduleSlot:
    """The slot with the decision written on it and recorded in its bounded history."""
    record = ScheduleAdjustment(
        at=now,
        outcome=ExecutionOutcome(execution.outcome),
        next_run_at=decision.next_run_at,
        interval_hours=round((decision.next_run_at - now).total_seconds() / 3600, 3),
        factor=round(decision.interval_factor, 4),
        reason=decision.reason,
    )
    return slot.model_copy(
        update={
            "next_run_at": decision.next_run_at,
            "interval_factor": decision.interval_factor,
            "consecutive_failures": decision.consecutive_failures,
            "adjustments": [*slot.adjustments, record][-HISTORY_LIMIT:],
            "paused_reason": decision.reason if decision.pause else slot.paused_reason,
        }
    )
