"""The orchestrator against a REAL scrapyd on 127.0.0.1 (started by `LocalScrapyd`, the code
`famact local up` runs, in a temp FAMACT_HOME), the test dynalite, and a fixture site on
loopback: deploy the egg, schedule, follow the job to its end, check the EXECUTION row and the
entities; plus the faults: a node down, a node answering 500, two orchestrators at once, an
orchestrator killed holding its lease, and a job killed mid-crawl.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from famact.app.scrapyd_local import LocalScrapyd
from famact.constants import ExecutionOutcome, Frequency, Priority
from famact.models import ScheduleSlot, SourceSubmission
from famact.scheduling.orchestrator import Orchestrator
from famact.scheduling.scrapyd import ScrapydClient, ScrapydError
from famact.scheduling.status import schedule_status, source_health
from famact.settings import Settings
from famact.store.dynamo import Tables, connect, create_tables
from famact.store.operations import OperationsStore
from famact.store.sources import SourceStore
from tests.conftest import free_port
from tests.support.clocks import ShiftedClock
from tests.support.site_server import SiteServer, load_site

pytestmark = pytest.mark.integration
PREFIX = f"sch{uuid.uuid4().hex[:8]}-"
WAIT_S = 120.0  # upper bound for a job to finish; the loop returns as soon as it has


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[Any, SiteServer]]:
    fixture = load_site("camp-directory")
    with SiteServer(fixture.dir) as server:
        yield fixture, server


@pytest.fixture(scope="module")
def scrapyd(
    tmp_path_factory: pytest.TempPathFactory, dynalite_endpoint: str, site: tuple[Any, SiteServer]
) -> Iterator[LocalScrapyd]:
    """One real scrapyd for the module; its spiders inherit the test dynalite and prefix."""
    env = {
        "AWS_ENDPOINT_URL_DYNAMODB": dynalite_endpoint,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-west-2",
        "FAMACT_TABLE_PREFIX": PREFIX,
        "FAMACT_ALLOW_PRIVATE_URLS": "1",
        "FAMACT_TODAY": site[0].meta["today"],
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        mp.delenv("FAMACT_SCRAPYD_PORT", raising=False)
        server = LocalScrapyd(tmp_path_factory.mktemp("famact-home"), port=free_port(), max_proc=2)
        server.up()
        try:
            yield server  # the environment stays set: a restarted scrapyd needs it too
        finally:
            _stop(server)


@pytest.fixture(scope="module")
def tables(dynalite_endpoint: str) -> Tables:
    settings = Settings(table_prefix=PREFIX, dynamodb_endpoint=dynalite_endpoint, aws_region="us-west-2")
    tables = connect(settings)
    create_tables(tables.client, PREFIX)
    return tables


def _stop(server: LocalScrapyd) -> None:
    """down(), and SIGTERM to the pid this test started if down() no longer finds it.

    The pid file used to vanish while scrapyd ran (LocalScrapyd._start read it before the child
    had exec'd; fixed); kept so that a regression never leaks a scrapyd from the test run."""
    pid = server.started_pid
    if not server.down() and pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)


def _add_source(
    tables: Tables, site: tuple[Any, SiteServer], source_id: str, *, requests_per_minute: int = 6000
) -> None:
    fixture, server = site
    sources = SourceStore(tables)
    base = f"{server.url}/{source_id}/"  # a distinct base URL per source (one claim per URL)
    sources.submit(
        SourceSubmission(
            source_id=source_id,
            source_name=f"Fixture {source_id}",
            base_url=base,
            submitted_at=datetime.now(UTC),
        )
    )
    config = fixture.config(server.url)
    scraping = config.scraping_config
    rate = scraping.rate_limit.model_copy(update={"requests_per_minute": requests_per_minute})
    config = config.model_copy(
        update={
            "source_id": source_id,
            "scraping_config": scraping.model_copy(update={"rate_limit": rate}),
        }
    )
    sources.put_config(config)
    OperationsStore(tables).put_slot(
        ScheduleSlot(
            source_id=source_id,
            next_run_at=datetime.now(UTC) - timedelta(minutes=1),
            priority=Priority.HIGH,
            frequency=Frequency.DAILY,
        )
    )


