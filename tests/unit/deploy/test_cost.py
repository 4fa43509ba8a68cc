"""The cost model against a month worked out by hand, the profile it takes from recorded
EXECUTION rows, and `famact cost`'s output and errors."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from famact.app.cost import (
    STATED_PROFILE,
    CrawlProfile,
    Usage,
    crawl_nodes,
    load_recorded_profile,
    monthly_cost,
    recorded_profile,
)
from famact.app.workflow import submit_source
from famact.constants import ExecutionOutcome, SourceStatus
from famact.models import Execution
from famact.settings import get_settings
from famact.store.operations import OperationsStore
from famact.store.sources import SourceStore

HAND = Usage(
    sources=100,
    crawls_per_source_month=30,
    searches_per_day=1000,
    analyses_per_month=10,
    llm_tokens_per_analysis=10_000,
    jina_tokens_per_analysis=20_000,
    analysis_seconds=180,
    rows_per_entity=5,
    row_kb=2,
)
PROFILE = CrawlProfile(read_units=44, write_units=92, duration_s=120, entities=100, basis="hand")


def test_a_month_worked_out_by_hand() -> None:
    lines = {line.component: line.usd for line in monthly_cost(HAND, PROFILE).lines}
    # 3,000 crawls x (44 + 6 scheduling) RRU x $0.125/M  +  3,000 x (92 + 8) WRU x $0.625/M
    assert lines["DynamoDB crawl requests"] == pytest.approx(150_000 * 0.125e-6 + 300_000 * 0.625e-6)
    assert lines["DynamoDB crawl requests"] == pytest.approx(0.20625)
    # 1,000 x 30.42 searches x (8 RRU + HTTP API + Lambda request + 0.2 s x 1 GB)
    assert lines["searches (API)"] == pytest.approx(
        30_420 * (8 * 0.125e-6 + 1e-6 + 0.2e-6 + 0.2 * 0.0000133334)
    )
    # 100 sources x 100 entities x 5 rows x 2 KB x 2 (indexes) = 0.2 GB x ($0.25 + $0.20 PITR)
    assert lines["DynamoDB storage + PITR"] == pytest.approx(0.09)
    # 3.29 crawl-hours a day fit one node (3 usable hours x 4 at once); 4 h x 30.42 days
    assert lines["scrapyd nodes"] == pytest.approx(121.68 * (0.0168 + 0.005) + 16 * 0.08)
    # 18 passes a day (hours 1-3, every 10 min) x 30.42 x 1 billed minute
    assert lines["orchestrator (Fargate)"] == pytest.approx(9.126 * (0.25 * 0.03238 + 0.5 * 0.00356 + 0.005))
    # 100,000 tokens, 90% in at $0.15/M and 10% out at $0.60/M; 200,000 Reader tokens at $0.05/M
    assert lines["LLM + Jina (analyses)"] == pytest.approx(0.0195 + 0.01)
    # (10 x 180 s + 730 idle x 5 s) x 2 GB, plus 740 requests
    assert lines["analyzer (Lambda)"] == pytest.approx(5_450 * 2 * 0.0000133334 + 740 * 0.2e-6)
    assert lines["alarms, logs, image"] == pytest.approx(0.5 + 0.05 + 0.08)
    assert monthly_cost(HAND, PROFILE).total == pytest.approx(5.3176, abs=1e-4)


def test_nodes_are_added_when_the_crawls_no_longer_fit_the_window() -> None:
    assert crawl_nodes(HAND, PROFILE) == (1, pytest.approx(121.68))
    assert crawl_nodes(Usage(sources=1000, crawls_per_source_month=30), PROFILE)[0] == 3  # 32.9 h / 12
    assert crawl_nodes(Usage(sources=1000, crawls_per_source_month=30, window_hours=24), PROFILE) == (
        1,
        pytest.approx(730.08),
    )


def _execution(n: int, read: float, write: float, duration: float, items: int) -> Execution:
    started = datetime(2026, 12, 1, 2, 0, tzinfo=UTC) + timedelta(hours=n)
    return Execution(
        execution_id=f"e{n}",
        source_id="s",
        started_at=started,
        finished_at=started + timedelta(seconds=duration),
        duration_s=duration,
        outcome=ExecutionOutcome.SUCCESS,
        items_scraped=items,
        read_units=read,
        write_units=write,
    )


def test_the_profile_is_the_mean_of_the_executions_that_recorded_units() -> None:
    unmeasured = _execution(9, 0, 0, 500, 1)  # written before rows recorded units
    running = _execution(8, 5, 5, 10, 1).model_copy(
        update={"finished_at": None, "outcome": ExecutionOutcome.RUNNING}
    )
    profile = recorded_profile(
        [_execution(1, 10, 100, 60, 40), _execution(2, 30, 50, 120, 20), unmeasured, running]
    )
    assert profile == CrawlProfile(
        read_units=20.0, write_units=75.0, duration_s=90.0, entities=30.0, basis="mean of 2 EXECUTION rows"
    )
    assert recorded_profile([unmeasured]) is None


def test_recorded_executions_are_read_from_the_tables(
    store_tables: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAMACT_ALLOW_PRIVATE_URLS", "1")  # no DNS lookup for the submitted URL
    get_settings.cache_clear()
    submit_source(store_tables, name="A", url="http://127.0.0.1/events", source_id="a")
    get_settings.cache_clear()
    sources = SourceStore(store_tables)
    for status in (SourceStatus.ANALYZING, SourceStatus.ANALYSIS_COMPLETE):
        sources.transition("a", status, expected=sources.get("a").status)  # type: ignore[union-attr]
    sources.transition("a", SourceStatus.ACTIVE, expected=SourceStatus.ANALYSIS_COMPLETE)
    operations = OperationsStore(store_tables)
    for execution in (_execution(1, 12, 40, 100, 10), _execution(2, 8, 60, 50, 30)):
        operations.start_execution(
            execution.model_copy(update={"source_id": "a", "outcome": ExecutionOutcome.RUNNING})
        )
        operations.finish_execution(execution.model_copy(update={"source_id": "a"}))
    profile = load_recorded_profile(store_tables)
    assert profile is not None
    assert (profile.read_units, profile.write_units, profile.duration_s, profile.entities) == (10, 50, 75, 20)


def _famact(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "famact.app.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_command_prints_the_month_and_its_lines() -> None:
    result = _famact("cost", "--sources", "200", "--no-db", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    expected = monthly_cost(Usage(sources=200), STATED_PROFILE)
    assert report["monthly_usd"] == round(expected.total, 2)
    assert [line["component"] for line in report["lines"]] == [line.component for line in expected.lines]
    assert all(p["source"].startswith("https://") for p in report["prices"].values())
    text = _famact("cost", "--sources", "200", "--no-db").stdout
    assert text.startswith(f"famact on AWS, 200 sources: ${expected.total:,.2f} a month")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sources", "0"], "famact: error: argument --sources: must be at least 1: '0'"),
        (
            ["--sources", "5", "--instance-type", "m5.large"],
            "famact: error: instance_type: 'm5.large' is not priced",
        ),
        (
            ["--sources", "5", "--window-hours", "1"],
            "famact: error: window_hours: 1.0 must be between 2 and 24",
        ),
    ],
)
def test_bad_input_is_one_line_naming_the_field(args: list[str], message: str) -> None:
    result = _famact("cost", "--no-db", *args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith(message)
