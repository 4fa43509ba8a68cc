"""One source's review: what the admin dashboard shows and `famact sources show` prints.

Both read `load_review` and the small functions here, so the terminal and the web page say the
same thing about a source (its status, quality score, per-field completeness, issues, sample
items as the analysis stored them, the config, the candidate config and recent executions).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from famact.constants import ExecutionOutcome, SourceStatus
from famact.models import Execution, FieldCheck, SourceAnalysis, SourceConfig, SourceSubmission
from famact.store.dynamo import Tables
from famact.store.errors import NotFound
from famact.store.operations import OperationsStore
from famact.store.sources import SourceStore

RECENT_EXECUTIONS = 20
# Columns of a sample item, in the order a reviewer reads them.
SAMPLE_COLUMNS = (
    "entity_type",
    "name",
    "start_date",
    "end_date",
    "start_time",
    "days_of_week",
    "price_usd",
    "min_age_months",
    "max_age_months",
    "venue_name",
    "category",
    "status",
    "url",
)
# Fields that differ between any two stored versions and say nothing about what is crawled.
_BOOKKEEPING = frozenset({"version", "updated_at", "approved_by"})
_FINISHED = frozenset(
    {ExecutionOutcome.SUCCESS, ExecutionOutcome.PARTIAL, ExecutionOutcome.FAILED, ExecutionOutcome.CANCELLED}
)
_SUCCEEDED = frozenset({ExecutionOutcome.SUCCESS, ExecutionOutcome.PARTIAL})


@dataclass
class FieldShare:
    name: str
    share: float
    check: FieldCheck | None = None  # the analysis' named check on this field, when it has one

    @property
    def passed(self) -> bool | None:
        return None if self.check is None else self.check.passed

    @property
    def verdict(self) -> str:
        """`ok` or `below 95%`: how the field fared against its check's threshold."""
        if self.check is None or self.check.passed:
            return "ok"
        threshold = self.check.threshold
        return f"below {threshold:.0%}" if threshold is not None else "failed"


@dataclass
class SourceReview:
    submission: SourceSubmission
    analysis: SourceAnalysis | None
    config: SourceConfig | None  # the approved, running config
    config_versions: list[int]
    executions: list[Execution] = field(default_factory=list)  # newest first

    @property
    def status(self) -> SourceStatus:
        return self.submission.status

    @property
    def quality_score(self) -> float | None:
        return None if self.analysis is None else self.analysis.quality_score

    @property
    def completeness(self) -> list[FieldShare]:
        """Per-field completeness, best covered first; a field with a named check carries it."""
        if self.analysis is None:
            return []
        checks = {c.name.removesuffix("_coverage"): c for c in self.analysis.checks}
        shares = sorted(self.analysis.field_completeness.items(), key=lambda kv: (-kv[1], kv[0]))
        return [FieldShare(name, share, checks.get(name)) for name, share in shares]

    @property
    def sample_items(self) -> list[dict[str, Any]]:
        return [] if self.analysis is None else list(self.analysis.sample_items)

    @property
    def candidate(self) -> SourceConfig | None:
        """The config waiting for a decision: the analysis' proposal when it differs from the
        running config (there is no separate self-repair queue yet: a re-analysis of an active
        source stores its proposal in the analysis, beside the approved config)."""
        proposed = self.analysis.proposed_config if self.analysis else None
        if proposed is None:
            return None
        # As approving would store it: under the source's own id and name.
        sub = self.submission
        proposed = proposed.model_copy(update={"source_id": sub.source_id, "source_name": sub.source_name})
        if self.config is not None and not config_diff(self.config, proposed):
            return None
        return proposed

    @property
    def success_rate(self) -> float | None:
        finished = [e for e in self.executions if e.outcome in _FINISHED]
        if not finished:
            return None
        return sum(e.outcome in _SUCCEEDED for e in finished) / len(finished)


