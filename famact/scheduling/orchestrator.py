"""The orchestrator: one pass starts the due sources on scrapyd and follows running jobs.

All of its state lives on the source's schedule slot, so any orchestrator can carry on
where another stopped:

- a due slot without a job is leased (a conditional write: two orchestrators never both
  win), scheduled on the least busy node with `source_id` and a fresh `execution_id`, and
  its job recorded on the slot; the EXECUTION row is written `queued` (the spider takes it
  over when it opens);
- a slot with a job stays due and leased while the job runs; each pass renews the lease and
  asks the job's node (listjobs). When the job has ended the outcome is read from the
  EXECUTION row the spider finished; a row still `queued` / `running` means the crawl never
  closed (killed, crashed) and is marked `failed`. The next run is then set from the
  source's frequency, adapted to the outcome (famact.scheduling.frequency), and the lease
  released in the same conditional write;
- a due slot whose source is paused (by the admin, or by the schedule after repeated
  failures) is not started: its next check is one interval later;
- an orchestrator killed holding a lease just stops renewing it: once it expires the next
  orchestrator takes the slot over and follows (or starts) the job.

Only equality queries on next-run-index are made (OperationsStore.due_slots), never a Scan.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from famact.constants import ExecutionOutcome, SourceStatus
from famact.models import Execution, ScheduleSlot
from famact.scheduling import frequency
from famact.scheduling.scrapyd import Job, ScrapydClient, ScrapydError
from famact.store.errors import ConflictError, NotFound
from famact.store.operations import OperationsStore, as_utc, run_day
from famact.store.sources import SourceStore

logger = logging.getLogger(__name__)

LEASE_SECONDS = 600  # renewed every pass; an orchestrator that dies frees its sources this late
SUCCESSFUL = frequency.SUCCESSFUL
NOT_CLOSED_REASON = "scrapyd job ended without closing the crawl (killed or crashed)"


def default_holder() -> str:
    return f"{socket.gethostname()[:60]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def new_execution_id(source_id: str, at: datetime) -> str:
    """Same shape as the crawler's own ids: `{source_id}-{YYYYMMDDTHHMMSS}-{6 hex}`."""
    return f"{source_id}-{as_utc(at).strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"


def next_run_after(slot: ScheduleSlot, finished_at: datetime) -> datetime:
    """The regular next run: frequency x priority x the learned factor after `finished_at`."""
    return as_utc(finished_at) + frequency.interval(slot)


# Called with each execution the orchestrator closed (the health check); its errors are
# reported on the pass, never raised.
FinishedHook = Callable[[ScheduleSlot, Execution], object]


@dataclass
class PassReport:
    """What one pass did, for the CLI and tests."""

    started: list[str] = field(default_factory=list)  # source ids scheduled this pass
    following: list[str] = field(default_factory=list)  # jobs still pending / running
    finished: dict[str, str] = field(default_factory=dict)  # source id -> outcome
    skipped: list[str] = field(default_factory=list)  # leased by another orchestrator
    paused: list[str] = field(default_factory=list)  # due but paused: not started
    errors: list[str] = field(default_factory=list)  # one line each; the pass carried on


