"""Source health: each complete crawl against the source's own history (Spidermon's item-count
and field-coverage monitors, judged per source instead of against fixed numbers).

- Only a complete crawl is judged: one that finished on its own, fetched pages, and had few
  failed requests. A crawl cut short (page cap, shutdown, cancel, many errors) says nothing
  about what the source lists, so it never counts as "listings vanished" nor enters history.
- The baseline is the source's last healthy complete crawls (at most BASELINE_SAMPLES, within
  BASELINE_DAYS): the median item count, and each field's mean coverage over the crawls made
  with the same config version.
- A clear drop (fewer than DROP_SHARE of the usual listings and at least MIN_DROP fewer, or a
  field usually present losing more than half its coverage) marks the source `degraded`.
- Season-aware: a drop in items matching the same calendar month a year earlier (a camp
  directory empty in October, as it was last October) is not a degradation. The per-month
  record is kept on the HEALTH row for 25 months, beyond the executions' TTL.
- A degraded source is handed to a repair step (the application layer re-runs the analysis
  on the current pages and queues a candidate config beside the approved one).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from famact.constants import TIMEZONE, ExecutionOutcome, SourceHealthStatus
from famact.models import CrawlSample, Execution, MonthStat, ScheduleSlot, SourceHealth
from famact.store.health import HealthStore
from famact.store.operations import as_utc

BASELINE_SAMPLES = 10
BASELINE_DAYS = 90
DROP_SHARE = 0.5
MIN_DROP = 3
FIELD_MIN_BASELINE = 0.5  # only fields usually present on at least half the listings
FIELD_DROP_SHARE = 0.5
MAX_ERROR_SHARE = 0.05  # failed requests per page above which a crawl is too incomplete
MONTHS_KEPT = 25
REPAIR_RETRY = timedelta(days=1)  # a degraded source without a candidate is re-analysed this often
JUDGED_OUTCOMES = frozenset({ExecutionOutcome.SUCCESS, ExecutionOutcome.PARTIAL})


def incomplete(execution: Execution) -> str | None:
    """Why the crawl cannot be judged, or None when it is complete."""
    outcome = ExecutionOutcome(execution.outcome)
    if outcome not in JUDGED_OUTCOMES:
        return f"the crawl {outcome.value}"
    if execution.finish_reason != "finished":
        return f"the crawl was cut short ({execution.finish_reason})"
    if execution.pages_crawled <= 0:
        return "the crawl fetched no pages"
    if execution.error_count > MAX_ERROR_SHARE * execution.pages_crawled:
        return f"{execution.error_count} errors in {execution.pages_crawled} pages"
    return None


def month_key(when: datetime) -> str:
    return as_utc(when).astimezone(TIMEZONE).strftime("%Y-%m")


def _year_before(key: str) -> str:
    year, month = key.split("-")
    return f"{int(year) - 1:04d}-{month}"


@dataclass(frozen=True)
class Verdict:
    status: SourceHealthStatus
    reason: str
    baseline_items: float | None = None
    field_drops: dict[str, list[float]] = field(default_factory=dict)


def baseline(health: SourceHealth, now: datetime) -> list[CrawlSample]:
    since = as_utc(now) - timedelta(days=BASELINE_DAYS)
    return [s for s in health.recent if as_utc(s.at) >= since][-BASELINE_SAMPLES:]


def baseline_coverage(samples: list[CrawlSample]) -> dict[str, float]:
    with_items = [s for s in samples if s.items > 0]
    fields = {f for s in with_items for f in s.coverage}
    return {f: round(statistics.fmean(s.coverage.get(f, 0.0) for s in with_items), 3) for f in sorted(fields)}


def clear_drop(items: int, usual: float) -> bool:
    return items < DROP_SHARE * usual and usual - items >= MIN_DROP


def judge(execution: Execution, health: SourceHealth, now: datetime) -> Verdict | None:
    """The verdict on one crawl; None when the crawl is incomplete (not judged). Pure."""
    if incomplete(execution) is not None:
        return None
    samples = baseline(health, now)
    if not samples:
        return Verdict(SourceHealthStatus.NEW, "first complete crawl: the baseline starts here")
    usual = float(statistics.median(s.items for s in samples))
    items = execution.items_scraped
    drops: dict[str, list[float]] = {}
    # Field coverage only against crawls of the same config: a newly approved config may
    # extract other fields, and the admin accepted that difference when approving it.
    same_config = [s for s in samples if s.config_version == execution.config_version]
    if items > 0:
        for name, usual_cov in baseline_coverage(same_config).items():
            now_cov = execution.field_coverage.get(name, 0.0)
            if usual_cov >= FIELD_MIN_BASELINE and now_cov < FIELD_DROP_SHARE * usual_cov:
                drops[name] = [usual_cov, now_cov]
    problems: list[str] = []
    if clear_drop(items, usual):
        season = health.months.get(_year_before(month_key(execution.started_at)))
        last_year = season.items_total / season.crawls if season and season.crawls else None
        if last_year is not None and not clear_drop(items, last_year):
            if not drops:
                return Verdict(
                    SourceHealthStatus.OK,
                    f"{items} listings (usually {usual:g}), as in the same month last year "
                    f"({last_year:.0f}): seasonal",
                    usual,
                )
        else:
            problems.append(f"{items} listings, usually {usual:g}")
    if drops:
        problems.append(
            "fields lost: " + ", ".join(f"{n} {b:.0%} -> {c:.0%}" for n, (b, c) in sorted(drops.items()))
        )
    if problems:
        return Verdict(SourceHealthStatus.DEGRADED, "; ".join(problems), usual, drops)
    return Verdict(SourceHealthStatus.OK, f"{items} listings (usually {usual:g})", usual)


def add_sample(health: SourceHealth, execution: Execution) -> SourceHealth:
    """The crawl added to the baseline and to its month's record (bounded)."""
    sample = CrawlSample(
        execution_id=execution.execution_id,
        at=execution.started_at,
        items=execution.items_scraped,
        coverage=dict(execution.field_coverage),
        config_version=execution.config_version,
    )
    key = month_key(execution.started_at)
    stat = health.months.get(key)
    items = execution.items_scraped
    if stat is None or stat.crawls == 0:
        stat = MonthStat(crawls=1, items_total=items, items_min=items, items_max=items)
    else:
        stat = MonthStat(
            crawls=stat.crawls + 1,
            items_total=stat.items_total + items,
            items_min=min(stat.items_min, items),
            items_max=max(stat.items_max, items),
        )
    months = {**health.months, key: stat}
    months = dict(sorted(months.items())[-MONTHS_KEPT:])
    recent = [s for s in health.recent if s.execution_id != sample.execution_id] + [sample]
    return health.model_copy(update={"recent": recent[-BASELINE_SAMPLES:], "months": months})