def load_review(tables: Tables, source_id: str, *, executions: int = RECENT_EXECUTIONS) -> SourceReview:
    """Four GetItem / Query calls by key: submission, analysis, config (+ versions), executions."""
    store = SourceStore(tables)
    submission = store.get(source_id)
    if submission is None:
        raise NotFound("source", source_id)
    return SourceReview(
        submission=submission,
        analysis=store.get_analysis(source_id),
        config=store.get_config(source_id),
        config_versions=store.config_versions(source_id),
        executions=OperationsStore(tables).list_executions(source_id, limit=executions),
    )


def config_json(config: SourceConfig) -> str:
    """The config as an admin edits it: indented JSON without the bookkeeping fields."""
    data = config.model_dump(mode="json", exclude_none=True, exclude=set(_BOOKKEEPING))
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)


def config_diff(running: SourceConfig, candidate: SourceConfig) -> list[str]:
    """Unified diff lines from the running config to the candidate (empty when they crawl the
    same way)."""
    before = config_json(running).splitlines()
    after = config_json(candidate).splitlines()
    return list(difflib.unified_diff(before, after, "running", "candidate", n=2, lineterm=""))


def _selector(spec: Any) -> str:
    if spec is None:
        return "-"
    kind = getattr(spec.kind, "value", spec.kind)
    text = f"{kind}:{spec.query}" if kind != "css" else spec.query
    if spec.attr:
        text += f" @{spec.attr}"
    return text


def config_summary(config: SourceConfig) -> list[tuple[str, str]]:
    """The config in a dozen labelled lines: what runs, where, how often."""
    sc = config.scraping_config
    rows = [
        (
            "version",
            str(config.version) + (f" (approved by {config.approved_by})" if config.approved_by else ""),
        ),
        ("kind", f"{config.kind.value}, render {config.render.value}"),
        ("start URLs", ", ".join(config.target_urls[:3]) + (" ..." if len(config.target_urls) > 3 else "")),
        ("allowed domains", ", ".join(config.allowed_domains)),
    ]
    if config.listing is not None:
        rows.append(("listing item", _selector(config.listing.item)))
        rows.append(("listing fields", ", ".join(sorted(config.listing.fields)) or "-"))
        pagination = config.listing.pagination
        if pagination is not None:
            how = _selector(pagination.next_page) if pagination.next_page else pagination.url_template or "-"
            rows.append(("pagination", f"{how} (max {pagination.max_pages} pages)"))
    if config.detail is not None:
        rows.append(
            (
                "detail pages",
                f"follow {_selector(config.detail.follow)}; fields "
                + (", ".join(sorted(config.detail.fields)) or "-"),
            )
        )
    if config.feed is not None:
        rows.append(("feed fields", ", ".join(sorted(config.feed.fields)) or "(the feed's own)"))
    rows.append(("structured data", "on" if config.structured_data.enabled else "off"))
    defaults = {
        k: v for k, v in config.defaults.model_dump(mode="json", exclude_none=True).items() if k != "timezone"
    }
    if defaults:
        rows.append(("defaults", ", ".join(f"{k}={v}" for k, v in sorted(defaults.items()))))
    rows.append(
        (
            "schedule",
            f"{sc.frequency.value}, priority {sc.priority.value}, "
            f"{sc.rate_limit.requests_per_minute} req/min x{sc.rate_limit.concurrent_requests}, "
            f"robots.txt {'obeyed' if sc.respect_robots_txt else 'ignored'}, max {sc.max_pages} pages",
        )
    )
    return rows


_CONTROL = {n: " " for n in [*range(32), 127]}


