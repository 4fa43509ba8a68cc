"""Reliability: run the fault-injection suite (tests/reliability) and summarise what it did.

Each fault test records what it injected, what the system did and how many stored entities
were lost or corrupted (an export before and after, compared); bad-input tests record whether
the answer was one clear line. A failing test counts as a fault not survived.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, write_result


def run_suite(log: Path) -> int:
    env = {**os.environ, "FAMACT_RELIABILITY_LOG": str(log)}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider", "tests/reliability"],
        cwd=ROOT,
        env=env,
        check=False,
    )
    return proc.returncode


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    faults = [r for r in records if r["kind"] == "fault"]
    bad = [r for r in records if r["kind"] == "bad_input"]
    return {
        "faults_injected": len(faults),
        "faults_survived": sum(1 for r in faults if r["outcome"] == "passed"),
        "items_lost": sum(int(r["items_lost"]) for r in faults),
        "bad_inputs_tried": len(bad),
        "bad_inputs_clear_error": sum(1 for r in bad if r["outcome"] == "passed" and r["clear"]),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "reliability.jsonl"
        log.touch()
        exit_code = run_suite(log)
        records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    metrics = summarise(records)
    write_result(
        "reliability",
        params={"suite": "tests/reliability", "pytest_exit_code": exit_code},
        metrics=metrics,
        targets={
            "faults_survived": "== faults_injected",
            "items_lost": "== 0",
            "bad_inputs_clear_error": "== bad_inputs_tried",
        },
        notes=(
            "Every fault runs against real servers on 127.0.0.1 (dynalite, fixture sites, plain TCP "
            "listeners); items_lost counts stored entities missing or changed in an export taken "
            "after the fault, compared with one taken before."
        ),
        extra={"faults": sorted(records, key=lambda r: r["test"])},
    )


if __name__ == "__main__":
    main()