def _until_finished(orchestrator: Orchestrator, source_id: str) -> str:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        report = orchestrator.run_once()
        assert not [e for e in report.errors if e.startswith(source_id)], report.errors
        if source_id in report.finished:
            return report.finished[source_id]
        time.sleep(0.5)
    raise AssertionError(f"{source_id}: job did not finish in {WAIT_S}s")


class _Answers500(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(500)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def broken_node() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _Answers500)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_due_source_runs_on_scrapyd_to_completion(
    scrapyd: LocalScrapyd, tables: Tables, site: tuple[Any, SiteServer], broken_node: str
) -> None:
    _add_source(tables, site, "camps")
    down = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    client = ScrapydClient([down, broken_node, scrapyd.url], auth=scrapyd.credentials())
    assert [s.node for s in client.reachable()] == [scrapyd.url]
    operations = OperationsStore(tables)
    orchestrator = Orchestrator(operations, client, holder="orch-a")

    first = orchestrator.run_once()
    assert first.started == ["camps"]
    slot = operations.get_slot("camps")
    assert slot is not None and slot.job_node == scrapyd.url and slot.lease_holder == "orch-a"
    execution, _ = operations.get_execution(slot.job_execution_id or "")
    assert execution.outcome in (ExecutionOutcome.QUEUED, ExecutionOutcome.RUNNING)

    assert _until_finished(orchestrator, "camps") == ExecutionOutcome.SUCCESS
    execution, _ = operations.get_execution(slot.job_execution_id or "")
    assert execution.outcome is ExecutionOutcome.SUCCESS and execution.items_scraped > 0
    assert SourceStore(tables).linked_entities("camps")
    after = operations.get_slot("camps")
    assert after is not None and after.job_id is None and after.lease_holder is None
    assert after.last_execution_id == execution.execution_id
    assert after.next_run_at > datetime.now(UTC) + timedelta(hours=17)  # daily x high priority: 18 h
    # Not due any more: the next pass leaves it alone.
    assert "camps" not in orchestrator.run_once().started

    report = schedule_status(operations, SourceStore(tables), client, datetime.now(UTC))
    nodes = {n["node"]: n for n in report["nodes"]}
    assert nodes[scrapyd.url]["reachable"] is True and nodes[scrapyd.url]["finished"] >= 1
    assert nodes[down]["reachable"] is False and "ConnectError" in nodes[down]["error"]
    assert nodes[broken_node]["reachable"] is False and "HTTP 500" in nodes[broken_node]["error"]
    # The fixture sources are never made active, so `camps` is asked for directly.
    health = source_health(operations, "camps", datetime.now(UTC))
    assert health["runs_30d"] == 1 and health["success_rate"] == 1.0
    assert health["items_per_run"] == execution.items_scraped
    assert execution.finished_at and health["last_success"] == execution.finished_at.isoformat()


def test_no_reachable_node_is_an_error_line_not_a_crash(store_tables: Tables, broken_node: str) -> None:
    operations = OperationsStore(store_tables)
    operations.put_slot(ScheduleSlot(source_id="nowhere", next_run_at=datetime.now(UTC)))
    client = ScrapydClient([broken_node], auth=("x", "y"))
    with pytest.raises(ScrapydError, match="HTTP 500"):
        client.daemon_status(broken_node)
    report = Orchestrator(operations, client, holder="orch-x").run_once()
    assert any("nowhere" in line and "no node reachable" in line for line in report.errors)
    slot = operations.get_slot("nowhere")
    assert slot is not None and slot.lease_holder is None and slot.job_id is None  # retried next pass