def sample_cell(value: Any) -> str:
    """A stored value as one line of text; control characters from a crawled page (a terminal
    escape sequence in a title) become spaces."""
    if value is None or value in ([], ""):
        return ""
    if isinstance(value, list):
        text = ",".join(str(v) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    return text.translate(_CONTROL)


def execution_line(execution: Execution) -> str:
    when = execution.started_at.strftime("%Y-%m-%d %H:%M")
    parts = [
        when,
        execution.outcome.value,
        f"{execution.items_scraped} items",
        f"{execution.new_count} new",
        f"{execution.pages_crawled} pages",
        f"{execution.error_count} errors",
    ]
    if execution.duration_s is not None:
        parts.append(f"{execution.duration_s:.0f}s")
    if execution.config_version is not None:
        parts.append(f"config v{execution.config_version}")
    if execution.finish_reason and execution.outcome is not ExecutionOutcome.SUCCESS:
        parts.append(execution.finish_reason[:80])
    return "  ".join(parts)


def format_review(review: SourceReview, *, samples: int = 5) -> str:
    """The review as the terminal prints it."""
    sub = review.submission
    lines = [
        f"{sub.source_id}: {sub.source_name}",
        f"  status: {sub.status.value}   priority: {sub.priority.value}   url: {sub.base_url}",
    ]
    if sub.status_reason:
        lines.append(f"  reason: {sub.status_reason}")
    lines += _analysis_lines(review, samples)
    lines += _config_lines(review)
    lines += _execution_lines(review)
    return "\n".join(lines)


def _analysis_lines(review: SourceReview, samples: int) -> list[str]:
    analysis = review.analysis
    if analysis is None:
        return [f"  analysis: none yet (famact sources analyze {review.submission.source_id})"]
    lines = [
        f"  analysis: {analysis.analyzed_at:%Y-%m-%d %H:%M} by {analysis.method.value}"
        + (f" ({analysis.model})" if analysis.model else "")
        + f", {analysis.attempts} attempt(s), {analysis.tokens_used} tokens",
        f"  quality score: {analysis.quality_score:.2f}   listings found: {analysis.item_count}",
    ]
    if review.completeness:
        lines.append("  field completeness:")
        for share in review.completeness:
            mark = "" if share.passed is None else "  " + share.verdict
            bar = "#" * round(share.share * 20)
            lines.append(f"    {share.name:<12} {share.share:>4.0%} {bar:<20}{mark}".rstrip())
    lines += [f"  issue: {sample_cell(issue)}" for issue in analysis.issues]
    lines += [f"  recommendation: {sample_cell(rec)}" for rec in analysis.recommendations[:5]]
    items = review.sample_items
    if items:
        lines.append(f"  sample items as stored ({min(samples, len(items))} of {len(items)}):")
        for item in items[:samples]:
            cells = [
                f"{k}={sample_cell(item.get(k))}" for k in SAMPLE_COLUMNS[2:] if sample_cell(item.get(k))
            ]
            lines.append(f"    - [{sample_cell(item.get('entity_type'))}] {sample_cell(item.get('name'))}")
            if cells:
                lines.append("      " + "  ".join(cells))
    return lines


def _config_lines(review: SourceReview) -> list[str]:
    lines: list[str] = []
    if review.config is None:
        lines.append("  config: none approved")
    else:
        lines.append("  config (running):")
        lines.extend(f"    {label:<16} {value}" for label, value in config_summary(review.config))
    candidate = review.candidate
    if candidate is not None and review.config is not None:
        diff = config_diff(review.config, candidate)
        lines.append(f"  candidate config from the analysis differs ({len(diff)} diff lines):")
        lines.extend("    " + line for line in diff[:40])
    elif candidate is not None:
        lines.append(
            f"  proposed config (approve with: famact sources approve {review.submission.source_id}):"
        )
        lines.extend(f"    {label:<16} {value}" for label, value in config_summary(candidate))
    return lines


def _execution_lines(review: SourceReview) -> list[str]:
    if not review.executions:
        return ["  executions: none yet"]
    rate = review.success_rate
    head = f"  recent executions ({len(review.executions)}" + (
        f", success rate {rate:.0%}):" if rate is not None else "):"
    )
    return [head] + ["    " + execution_line(e) for e in review.executions[:10]]
