"""Scheduling faults on a REAL scrapyd on 127.0.0.1 (LocalScrapyd, the code `famact local up`
runs) with the test dynalite and fixture sites on loopback:

- a scrapyd job killed mid-crawl: failed, retried after the back-off, entities intact;
- a node that cannot start jobs (500) and a node that goes down while a job runs;
- an orchestrator process killed (SIGKILL) holding a lease;
- DynamoDB throttling the orchestrator's requests;
- a source's layout changing between two crawls: degraded, re-analysed, a working candidate
  config queued for approval beside the running one, which keeps running until approved.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from famact.app.repair import health_monitor
from famact.app.scrapyd_local import LocalScrapyd
from famact.app.workflow import approve_source
from famact.constants import ExecutionOutcome, Frequency, Priority, SourceHealthStatus, SourceStatus
from famact.models import ScheduleSlot, SourceSubmission
from famact.scheduling import frequency as policy
from famact.scheduling.orchestrator import Orchestrator
from famact.scheduling.scrapyd import ScrapydClient
from famact.settings import Settings
from famact.store.activities import ActivityStore
from famact.store.dynamo import Tables, connect, create_tables
from famact.store.health import HealthStore
from famact.store.operations import OperationsStore
from famact.store.sources import SourceStore
from tests.conftest import free_port
from tests.integration.test_scheduling import WAIT_S, _stop
from tests.reliability.conftest import FaultRecord
from tests.reliability.crawls import without_timestamps
from tests.support.clocks import ShiftedClock
from tests.support.dynamo_proxy import DynamoProxy, ThrottlePlan
from tests.support.fake_scrapyd import FakeScrapyd
from tests.support.site_server import SiteServer, load_site

pytestmark = pytest.mark.integration
PREFIX = f"sfl{uuid.uuid4().hex[:8]}-"
ROOT = Path(__file__).resolve().parents[2]
SITE = load_site("camp-directory")


def _env(dynalite_endpoint: str) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL_DYNAMODB": dynalite_endpoint,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-west-2",
        "FAMACT_TABLE_PREFIX": PREFIX,
        "FAMACT_ALLOW_PRIVATE_URLS": "1",
        "FAMACT_TODAY": SITE.meta["today"],
        "PYTHONPATH": str(ROOT),
    }


@pytest.fixture(scope="module")
def site() -> Iterator[SiteServer]:
    with SiteServer(SITE.dir) as server:
        yield server


@pytest.fixture
def own_site(tmp_path: Path) -> Iterator[tuple[SiteServer, Path]]:
    """A private copy of the camp directory, served for one test that rewrites its markup: the
    module's shared site stays as written, whatever order the tests run in."""
    copy = tmp_path / "camp-directory"
    shutil.copytree(SITE.dir, copy)
    with SiteServer(copy) as server:
        yield server, copy


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory: pytest.TempPathFactory, dynalite_endpoint: str) -> Iterator[LocalScrapyd]:
    with pytest.MonkeyPatch.context() as mp:
        for key, value in _env(dynalite_endpoint).items():
            mp.setenv(key, value)
        mp.delenv("OPENAI_API_KEY", raising=False)  # repairs use the heuristics
        mp.delenv("FAMACT_SCRAPYD_PORT", raising=False)
        server = LocalScrapyd(tmp_path_factory.mktemp("famact-home"), port=free_port(), max_proc=2)
        server.up()
        try:
            yield server
        finally:
            _stop(server)


@pytest.fixture(scope="module")
def tables(dynalite_endpoint: str) -> Tables:
    tables = connect(
        Settings(table_prefix=PREFIX, dynamodb_endpoint=dynalite_endpoint, aws_region="us-west-2")
    )
    create_tables(tables.client, PREFIX)
    return tables


