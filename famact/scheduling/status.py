"""`famact schedule status`: what is due and running per node, and each source's record.

Everything comes from key lookups and equality queries: due slots from next-run-index, the
nodes from daemonstatus, each active or paused source's last 30 days from its METRICS rows,
its last success from source-execution-index, its health from its HEALTH row and its failure
count / pause flag from its schedule slot.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from famact.constants import TIMEZONE, ExecutionOutcome, SourceStatus
from famact.scheduling.orchestrator import SUCCESSFUL
from famact.scheduling.scrapyd import ScrapydClient, ScrapydError
from famact.store.health import HealthStore
from famact.store.operations import OperationsStore, as_utc
from famact.store.sources import SourceStore

WINDOW_DAYS = 30
RECENT_EXECUTIONS = 20  # per source, enough to find the last success in a normal month


def source_health(
    operations: OperationsStore, source_id: str, now: datetime, health: HealthStore | None = None
) -> dict[str, Any]:
    """Success rate over the window, items per run, the last success and the health of one
    source (`health` None: the health columns are left out)."""
    today = as_utc(now).astimezone(TIMEZONE).date()
    metrics = operations.get_metrics(source_id, today - timedelta(days=WINDOW_DAYS - 1), today)
    runs = sum(m.executions for m in metrics)
    successes = sum(m.successes for m in metrics)
    items = sum(m.items_scraped for m in metrics)
    recent = operations.list_executions(source_id, limit=RECENT_EXECUTIONS)
    last_success = next(
        (e.finished_at for e in recent if ExecutionOutcome(e.outcome) in SUCCESSFUL and e.finished_at), None
    )
    row: dict[str, Any] = {
        "source_id": source_id,
        "runs_30d": runs,
        "success_rate": round(successes / runs, 3) if runs else None,
        "items_per_run": round(items / runs, 1) if runs else None,
        "last_success": last_success.isoformat() if last_success else None,
        "last_outcome": recent[0].outcome if recent else None,
    }
    if health is not None:
        record = health.get(source_id)
        slot = operations.get_slot(source_id)
        row["health"] = record.status.value if record else None
        row["health_reason"] = record.reason if record else None
        row["candidate"] = (
            f"{record.candidate.items_candidate} vs {record.candidate.items_running} listings"
            if record and record.candidate
            else None
        )
        row["failures_in_a_row"] = slot.consecutive_failures if slot else None
        row["next_run"] = slot.next_run_at.isoformat() if slot else None
        row["paused"] = slot.paused_reason if slot else None
    return row


def schedule_status(
    operations: OperationsStore,
    sources: SourceStore,
    scrapyd: ScrapydClient | None,
    now: datetime,
    *,
    max_sources: int = 200,
) -> dict[str, Any]:
    due = operations.due_slots(now)
    nodes: list[dict[str, Any]] = []
    for node in scrapyd.nodes if scrapyd is not None else []:
        assert scrapyd is not None
        row: dict[str, Any] = {"node": node}
        try:
            status = scrapyd.daemon_status(node)
            row.update(
                reachable=True, pending=status.pending, running=status.running, finished=status.finished
            )
        except ScrapydError as exc:
            row.update(reachable=False, error=exc.reason)
        row["following"] = sorted(s.source_id for s in due if s.job_node == node)
        nodes.append(row)
    listed = [
        row
        for status in (SourceStatus.ACTIVE, SourceStatus.PAUSED)
        for row in sources.list_by_status(status, limit=max_sources).items
    ][:max_sources]
    health = HealthStore(sources.tables)
    return {
        "due": [s.source_id for s in due if not s.job_id],
        "running": [
            {
                "source_id": s.source_id,
                "node": s.job_node,
                "job_id": s.job_id,
                "execution_id": s.job_execution_id,
            }
            for s in due
            if s.job_id
        ],
        "nodes": nodes,
        "sources": [
            {**source_health(operations, str(row["source_id"]), now, health), "status": row.get("status")}
            for row in listed
        ],
    }
