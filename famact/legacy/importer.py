"""Import an old snapshot into family-activities: `famact import --legacy FILE|s3://...`.

Every Activity is mapped first (famact.legacy.to_entity); one that famact cannot take stops
the import with `activities.{n}.{field}` named, before anything is written. Then:
- an old id with an alias is the entity it made before (same id, same type), rewritten only
  if its content changed (`ActivityStore.put_entities` compares content hashes);
- an old id famact published itself (`famact-{type}-{id}`), or an Activity whose id is an
  entity famact crawled, is that entity: it is aliased, never overwritten by the old copy;
- anything else becomes a new entity of source `legacy-s3`, plus its alias.
So importing the same snapshot twice writes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from famact import keys
from famact.legacy.aliases import Alias, LegacyAliases
from famact.legacy.objects import SnapshotError
from famact.legacy.snapshot import LegacyActivity, LegacySnapshot
from famact.legacy.to_activity import parse_famact_legacy_id
from famact.legacy.to_entity import LEGACY_SOURCE_ID, activity_to_entity
from famact.models import EntityBase
from famact.store.activities import ActivityStore
from famact.store.dynamo import Tables
from famact.store.errors import ValidationError


@dataclass
class ImportResult:
    new: list[str] = field(default_factory=list)  # entity PKs
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)  # famact's own entities, only aliased
    alias_rows_written: int = 0

    @property
    def writes(self) -> int:
        return len(self.new) + len(self.updated) + self.alias_rows_written


def _mapped(n: int, activity: LegacyActivity, pinned: str | None) -> EntityBase:
    try:
        if pinned is None:
            return activity_to_entity(activity)
        entity_type, entity_id = keys.parse_entity_pk(pinned)
        return activity_to_entity(activity, entity_id=entity_id, entity_type=entity_type)
    except ValidationError as exc:
        shown = repr(exc.value)[:80]
        raise SnapshotError(f"activities.{n}.{exc.field}: {shown} {exc.reason}") from exc


def import_snapshot(tables: Tables, snapshot: LegacySnapshot, *, now: datetime | None = None) -> ImportResult:
    now = now or datetime.now(UTC)
    store = ActivityStore(tables)
    aliases = LegacyAliases(tables)
    activities = snapshot.activities
    known = aliases.by_legacy_id(a.id for a in activities)
    own: dict[str, str] = {}  # legacy id -> PK of a famact entity it names
    for activity in activities:
        parsed = parse_famact_legacy_id(activity.id)
        if parsed is not None and activity.id not in known:
            own[activity.id] = keys.entity_pk(*parsed)
    entities = [_mapped(n, a, known.get(a.id)) for n, a in enumerate(activities)]
    pks = [keys.entity_pk(e.entity_type, e.entity_id) for e in entities]
    stored = store.get_entities([*pks, *own.values()])
    result = ImportResult()
    to_write: list[EntityBase] = []
    links: list[Alias] = []
    for activity, entity, mapped_pk in zip(activities, entities, pks, strict=True):
        pk = own[activity.id] if own.get(activity.id) in stored else mapped_pk
        existing = stored.get(pk)
        if existing is not None and existing.get("source_id") != LEGACY_SOURCE_ID:
            result.adopted.append(pk)
        else:
            to_write.append(entity)
        links.append(Alias(legacy_id=activity.id, entity_pk=pk, original=activity))
    put = store.put_entities(to_write, now=now)
    result.new, result.updated, result.unchanged = put.new, put.updated, put.unchanged
    result.alias_rows_written = aliases.put(links, now=now)
    return result