class Orchestrator:
    def __init__(
        self,
        operations: OperationsStore,
        scrapyd: ScrapydClient,
        *,
        holder: str | None = None,
        lease_seconds: int = LEASE_SECONDS,
        clock: Callable[[], datetime] | None = None,
        sources: SourceStore | None = None,
        on_finished: FinishedHook | None = None,
    ) -> None:
        self.operations = operations
        self.scrapyd = scrapyd
        self.sources = sources  # when given: only active sources start; failures pause it
        self.on_finished = on_finished
        self.holder = holder or default_holder()
        self.lease_seconds = lease_seconds
        self.clock = clock or operations.clock
        self._jobs_by_node: dict[str, dict[str, Job] | None] = {}
        self._loads: dict[str, int] | None = None  # asked once per pass, when a job is to start

    def run_once(self) -> PassReport:
        report = PassReport()
        now = as_utc(self.clock())
        self._jobs_by_node = {}
        self._loads = None
        for slot in self.operations.due_slots(now):
            try:
                self._handle(slot, report)
            except ScrapydError as exc:
                report.errors.append(f"{slot.source_id}: {exc}")
                logger.warning("source %s: %s", slot.source_id, exc)
        return report

    # -- one slot ------------------------------------------------------------------------------

    def _take(self, slot: ScheduleSlot) -> ScheduleSlot | None:
        """The slot as it is once leased (the lease write returns it), or None."""
        day = run_day(slot.next_run_at)
        ttl = self.lease_seconds
        if slot.lease_holder == self.holder:
            return self.operations.renew_lease(slot.source_id, day, self.holder, ttl_seconds=ttl)
        return self.operations.acquire_lease(slot.source_id, day, self.holder, ttl_seconds=ttl)

    def _handle(self, slot: ScheduleSlot, report: PassReport) -> None:
        current = self._take(slot)
        if current is None:
            report.skipped.append(slot.source_id)
            return
        if current.job_id and current.job_node:
            self._follow(current, report)
        elif (why := self._paused(current)) is not None:
            self._hold(current, why, report)
        else:
            self._start(current, report)

    def _paused(self, slot: ScheduleSlot) -> str | None:
        if slot.paused_reason:
            return slot.paused_reason
        if self.sources is None:
            return None
        submission = self.sources.get(slot.source_id)
        if submission is None:
            return "the source no longer exists"
        if submission.status is not SourceStatus.ACTIVE:
            return f"the source is {submission.status.value}"
        return None

    def _hold(self, slot: ScheduleSlot, why: str, report: PassReport) -> None:
        """Not started: looked at again one interval later (a resume reschedules it at once)."""
        held = slot.model_copy(
            update={
                "next_run_at": next_run_after(slot, self.clock()),
                "lease_holder": None,
                "lease_expires_at": None,
            }
        )
        if self.operations.save_leased_slot(held, run_day(slot.next_run_at), self.holder):
            report.paused.append(slot.source_id)
            logger.info("source %s not started: %s", slot.source_id, why)

    def _lease_fields(self) -> dict[str, object]:
        return {
            "lease_holder": self.holder,
            "lease_expires_at": as_utc(self.clock()) + timedelta(seconds=self.lease_seconds),
        }

    def _start(self, slot: ScheduleSlot, report: PassReport) -> None:
        day = run_day(slot.next_run_at)
        now = as_utc(self.clock())
        execution_id = new_execution_id(slot.source_id, now)
        try:
            if self._loads is None:
                self._loads = {s.node: s.load for s in self.scrapyd.reachable()}
            loads = self._loads
            node, job_id = self.scrapyd.schedule_least_busy(
                loads, source_id=slot.source_id, execution_id=execution_id
            )
        except ScrapydError:
            # Nothing started: free the slot so this or another orchestrator retries it.
            self.operations.release_lease(slot.source_id, day, self.holder)
            raise
        started = slot.model_copy(
            update={
                "job_id": job_id,
                "job_node": node,
                "job_execution_id": execution_id,
                "job_started_at": now,
                **self._lease_fields(),
            }
        )
        if not self.operations.save_leased_slot(started, day, self.holder):
            report.errors.append(f"{slot.source_id}: lease lost right after scheduling job {job_id}")
            return
        # ConflictError: the spider opened first and wrote its `running` row; nothing to add.
        with contextlib.suppress(ConflictError):
            self.operations.queue_execution(
                Execution(
                    execution_id=execution_id,
                    source_id=slot.source_id,
                    started_at=now,
                    outcome=ExecutionOutcome.QUEUED,
                    node=node,
                )
            )
        report.started.append(slot.source_id)
        logger.info("source %s: job %s on %s (execution %s)", slot.source_id, job_id, node, execution_id)

    def _jobs(self, node: str) -> dict[str, Job] | None:
        """listjobs of a node, asked once per pass; None when the node does not answer."""
        cache = self._jobs_by_node
        if node not in cache:
            try:
                cache[node] = self.scrapyd.list_jobs(node)
            except ScrapydError as exc:
                logger.warning("%s", exc)
                cache[node] = None
        return cache[node]

    def _follow(self, slot: ScheduleSlot, report: PassReport) -> None:
        assert slot.job_id and slot.job_node
        jobs = self._jobs(slot.job_node)
        if jobs is None:
            # The node is unreachable: keep the lease and ask again next pass.
            report.following.append(slot.source_id)
            return
        job = jobs.get(slot.job_id)
        if job is not None and job.state != "finished":
            report.following.append(slot.source_id)
            return
        execution = self._close_execution(slot, vanished=job is None)
        self._reschedule(slot, execution, report)
        report.finished[slot.source_id] = ExecutionOutcome(execution.outcome).value
        if self.on_finished is not None:
            try:
                self.on_finished(slot, execution)
            except Exception as exc:  # the health check must never stop the pass
                logger.exception("source %s: after-crawl check failed", slot.source_id)
                report.errors.append(
                    f"{slot.source_id}: after-crawl check failed: {type(exc).__name__}: {exc}"
                )

    def _close_execution(self, slot: ScheduleSlot, *, vanished: bool) -> Execution:
        """The execution as it ended, writing its final outcome when the spider could not."""
        execution_id = slot.job_execution_id or ""
        try:
            execution, _ = self.operations.get_execution(execution_id)
        except NotFound:
            execution = Execution(
                execution_id=execution_id,
                source_id=slot.source_id,
                started_at=slot.job_started_at or self.clock(),
                outcome=ExecutionOutcome.QUEUED,
                node=slot.job_node,
            )
            self.operations.queue_execution(execution)
        if execution.outcome not in (ExecutionOutcome.QUEUED, ExecutionOutcome.RUNNING):
            return execution
        if vanished:
            outcome, reason = ExecutionOutcome.CANCELLED, f"job {slot.job_id} is gone from {slot.job_node}"
        elif execution.outcome is ExecutionOutcome.QUEUED:
            outcome, reason = ExecutionOutcome.FAILED, "scrapyd job ended before the spider opened"
        else:
            outcome, reason = ExecutionOutcome.FAILED, NOT_CLOSED_REASON
        closed = self.operations.finish_execution(
            execution.model_copy(update={"outcome": outcome, "finish_reason": reason, "finished_at": None})
        )
        self.operations.record_execution_metrics(closed)
        return closed

    def _reschedule(self, slot: ScheduleSlot, execution: Execution, report: PassReport) -> None:
        day = run_day(slot.next_run_at)
        now = as_utc(self.clock())
        decision = frequency.decide(slot, execution, now)
        done = frequency.apply(slot, decision, execution, now).model_copy(
            update={
                "last_execution_id": slot.job_execution_id,
                "job_id": None,
                "job_node": None,
                "job_execution_id": None,
                "job_started_at": None,
                "lease_holder": None,
                "lease_expires_at": None,
            }
        )
        if not self.operations.save_leased_slot(done, day, self.holder):
            logger.warning("source %s: lease lost before the next run was set", slot.source_id)
            return
        if decision.pause:
            report.errors.append(f"{slot.source_id}: {decision.reason}")
            if self.sources is not None:
                # The admin sees it as a paused source with the reason; resume reschedules it.
                with contextlib.suppress(ConflictError, NotFound):
                    self.sources.transition(
                        slot.source_id,
                        SourceStatus.PAUSED,
                        expected=SourceStatus.ACTIVE,
                        reason=decision.reason,
                    )
