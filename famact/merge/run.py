"""The merge job: every stored entity's candidates scored, confident pairs merged, unsure
pairs recorded for the admin (`famact merges run`).

It pages through one source at a time (the source's `ENTITY#` link rows, then its METADATA
rows in batches), looks up each entity's candidates with GSI queries, and scores each pair
once. Confident pairs are grouped (a storytime listed by a library, a calendar and a blog is
one group of three); each group keeps one entity, the keeper: an entity that already keeps
other sources' links, else the listing of the most authoritative source (the venue's own
site over a calendar over a blog), then the fuller record. A member joins only when it scores
confidently against the keeper itself and its source is not in the group yet (a source lists
an activity once); the others are recorded as unsure pairs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from famact import keys
from famact.constants import SourceStatus
from famact.merge.candidates import candidate_pks
from famact.merge.groups import decide
from famact.merge.listing import AUTHORITY, Listing, from_entity_row
from famact.merge.score import PairScore, Verdict, score_pair
from famact.store.activities import ActivityStore
from famact.store.dynamo import Tables
from famact.store.errors import ConflictError
from famact.store.merges import UNSURE, MergeRecord, MergeStore
from famact.store.sources import SourceStore
from famact.store.stash import ALSO_LISTED_ATTR, MERGED_INTO_ATTR

HIDDEN = {"inactive", "cancelled", "past"}


@dataclass
class Planned:
    keeper: str
    merged: str
    score: PairScore
    verdict: Verdict

    def as_dict(self) -> dict[str, Any]:
        return {
            "keeper": self.keeper,
            "merged": self.merged,
            "verdict": self.verdict.value,
            **self.score.as_dict(),
        }


@dataclass
class MergeReport:
    entities: int = 0
    pairs_scored: int = 0
    merged: list[Planned] = field(default_factory=list)
    unsure: list[Planned] = field(default_factory=list)
    known: int = 0  # pairs that already had a record (merged, unsure, rejected, undone)

    def as_dict(self) -> dict[str, Any]:
        return {
            "entities": self.entities,
            "pairs_scored": self.pairs_scored,
            "merged": [p.as_dict() for p in self.merged],
            "unsure": [p.as_dict() for p in self.unsure],
            "already_recorded": self.known,
        }


class MergeJob:
    def __init__(self, tables: Tables) -> None:
        self.activities = ActivityStore(tables)
        self.sources = SourceStore(tables)
        self.merges = MergeStore(tables)
        self._authority: dict[str, int] = {}
        self._metas: dict[str, dict[str, Any]] = {}
        self._listings: dict[str, Listing] = {}

    def _source_authority(self, source_id: str) -> int:
        if source_id not in self._authority:
            submission = self.sources.get(source_id)
            kind = submission.source_type.value if submission and submission.source_type else None
            self._authority[source_id] = AUTHORITY.get(kind or "", 1)
        return self._authority[source_id]

    def _load(self, pks: Iterable[str]) -> None:
        wanted = [pk for pk in dict.fromkeys(pks) if pk not in self._metas]
        for pk, stored in self.activities.get_entities(wanted).items():
            meta = {**stored, "PK": pk}
            self._metas[pk] = meta
            self._listings[pk] = from_entity_row(
                meta, authority=self._source_authority(str(meta.get("source_id")))
            )

    def _live(self, pk: str) -> bool:
        meta = self._metas.get(pk)
        return meta is not None and not meta.get(MERGED_INTO_ATTR) and meta.get("status") not in HIDDEN

    def source_ids(self) -> list[str]:
        ids: list[str] = []
        for status in (SourceStatus.ACTIVE, SourceStatus.PAUSED):
            cursor = None
            while True:
                page = self.sources.list_by_status(status, limit=100, cursor=cursor)
                ids.extend(str(row["source_id"]) for row in page.items)
                if not page.cursor:
                    break
                cursor = page.cursor
        return ids

    def plan(self, source_ids: Iterable[str] | None = None) -> MergeReport:
        """Score every entity of the sources (default: every active or paused source)
        against its candidates; decide merges and unsure pairs. Writes nothing."""
        report = MergeReport()
        scored: dict[tuple[str, str], PairScore] = {}
        places = self.activities.geo_partitions()
        for source_id in source_ids if source_ids is not None else self.source_ids():
            pks = sorted(self.sources.linked_entities(source_id))
            for start in range(0, len(pks), 100):
                batch = pks[start : start + 100]
                self._load(batch)
                for pk in batch:
                    if not self._live(pk):
                        continue
                    report.entities += 1
                    others = candidate_pks(self.activities, self._metas[pk], places=places)
                    self._load(others)
                    for other in others:
                        pair = (min(pk, other), max(pk, other))
                        if pair in scored or not self._live(other):
                            continue
                        result = score_pair(self._listings[pair[0]], self._listings[pair[1]])
                        scored[pair] = result
        report.pairs_scored = len(scored)
        keepers = {pk for pk, meta in self._metas.items() if meta.get(ALSO_LISTED_ATTR)}
        merged, unsure = decide(scored, self._listings, keepers=keepers, richness=self._richness)
        report.merged = [Planned(k, m, r, Verdict.MERGE) for k, m, r in merged]
        report.unsure = [Planned(k, m, r, Verdict.UNSURE) for k, m, r in unsure]
        return report

    def _richness(self, pk: str) -> tuple[int, str]:
        meta = self._metas[pk]
        filled = sum(1 for v in meta.values() if v not in (None, "", [], {}))
        return filled, str(meta.get("first_seen") or "")

    def _record(self, planned: Planned, status: str) -> MergeRecord:
        keeper, merged = self._metas[planned.keeper], self._metas[planned.merged]
        return MergeRecord(
            merge_id=keys.merge_id_of(planned.keeper, planned.merged),
            keeper_pk=planned.keeper,
            merged_pk=planned.merged,
            status=status,
            score=round(planned.score.score, 4),
            parts={k: round(v, 4) for k, v in planned.score.parts.items()},
            keeper_name=str(keeper.get("name") or ""),
            merged_name=str(merged.get("name") or ""),
            keeper_source=str(keeper.get("source_id") or ""),
            merged_source=str(merged.get("source_id") or ""),
            keeper_url=keeper.get("url"),
            merged_url=merged.get("url"),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )

    def run(self, source_ids: Iterable[str] | None = None, *, dry_run: bool = False) -> MergeReport:
        """Plan, then (unless `dry_run`) record every pair and merge the confident ones.
        A pair recorded before (merged, unsure, rejected or undone) is left as it is."""
        report = self.plan(source_ids)
        if dry_run:
            return report
        fresh_merged, fresh_unsure = [], []
        for planned in report.merged:
            record = self._record(planned, UNSURE)
            if not self.merges.propose(record):
                report.known += 1
                continue
            try:
                self.merges.apply(record.merge_id, decided_by="merge-job")
            except ConflictError:
                fresh_unsure.append(planned)  # the store refused (a chain): the admin decides
                continue
            fresh_merged.append(planned)
        for planned in report.unsure:
            if self.merges.propose(self._record(planned, UNSURE)):
                fresh_unsure.append(planned)
            else:
                report.known += 1
        report.merged, report.unsure = fresh_merged, fresh_unsure
        return report