def record(health: SourceHealth, execution: Execution, verdict: Verdict, now: datetime) -> SourceHealth:
    """The HEALTH row after the verdict. A degraded crawl stays out of the baseline, so a lasting
    breakage does not become the new normal."""
    degraded = verdict.status is SourceHealthStatus.DEGRADED
    updated = health.model_copy(
        update={
            "status": verdict.status,
            "reason": verdict.reason,
            "checked_at": now,
            "execution_id": execution.execution_id,
            "items": execution.items_scraped,
            "baseline_items": verdict.baseline_items,
            "field_drops": verdict.field_drops,
            "degraded_since": (health.degraded_since or now) if degraded else None,
        }
    )
    return updated if degraded else add_sample(updated, execution)


def needs_repair(health: SourceHealth, now: datetime) -> bool:
    """Degraded and no candidate found yet, and not re-analysed in the last REPAIR_RETRY."""
    if health.status is not SourceHealthStatus.DEGRADED or health.candidate is not None:
        return False
    last = health.repair_attempted_at
    return last is None or as_utc(now) - as_utc(last) >= REPAIR_RETRY


# Re-analyses a degraded source; returns the HEALTH row with the candidate (or a note) on it.
Repair = Callable[[SourceHealth, Execution], SourceHealth]


class HealthMonitor:
    """The orchestrator's after-crawl hook: judge, record, repair when degraded."""

    def __init__(
        self, store: HealthStore, *, repair: Repair | None = None, clock: Callable[[], datetime]
    ) -> None:
        self.store = store
        self.repair = repair
        self.clock = clock

    def __call__(self, slot: ScheduleSlot, execution: Execution) -> SourceHealth | None:
        now = as_utc(self.clock())
        health = self.store.get(execution.source_id) or SourceHealth(source_id=execution.source_id)
        verdict = judge(execution, health, now)
        if verdict is None:
            return None  # cut short or failed: nothing learned about the source's listings
        health = record(health, execution, verdict, now)
        if self.repair is not None and needs_repair(health, now):
            health = self.repair(health, execution).model_copy(update={"repair_attempted_at": now})
        self.store.put(health)
        return health
