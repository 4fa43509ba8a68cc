"""`famact merges run | list | accept | reject | undo`: one entity per real-world activity
across sources (the work is in famact.merge and famact.store.merges)."""

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


def _pair_line(keeper: str, merged: str, score: float, extra: str = "") -> str:
    return f"  {score:.2f}  keep {keeper}  <- {merged}{extra}"


def cmd_merges(args: argparse.Namespace) -> int:
    from famact.store.merges import UNSURE, MergeStore

    if args.action == "run":
        from famact.merge.run import MergeJob

        report = MergeJob(_tables()).run(args.source or None, dry_run=args.dry_run)
        if args.json:
            _out(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
            return 0
        verb = "would merge" if args.dry_run else "merged"
        _out(
            f"{report.entities} entities, {report.pairs_scored} candidate pairs scored: {verb} "
            f"{len(report.merged)}, {len(report.unsure)} unsure for the admin"
            + (f", {report.known} recorded before" if report.known else "")
        )
        for planned in report.merged:
            _out(_pair_line(planned.keeper, planned.merged, planned.score.score))
        for planned in report.unsure:
            _out(_pair_line(planned.keeper, planned.merged, planned.score.score, "  (unsure)"))
        return 0
    merges = MergeStore(_tables())
    if args.action == "list":
        status = UNSURE if args.unsure else args.status
        records = merges.records(status)
        if args.json:
            from dataclasses import asdict

            _out(json.dumps([asdict(r) for r in records], indent=2, ensure_ascii=False))
            return 0
        if not records:
            _out("(nothing found)")
        for r in records:
            _out(
                f"{r.merge_id}  {r.status:<8} {r.score:.2f}  {r.keeper_source}: {r.keeper_name}  <-  "
                f"{r.merged_source}: {r.merged_name}"
            )
        return 0
    if args.action == "accept":
        record = merges.apply(args.merge_id, decided_by="cli")
    elif args.action == "reject":
        record = merges.reject(args.merge_id, decided_by="cli")
    else:
        record = merges.undo(args.merge_id, decided_by="cli")
    _out(f"{record.merge_id}: {record.status} ({record.keeper_pk} <- {record.merged_pk})")
    return 0


def add_parsers(sub: Any) -> None:
    merges = sub.add_parser(
        "merges", help="merge cross-source duplicates; list, accept, reject or undo merges"
    )
    msub = merges.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = msub.add_parser(
        "run", help="score every entity's candidates; merge confident pairs, record unsure ones"
    )
    p.add_argument("--dry-run", action="store_true", help="show what would be merged; write nothing")
    p.add_argument("--source", action="append", metavar="ID", help="only this source's entities (repeatable)")
    p.add_argument("--json", action="store_true")
    p = msub.add_parser("list", help="merge records, newest first")
    p.add_argument("--unsure", action="store_true", help="only the pairs waiting for a decision")
    p.add_argument("--status", choices=("unsure", "merged", "rejected", "undone"))
    p.add_argument("--json", action="store_true")
    for name, text in (
        ("accept", "merge an unsure pair"),
        ("reject", "keep an unsure pair apart (it is not proposed again)"),
        ("undo", "undo a merge exactly: both entities as they were"),
    ):
        p = msub.add_parser(name, help=text)
        p.add_argument("merge_id", metavar="ID")
    merges.set_defaults(func=cmd_merges)
