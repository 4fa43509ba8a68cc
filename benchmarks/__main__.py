"""`python -m benchmarks [NAME ...]`: run every benchmark, or the named ones.

Each benchmark is a module `benchmarks/<name>.py` with a `main() -> None` that writes
`benchmarks/results/<name>.json` through `benchmarks.common.write_result`.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKIP = {"__init__", "__main__", "common", "sites", "plain_spider"}


def available() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.py") if p.stem not in SKIP and not p.stem.startswith("_"))


def main(argv: list[str]) -> int:
    names = [n for arg in argv for n in arg.split()] or available()
    unknown = [n for n in names if n not in available()]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; available: {available()}", file=sys.stderr)
        return 2
    failed = []
    for name in names:
        print(f"== {name}")
        started = time.perf_counter()
        try:
            importlib.import_module(f"benchmarks.{name}").main()
        except Exception as exc:  # keep going: one broken benchmark must not hide the others
            print(f"[{name}] FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
            failed.append(name)
        except SystemExit as exc:  # a benchmark that exits (no corpus, say) ends only itself
            if exc.code not in (None, 0):
                print(f"[{name}] FAILED: exited with {exc.code}", file=sys.stderr)
                failed.append(name)
        print(f"== {name} took {time.perf_counter() - started:.1f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