@pytest.fixture(autouse=True)
def _own_slots_only(tables: Tables) -> Iterator[None]:
    """Each test's orchestrators see only its own sources: the slots a test leaves behind (due
    again a day later on a test's shifted clock) are removed after it."""
    yield
    rows = tables.operations.scan(ConsistentRead=True)["Items"]
    for row in rows:
        if str(row["PK"]).startswith("SCHEDULE#") or row["SK"] == "SLOT":
            tables.operations.delete_item(Key={"PK": row["PK"], "SK": row["SK"]})


def _add_source(
    tables: Tables,
    site: SiteServer,
    source_id: str,
    *,
    rpm: int = 6000,
    config: bool = True,
    active: bool = True,
) -> None:
    sources = SourceStore(tables)
    listing = SITE.config(site.url).target_urls[0]
    sources.submit(
        SourceSubmission(
            source_id=source_id, source_name=f"Camps {source_id}", submitted_at=datetime.now(UTC),
            # One base URL claim per source; the layout source's is its real listing page.
            base_url=listing if source_id == "layout" else f"{site.url}/{source_id}/",
        )
    )  # fmt: skip
    if config:
        _put_config(tables, site, source_id, rpm=rpm)
    if active:
        for previous, to in (
            (SourceStatus.PENDING_ANALYSIS, SourceStatus.ANALYZING),
            (SourceStatus.ANALYZING, SourceStatus.ANALYSIS_COMPLETE),
            (SourceStatus.ANALYSIS_COMPLETE, SourceStatus.ACTIVE),
        ):
            sources.transition(source_id, to, expected=previous)
    OperationsStore(tables).put_slot(
        ScheduleSlot(
            source_id=source_id, next_run_at=datetime.now(UTC) - timedelta(minutes=1),
            priority=Priority.HIGH, frequency=Frequency.DAILY,
        )
    )  # fmt: skip


def _put_config(tables: Tables, site: SiteServer, source_id: str, *, rpm: int) -> None:
    config = SITE.config(site.url)
    scraping = config.scraping_config
    rate = scraping.rate_limit.model_copy(update={"requests_per_minute": rpm})
    SourceStore(tables).put_config(
        config.model_copy(
            update={
                "source_id": source_id,
                "scraping_config": scraping.model_copy(update={"rate_limit": rate}),
            }
        )
    )


def _until_finished(orchestrator: Orchestrator, source_id: str, *, errors_ok: bool = False) -> str:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        report = orchestrator.run_once()
        if not errors_ok:
            assert not [e for e in report.errors if e.startswith(source_id)], report.errors
        if source_id in report.finished:
            return report.finished[source_id]
        time.sleep(0.3)
    raise AssertionError(f"{source_id}: job did not finish in {WAIT_S}s")


