"""The executions chart's geometry: bars scale to the most items, oldest run on the left, the
success-rate line skips runs still going."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from famact.constants import ExecutionOutcome
from famact.models import Execution
from famact.web.chart import HEIGHT, PAD, execution_chart

T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)


def run(n: int, outcome: ExecutionOutcome, items: int) -> Execution:
    return Execution(
        execution_id=f"e{n}",
        source_id="s",
        started_at=T0 + timedelta(days=n),
        outcome=outcome,
        items_scraped=items,
    )


def test_bars_and_rate_line() -> None:
    newest_first = [
        run(3, ExecutionOutcome.RUNNING, 0),
        run(2, ExecutionOutcome.FAILED, 0),
        run(1, ExecutionOutcome.SUCCESS, 10),
        run(0, ExecutionOutcome.PARTIAL, 5),
    ]
    chart = execution_chart(newest_first)
    assert [b.outcome for b in chart.bars] == ["partial", "success", "failed", "running"]
    assert chart.max_items == 10
    plot = HEIGHT - 2 * PAD
    assert [b.height for b in chart.bars] == [plot / 2, plot, 0, 0]
    assert chart.bars[0].x < chart.bars[1].x < chart.bars[2].x
    assert chart.bars[0].label == "2026-03-01 08:00 partial: 5 items"
    # Rate after each finished run: 1.0, 1.0, 2/3; the running one adds no point.
    ys = [float(p.split(",")[1]) for p in chart.rate_points.split()]
    assert ys == [PAD, PAD, round(PAD + plot * (1 - 2 / 3), 1)]


def test_no_executions_no_chart() -> None:
    chart = execution_chart([])
    assert chart.bars == [] and chart.rate_points == ""
