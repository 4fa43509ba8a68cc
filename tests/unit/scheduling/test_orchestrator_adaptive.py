"""The orchestrator applying the adaptive schedule (moto/dynalite + a fake scrapyd on loopback):
failed jobs back off, the fifth failure in a row pauses the source with a reason the admin
sees, a paused source is not started, `resume` clears it, and a success resets the count."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from famact.app.workflow import pause_source, resume_source
from famact.constants import ExecutionOutcome, Frequency, Priority, SourceStatus
from famact.models import Execution, ScheduleSlot, SourceSubmission
from famact.scheduling import frequency as policy
from famact.scheduling.orchestrator import Orchestrator
from famact.scheduling.scrapyd import ScrapydClient
from famact.store.operations import OperationsStore
from famact.store.sources import SourceStore
from tests.support.fake_scrapyd import FakeScrapyd
from tests.unit.store.fakes import Clock


@pytest.fixture
def node() -> Iterator[FakeScrapyd]:
    with FakeScrapyd() as fake:
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime.now(UTC).replace(microsecond=0))


def _active_source(tables: Any, source_id: str) -> SourceStore:
    sources = SourceStore(tables)
    sources.submit(
        SourceSubmission(
            source_id=source_id, source_name=source_id, base_url=f"https://{source_id}.example.org/",
            submitted_at=datetime.now(UTC),
        )
    )  # fmt: skip
    for previous, to in (
        (SourceStatus.PENDING_ANALYSIS, SourceStatus.ANALYZING),
        (SourceStatus.ANALYZING, SourceStatus.ANALYSIS_COMPLETE),
        (SourceStatus.ANALYSIS_COMPLETE, SourceStatus.ACTIVE),
    ):
        sources.transition(source_id, to, expected=previous)
    return sources


def _one_cycle(orchestrator: Orchestrator, ops: OperationsStore, node: FakeScrapyd, *, succeed: bool) -> str:
    """Start the due source, end its job (as a spider would, when `succeed`), follow it."""
    report = orchestrator.run_once()
    assert report.started == ["src"], report
    slot = ops.get_slot("src")
    assert slot is not None and slot.job_id and slot.job_execution_id
    if succeed:
        execution, _ = ops.get_execution(slot.job_execution_id)
        running = execution.model_copy(update={"outcome": ExecutionOutcome.RUNNING})
        ops.start_execution(running)
        ops.finish_execution(
            running.model_copy(
                update={"outcome": ExecutionOutcome.SUCCESS, "finish_reason": "finished", "items_scraped": 10,
                        "pages_crawled": 3, "new_count": 10}
            )
        )  # fmt: skip
    node.finish(slot.job_id)
    return orchestrator.run_once().finished["src"]


def test_failures_back_off_then_pause_and_resume_restarts(
    store_tables: Any, node: FakeScrapyd, clock: Clock
) -> None:
    sources = _active_source(store_tables, "src")
    ops = OperationsStore(store_tables, clock=clock)
    ops.put_slot(
        ScheduleSlot(source_id="src", next_run_at=clock(), frequency=Frequency.DAILY, priority=Priority.HIGH)
    )
    orchestrator = Orchestrator(ops, ScrapydClient([node.url]), holder="o1", sources=sources)

    for n in range(1, policy.PAUSE_AFTER_FAILURES + 1):
        # The job ends without the spider opening: failed ("scrapyd job ended before ...").
        assert _one_cycle(orchestrator, ops, node, succeed=False) == ExecutionOutcome.FAILED
        slot = ops.get_slot("src")
        assert slot is not None and slot.consecutive_failures == n and slot.job_id is None
        if n < policy.PAUSE_AFTER_FAILURES:
            assert slot.next_run_at == clock() + policy.backoff(n)
            assert orchestrator.run_once().started == []  # not due before its back-off
            clock.now = slot.next_run_at
    assert slot.paused_reason and "paused after 5 failures" in slot.paused_reason
    submission = sources.get("src")
    assert submission is not None and submission.status is SourceStatus.PAUSED
    assert submission.status_reason == slot.paused_reason
    assert [a.outcome for a in slot.adjustments] == [ExecutionOutcome.FAILED] * 5

    clock.now = slot.next_run_at  # due again, but paused: held one more interval, not started
    report = orchestrator.run_once()
    assert report.started == [] and report.paused == ["src"]
    held = ops.get_slot("src")
    assert held is not None and held.next_run_at > clock() and held.lease_holder is None
    assert len(node.scheduled) == policy.PAUSE_AFTER_FAILURES

    assert resume_source(store_tables, "src") is SourceStatus.ACTIVE
    resumed = ops.get_slot("src")
    assert resumed is not None and resumed.paused_reason is None and resumed.consecutive_failures == 0
    clock.now = max(clock(), resumed.next_run_at)
    assert _one_cycle(orchestrator, ops, node, succeed=True) == ExecutionOutcome.SUCCESS
    done = ops.get_slot("src")
    assert done is not None and done.consecutive_failures == 0
    assert done.next_run_at == clock() + timedelta(hours=18)  # daily x high priority
    assert done.adjustments[-1].reason.startswith("first successful crawl")


def test_a_source_the_admin_paused_is_not_started(store_tables: Any, node: FakeScrapyd, clock: Clock) -> None:
    sources = _active_source(store_tables, "src")
    ops = OperationsStore(store_tables, clock=clock)
    ops.put_slot(ScheduleSlot(source_id="src", next_run_at=clock(), frequency=Frequency.WEEKLY))
    pause_source(store_tables, "src")
    report = Orchestrator(ops, ScrapydClient([node.url]), holder="o1", sources=sources).run_once()
    assert report.paused == ["src"] and node.scheduled == []
    slot = ops.get_slot("src")
    assert slot is not None and slot.next_run_at == clock() + timedelta(days=7)


def test_a_failing_after_crawl_check_is_an_error_line_not_a_crash(
    store_tables: Any, node: FakeScrapyd, clock: Clock
) -> None:
    sources = _active_source(store_tables, "src")
    ops = OperationsStore(store_tables, clock=clock)
    ops.put_slot(ScheduleSlot(source_id="src", next_run_at=clock()))
    seen: list[Execution] = []

    def check(slot: ScheduleSlot, execution: Execution) -> None:
        seen.append(execution)
        raise RuntimeError("health store unreachable")

    orchestrator = Orchestrator(
        ops, ScrapydClient([node.url]), holder="o1", sources=sources, on_finished=check
    )
    orchestrator.run_once()
    slot = ops.get_slot("src")
    assert slot is not None and slot.job_id
    node.finish(slot.job_id)
    report = orchestrator.run_once()
    assert report.finished == {"src": "failed"} and seen[0].outcome is ExecutionOutcome.FAILED
    assert report.errors == ["src: after-crawl check failed: RuntimeError: health store unreachable"]
    after = ops.get_slot("src")
    assert (
        after is not None and after.job_id is None and after.consecutive_failures == 1
    )  # rescheduled anyway
