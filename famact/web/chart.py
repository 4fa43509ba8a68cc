"""A source's executions as a small SVG chart: a bar of items found per run (coloured by
outcome) and a line of the success rate over the last runs. Geometry only; the template draws
it, so every label goes through Jinja's escaping."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from famact.constants import ExecutionOutcome
from famact.models import Execution

WIDTH, HEIGHT, PAD = 480, 140, 20
ROLLING = 5  # the success rate at a run is over this many finished runs up to it
_SUCCEEDED = frozenset({ExecutionOutcome.SUCCESS, ExecutionOutcome.PARTIAL})
_OPEN = frozenset({ExecutionOutcome.QUEUED, ExecutionOutcome.RUNNING})


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    outcome: str
    label: str  # the tooltip: date, outcome, items


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD
    bars: list[Bar] = field(default_factory=list)
    rate_points: str = ""  # polyline points, rate 0..1 mapped to the plot's height
    max_items: int = 0


def execution_chart(executions: Sequence[Execution]) -> Chart:
    """`executions` newest first, as `list_executions` returns them."""
    runs = list(reversed(executions))
    chart = Chart()
    if not runs:
        return chart
    plot_w, plot_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    chart.max_items = max(1, *(r.items_scraped for r in runs))
    step = plot_w / len(runs)
    points: list[str] = []
    outcomes: list[bool] = []
    for n, run in enumerate(runs):
        height = plot_h * run.items_scraped / chart.max_items
        x = PAD + n * step
        chart.bars.append(
            Bar(
                x=round(x + step * 0.15, 1),
                y=round(PAD + plot_h - height, 1),
                width=round(step * 0.7, 1),
                height=round(height, 1),
                outcome=run.outcome.value,
                label=f"{run.started_at:%Y-%m-%d %H:%M} {run.outcome.value}: {run.items_scraped} items",
            )
        )
        if run.outcome in _OPEN:
            continue
        outcomes.append(run.outcome in _SUCCEEDED)
        window = outcomes[-ROLLING:]
        rate = sum(window) / len(window)
        points.append(f"{round(x + step / 2, 1)},{round(PAD + plot_h * (1 - rate), 1)}")
    chart.rate_points = " ".join(points)
    return chart
