"""One scheduling pass over 1,000 due sources against a local scrapyd: wall time, DynamoDB
requests per source and scrapyd requests per source.

Setup (not measured): a private dynalite, a real scrapyd (`LocalScrapyd`, the code
`famact local up` runs, with basic auth, SQLite job storage and the famact egg deployed) in a
temp home, and 1,000 active sources with a due schedule slot each (a third each high, medium,
low priority). The scrapyd never launches the queued jobs (its poll interval is set to an
hour): a job would start a Python process of ~1.5 CPU-s, and this measures the orchestrator.

Measured, each pass by `Orchestrator.run_once` with the health monitor of `famact schedule run`
(without repair) and the source-status check:
1. start pass: 1,000 due sources leased, scheduled (schedule.json), EXECUTION rows queued;
2. follow pass: the same 1,000 jobs still pending: leases renewed, one listjobs per node;
3. finish pass: "jobs that finish at once": for each job the benchmark writes the EXECUTION
   row a spider writes (opened, then finished `success` with 20 items), and cancels the queued
   scrapyd job (so listjobs no longer lists it, as after a finished job was rotated out);
   the orchestrator reads each outcome, judges health, and sets the adaptive next run.

DynamoDB requests are counted per HTTP attempt on the orchestrator's boto3 clients
(`before-send`), scrapyd requests on its httpx client; the benchmark's own setup and the
spider-side writes are not counted. Three rounds on fresh table prefixes; medians reported.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks._proc import free_port, private_dynalite
from benchmarks.common import ROOT, env, median, write_result
from famact.app.scrapyd_local import LocalScrapyd
from famact.constants import ExecutionOutcome, Frequency, Priority, SourceStatus
from famact.models import ScheduleSlot, SourceSubmission
from famact.scheduling.health import HealthMonitor
from famact.scheduling.orchestrator import Orchestrator
from famact.scheduling.scrapyd import ScrapydClient
from famact.store.dynamo import Tables, batch_write, create_tables
from famact.store.health import HealthStore
from famact.store.operations import OperationsStore
from famact.store.sources import SourceStore, canonical_base_url

SOURCES = 1_000
ROUNDS = 3
PRIORITIES = (Priority.HIGH, Priority.MEDIUM, Priority.LOW)


class QuietScrapyd(LocalScrapyd):
    """LocalScrapyd whose poller never launches the queued jobs during the benchmark."""

    def write_config(self, port: int) -> Path:
        path = super().write_config(port)
        path.write_text(path.read_text().replace("poll_interval = 1.0", "poll_interval = 3600"))
        return path


class DynamoCounter:
    def __init__(self, tables: Tables) -> None:
        self.by_operation: Counter[str] = Counter()
        clients = (tables.client, tables.operations.meta.client)  # the tables share one resource
        for client in {id(c): c for c in clients}.values():
            client.meta.events.register("before-send.dynamodb", self._count)

    def _count(self, request: Any, **_: Any) -> None:
        target = request.headers.get("X-Amz-Target", b"")
        target = target.decode() if isinstance(target, bytes) else str(target)
        self.by_operation[target.rsplit(".", 1)[-1]] += 1

    def take(self) -> dict[str, int]:
        out = dict(self.by_operation)
        self.by_operation.clear()
        return out


def _seed(tables: Tables, n: int, now: datetime) -> list[str]:
    """n active sources, each with a due slot (setup; not counted)."""
    store = SourceStore(tables)
    ids = [f"bench-{i:04d}" for i in range(n)]
    rows = []
    for i, source_id in enumerate(ids):
        submission = SourceSubmission(
            source_id=source_id,
            source_name=f"Bench source {i}",
            base_url=f"https://{source_id}.example.org/",
            priority=PRIORITIES[i % 3],
            submitted_at=now,
            status=SourceStatus.ACTIVE,
        )
        rows.append(store._submission_item(submission, canonical_base_url(submission.base_url)))
    batch_write(tables.sources.name, tables.client, rows)
    operations = OperationsStore(tables)
    for i, source_id in enumerate(ids):
        operations.put_slot(
            ScheduleSlot(
                source_id=source_id,
                next_run_at=now - timedelta(minutes=1 + i % 50),
                priority=PRIORITIES[i % 3],
                frequency=Frequency.DAILY,
            )
        )
    return ids


def _finish_like_spiders(tables: Tables, operations: OperationsStore, ids: list[str]) -> None:
    """What each job's spider would write: the EXECUTION row opened, then finished (not counted)."""
    spider_side = OperationsStore(tables)
    for source_id in ids:
        slot = operations.get_slot(source_id)
        assert slot is not None and slot.job_execution_id, source_id
        execution, _ = spider_side.get_execution(slot.job_execution_id)
        running = execution.model_copy(update={"outcome": ExecutionOutcome.RUNNING})
        spider_side.start_execution(running)
        finished = running.model_copy(
            update={
                "outcome": ExecutionOutcome.SUCCESS,
                "finish_reason": "finished",
                "pages_crawled": 5,
                "items_scraped": 20,
                "new_count": 20,
                "field_coverage": {"title": 1.0, "date": 0.9},
            }
        )
        spider_side.record_execution_metrics(spider_side.finish_execution(finished))