def _owned(tables: Tables, source_id: str) -> dict[str, dict[str, Any]]:
    """The source's entities as `famact export` writes them, by PK."""
    out = io.StringIO()
    ActivityStore(tables).export(out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    return {f"{r['entity_type']}#{r['entity_id']}": r for r in rows if r.get("source_id") == source_id}


def test_a_job_killed_mid_crawl_fails_backs_off_retries_and_loses_no_entity(
    scrapyd: LocalScrapyd, tables: Tables, site: SiteServer, fault: FaultRecord
) -> None:
    fault.injected = "SIGKILL to the scrapyd job's crawl process mid-crawl (after one complete crawl)"
    _add_source(tables, site, "killed")
    clock = ShiftedClock()
    operations = OperationsStore(tables, clock=clock)
    client = ScrapydClient([scrapyd.url], auth=scrapyd.credentials())
    orchestrator = Orchestrator(operations, client, holder="orch-k", clock=clock, sources=SourceStore(tables))
    assert _until_finished(orchestrator, "killed") == ExecutionOutcome.SUCCESS
    before = without_timestamps(_owned(tables, "killed"))
    assert len(before) >= 15

    _put_config(tables, site, "killed", rpm=30)  # slow: killed mid-crawl
    clock.offset = timedelta(days=1)  # due again
    assert orchestrator.run_once().started == ["killed"]
    slot = operations.get_slot("killed")
    assert slot is not None and slot.job_id and slot.job_execution_id
    deadline = time.monotonic() + WAIT_S
    pid = None
    while pid is None:
        assert time.monotonic() < deadline
        body = client._call(scrapyd.url, "GET", "listjobs.json", project="famact")
        pid = next((j.get("pid") for j in body["running"] if j["id"] == slot.job_id), None)
        time.sleep(0.05)
    while operations.get_execution(slot.job_execution_id)[0].outcome is ExecutionOutcome.QUEUED:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(1.0)  # a few pages in
    os.kill(int(pid), signal.SIGKILL)
    assert _until_finished(orchestrator, "killed") == ExecutionOutcome.FAILED
    failed = operations.get_slot("killed")
    assert failed is not None and failed.consecutive_failures == 1
    assert failed.next_run_at == failed.adjustments[-1].at + policy.backoff(1)  # 15 minutes
    after_kill = without_timestamps(_owned(tables, "killed"))
    lost = [pk for pk in before if after_kill.get(pk) != before[pk]]
    fault.items_lost = len(lost)
    assert lost == [] and set(after_kill) == set(before)
    health = HealthStore(tables).get("killed")
    assert health is None  # no monitor here; the killed crawl is not a complete one anyway

    assert orchestrator.run_once().started == []  # not before the back-off
    _put_config(tables, site, "killed", rpm=6000)
    clock.offset += timedelta(minutes=16)
    assert _until_finished(orchestrator, "killed") == ExecutionOutcome.SUCCESS
    retried = operations.get_slot("killed")
    assert retried is not None and retried.consecutive_failures == 0
    assert without_timestamps(_owned(tables, "killed")) == before
    fault.behaviour = (
        "execution failed (job ended without closing the crawl), retried after the 15-min back-off and "
        "succeeded; the export of the source's entities before and after is identical"
    )


def test_a_node_that_cannot_start_jobs_or_goes_down_never_stops_the_orchestrator(
    tables: Tables, site: SiteServer, tmp_path_factory: pytest.TempPathFactory, fault: FaultRecord
) -> None:
    """On its own scrapyd (own home and port): it is stopped and restarted mid-job."""
    fault.injected = (
        "a node reporting itself idle but answering 500 to schedule.json; the job's node down mid-job"
    )
    _add_source(tables, site, "nodes")
    server = LocalScrapyd(tmp_path_factory.mktemp("down-home"), port=free_port(), max_proc=1)
    server.up()
    try:
        with FakeScrapyd() as broken:
            broken.failing = {"schedule.json"}
            client = ScrapydClient([broken.url, server.url], auth=server.credentials())
            operations = OperationsStore(tables)
            orchestrator = Orchestrator(operations, client, holder="orch-n")
            report = orchestrator.run_once()
            assert report.started == ["nodes"] and report.errors == []
            assert broken.requests.count("schedule.json") == 1  # tried first (least busy), then skipped
            slot = operations.get_slot("nodes")
            assert slot is not None and slot.job_node == server.url
        assert server.down()  # the job's node goes away (its job may or may not have run)
        for _ in range(3):
            report = orchestrator.run_once()
            assert report.following == ["nodes"] and report.finished == {}
        kept = operations.get_slot("nodes")
        assert kept is not None and kept.job_id == slot.job_id and kept.lease_holder == "orch-n"
        server.up(deploy_code=False)  # SQLite job storage: the job is still known after restart
        outcome = _until_finished(orchestrator, "nodes")
        assert outcome in (ExecutionOutcome.SUCCESS, ExecutionOutcome.FAILED, ExecutionOutcome.CANCELLED)
        done = operations.get_slot("nodes")
        assert done is not None and done.job_id is None and done.lease_holder is None
    finally:
        _stop(server)
    fault.behaviour = (
        f"job sent to the working node; while its node was down the orchestrator kept the lease and "
        f"followed (no crash); after restart the job ended {outcome} and the next run was set"
    )


ORCHESTRATOR_CHILD = """
import sys, time
from famact.scheduling.orchestrator import Orchestrator
from famact.scheduling.scrapyd import ScrapydClient
from famact.settings import Settings
from famact.store.dynamo import connect
from famact.store.operations import OperationsStore
endpoint, prefix, node, user, password = sys.argv[1:6]
tables = connect(Settings(table_prefix=prefix, dynamodb_endpoint=endpoint, aws_region="us-west-2"))
client = ScrapydClient([node], auth=(user, password))
report = Orchestrator(OperationsStore(tables), client, holder="orch-victim", lease_seconds=5).run_once()
print(",".join(report.started), flush=True)
time.sleep(600)
"""


def test_an_orchestrator_killed_holding_a_lease_is_taken_over_after_expiry(
    scrapyd: LocalScrapyd, tables: Tables, site: SiteServer, dynalite_endpoint: str, fault: FaultRecord
) -> None:
    fault.injected = "SIGKILL to an orchestrator process right after it leased a source and started its job"
    _add_source(tables, site, "orphan")
    user, password = scrapyd.credentials()
    child = subprocess.Popen(
        [sys.executable, "-c", ORCHESTRATOR_CHILD, dynalite_endpoint, PREFIX, scrapyd.url, user, password],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "orphan"
    finally:
        child.kill()
        child.wait(timeout=10)
    operations = OperationsStore(tables)
    victim = operations.get_slot("orphan")
    assert victim is not None and victim.lease_holder == "orch-victim" and victim.job_id
    heir = Orchestrator(
        operations, ScrapydClient([scrapyd.url], auth=scrapyd.credentials()), holder="orch-heir"
    )
    assert "orphan" in heir.run_once().skipped  # the lease still holds
    assert _until_finished(heir, "orphan") == ExecutionOutcome.SUCCESS
    after = operations.get_slot("orphan")
    assert after is not None and after.last_execution_id == victim.job_execution_id  # the same job
    assert len(operations.list_executions("orphan")) == 1
    fault.behaviour = (
        "the lease expired (5 s); another orchestrator followed the same job to success, no 2nd job"
    )


def test_throttled_dynamodb_loses_and_duplicates_no_schedule_row(
    scrapyd: LocalScrapyd, tables: Tables, site: SiteServer, dynalite_endpoint: str, fault: FaultRecord
) -> None:
    fault.injected = "every 3rd GetItem/PutItem/UpdateItem/DeleteItem of the orchestrator throttled"
    ids = [f"thr-{n}" for n in range(4)]
    for source_id in ids:
        _add_source(tables, site, source_id, config=False)  # no config: each job ends at once, failed
    plan = ThrottlePlan(
        # The reads and writes of slots, leases and executions. Not the due-index Query: a pass
        # makes 49 of them and botocore backs off up to 2 s per throttled answer (the same
        # retry handler retries a throttled Query).
        throttle_every=3,
        throttle_operations=frozenset({"GetItem", "PutItem", "UpdateItem", "DeleteItem"}),
    )
    with DynamoProxy(dynalite_endpoint, plan) as proxy:
        slow = connect(Settings(table_prefix=PREFIX, dynamodb_endpoint=proxy.url, aws_region="us-west-2"))
        operations = OperationsStore(slow)
        client = ScrapydClient([scrapyd.url], auth=scrapyd.credentials())
        orchestrator = Orchestrator(operations, client, holder="orch-t", sources=SourceStore(slow))
        started: list[str] = []
        finished: dict[str, str] = {}
        deadline = time.monotonic() + WAIT_S
        while len(finished) < len(ids):
            assert time.monotonic() < deadline, finished
            report = orchestrator.run_once()
            assert report.errors == []
            started += [s for s in report.started if s in ids]
            finished.update({k: v for k, v in report.finished.items() if k in ids})
            time.sleep(1.0)
        throttled = sum(1 for o in proxy.outcomes() if o.startswith("throttled:"))
    assert throttled >= 5 and slow.retries.throttled == throttled
    assert sorted(started) == ids  # each started exactly once
    assert set(finished.values()) == {ExecutionOutcome.FAILED.value}
    rows = tables.operations.scan(ConsistentRead=True)["Items"]
    slots = [
        r
        for r in rows
        if str(r["PK"]).startswith("SCHEDULE#") and str(r["SK"]).removeprefix("SOURCE#") in ids
    ]
    assert (
        sorted(str(r["SK"]).removeprefix("SOURCE#") for r in slots) == ids
    )  # one row each: none lost or doubled
    reference = OperationsStore(tables)
    for source_id in ids:
        slot = reference.get_slot(source_id)
        assert slot is not None and slot.consecutive_failures == 1 and slot.job_id is None
        assert len(reference.list_executions(source_id)) == 1
    fault.behaviour = f"{throttled} throttled answers retried; 4 sources started once each, one slot row each"


def _relayout(site_dir: Path) -> None:
    """The same camps re-served with new markup (a theme change): every `geodir` class renamed."""
    for page in (site_dir / "pages").rglob("*.html"):
        page.write_text(page.read_text(encoding="utf-8").replace("geodir", "lst"), encoding="utf-8")


def test_a_layout_change_is_flagged_reanalysed_and_a_working_config_queued(
    scrapyd: LocalScrapyd, tables: Tables, own_site: tuple[SiteServer, Path], fault: FaultRecord
) -> None:
    site, site_dir = own_site
    fault.injected = (
        "the source's site re-served with new markup between two crawls (every CSS class renamed)"
    )
    _add_source(tables, site, "layout")
    clock = ShiftedClock()
    operations = OperationsStore(tables, clock=clock)
    sources = SourceStore(tables)
    client = ScrapydClient([scrapyd.url], auth=scrapyd.credentials())
    orchestrator = Orchestrator(
        operations, client, holder="orch-l", clock=clock, sources=sources, on_finished=health_monitor(tables)
    )
    assert _until_finished(orchestrator, "layout") == ExecutionOutcome.SUCCESS
    first = HealthStore(tables).get("layout")
    assert first is not None and first.status is SourceHealthStatus.NEW and first.recent[0].items >= 15
    stored = _owned(tables, "layout")

    _relayout(site_dir)
    clock.offset = timedelta(days=1)
    assert _until_finished(orchestrator, "layout") == ExecutionOutcome.PARTIAL  # finished, no listings
    health = HealthStore(tables).get("layout")
    assert health is not None and health.status is SourceHealthStatus.DEGRADED, health
    assert health.reason and health.reason.startswith("0 listings, usually")
    candidate = health.candidate
    assert candidate is not None, health.repair_note
    assert candidate.items_running == 0 and candidate.items_candidate >= 15
    assert candidate.running_version == 1 and candidate.fields["title"][2] >= 0.95
    # The old config keeps running until the admin approves; nothing was marked inactive.
    config = sources.get_config("layout")
    assert config is not None and config.version == 1
    assert candidate.config.scraping_config == config.scraping_config  # how to crawl: unchanged
    assert {pk: r["status"] for pk, r in _owned(tables, "layout").items()} == {
        pk: r["status"] for pk, r in stored.items()
    }

    approved = approve_source(tables, "layout", approved_by="test-admin")
    assert approved.version == 2 and approved.approved_by == "test-admin"
    assert (HealthStore(tables).get("layout") or health).candidate is None
    assert _until_finished(orchestrator, "layout") == ExecutionOutcome.SUCCESS
    execution, _ = operations.get_execution(operations.get_slot("layout").last_execution_id or "")  # type: ignore[union-attr]
    assert execution.config_version == 2 and execution.items_scraped >= 15
    healed = HealthStore(tables).get("layout")
    assert healed is not None and healed.status is SourceHealthStatus.OK
    fault.behaviour = (
        f"degraded ({health.reason}); re-analysis queued a candidate with {candidate.items_candidate} "
        f"listings (running config: 0) beside v1; after approval v2 crawled {execution.items_scraped} "
        "listings, health ok"
    )
    fault.extra = {"candidate_fields": json.loads(json.dumps(candidate.fields))}
