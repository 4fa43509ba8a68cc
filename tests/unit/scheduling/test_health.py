"""Source health (famact.scheduling.health): a complete crawl against the source's own history,
a cut-short crawl never judged, season-aware drops, field-coverage drops, and the monitor that
stores the verdict and hands a degraded source to the repair step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from famact.constants import ExecutionOutcome, SourceHealthStatus
from famact.models import Execution, MonthStat, ScheduleSlot, SourceHealth, SourceSubmission
from famact.scheduling import health as monitor
from famact.store.health import HealthStore
from famact.store.sources import SourceStore
from tests.unit.store.fakes import Clock

OCT = datetime(2026, 10, 14, 17, 0, tzinfo=UTC)
COVERAGE = {"title": 1.0, "date": 0.95, "price": 0.6, "ages": 0.2}
_n = iter(range(10_000))


def _crawl(items: int, *, at: datetime = OCT, reason: str = "finished", **extra: Any) -> Execution:
    fields: dict[str, Any] = {
        "outcome": ExecutionOutcome.SUCCESS if items else ExecutionOutcome.PARTIAL,
        "finish_reason": reason,
        "pages_crawled": 20,
        "items_scraped": items,
        "field_coverage": COVERAGE if items else {},
        **extra,
    }
    return Execution(execution_id=f"e{next(_n)}", source_id="camps", started_at=at, **fields)


def _history(*counts: int, start: datetime = OCT - timedelta(days=30)) -> SourceHealth:
    health = SourceHealth(source_id="camps")
    for k, items in enumerate(counts):
        health = monitor.add_sample(health, _crawl(items, at=start + timedelta(days=k)))
    return health


@pytest.mark.parametrize(
    ("crawl", "why"),
    [
        (_crawl(3, reason="closespider_pagecount"), "cut short (closespider_pagecount)"),
        (_crawl(0, reason="shutdown"), "cut short (shutdown)"),
        (_crawl(0, outcome=ExecutionOutcome.FAILED), "the crawl failed"),
        (_crawl(0, outcome=ExecutionOutcome.CANCELLED), "the crawl cancelled"),
        (_crawl(2, error_count=5), "5 errors in 20 pages"),
        (_crawl(0, pages_crawled=0), "fetched no pages"),
    ],
)
def test_a_crawl_cut_short_is_never_judged(crawl: Execution, why: str) -> None:
    assert why in (monitor.incomplete(crawl) or "")
    assert monitor.judge(crawl, _history(40, 42, 41), OCT) is None


def test_the_first_complete_crawl_starts_the_baseline() -> None:
    verdict = monitor.judge(_crawl(40), SourceHealth(source_id="camps"), OCT)
    assert verdict is not None and verdict.status is SourceHealthStatus.NEW


@pytest.mark.parametrize(
    ("items", "status"),
    [(41, SourceHealthStatus.OK), (25, SourceHealthStatus.OK), (19, SourceHealthStatus.DEGRADED),
     (0, SourceHealthStatus.DEGRADED)],
)  # fmt: skip
def test_a_clear_drop_in_listings_against_the_own_history_is_degraded(
    items: int, status: SourceHealthStatus
) -> None:
    verdict = monitor.judge(_crawl(items), _history(38, 40, 44), OCT)
    assert verdict is not None and verdict.status is status and verdict.baseline_items == 40
    if status is SourceHealthStatus.DEGRADED:
        assert f"{items} listings, usually 40" in verdict.reason


def test_a_small_source_does_not_flap_on_a_drop_of_two() -> None:
    verdict = monitor.judge(_crawl(2), _history(4, 4, 4), OCT)
    assert verdict is not None and verdict.status is SourceHealthStatus.OK


def test_an_empty_october_like_last_october_is_seasonal_not_broken() -> None:
    health = _history(40, 42, 38)  # September: busy
    seasonal = health.model_copy(
        update={"months": {**health.months, "2025-10": MonthStat(crawls=4, items_total=4, items_max=2)}}
    )
    verdict = monitor.judge(_crawl(0), seasonal, OCT)
    assert verdict is not None and verdict.status is SourceHealthStatus.OK and "seasonal" in verdict.reason
    # Without last October on record the same crawl is a clear drop.
    verdict = monitor.judge(_crawl(0), health, OCT)
    assert verdict is not None and verdict.status is SourceHealthStatus.DEGRADED


def test_a_field_that_was_usually_there_and_is_gone_is_degraded_even_in_season() -> None:
    health = _history(40, 40, 40)
    lost = {**COVERAGE, "date": 0.1, "ages": 0.0}  # ages was rare: its drop is not a signal
    verdict = monitor.judge(_crawl(40, field_coverage=lost), health, OCT)
    assert verdict is not None and verdict.status is SourceHealthStatus.DEGRADED
    assert verdict.field_drops == {"date": [0.95, 0.1]} and "date 95% -> 10%" in verdict.reason


def test_old_and_degraded_crawls_stay_out_of_the_baseline() -> None:
    health = _history(100, 100, start=OCT - timedelta(days=200))  # too old to compare with
    verdict = monitor.judge(_crawl(10), health, OCT)
    assert verdict is not None and verdict.status is SourceHealthStatus.NEW
    health = _history(40, 40, 40)
    for _ in range(12):  # a lasting breakage never becomes the new normal
        crawl = _crawl(0)
        verdict = monitor.judge(crawl, health, OCT)
        assert verdict is not None and verdict.status is SourceHealthStatus.DEGRADED
        health = monitor.record(health, crawl, verdict, OCT)
    assert [s.items for s in health.recent] == [40, 40, 40] and health.degraded_since == OCT


def test_the_history_is_bounded() -> None:
    health = _history(*range(30, 60), start=OCT - timedelta(days=800))
    assert len(health.recent) == monitor.BASELINE_SAMPLES
    assert len(health.months) <= monitor.MONTHS_KEPT


class _Repair:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, health: SourceHealth, execution: Execution) -> SourceHealth:
        self.calls += 1
        return health.model_copy(update={"repair_note": f"re-analysed after {execution.execution_id}"})


def test_the_monitor_stores_verdicts_and_repairs_a_degraded_source_once_a_day(store_tables: Any) -> None:
    SourceStore(store_tables).submit(
        SourceSubmission(source_id="camps", source_name="Camps", base_url="https://camps.example.org/",
                         submitted_at=OCT)
    )  # fmt: skip
    store, repair, clock = HealthStore(store_tables), _Repair(), Clock(OCT)
    check = monitor.HealthMonitor(store, repair=repair, clock=clock)
    slot = ScheduleSlot(source_id="camps", next_run_at=OCT)
    for k, items in enumerate((40, 42, 41)):
        clock.now = OCT + timedelta(days=k)
        check(slot, _crawl(items, at=clock.now))
    stored = store.get("camps")
    assert stored is not None and stored.status is SourceHealthStatus.OK and len(stored.recent) == 3
    assert check(slot, _crawl(5, reason="closespider_pagecount")) is None  # not judged, row untouched
    assert store.get("camps") == stored

    clock.now = OCT + timedelta(days=3)
    broken = _crawl(0, at=clock.now)
    after = check(slot, broken)
    assert after is not None and after.status is SourceHealthStatus.DEGRADED and repair.calls == 1
    assert store.get("camps") == after and after.repair_note == f"re-analysed after {broken.execution_id}"
    clock.now += timedelta(hours=6)
    check(slot, _crawl(0, at=clock.now))
    assert repair.calls == 1  # not re-analysed again within a day
    clock.now += timedelta(days=1)
    check(slot, _crawl(0, at=clock.now))
    assert repair.calls == 2
    clock.now += timedelta(days=1)
    recovered = check(slot, _crawl(43, at=clock.now))
    assert (
        recovered is not None
        and recovered.status is SourceHealthStatus.OK
        and recovered.degraded_since is None
    )


def test_fields_are_compared_within_one_config_version_only() -> None:
    health = _history(40, 40, 40)  # config version None
    health = health.model_copy(
        update={"recent": [s.model_copy(update={"config_version": 1}) for s in health.recent]}
    )
    fewer_fields = {"title": 1.0, "date": 0.9}  # the newly approved v2 extracts no price
    verdict = monitor.judge(_crawl(38, field_coverage=fewer_fields, config_version=2), health, OCT)
    assert verdict is not None and verdict.status is SourceHealthStatus.OK
    verdict = monitor.judge(_crawl(38, field_coverage=fewer_fields, config_version=1), health, OCT)
    assert verdict is not None and verdict.status is SourceHealthStatus.DEGRADED
    assert verdict.field_drops == {"price": [0.6, 0.0]}
