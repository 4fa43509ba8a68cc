"""The source lifecycle: submit -> analyze -> approve -> active <-> paused (or reject).

Each status move is a conditional write in `SourceStore.transition`, so approving a source
that is not `analysis_complete` fails clearly, and two admins cannot both approve. The web
app and the CLI both call these functions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from famact.config_file import load_config_file
from famact.constants import Priority, SourceStatus, SourceType
from famact.keys import slugify
from famact.models import ScheduleSlot, SourceAnalysis, SourceConfig, SourceSubmission
from famact.store.dynamo import Tables
from famact.store.errors import ConflictError, NotFound
from famact.store.health import HealthStore
from famact.store.operations import OperationsStore
from famact.store.sources import SourceStore
from famact.urls import check_public_url

Progress = Callable[[str], None]

# Statuses from which `sources analyze` moves the source through `analyzing`.
ANALYZABLE = (
    SourceStatus.PENDING_ANALYSIS,
    SourceStatus.ANALYSIS_COMPLETE,
    SourceStatus.FAILED,
    SourceStatus.REJECTED,
)


def _quiet(_: str) -> None:
    return None


def submit_source(
    tables: Tables,
    *,
    name: str,
    url: str,
    source_type: str | SourceType = SourceType.OTHER,
    priority: str | Priority = Priority.MEDIUM,
    hint_urls: list[str] | None = None,
    notes: str | None = None,
    source_id: str | None = None,
    submitted_by: str | None = None,
) -> SourceSubmission:
    """Validate and store a new source (`pending_analysis`). Refuses non-http(s) URLs,
    private addresses (unless FAMACT_ALLOW_PRIVATE_URLS=1) and a base URL already submitted."""
    check_public_url(url)
    for hint in hint_urls or []:
        check_public_url(hint)
    source_id = source_id or slugify(name, 60)
    if not source_id:
        raise ValueError(f"name: cannot make a source id from {name!r}; pass --id")
    submission = SourceSubmission(
        source_id=source_id,
        source_name=name.strip(),
        base_url=url.strip(),
        source_type=SourceType(source_type),
        priority=Priority(priority),
        hint_urls=list(hint_urls or []),
        notes=notes,
        submitted_by=submitted_by,
        submitted_at=datetime.now(UTC),
    )
    return SourceStore(tables).submit(submission)


def list_sources(tables: Tables, *, status: str | SourceStatus | None = None) -> list[dict[str, Any]]:
    """Sources by status through status-priority-index (high priority first)."""
    store = SourceStore(tables)
    statuses = [SourceStatus(status)] if status else list(SourceStatus)
    rows: list[dict[str, Any]] = []
    for st in statuses:
        cursor = None
        while True:
            page = store.list_by_status(st, limit=100, cursor=cursor)
            rows.extend(page.items)
            cursor = page.cursor
            if not cursor:
                break
    return [
        {
            "source_id": r.get("source_id"),
            "status": r.get("status"),
            "priority": r.get("priority"),
            "source_name": r.get("source_name"),
            "base_url": r.get("base_url"),
        }
        for r in rows
    ]


def _require(store: SourceStore, source_id: str) -> SourceSubmission:
    submission = store.get(source_id)
    if submission is None:
        raise NotFound("source", source_id)
    return submission


def show_source(tables: Tables, source_id: str) -> dict[str, Any]:
    store = SourceStore(tables)
    submission = _require(store, source_id)
    analysis = store.get_analysis(source_id)
    config = store.get_config(source_id)
    executions = OperationsStore(tables).list_executions(source_id, limit=5)
    result: dict[str, Any] = {"submission": submission.model_dump(mode="json")}
    if analysis is not None:
        summary = analysis.model_dump(mode="json", exclude={"proposed_config", "extraction_results"})
        summary["sample_items"] = summary["sample_items"][:5]
        result["analysis"] = summary
    result["config"] = config.model_dump(mode="json", exclude_none=True) if config else None
    result["config_versions"] = store.config_versions(source_id)
    result["executions"] = [e.model_dump(mode="json") for e in executions]
    health = HealthStore(tables).get(source_id)
    result["health"] = health.model_dump(mode="json", exclude={"recent"}) if health else None
    return result


def analyze_source(
    tables: Tables, source_id: str, *, use_llm: bool = True, progress: Progress = _quiet
) -> SourceAnalysis:
    """Analyze a submitted source, store the ANALYSIS row and move it to analysis_complete
    (or failed, with the reason). An active or paused source is re-analyzed without touching
    its status or its approved config; an analysis without a working config never replaces
    one with."""
    from analyzers.analyze import analyze

    store = SourceStore(tables)
    submission = _require(store, source_id)
    moves = submission.status in ANALYZABLE
    if moves:
        store.transition(source_id, SourceStatus.ANALYZING, expected=ANALYZABLE)
    try:
        analysis = analyze(
            submission.base_url,
            source_id=source_id,
            source_name=submission.source_name,
            hint_urls=submission.hint_urls,
            use_llm=use_llm,
            progress=progress,
        )
    except Exception as exc:
        if moves:
            store.transition(
                source_id, SourceStatus.FAILED, expected=SourceStatus.ANALYZING, reason=str(exc)[:1000]
            )
        raise
    if analysis.proposed_config is not None or not _has_working_analysis(store, source_id):
        store.put_analysis(analysis)
    if moves:
        if analysis.proposed_config is not None:
            store.transition(source_id, SourceStatus.ANALYSIS_COMPLETE, expected=SourceStatus.ANALYZING)
        else:
            reason = "; ".join(analysis.issues[:3]) or "no working config found"
            store.transition(source_id, SourceStatus.FAILED, expected=SourceStatus.ANALYZING, reason=reason)
    return analysis


def _has_working_analysis(store: SourceStore, source_id: str) -> bool:
    """A re-analysis that found nothing (a site or LLM fault, often passing) must not replace
    the stored analysis that proposed a config: it is what the approved config came from and
    what `approve` reads. The failure still shows in the report and the status reason."""
    previous = store.get_analysis(source_id)
    return previous is not None and previous.proposed_config is not None


def analyze_url(
    url: str,
    *,
    hint_urls: list[str] | None = None,
    use_llm: bool = True,
    name: str | None = None,
    progress: Progress = _quiet,
) -> SourceAnalysis:
    """`famact analyze URL`: the same pipeline with no database."""
    from urllib.parse import urlsplit

    from analyzers.analyze import analyze

    check_public_url(url)
    for hint in hint_urls or []:
        check_public_url(hint)
    host = urlsplit(url).hostname or "source"
    source_name = name or host
    source_id = slugify(name or host.removeprefix("www."), 60) or "source"
    return analyze(
        url,
        source_id=source_id,
        source_name=source_name,
        hint_urls=list(hint_urls or []),
        use_llm=use_llm,
        progress=progress,
    )


def approve_source(
    tables: Tables,
    source_id: str,
    *,
    config_file: str | Path | None = None,
    approved_by: str = "admin",
    progress: Progress = _quiet,
    config: SourceConfig | None = None,
) -> SourceConfig:
    """Write the analyzed (or an edited, re-tested) config as version n+1, set the source
    active and schedule its first crawl now. An edited config comes as a file or, from the
    admin dashboard, as `config`."""
    store = SourceStore(tables)
    submission = _require(store, source_id)
    running = submission.status in (SourceStatus.ACTIVE, SourceStatus.PAUSED)
    if running and config_file is None and config is None:
        return approve_candidate(tables, source_id, approved_by=approved_by)
    if submission.status is not SourceStatus.ANALYSIS_COMPLETE:
        raise ConflictError(
            f"status: {source_id} is {submission.status.value}, not analysis_complete: analyze it first"
        )
    if config_file is not None:
        config = load_config_file(config_file)
    if config is not None:
        _retest_edited(config, source_id, progress)
    else:
        analysis = store.get_analysis(source_id)
        if analysis is None or analysis.proposed_config is None:
            raise ConflictError(f"analysis: {source_id} has no proposed config")
        config = analysis.proposed_config
    config = config.model_copy(update={"source_id": source_id, "source_name": submission.source_name})
    saved = store.put_config(config, approved_by=approved_by)
    try:
        store.transition(source_id, SourceStatus.ACTIVE, expected=SourceStatus.ANALYSIS_COMPLETE)
    except ConflictError as exc:
        # Another writer moved the status after the check above (no transactions on
        # dynalite): take the config back, so the source is left exactly as they left it.
        store.withdraw_config(source_id, saved.version)
        actual = getattr(exc.actual, "value", exc.actual)
        raise ConflictError(
            f"status: {source_id} became {actual} while it was being approved; approval undone",
            expected=SourceStatus.ANALYSIS_COMPLETE,
            actual=exc.actual,
        ) from None
    OperationsStore(tables).put_slot(
        ScheduleSlot(
            source_id=source_id,
            next_run_at=datetime.now(UTC),
            priority=submission.priority,
            frequency=saved.scraping_config.frequency,
        )
    )
    return saved


def _retest_edited(config: SourceConfig, source_id: str, progress: Progress) -> None:
    """An edited config is run on freshly fetched pages (the analysis' trial) before it is
    stored: one that finds nothing is refused with the trial's issues."""
    from analyzers.analyze import retest_config

    if config.source_id != source_id:
        raise ValueError(f"config.source_id: {config.source_id!r} is not {source_id!r}")
    result = retest_config(config, progress=progress)
    if result.item_count == 0:
        raise ValueError(
            "config: the edited config found no listings when test-run; " + "; ".join(result.issues[:3])
        )


def replace_config(
    tables: Tables,
    source_id: str,
    config: SourceConfig,
    *,
    approved_by: str = "admin",
    progress: Progress = _quiet,
) -> SourceConfig:
    """An edited config for a source that already runs (active or paused): test-run, then
    stored as version n+1; the next crawl uses it. Status and schedule are left alone."""
    store = SourceStore(tables)
    submission = _require(store, source_id)
    if submission.status not in (SourceStatus.ACTIVE, SourceStatus.PAUSED):
        raise ConflictError(
            f"status: {source_id} is {submission.status.value}: only an active or paused source's "
            "config is replaced (approve an analysed one)"
        )
    _retest_edited(config, source_id, progress)
    config = config.model_copy(update={"source_id": source_id, "source_name": submission.source_name})
    return store.put_config(config, approved_by=approved_by)


def request_crawl(tables: Tables, source_id: str) -> ScheduleSlot:
    """Make an active source due now: the orchestrator's next pass starts its crawl on scrapyd
    (the slot keeps its frequency and failure count). Refused while a crawl of it runs."""
    store = SourceStore(tables)
    submission = _require(store, source_id)
    if submission.status is not SourceStatus.ACTIVE:
        raise ConflictError(f"status: {source_id} is {submission.status.value}, not active: nothing to crawl")
    operations = OperationsStore(tables)
    slot = operations.get_slot(source_id)
    if slot is not None and slot.job_id:
        raise ConflictError(f"schedule: a crawl of {source_id} is already running (job {slot.job_id})")
    now = datetime.now(UTC)
    if slot is None:
        config = store.get_config(source_id)
        slot = ScheduleSlot(source_id=source_id, next_run_at=now, priority=submission.priority)
        if config is not None:
            slot.frequency = config.scraping_config.frequency
    return operations.put_slot(slot.model_copy(update={"next_run_at": now}))


def approve_candidate(tables: Tables, source_id: str, *, approved_by: str = "admin") -> SourceConfig:
    """Replace a running source's config with the candidate its self-repair queued (the HEALTH
    row shows the difference); the source is crawled with it at the next pass."""
    health = HealthStore(tables).get(source_id)
    if health is None or health.candidate is None:
        raise ConflictError(f"candidate: {source_id} is already approved and has no candidate config waiting")
    candidate = health.candidate
    store = SourceStore(tables)
    current = store.get_config(source_id)
    stale = candidate.running_version is not None and current is not None
    if stale and current is not None and current.version != candidate.running_version:
        raise ConflictError(
            f"candidate: it was found beside config v{candidate.running_version}, but v{current.version} "
            "runs now; re-analyse the source"
        )
    HealthStore(tables).clear_candidate(source_id, candidate.found_at)  # of two approvers, one wins
    saved = store.put_config(candidate.config, approved_by=approved_by)
    operations = OperationsStore(tables)
    slot = operations.get_slot(source_id)
    if slot is not None and not slot.job_id:
        operations.put_slot(slot.model_copy(update={"next_run_at": datetime.now(UTC)}))
    return saved


def reject_source(tables: Tables, source_id: str, *, reason: str) -> SourceSubmission:
    if not reason.strip():
        raise ValueError("reason: a rejection needs a reason")
    return SourceStore(tables).transition(
        source_id,
        SourceStatus.REJECTED,
        expected=(SourceStatus.PENDING_ANALYSIS, SourceStatus.ANALYSIS_COMPLETE, SourceStatus.FAILED),
        reason=reason.strip(),
    )


def pause_source(tables: Tables, source_id: str) -> SourceStatus:
    return SourceStore(tables).transition(source_id, SourceStatus.PAUSED, expected=SourceStatus.ACTIVE).status


def resume_source(tables: Tables, source_id: str) -> SourceStatus:
    """Active again, and due now: the schedule's failure count and pause flag are cleared."""
    store = SourceStore(tables)
    status = store.transition(source_id, SourceStatus.ACTIVE, expected=SourceStatus.PAUSED).status
    operations = OperationsStore(tables)
    slot = operations.get_slot(source_id)
    if slot is None:
        submission, config = _require(store, source_id), store.get_config(source_id)
        slot = ScheduleSlot(source_id=source_id, next_run_at=datetime.now(UTC), priority=submission.priority)
        if config is not None:
            slot.frequency = config.scraping_config.frequency
    if not slot.job_id:  # a job still being followed keeps its slot as it is
        operations.put_slot(
            slot.model_copy(
                update={"next_run_at": datetime.now(UTC), "consecutive_failures": 0, "paused_reason": None}
            )
        )
    return status


def format_quality_report(analysis: SourceAnalysis) -> str:
    """The analysis as a short readable report (CLI and logs)."""
    lines = [
        f"analysis of {analysis.source_id} ({analysis.method.value}"
        + (f", {analysis.model}" if analysis.model else "")
        + f", {analysis.attempts} attempt(s), {analysis.tokens_used} tokens)",
        f"  quality score: {analysis.quality_score:.2f}   listings found: {analysis.item_count}",
    ]
    if analysis.field_completeness:
        fields = ", ".join(
            f"{k} {v:.0%}" for k, v in sorted(analysis.field_completeness.items(), key=lambda kv: -kv[1])
        )
        lines.append(f"  field completeness: {fields}")
    by_type: dict[str, int] = {}
    for item in analysis.sample_items:
        by_type[str(item.get("entity_type"))] = by_type.get(str(item.get("entity_type")), 0) + 1
    if by_type:
        lines.append("  sample types: " + ", ".join(f"{k} {v}" for k, v in sorted(by_type.items())))
    for item in analysis.sample_items[:5]:
        when = item.get("start_date") or "ongoing"
        lines.append(f"    - [{item.get('entity_type')}] {item.get('name')} ({when})")
    for issue in analysis.issues[:8]:
        lines.append(f"  issue: {issue}")
    for rec in analysis.recommendations[:5]:
        lines.append(f"  recommendation: {rec}")
    if analysis.proposed_config is None:
        lines.append("  no working config was found")
    return "\n".join(lines)
