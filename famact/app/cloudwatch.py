"""An orchestrator pass as CloudWatch metrics, in the Embedded Metric Format.

One JSON line on stdout per pass; the orchestrator's log group turns it into metrics in the
`famact` namespace with no API call and no extra permission. The alarms in deploy/ read
ExecutionsFinished, ExecutionsFailed and ExecutionsSucceeded (their ratio is the sources'
success rate) and OrchestratorErrors.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from famact.constants import ExecutionOutcome

NAMESPACE = "famact"
FAILED_OUTCOMES = frozenset({ExecutionOutcome.FAILED.value, ExecutionOutcome.CANCELLED.value})


def pass_metrics(
    finished: Mapping[str, str], *, started: int, errors: int, now: datetime
) -> dict[str, object]:
    """The EMF document for one pass; `finished` maps source id -> outcome value."""
    outcomes = list(finished.values())
    values = {
        "ExecutionsStarted": started,
        "ExecutionsFinished": len(outcomes),
        "ExecutionsSucceeded": sum(o == ExecutionOutcome.SUCCESS.value for o in outcomes),
        "ExecutionsFailed": sum(o in FAILED_OUTCOMES for o in outcomes),
        "OrchestratorErrors": errors,
    }
    return {
        "_aws": {
            "Timestamp": int(now.timestamp() * 1000),
            "CloudWatchMetrics": [
                {
                    "Namespace": NAMESPACE,
                    "Dimensions": [[]],
                    "Metrics": [{"Name": name, "Unit": "Count"} for name in values],
                }
            ],
        },
        **values,
    }


def pass_metrics_line(finished: Mapping[str, str], *, started: int, errors: int, now: datetime) -> str:
    return json.dumps(pass_metrics(finished, started=started, errors=errors, now=now), sort_keys=True)
