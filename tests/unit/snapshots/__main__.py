"""`python -m tests.unit.snapshots update`: regenerate the committed snapshots on purpose."""

from __future__ import annotations

import sys

from tests.unit.snapshots import SNAPSHOTS, update


def main(argv: list[str]) -> int:
    if argv != ["update"]:
        print("usage: python -m tests.unit.snapshots update", file=sys.stderr)
        print(f"  rewrites {', '.join(SNAPSHOTS)} from the current code", file=sys.stderr)
        return 2
    changed = update()
    for path in changed:
        print(f"updated {path}")
    if not changed:
        print("snapshots already up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
