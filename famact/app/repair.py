"""Self-repair of a degraded source: re-run the analysis on the current pages and queue the
config it proposes beside the approved one, with the difference in listings and fields.

The approved config keeps running until the admin approves the candidate
(`famact sources approve ID`, see workflow.approve_source). The candidate is queued only when
it finds more listings on the current pages than the approved config does on the same site
now; when both find as few, the site itself lists fewer (out of season, or a real decline):
the drop is accepted into the baseline instead of flagging the source forever.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from famact.constants import SourceHealthStatus
from famact.models import ConfigCandidate, Execution, SourceAnalysis, SourceConfig, SourceHealth
from famact.scheduling import health as monitor
from famact.scheduling.health import HealthMonitor
from famact.store.dynamo import Tables
from famact.store.health import HealthStore
from famact.store.sources import SourceStore

if TYPE_CHECKING:
    from analyzers.analyze import ConfigTestResult

logger = logging.getLogger(__name__)


class SourceRepair:
    """The `Repair` step of HealthMonitor, wired to the analyzers."""

    def __init__(
        self, tables: Tables, *, use_llm: bool = True, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.tables = tables
        self.use_llm = use_llm
        self.clock = clock or (lambda: datetime.now(UTC))

    def __call__(self, health: SourceHealth, execution: Execution) -> SourceHealth:
        from analyzers.analyze import retest_config
        from famact.app.workflow import analyze_source

        source_id = health.source_id
        running = SourceStore(self.tables).get_config(source_id)
        if running is None:
            return health.model_copy(update={"repair_note": "no approved config to compare with"})
        logger.info("source %s is degraded (%s): re-analysing its current pages", source_id, health.reason)
        analysis = analyze_source(self.tables, source_id, use_llm=self.use_llm)
        now_result = retest_config(running)
        proposed = analysis.proposed_config
        found = analysis.item_count if proposed is not None else 0
        running_now = now_result.item_count
        note = f"re-analysis of the current pages finds {found} listings, the approved config {running_now}"
        # Fields the crawl lost that the approved config still fills on the current pages, or
        # that the proposed config would fill.
        lost = health.field_drops
        running_fills = all(
            now_result.field_completeness.get(f, 0.0) >= monitor.FIELD_DROP_SHARE * b
            for f, (b, _) in lost.items()
        )
        proposed_fills = bool(lost) and all(
            analysis.field_completeness.get(f, 0.0) >= monitor.FIELD_DROP_SHARE * b
            for f, (b, _) in lost.items()
        )
        usual_items = health.baseline_items or 0.0
        if proposed is not None and (
            monitor.clear_drop(running_now, found)
            or (proposed_fills and not running_fills and not monitor.clear_drop(found, running_now))
        ):
            return self._candidate(health, analysis, now_result, running)
        if running_now > 0 and not monitor.clear_drop(running_now, usual_items) and running_fills:
            # The approved config works on the pages as they are now: the crawl met a passing
            # fault (a half-served site). Not a new normal either: the crawl stays out of the baseline.
            note += ": the approved config works on the current pages, the drop did not last"
            reason = f"{health.reason}; {note}"
            return health.model_copy(
                update={
                    "status": SourceHealthStatus.OK,
                    "reason": reason,
                    "repair_note": note,
                    "degraded_since": None,
                }
            )
        if lost:  # fields lost on listings still there: not a seasonal drop
            return health.model_copy(update={"repair_note": f"{note}; no better config, fields still lost"})
        note += ": the site lists fewer now (out of season, or a real drop)"
        accepted = monitor.add_sample(health, execution)
        return accepted.model_copy(
            update={
                "status": SourceHealthStatus.OK,
                "reason": f"{health.reason}; {note}",
                "repair_note": note,
                "degraded_since": None,
            }
        )

    def _candidate(
        self,
        health: SourceHealth,
        analysis: SourceAnalysis,
        now_result: ConfigTestResult,
        running: SourceConfig,
    ) -> SourceHealth:
        source_id = health.source_id
        proposed = analysis.proposed_config
        assert proposed is not None
        usual = monitor.baseline_coverage(monitor.baseline(health, self.clock()))
        names = sorted(set(usual) | set(now_result.field_completeness) | set(analysis.field_completeness))
        candidate = ConfigCandidate(
            # What to extract is new; how to crawl (rate limit, frequency, page cap, robots)
            # stays as the admin approved it.
            config=proposed.model_copy(
                update={
                    "source_id": source_id,
                    "source_name": running.source_name,
                    "scraping_config": running.scraping_config,
                }
            ),
            found_at=self.clock(),
            running_version=running.version,
            items_baseline=health.baseline_items or 0.0,
            items_running=now_result.item_count,
            items_candidate=analysis.item_count,
            fields={
                n: [
                    usual.get(n, 0.0),
                    now_result.field_completeness.get(n, 0.0),
                    analysis.field_completeness.get(n, 0.0),
                ]
                for n in names
            },
            analysis_method=analysis.method,
        )
        note = (
            f"candidate config queued for approval: {candidate.items_candidate} listings on the current "
            f"pages, the approved config v{running.version} {candidate.items_running}"
        )
        logger.info("source %s: %s", source_id, note)
        return health.model_copy(update={"candidate": candidate, "repair_note": note})


def health_monitor(tables: Tables, *, use_llm: bool = True, repair: bool = True) -> HealthMonitor:
    """The orchestrator's after-crawl hook, with self-repair through the analyzers."""
    return HealthMonitor(
        HealthStore(tables),
        repair=SourceRepair(tables, use_llm=use_llm) if repair else None,
        clock=lambda: datetime.now(UTC),
    )
