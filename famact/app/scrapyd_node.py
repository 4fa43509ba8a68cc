"""A production crawl node's own step: once its scrapyd answers, deploy the code the node's
image carries as the `famact` project (deploy/scrapyd/start.sh runs this in the background
before it execs scrapyd). Same egg and upload as `famact local up`, with the node's
credentials (SCRAPYD_USERNAME / SCRAPYD_PASSWORD, the variables scrapyd itself reads).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from famact.app.local import LocalServerError
from famact.app.scrapyd_local import deploy
from famact.scheduling.scrapyd import ScrapydClient, ScrapydError

WAIT_S = 120.0


def wait_and_deploy(
    client: ScrapydClient,
    node: str,
    root: Path,
    *,
    wait_s: float = WAIT_S,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> str:
    """Poll daemonstatus until it answers (or `wait_s` passes), then deploy; the version."""
    deadline = clock() + wait_s
    while True:
        try:
            client.daemon_status(client.nodes[0])
            break
        except ScrapydError as exc:
            if clock() > deadline:
                raise LocalServerError(
                    f"scrapyd at {node} did not answer in {wait_s:.0f} s: {exc.reason}"
                ) from None
            sleep(1.0)
    return deploy(client, client.nodes[0], root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m famact.app.scrapyd_node")
    sub = parser.add_subparsers(dest="action", required=True)
    p = sub.add_parser("deploy-when-up", help="wait for this node's scrapyd, then deploy the project egg")
    p.add_argument("node", help="the node's own URL, e.g. http://127.0.0.1:6800/")
    p.add_argument("--root", type=Path, default=Path.cwd(), help="the project root (scrapy.cfg, setup.py)")
    args = parser.parse_args(argv)
    user, password = os.environ.get("SCRAPYD_USERNAME", ""), os.environ.get("SCRAPYD_PASSWORD", "")
    if not user or not password:
        print("famact: error: SCRAPYD_USERNAME / SCRAPYD_PASSWORD: not set", file=sys.stderr)
        return 2
    with contextlib.closing(ScrapydClient([args.node], auth=(user, password))) as client:
        try:
            version = wait_and_deploy(client, args.node, args.root)
        except LocalServerError as exc:
            print(f"famact: error: {exc}", file=sys.stderr)
            return 1
    print(f"famact: deployed version {version} to {args.node}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
