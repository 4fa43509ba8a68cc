"""`famact schedule status` per source: 30-day success rate, items per run, last success,
health, failures in a row and the pause flag (moto/dynalite + a fake scrapyd on loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from famact.app.workflow import pause_source
from famact.constants import ExecutionOutcome, SourceHealthStatus, SourceStatus
from famact.models import ConfigCandidate, Execution, ScheduleSlot, SourceConfig, SourceHealth
from famact.scheduling.scrapyd import ScrapydClient
from famact.scheduling.status import schedule_status
from famact.store.health import HealthStore
from famact.store.operations import OperationsStore
from famact.store.sources import SourceStore
from tests.support.fake_scrapyd import FakeScrapyd
from tests.unit.scheduling.test_orchestrator_adaptive import _active_source


@pytest.fixture
def node() -> Iterator[FakeScrapyd]:
    with FakeScrapyd() as fake:
        yield fake


def test_status_shows_each_sources_record_and_health(store_tables: Any, node: FakeScrapyd) -> None:
    now = datetime.now(UTC)
    ops = OperationsStore(store_tables)
    for source_id in ("good", "broken"):
        _active_source(store_tables, source_id)
    pause_source(store_tables, "broken")
    outcomes = {
        "good": [ExecutionOutcome.SUCCESS] * 9 + [ExecutionOutcome.FAILED],
        "broken": [ExecutionOutcome.FAILED] * 3,
    }
    for source_id, runs in outcomes.items():
        for k, outcome in enumerate(runs):
            started = now - timedelta(days=len(runs) - k)
            execution = Execution(
                execution_id=f"{source_id}-{k}", source_id=source_id, started_at=started,
                outcome=outcome, items_scraped=20 if outcome is ExecutionOutcome.SUCCESS else 0,
                finished_at=started + timedelta(minutes=2),
            )  # fmt: skip
            ops.queue_execution(execution.model_copy(update={"outcome": ExecutionOutcome.QUEUED}))
            ops.record_execution_metrics(ops.finish_execution(execution))
    old = now - timedelta(days=45)  # outside the 30-day window: not counted
    stale = Execution(
        execution_id="good-old", source_id="good", started_at=old, outcome=ExecutionOutcome.FAILED
    )
    ops.queue_execution(stale.model_copy(update={"outcome": ExecutionOutcome.QUEUED}))
    ops.record_execution_metrics(ops.finish_execution(stale))
    ops.put_slot(
        ScheduleSlot(source_id="broken", next_run_at=now, consecutive_failures=5, paused_reason="paused")
    )
    config = SourceConfig(source_id="broken", source_name="b", base_url="https://broken.example.org/")
    HealthStore(store_tables).put(
        SourceHealth(
            source_id="broken", status=SourceHealthStatus.DEGRADED, reason="0 listings, usually 20",
            candidate=ConfigCandidate(config=config, found_at=now, items_running=0, items_candidate=18),
        )
    )  # fmt: skip

    report = schedule_status(ops, SourceStore(store_tables), ScrapydClient([node.url]), now)
    rows = {r["source_id"]: r for r in report["sources"]}
    good, broken = rows["good"], rows["broken"]
    assert good["status"] == SourceStatus.ACTIVE and broken["status"] == SourceStatus.PAUSED
    assert good["runs_30d"] == 10 and good["success_rate"] == 0.9 and good["items_per_run"] == 18.0
    assert good["last_success"] == (now - timedelta(days=2) + timedelta(minutes=2)).isoformat()
    assert good["health"] is None and good["failures_in_a_row"] is None
    assert broken["success_rate"] == 0.0 and broken["last_success"] is None
    assert broken["health"] == "degraded" and broken["health_reason"] == "0 listings, usually 20"
    assert broken["candidate"] == "18 vs 0 listings" and broken["failures_in_a_row"] == 5
    assert broken["paused"] == "paused" and report["due"] == ["broken"]
    assert report["nodes"] == [
        {
            "node": node.url + "/",
            "reachable": True,
            "pending": 0,
            "running": 0,
            "finished": 0,
            "following": [],
        }
    ]
