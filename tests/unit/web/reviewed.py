"""A source as the admin review sees it: submitted, analysed (with sample items as the analyser
stores them), optionally approved with a different config, with a few executions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from famact.constants import AnalysisMethod, ExecutionOutcome, SourceStatus
from famact.models import Execution, FieldCheck, SourceAnalysis, SourceConfig, SourceSubmission
from famact.store.operations import OperationsStore
from famact.store.sources import SourceStore

NOW = datetime.now(UTC).replace(microsecond=0)


def config(source_id: str, item: str = ".event", **extra: Any) -> SourceConfig:
    return SourceConfig(
        source_id=source_id,
        source_name="Kids Museum",
        base_url=f"https://{source_id}.example.org/events",
        content_selectors={"container": item, "title": "h2", "date": ".when"},
        **extra,
    )


def analysis(source_id: str, proposed: SourceConfig | None, **extra: Any) -> SourceAnalysis:
    return SourceAnalysis(
        source_id=source_id,
        analyzed_at=NOW - timedelta(hours=1),
        method=AnalysisMethod.HEURISTICS,
        field_completeness={"title": 1.0, "date": 0.4, "price": 0.75},
        item_count=12,
        quality_score=0.63,
        checks=[
            FieldCheck(name="title_coverage", passed=True, value=1.0, threshold=0.95),
            FieldCheck(name="date_coverage", passed=False, value=0.4, threshold=0.5),
        ],
        issues=["only 40% of listings have a date"],
        recommendations=["add a hint URL for the calendar page"],
        sample_items=[
            {
                "entity_type": "EVENT",
                "name": "<script>alert('x')</script> Story Time",
                "start_date": "2026-03-03",
                "start_time": "10:30",
                "price_usd": 0,
                "min_age_months": 24,
                "max_age_months": 60,
                "venue_name": "Central Library",
                "url": "https://example.org/story",
            },
            {"entity_type": "PROGRAM", "name": "Art Camp", "days_of_week": ["monday", "tuesday"]},
        ],
        proposed_config=proposed,
        **extra,
    )


def reviewed_source(
    tables: Any,
    source_id: str = "kids-museum",
    *,
    status: SourceStatus = SourceStatus.ANALYSIS_COMPLETE,
    approved: SourceConfig | None = None,
    executions: int = 0,
) -> None:
    """Stores the source at `status` (through the allowed moves), its analysis proposing
    `config(source_id)`, `approved` as its CONFIG and `executions` crawls, the last one failed."""
    store = SourceStore(tables)
    store.submit(
        SourceSubmission(
            source_id=source_id,
            source_name="Kids Museum",
            base_url=f"https://{source_id}.example.org/",
            submitted_at=NOW - timedelta(days=2),
        )
    )
    store.put_analysis(analysis(source_id, config(source_id)))
    path = [SourceStatus.ANALYZING, SourceStatus.ANALYSIS_COMPLETE, SourceStatus.ACTIVE, SourceStatus.PAUSED]
    if status is SourceStatus.REJECTED:
        store.transition(source_id, status, expected=SourceStatus.PENDING_ANALYSIS, reason="not for families")
    elif status is not SourceStatus.PENDING_ANALYSIS:
        previous = SourceStatus.PENDING_ANALYSIS
        for step in path[: path.index(status) + 1]:
            store.transition(source_id, step, expected=previous)
            previous = step
    if approved is not None:
        store.put_config(approved, approved_by="admin")
    ops = OperationsStore(tables)
    for n in range(executions):
        started = NOW - timedelta(days=executions - n)
        last = n == executions - 1
        run = Execution(
            execution_id=f"{source_id}-{n}",
            source_id=source_id,
            started_at=started,
        )
        ops.start_execution(run)
        ops.finish_execution(
            run.model_copy(
                update={
                    "finished_at": started + timedelta(minutes=2),
                    "duration_s": 120.0,
                    "outcome": ExecutionOutcome.FAILED if last else ExecutionOutcome.SUCCESS,
                    "finish_reason": "site unreachable" if last else "finished",
                    "items_scraped": 0 if last else 10 + n,
                    "pages_crawled": 0 if last else 3,
                    "config_version": 1,
                }
            )
        )
