"""`famact export --legacy-s3`, `famact import --legacy`, `famact compare --legacy`: the old
S3 frontend's snapshot during the cut-over (the work is in famact.legacy)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _tables() -> Any:
    from famact.store.dynamo import connect

    return connect()


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def export_legacy(args: argparse.Namespace) -> int:
    from famact.legacy.publish import publish

    published = publish(_tables(), args.legacy_s3, horizon_days=args.horizon_days)
    _err(
        f"published {published.activities} activities ({published.bytes} bytes) to "
        f"{published.latest.url}, copy at {published.backup.url}"
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from famact.legacy.importer import import_snapshot
    from famact.legacy.objects import read_snapshot

    snapshot = read_snapshot(args.legacy)
    result = import_snapshot(_tables(), snapshot)
    _out(
        f"imported {len(snapshot.activities)} activities from {args.legacy}: {len(result.new)} new, "
        f"{len(result.updated)} updated, {len(result.unchanged)} unchanged, {len(result.adopted)} "
        f"already famact's; {result.alias_rows_written} alias rows written"
    )
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from famact.legacy.compare import compare
    from famact.legacy.objects import read_snapshot

    report = compare(_tables(), read_snapshot(args.legacy), horizon_days=args.horizon_days).as_dict()
    if args.json:
        _out(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    summary = report["summary"]
    _out(
        f"in both: {summary['both']}  only in the snapshot: {summary['only_legacy']}  only in famact: "
        f"{summary['only_famact']}"
    )
    for row in report["only_legacy"]:
        _out(f"  snapshot only: {row['id']}  {row['start'] or 'ongoing'}  {row['title']}")
    for row in report["only_famact"]:
        _out(f"  famact only:   {row['entity']}  {row['start'] or 'ongoing'}  {row['name']}")
    return 0


def add_parsers(sub: Any, export: argparse.ArgumentParser, horizon: Any) -> None:
    """The legacy options of `export` and the `import` / `compare` commands."""
    export.add_argument(
        "--legacy-s3",
        metavar="S3_URL",
        help="publish the old frontend's snapshot: s3://BUCKET/activities/latest.json",
    )
    export.add_argument(
        "--horizon-days", type=horizon, default=180, help="--legacy-s3: days ahead to publish (default 180)"
    )
    p = sub.add_parser("import", help="import the old S3 frontend's snapshot (a file or s3:// URL)")
    p.add_argument("--legacy", required=True, metavar="FILE_OR_S3_URL")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("compare", help="what the old snapshot and famact each have that the other lacks")
    p.add_argument("--legacy", required=True, metavar="FILE_OR_S3_URL")
    p.add_argument("--horizon-days", type=horizon, default=180, help="days ahead famact's side covers")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_compare)