def _round(dynalite: Any, scrapyd: LocalScrapyd) -> dict[str, Any]:
    prefix = f"bsch{uuid.uuid4().hex[:6]}-"
    setup = dynalite.tables(prefix)
    create_tables(setup.client, prefix)
    now = datetime.now(UTC)
    ids = _seed(setup, SOURCES, now)

    tables = dynalite.tables(prefix)  # the orchestrator's own clients, counted
    dynamo = DynamoCounter(tables)
    client = ScrapydClient([scrapyd.url], auth=scrapyd.credentials(), timeout_s=60)
    scrapyd_calls: Counter[str] = Counter()
    endpoint = lambda request: request.url.path.rsplit("/", 1)[-1]  # noqa: E731
    client._http.event_hooks["request"].append(lambda request: scrapyd_calls.update([endpoint(request)]))
    operations = OperationsStore(tables)
    orchestrator = Orchestrator(
        operations,
        client,
        holder=f"bench-{prefix}",
        sources=SourceStore(tables),
        on_finished=HealthMonitor(HealthStore(tables), clock=lambda: datetime.now(UTC)),
    )
    passes: dict[str, Any] = {}

    def measured(name: str, expect: str) -> None:
        started = time.perf_counter()
        report = orchestrator.run_once()
        seconds = time.perf_counter() - started
        done = getattr(report, expect)
        assert len(done) == SOURCES and not report.errors, (name, len(done), report.errors[:3])
        requests = dynamo.take()
        calls = dict(scrapyd_calls)
        scrapyd_calls.clear()
        passes[name] = {
            "seconds": round(seconds, 2),
            "dynamodb_requests": sum(requests.values()),
            "dynamodb_requests_per_source": round(sum(requests.values()) / SOURCES, 3),
            "dynamodb_by_operation": requests,
            "scrapyd_requests": sum(calls.values()),
            "scrapyd_requests_per_source": round(sum(calls.values()) / SOURCES, 3),
            "scrapyd_by_endpoint": calls,
        }
        print(f"  {name}: {seconds:.1f}s, {passes[name]['dynamodb_requests_per_source']} DynamoDB req/source")

    measured("start", "started")
    measured("follow", "following")
    _finish_like_spiders(setup, OperationsStore(setup), ids)
    with contextlib.closing(ScrapydClient([scrapyd.url], auth=scrapyd.credentials(), timeout_s=60)) as admin:
        for job_id in admin.list_jobs(scrapyd.url):
            admin.cancel(scrapyd.url, job_id)
    measured("finish", "finished")
    slot = OperationsStore(setup).get_slot(ids[0])
    assert slot is not None and slot.job_id is None and slot.next_run_at > now + timedelta(hours=17)
    client.close()
    return passes


def main() -> None:
    rounds: list[dict[str, Any]] = []
    with (
        private_dynalite() as dynalite,
        tempfile.TemporaryDirectory(prefix="famact-bench-scrapyd-") as home,
        env(**dynalite.env),
    ):
        scrapyd = QuietScrapyd(Path(home), port=free_port(), root=ROOT, max_proc=1)
        scrapyd.up()
        try:
            for n in range(ROUNDS):
                print(f"round {n + 1}/{ROUNDS}")
                rounds.append(_round(dynalite, scrapyd))
        finally:
            scrapyd.down()

    def med(name: str, key: str) -> float:
        return median([r[name][key] for r in rounds])

    metrics = {
        "pass_seconds_1000_sources": med("start", "seconds"),
        "dynamodb_requests_per_source": med("start", "dynamodb_requests_per_source"),
        "scrapyd_requests_per_source": med("start", "scrapyd_requests_per_source"),
        "follow_pass_seconds": med("follow", "seconds"),
        "follow_dynamodb_requests_per_source": med("follow", "dynamodb_requests_per_source"),
        "follow_scrapyd_requests_per_source": med("follow", "scrapyd_requests_per_source"),
        "finish_pass_seconds": med("finish", "seconds"),
        "finish_dynamodb_requests_per_source": med("finish", "dynamodb_requests_per_source"),
        "finish_scrapyd_requests_per_source": med("finish", "scrapyd_requests_per_source"),
        "cycle_dynamodb_requests_per_source": round(
            med("start", "dynamodb_requests_per_source") + med("finish", "dynamodb_requests_per_source"), 3
        ),
    }
    write_result(
        "scheduling",
        params={"sources": SOURCES, "rounds": ROUNDS, "scrapyd_nodes": 1, "frequency": "daily"},
        metrics=metrics,
        targets={"pass_seconds_1000_sources": "< 60", "dynamodb_requests_per_source": "<= 6"},
        notes=(
            "Median of 3 rounds on fresh tables; dynalite, scrapyd and the orchestrator share 2 cores. "
            "The headline pass is the start pass (1,000 due sources leased and scheduled). The finish "
            "pass is the one after the jobs ended (spider-side rows written by the benchmark, not "
            "counted); follow = a pass while all 1,000 jobs are still pending. DynamoDB requests are "
            "HTTP attempts of the orchestrator's clients, retries included; the due-index Query is "
            "shared by all sources of a pass. Per-operation counts in `rounds`."
        ),
        extra={"rounds": rounds},
    )


if __name__ == "__main__":
    main()
