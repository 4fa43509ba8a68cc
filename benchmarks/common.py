"""Shared benchmark plumbing: result files in the shape of docs/BENCHMARKS.md.

Timings are noisy on shared machines, so benchmarks compare ratios measured in the same run
and report medians of at least three repetitions.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from famact.constants import TIMEZONE

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def machine() -> dict[str, Any]:
    memory_gb = None
    try:
        with open("/proc/meminfo", encoding="ascii") as fp:
            kb = int(fp.readline().split()[1])
        memory_gb = round(kb / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "host": socket.gethostname(),
    }


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_result(
    name: str,
    *,
    params: dict[str, Any],
    metrics: dict[str, Any],
    targets: dict[str, str],
    notes: str,
    extra: dict[str, Any] | None = None,
) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "benchmark": name,
        "date": datetime.now(TIMEZONE).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "machine": machine(),
        "params": params,
        "metrics": metrics,
        "targets": targets,
        "notes": notes,
    }
    if extra:
        result.update(extra)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"[{name}] " + ", ".join(f"{k}={v}" for k, v in metrics.items() if not isinstance(v, dict)))
    print(f"[{name}] written to {path.relative_to(ROOT)}")
    return path


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def repeat(fn: Callable[[], float], times: int = 3) -> list[float]:
    return [fn() for _ in range(times)]


def peak_rss_mb_children() -> float:
    """Peak RSS of waited-for child processes (ru_maxrss is in KiB on Linux).

    Beware: Linux carries the parent's high-water RSS into a child's ru_maxrss over fork/exec,
    so this is never below the parent's own peak; `benchmarks._proc.run_measured` polls the
    child's VmHWM instead."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


@contextmanager
def env(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def python() -> str:
    return sys.executable