def test_two_orchestrators_start_a_due_source_once(
    scrapyd: LocalScrapyd, tables: Tables, site: tuple[Any, SiteServer]
) -> None:
    _add_source(tables, site, "twice")
    operations = OperationsStore(tables)
    reports: list[Any] = []
    barrier = threading.Barrier(2)

    def one_pass(holder: str) -> None:
        orchestrator = Orchestrator(
            OperationsStore(tables), ScrapydClient([scrapyd.url], auth=scrapyd.credentials()), holder=holder
        )
        barrier.wait()
        reports.append(orchestrator.run_once())

    threads = [threading.Thread(target=one_pass, args=(h,)) for h in ("orch-1", "orch-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(r.started.count("twice") for r in reports) == 1
    slot = operations.get_slot("twice")
    assert slot is not None and slot.lease_holder in ("orch-1", "orch-2")
    winner = Orchestrator(
        operations, ScrapydClient([scrapyd.url], auth=scrapyd.credentials()), holder=slot.lease_holder
    )
    assert _until_finished(winner, "twice") == ExecutionOutcome.SUCCESS


def test_a_killed_orchestrator_lease_expires_and_another_follows_the_job(
    scrapyd: LocalScrapyd, tables: Tables, site: tuple[Any, SiteServer]
) -> None:
    _add_source(tables, site, "orphan")
    clock = ShiftedClock()
    operations = OperationsStore(tables, clock=clock)
    client = ScrapydClient([scrapyd.url], auth=scrapyd.credentials())
    dead = Orchestrator(operations, client, holder="orch-dead", lease_seconds=60)
    assert dead.run_once().started == ["orphan"]
    job = operations.get_slot("orphan")
    assert job is not None
    # orch-dead is never called again. While its lease lasts nobody else touches the source.
    heir = Orchestrator(operations, client, holder="orch-heir", lease_seconds=60)
    assert "orphan" in heir.run_once().skipped
    clock.offset = timedelta(seconds=61)
    assert _until_finished(heir, "orphan") == ExecutionOutcome.SUCCESS
    slot = operations.get_slot("orphan")
    # The heir followed the same job; it did not start a second one.
    assert slot is not None and slot.last_execution_id == job.job_execution_id


def test_a_job_killed_mid_crawl_ends_failed(
    scrapyd: LocalScrapyd, tables: Tables, site: tuple[Any, SiteServer]
) -> None:
    _add_source(tables, site, "killed", requests_per_minute=30)  # slow: killed mid-crawl
    operations = OperationsStore(tables)
    client = ScrapydClient([scrapyd.url], auth=scrapyd.credentials())
    orchestrator = Orchestrator(operations, client, holder="orch-k")
    assert orchestrator.run_once().started == ["killed"]
    slot = operations.get_slot("killed")
    assert slot is not None and slot.job_id
    deadline = time.monotonic() + WAIT_S
    pid = None
    while pid is None and time.monotonic() < deadline:
        body = client._call(scrapyd.url, "GET", "listjobs.json", project="famact")
        pid = next((j.get("pid") for j in body["running"] if j["id"] == slot.job_id), None)
        finished = any(j["id"] == slot.job_id for j in body["finished"])
        if finished:
            pytest.fail("the crawl finished before it could be killed")
        time.sleep(0.05)
    assert pid is not None
    # Wait for the spider to open (the row leaves `queued`), then kill it without warning.
    while operations.get_execution(slot.job_execution_id or "")[0].outcome is ExecutionOutcome.QUEUED:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(int(pid), signal.SIGKILL)
    assert _until_finished(orchestrator, "killed") == ExecutionOutcome.FAILED
    execution, _ = operations.get_execution(slot.job_execution_id or "")
    assert execution.outcome is ExecutionOutcome.FAILED and "killed" in (execution.finish_reason or "")
    after = operations.get_slot("killed")
    assert after is not None and after.consecutive_failures == 1
    health = source_health(operations, "killed", datetime.now(UTC))
    assert health["runs_30d"] == 1 and health["success_rate"] == 0.0 and health["last_success"] is None


def test_job_history_survives_a_scrapyd_restart(
    scrapyd: LocalScrapyd, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On its own scrapyd (own home and port), so the restart touches no other test's jobs."""
    server = LocalScrapyd(tmp_path_factory.mktemp("restart-home"), port=free_port(), max_proc=1)
    server.up()
    try:
        client = ScrapydClient([server.url], auth=server.credentials())
        job_id = client.schedule_on(server.url, source_id="no-such-source")  # ends at once, failed
        deadline = time.monotonic() + WAIT_S
        while client.list_jobs(server.url)[job_id].state != "finished":
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert server.down()
        server.up(deploy_code=False)
        assert client.list_jobs(server.url)[job_id].state == "finished"
    finally:
        _stop(server)
