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
  source's frequency and the lease released in the same conditional write;
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

from famact.constants import FREQUENCY_HOURS, ExecutionOutcome, Frequency
from famact.models import Execution, ScheduleSlot
from famact.scheduling.scrapyd import Job, ScrapydClient, ScrapydError
from famact.store.errors import ConflictError, NotFound
from famact.store.operations import OperationsStore, as_utc, run_day

logger = logging.getLogger(__name__)

LEASE_SECONDS = 600  # renewed every pass; an orchestrator that dies frees its sources this late
SUCCESSFUL = frozenset({ExecutionOutcome.SUCCESS, ExecutionOutcome.PARTIAL})
NOT_CLOSED_REASON = "scrapyd job ended without closing the crawl (killed or crashed)"


def default_holder() -> str:
    return f"{socket.gethostname()[:60]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def new_execution_id(source_id: str, at: datetime) -> str:
    """Same shape as the crawler's own ids: `{source_id}-{YYYYMMDDTHHMMSS}-{6 hex}`."""
    return f"{source_id}-{as_utc(at).strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"


def next_run_after(slot: ScheduleSlot, finished_at: datetime) -> datetime:
    """The next run from the source's frequency (adaptive frequency comes later)."""
    return as_utc(finished_at) + timedelta(hours=FREQUENCY_HOURS[Frequency(slot.frequency)])


@dataclass
class PassReport:
    """What one pass did, for the CLI and tests."""

    started: list[str] = field(default_factory=list)  # source ids scheduled this pass
    following: list[str] = field(default_factory=list)  # jobs still pending / running
    finished: dict[str, str] = field(default_factory=dict)  # source id -> outcome
    skipped: list[str] = field(default_factory=list)  # leased by another orchestrator
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
    ) -> None:
        self.operations = operations
        self.scrapyd = scrapyd
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

    def _take(self, slot: ScheduleSlot) -> bool:
        day = run_day(slot.next_run_at)
        ttl = self.lease_seconds
        if slot.lease_holder == self.holder:
            return self.operations.renew_lease(slot.source_id, day, self.holder, ttl_seconds=ttl)
        return self.operations.acquire_lease(slot.source_id, day, self.holder, ttl_seconds=ttl)

    def _handle(self, slot: ScheduleSlot, report: PassReport) -> None:
        if not self._take(slot):
            report.skipped.append(slot.source_id)
            return
        # Re-read after the lease: the slot may have changed since the index query.
        current = self.operations.get_slot(slot.source_id)
        if current is None:
            return
        if current.job_id and current.job_node:
            self._follow(current, report)
        else:
            self._start(current, report)

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
        outcome = self._close_execution(slot, vanished=job is None)
        self._reschedule(slot, outcome)
        report.finished[slot.source_id] = outcome.value

    def _close_execution(self, slot: ScheduleSlot, *, vanished: bool) -> ExecutionOutcome:
        """The execution's final outcome, writing it when the spider could not."""
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
            return ExecutionOutcome(execution.outcome)
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
        return outcome

    def _reschedule(self, slot: ScheduleSlot, outcome: ExecutionOutcome) -> None:
        day = run_day(slot.next_run_at)
        now = as_utc(self.clock())
        failures = 0 if outcome in SUCCESSFUL else slot.consecutive_failures + 1
        done = slot.model_copy(
            update={
                "next_run_at": next_run_after(slot, now),
                "consecutive_failures": failures,
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
